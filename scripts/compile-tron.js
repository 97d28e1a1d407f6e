// `npm run compile:tron`: runs `tronbox compile` with the settings of compiler.config.js, after
// making sure TronBox has the pinned solc (scripts/tronbox-compiler.js: TRON's fork when it can
// be downloaded, otherwise the npm solc package, with a loud warning).
import { spawnSync } from "node:child_process";
import { ensureTronboxCompiler, TRONBOX } from "./tronbox-compiler.js";

if (!ensureTronboxCompiler()) process.exit(1);
const compile = spawnSync(process.execPath, [TRONBOX, "compile", ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(compile.status ?? 1);
