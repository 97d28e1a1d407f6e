// The one place that fixes how bttkit's contracts are compiled. hardhat.config.ts and
// tronbox.js both read it, so Hardhat and TronBox build with the same settings.
// 0.8.29 is the highest solc that TronBox 4.10 (TRON's fork) accepts; cancun is the newest
// EVM version the TVM implements (TRON.md: never prague or osaka).
export const SOLC_VERSION = "0.8.29";

export const SOLC_SETTINGS = {
  optimizer: { enabled: true, runs: 10_000 },
  evmVersion: "cancun",
};
