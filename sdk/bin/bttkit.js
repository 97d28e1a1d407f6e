#!/usr/bin/env node
// The `bttkit` executable: the built CLI (dist/, which the package ships), or, in the repository
// before a build, the TypeScript sources through tsx (a devDependency of the repository).
import { existsSync } from "node:fs";

const built = new URL("../dist/cli/main.js", import.meta.url);
if (existsSync(built)) {
  await import(built.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import(new URL("../src/cli/main.ts", import.meta.url).href);
}
