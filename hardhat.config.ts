import { randomInt } from "node:crypto";
import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import fc from "fast-check";
import { defineConfig } from "hardhat/config";
import type { HardhatPlugin } from "hardhat/types/plugins";
import { SOLC_SETTINGS, SOLC_VERSION } from "./compiler.config.js";

const require = createRequire(import.meta.url);

/** Nile's chain id (TRON.md), so typed-data domains in tests are the ones TRON users sign. */
export const NILE_CHAIN_ID = 3448148188;

// Seeds of every fuzz and property test: Solidity fuzz and invariant tests (EDR's `fuzz.seed`
// drives both) and fast-check properties (`fc.configureGlobal`). `npm test` and `npm run coverage`
// run FIXED_SEED, so CI is reproducible; `npm run test:deep` (the `deep` profile, BTTKIT_DEEP=1
// for mocha) draws a fresh one. `BTTKIT_SEED=<n>` replays any run. The seed in use is printed when
// a test run starts.
const FIXED_SEED = 20_261_204;
const replay = process.env.BTTKIT_SEED;
if (replay !== undefined && !/^\d{1,15}$/.test(replay)) {
  throw new Error(`BTTKIT_SEED must be a decimal integer below 10**15, got "${replay}"`);
}
const fixedSeed = replay === undefined ? FIXED_SEED : Number(replay);
const deepSeed = replay === undefined ? randomInt(2 ** 31 - 1) : Number(replay);
const hexSeed = (seed: number) => `0x${seed.toString(16)}`;

/** The Solidity test profile a run selected (`--test-profile`, else HARDHAT_TEST_PROFILE). */
function selectedProfile(): string {
  const i = process.argv.indexOf("--test-profile");
  return (i >= 0 ? process.argv[i + 1] : undefined) ?? process.env.HARDHAT_TEST_PROFILE ?? "default";
}

/** Sets fast-check's seed before mocha runs and prints the seeds in use. */
const seeds: HardhatPlugin = {
  id: "bttkit-seeds",
  hookHandlers: {
    test: async () => ({
      default: async () => ({
        onTestRunStart: async (context, id, next) => {
          if (id === "mocha") {
            const seed = process.env.BTTKIT_DEEP ? deepSeed : fixedSeed;
            fc.configureGlobal({ ...fc.readConfigureGlobal(), seed });
            console.log(`fast-check seed ${seed} (replay: BTTKIT_SEED=${seed})`);
          } else if (id === "solidity") {
            const profile = selectedProfile();
            const seed = context.config.test.solidity.profiles[profile]?.fuzz.seed;
            console.log(`Solidity fuzz seed ${seed}, profile ${profile} (replay: BTTKIT_SEED=${Number(seed)})`);
          }
          return next(context, id);
        },
      }),
    }),
  },
};

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatTypechain, seeds],
  solidity: {
    version: SOLC_VERSION,
    // The npm solc package's soljson.js: no compiler download, ever.
    path: require.resolve("solc/soljson.js"),
    settings: SOLC_SETTINGS,
  },
  networks: {
    // `network.create()` with no name connects to `default`; both run as Nile.
    default: {
      type: "edr-simulated",
      chainType: "l1",
      chainId: NILE_CHAIN_ID,
      // The TVM implements Cancun (TRON.md); later forks price calldata differently (EIP-7623).
      hardfork: "cancun",
    },
    hardhat: {
      type: "edr-simulated",
      chainType: "l1",
      chainId: NILE_CHAIN_ID,
      // The TVM implements Cancun (TRON.md); later forks price calldata differently (EIP-7623).
      hardfork: "cancun",
    },
  },
  typechain: {
    outDir: "sdk/src/generated/typechain",
    // Bindings are written only by `npm run gen` (scripts/gen.ts), over all artifacts in a fixed
    // order. Left to `compile`, the plugin rewrites the index files with just the contracts that
    // run rebuilt, so every test run that recompiles would dirty the committed bindings.
    dontOverrideCompile: true,
  },
  test: {
    solidity: {
      // `default` runs in `npm test` and CI (two shared cores); `deep` in `npm run test:deep`
      // (`--test-profile deep`). Invariant runs x depth = the calls per invariant contract.
      profiles: {
        default: {
          fuzz: { runs: 256, seed: hexSeed(fixedSeed) },
          invariant: { runs: 48, depth: 100 },
        },
        deep: {
          fuzz: { runs: 4_096, seed: hexSeed(deepSeed) },
          invariant: { runs: 384, depth: 200 },
        },
      },
    },
  },
});
