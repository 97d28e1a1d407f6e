// `npm run compile:tron`: runs `tronbox compile`. TronBox downloads TRON's solc fork into
// ~/.tronbox/solc on first use; where that download cannot happen (no network), this seeds the
// cache from the pinned npm `solc` package instead and says so, loudly: that is upstream solc,
// not TRON's fork. Standard solc output runs on the TVM for contracts that use no TRON-only
// features (TRON.md), which bttkit does not.
import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { homedir } from "node:os";
import { dirname, join } from "node:path";
import { SOLC_VERSION } from "../compiler.config.js";

const require = createRequire(import.meta.url);
const tronbox = join(dirname(require.resolve("tronbox/package.json")), "build", "index.js");
const cached = join(homedir(), ".tronbox", "solc", `soljson_v${SOLC_VERSION}.js`);

function run(args, options = {}) {
  return spawnSync(process.execPath, [tronbox, ...args], { stdio: "inherit", ...options });
}

if (!existsSync(cached)) {
  console.log(`TronBox's compiler cache has no solc ${SOLC_VERSION}; asking TronBox to download TRON's fork...`);
  const download = run(["--download-compiler", SOLC_VERSION], { timeout: 60_000 });
  if (download.status !== 0 || !existsSync(cached)) {
    const npmSolc = require.resolve("solc/soljson.js");
    const npmVersion = require("solc/package.json").version;
    if (npmVersion !== SOLC_VERSION) {
      console.error(`npm solc is ${npmVersion}, but compiler.config.js pins ${SOLC_VERSION}: refusing to seed.`);
      process.exit(1);
    }
    mkdirSync(dirname(cached), { recursive: true });
    copyFileSync(npmSolc, cached);
    console.warn(
      [
        "",
        "!!! WARNING: TronBox could not download TRON's solc fork.",
        `!!! Seeded ${cached}`,
        `!!! from the npm solc ${npmVersion} package: this is UPSTREAM solc, NOT TRON's fork.`,
        "!!! bttkit uses no TRON-only built-ins, so its bytecode runs on the TVM; delete that file",
        "!!! on a machine with network access to compile with TRON's own compiler.",
        "",
      ].join("\n"),
    );
  }
}

const compile = run(["compile", ...process.argv.slice(2)]);
process.exit(compile.status ?? 1);
