// What bttkit deploys on each network, and with which parameters: the one file to edit.
// Read by the TronBox migrations (migrations/*.js through deploy/lib.cjs) and by
// `npm run deploy` (scripts/deploy.ts), which checks it before anything is sent.
// Node URLs and fee limits are in tronbox.js; private keys only in the environment.
//
// Changing a constructor parameter here makes the next `tronbox migrate` redeploy that contract
// (and, through their constructor arguments, the contracts that depend on it). Wiring
// (authorisations, pausers) is checked on chain and only the missing parts are sent.

const HOUR = 3_600;
const DAY = 86_400;

/** The parameters every network shares unless it overrides them below. */
const defaults = {
  /**
   * The BTT token (base58). null: deploy bttkit's 18-decimal TestBTT (networks without BTT).
   * Mainnet BTT is the TRC-20 TAFjULxiVgT4qWk6UZwjqwZXTSaGaqnVp4 (docs/TRON.md).
   */
  btt: null,
  /** HostRegistry: seconds from a host's latest unbonding request until it may withdraw. */
  registry: { unbondingDelay: 7 * DAY },
  /** StorageMarket's fixed rules (IStorageMarketTypes.Config; immutable once deployed). */
  storage: {
    responseWindow: HOUR, // seconds a host has to answer a challenge once its seed is drawn
    seedDelay: 2, // blocks between opening a challenge and its seed block (1..128)
    missesToLose: 3, // consecutive missed proofs after which a shard is lost
    withheldBps: 2_000, // share of each period's pay held back until the deal ends (basis points)
    slashBps: 1_000, // share of the locked collateral slashed per missed proof
    tenantSlashBps: 5_000, // share of a slash paid to the tenant; the rest funds repair
  },
  /** SpeedMarket: the grace periods a bid may choose after it closes (seconds; minGrace at least 600). */
  speed: { minGrace: HOUR, maxGrace: 30 * DAY },
  /**
   * Accounts allowed to pause the vault (base58). "deployer" is the deploying account.
   * Pausing stops new commitments; withdrawals always work.
   */
  pausers: ["deployer"],
  /**
   * Hand ownership (vault, registry, speed market) to this account after wiring (base58).
   * null keeps the deployer. Ownable2Step: the new owner must call acceptOwnership() itself.
   */
  owner: null,
};

/** Per network: chainId is `block.chainid & 0xffffffff` (docs/TRON.md). */
const networks = {
  // The devnode: a fresh chain per run; it answers its chain id on /tre (eth_chainId), which
  // wins over the value here (the devnode's default is Nile's).
  development: { chainId: 0xcd8690dc },
  nile: { chainId: 0xcd8690dc },
  shasta: { chainId: 0x94a9059e },
  mainnet: { chainId: 0x2b6653dc, btt: "TAFjULxiVgT4qWk6UZwjqwZXTSaGaqnVp4" },
};

module.exports = { defaults, networks };
