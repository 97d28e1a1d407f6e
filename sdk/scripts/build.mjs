// Builds dist/: tsc for the library (ES modules and .d.ts, without the TypeChain bindings and the
// CLI), then esbuild for the CLI, bundled with commander and cli-progress so that neither is a
// runtime dependency of the SDK. Runs as `prepack`, so `npm pack` always ships a fresh dist/.
import { execFileSync } from "node:child_process";
import { chmodSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const sdk = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const require = createRequire(import.meta.url);
rmSync(path.join(sdk, "dist"), { recursive: true, force: true });
execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", path.join(sdk, "tsconfig.build.json")], {
  stdio: "inherit",
});
const pkg = JSON.parse(readFileSync(path.join(sdk, "package.json"), "utf8"));
// Everything the package depends on stays an import; only the CLI's own libraries are inlined.
const external = [...Object.keys(pkg.dependencies ?? {}), ...Object.keys(pkg.peerDependencies ?? {})];
await esbuild.build({
  entryPoints: [path.join(sdk, "src/cli/main.ts")],
  outfile: path.join(sdk, "dist/cli/main.js"),
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  external,
  // commander is CommonJS and requires Node built-ins: give the ES module bundle a `require`.
  banner: { js: 'import { createRequire as __bttkitRequire } from "node:module"; const require = __bttkitRequire(import.meta.url);' },
  logLevel: "warning",
});
chmodSync(path.join(sdk, "dist/cli/main.js"), 0o755); // also runnable directly
