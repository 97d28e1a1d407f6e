// Types for compiler.config.js, which stays plain JavaScript so that tronbox.js can load it.
export declare const SOLC_VERSION: string;
export declare const SOLC_SETTINGS: {
  optimizer: { enabled: boolean; runs: number };
  evmVersion: "cancun";
};
