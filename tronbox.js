// TronBox configuration. TronBox loads this file with require(); under Node 22 that loads ES
// modules too, and the "module.exports" export name below is what require() returns.
// Compiler settings come from compiler.config.js, the file hardhat.config.ts reads as well.
// What gets deployed, and with which parameters, is in deploy/networks.config.cjs.
import { createHash } from "node:crypto";
import { SOLC_SETTINGS, SOLC_VERSION } from "./compiler.config.js";

/** Private keys come only from the environment, never from this file. */
const key = (name) => process.env[name];

/**
 * TronBox refuses to start without a `privateKey`, even for a local node whose funded keys it
 * then reads from /admin/accounts-json (and uses instead: TronBox deploys from the node's first
 * account on 127.0.0.1/localhost). So development falls back to the devnode's first
 * deterministic key, sha256("bttkit-devnode:0") (devnode/src/accounts.ts, default seed): a
 * well-known test key that only ever holds devnode TRX.
 */
const DEVNODE_KEY_0 = createHash("sha256").update("bttkit-devnode:0").digest("hex");

/** FEE_LIMIT_TRX in the environment overrides every network's fee limit (whole TRX). */
const feeLimit = (trx) => Math.round(Number(process.env.FEE_LIMIT_TRX ?? trx) * 1_000_000);

// Fee settings, per network:
// - feeLimit: the most TRX (in sun) one transaction may burn for energy. The largest deployment,
//   StorageMarket (which also creates its StorageHosting code body), needs about 8-9 million
//   energy, i.e. ~850 TRX at 100 sun per energy; 2,000 TRX leaves headroom for the dynamic
//   energy model. The protocol cap is 15,000 TRX.
// - userFeePercentage 100: callers pay all the energy of their calls; the deployer pays none.
// - originEnergyLimit: the most energy per call the deployer would pay (unused at 100%).
const config = {
  networks: {
    // The devnode (npm run devnode, or npm run deploy -- --embedded). DEVNODE_URL overrides the URL.
    development: {
      privateKey: key("PRIVATE_KEY_DEVELOPMENT") ?? DEVNODE_KEY_0,
      fullHost: process.env.DEVNODE_URL ?? "http://127.0.0.1:9090",
      feeLimit: feeLimit(2_000),
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "*",
    },
    nile: {
      privateKey: key("PRIVATE_KEY_NILE"),
      fullHost: "https://nile.trongrid.io",
      feeLimit: feeLimit(2_000),
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "3",
    },
    shasta: {
      privateKey: key("PRIVATE_KEY_SHASTA"),
      fullHost: "https://api.shasta.trongrid.io",
      feeLimit: feeLimit(2_000),
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "2",
    },
    mainnet: {
      privateKey: key("PRIVATE_KEY_MAINNET"),
      fullHost: "https://api.trongrid.io",
      feeLimit: feeLimit(2_000),
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "1",
    },
  },
  compilers: {
    solc: {
      version: SOLC_VERSION,
      settings: SOLC_SETTINGS,
    },
  },
};

export { config as "module.exports" };
