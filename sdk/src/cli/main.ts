#!/usr/bin/env node
/** The `bttkit` executable (sdk/package.json "bin"). */
import { runCli } from "./program.js";

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env }).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`internal error: ${String(error)}\n`);
    process.exitCode = 1;
  },
);
