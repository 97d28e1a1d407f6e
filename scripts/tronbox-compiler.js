// TronBox downloads TRON's solc fork into ~/.tronbox/solc on first use. Where that download cannot
// happen (no network), this seeds the cache from the pinned npm `solc` package instead and says
// so, loudly: that is upstream solc, not TRON's fork. Standard solc output runs on the TVM for
// contracts that use no TRON-only features (TRON.md), which bttkit does not.
// Used by `npm run compile:tron` (scripts/compile-tron.js) and `npm run deploy` (scripts/deploy.ts).
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { SOLC_VERSION } from "../compiler.config.js";

const require = createRequire(import.meta.url);

/** TronBox's CLI entry point (run it with process.execPath, i.e. Node 22). */
export const TRONBOX = join(dirname(require.resolve("tronbox/package.json")), "build", "index.js");

/** Where TronBox looks for the pinned compiler. */
export const CACHED_SOLC = join(homedir(), ".tronbox", "solc", `soljson_v${SOLC_VERSION}.js`);

/**
 * Makes sure TronBox has solc SOLC_VERSION. Returns false (after printing why) when neither the
 * download nor the npm seed worked.
 */
export function ensureTronboxCompiler({ quiet = false } = {}) {
  if (existsSync(CACHED_SOLC)) return true;
  if (!quiet)
    console.log(`TronBox's compiler cache has no solc ${SOLC_VERSION}; asking TronBox to download TRON's fork...`);
  const download = spawnSync(process.execPath, [TRONBOX, "--download-compiler", SOLC_VERSION], {
    stdio: quiet ? "ignore" : "inherit",
    timeout: 60_000,
  });
  if (download.status === 0 && existsSync(CACHED_SOLC)) return true;
  const npmSolc = require.resolve("solc/soljson.js");
  const npmVersion = require("solc/package.json").version;
  if (npmVersion !== SOLC_VERSION) {
    console.error(`npm solc is ${npmVersion}, but compiler.config.js pins ${SOLC_VERSION}: refusing to seed.`);
    return false;
  }
  mkdirSync(dirname(CACHED_SOLC), { recursive: true });
  copyFileSync(npmSolc, CACHED_SOLC);
  console.warn(
    [
      "",
      "!!! WARNING: TronBox could not download TRON's solc fork.",
      `!!! Seeded ${CACHED_SOLC}`,
      `!!! from the npm solc ${npmVersion} package: this is UPSTREAM solc, NOT TRON's fork.`,
      "!!! bttkit uses no TRON-only built-ins, so its bytecode runs on the TVM; delete that file",
      "!!! on a machine with network access to compile with TRON's own compiler.",
      "",
    ].join("\n"),
  );
  return true;
}
