import { NILE_TVM, type TvmConfig } from "./energy.js";

/** Devnode settings, with the defaults a TronBox/TronWeb test run expects. */
export interface DevnodeOptions {
  /** TCP port on 127.0.0.1; 0 picks a free one. Default 9090 (TRE's port) for the CLI, 0 for startDevnode. */
  port?: number;
  host?: string;
  /** Number of funded test accounts. */
  accounts?: number;
  /** Balance of each test account, in sun. Default 1,000,000 TRX. */
  balance?: bigint | number | string;
  /** Seed that derives the test keys: same seed, same keys. */
  seed?: string;
  /** `block.chainid`; default Nile's 0xcd8690dc. */
  chainId?: bigint | number;
  /** Sun burned per unit of energy (mainnet: 100). */
  energyPrice?: number;
  /** Seconds between blocks; 0 mines each broadcast transaction at once in its own block. */
  blockTime?: number;
  /** Largest accepted request body in bytes. */
  maxBodyBytes?: number;
  /** Log each request to stderr. */
  verbose?: boolean;
  /**
   * Genesis time in ms. When set, the clock is virtual (deterministic): each block is 3 s after
   * the last unless tre_increaseTime moves it; unset, blocks carry the wall-clock time.
   */
  genesisTime?: number;
  /** java-tron committee switches that change energy figures; default: Nile's (all on). */
  tvm?: Partial<TvmConfig>;
}

export type ResolvedOptions = Required<Omit<DevnodeOptions, "balance" | "chainId" | "tvm" | "genesisTime">> & {
  genesisTime?: number;
  balance: bigint;
  chainId: bigint;
  tvm: TvmConfig;
};

export const NILE_CHAIN_ID = 0xcd8690dcn;
export const SUN_PER_TRX = 1_000_000n;
/** java-tron's maxFeeLimit chain parameter: 15,000 TRX. */
export const MAX_FEE_LIMIT = 15_000n * SUN_PER_TRX;

export function resolveOptions(o: DevnodeOptions = {}): ResolvedOptions {
  return {
    port: o.port ?? 0,
    host: o.host ?? "127.0.0.1",
    accounts: o.accounts ?? 10,
    balance: BigInt(o.balance ?? 1_000_000n * SUN_PER_TRX),
    seed: o.seed ?? "bttkit-devnode",
    chainId: BigInt(o.chainId ?? NILE_CHAIN_ID),
    energyPrice: o.energyPrice ?? 100,
    blockTime: o.blockTime ?? 0,
    maxBodyBytes: o.maxBodyBytes ?? 4 * 1024 * 1024,
    verbose: o.verbose ?? false,
    tvm: { ...NILE_TVM, ...o.tvm },
    genesisTime: o.genesisTime,
  };
}
