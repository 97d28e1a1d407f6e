import { createRequire } from "node:module";
import hardhatToolboxMochaEthers from "@nomicfoundation/hardhat-toolbox-mocha-ethers";
import hardhatTypechain from "@nomicfoundation/hardhat-typechain";
import { defineConfig } from "hardhat/config";
import { SOLC_SETTINGS, SOLC_VERSION } from "./compiler.config.js";

const require = createRequire(import.meta.url);

/** Nile's chain id (TRON.md), so typed-data domains in tests are the ones TRON users sign. */
export const NILE_CHAIN_ID = 3448148188;

export default defineConfig({
  plugins: [hardhatToolboxMochaEthers, hardhatTypechain],
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
          fuzz: { runs: 256 },
          invariant: { runs: 48, depth: 100 },
        },
        deep: {
          fuzz: { runs: 4_096 },
          invariant: { runs: 384, depth: 200 },
        },
      },
    },
  },
});
