// TronBox configuration. TronBox loads this file with require(); under Node 22 that loads ES
// modules too, and the "module.exports" export name below is what require() returns.
// Compiler settings come from compiler.config.js, the file hardhat.config.ts reads as well.
import { SOLC_SETTINGS, SOLC_VERSION } from "./compiler.config.js";

/** Private keys come only from the environment, never from this file. */
const key = (name) => process.env[name];

const config = {
  networks: {
    // The embedded devnode (npm run devnode): TronBox asks it for funded keys at /admin/accounts-json.
    development: {
      privateKey: key("PRIVATE_KEY_DEVELOPMENT"),
      fullHost: process.env.DEVNODE_URL ?? "http://127.0.0.1:9090",
      feeLimit: 1_000_000_000, // 1,000 TRX in sun
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "*",
    },
    nile: {
      privateKey: key("PRIVATE_KEY_NILE"),
      fullHost: "https://nile.trongrid.io",
      feeLimit: 1_000_000_000,
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "3",
    },
    shasta: {
      privateKey: key("PRIVATE_KEY_SHASTA"),
      fullHost: "https://api.shasta.trongrid.io",
      feeLimit: 1_000_000_000,
      userFeePercentage: 100,
      originEnergyLimit: 10_000_000,
      network_id: "2",
    },
    mainnet: {
      privateKey: key("PRIVATE_KEY_MAINNET"),
      fullHost: "https://api.trongrid.io",
      feeLimit: 1_500_000_000, // 1,500 TRX in sun; the protocol cap is 15,000 TRX
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
