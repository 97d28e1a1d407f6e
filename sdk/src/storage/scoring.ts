/**
 * Host scoring and selection, in the spirit of BTFS Hub: rank registered hosts from their
 * on-chain track record, price, stake, age and region, then pick `n` distinct hosts, spreading
 * regions. Pure: give it `listHosts` results (or any `ScorableHost`s) and a clock.
 *
 * Each component is in [0, 1] and grows with what a tenant wants:
 * - reliability: (passed + 1) / (passed + missed + 2), Laplace-smoothed so a new host is 0.5;
 * - completion: (completed + 1) / (completed + lost + 2);
 * - age: seconds registered / `ageHorizon` (default 90 days), capped at 1;
 * - price: ref / (ref + price), ref = `referencePrice` (default the median asking price);
 * - stake: free / (free + ref), ref = `referenceStake` (default the median free stake);
 * - region: 1 in the wanted region (or when none is wanted), else 0.
 * The score is the weighted mean of the components, so it is in [0, 1] too.
 */
import { InvalidArgumentError } from "../errors.js";

/** The fields scoring reads (a subset of `HostInfo`). */
export interface ScorableHost {
  address: string;
  profile: { capacity: bigint; pricePerGiBPerPeriod: bigint; region: number };
  stake: { registered: boolean };
  freeStake: bigint;
  trackRecord: {
    proofsPassed: bigint;
    proofsMissed: bigint;
    dealsCompleted: bigint | number;
    dealsLost: bigint | number;
    registeredAt: bigint;
  };
}

export interface ScoreWeights {
  reliability: number;
  completion: number;
  age: number;
  price: number;
  stake: number;
  region: number;
}

export const DEFAULT_SCORE_WEIGHTS: Readonly<ScoreWeights> = Object.freeze({
  reliability: 0.35,
  completion: 0.15,
  age: 0.1,
  price: 0.2,
  stake: 0.1,
  region: 0.1,
});

export interface ScoreOptions {
  /** Prefer hosts in this ISO 3166-1 numeric region. */
  region?: number;
  /** Leave out hosts asking more than this per GiB per period. */
  maxPrice?: bigint;
  /** Leave out hosts with less free stake (e.g. the collateral an offer will lock). */
  minFreeStake?: bigint;
  /** Leave out hosts offering less capacity (bytes). */
  minCapacity?: bigint;
  /** Component weights (missing ones default); non-negative, not all zero. */
  weights?: Partial<ScoreWeights>;
  /** Unix seconds "now", for ages; default the local clock. */
  now?: bigint;
  /** Seconds after which age stops counting; default 90 days. */
  ageHorizon?: bigint;
  referencePrice?: bigint;
  referenceStake?: bigint;
}

export interface ScoredHost<H extends ScorableHost = ScorableHost> {
  host: H;
  address: string;
  region: number;
  score: number;
  components: ScoreWeights;
}

const DAY = 86_400n;

function median(values: bigint[]): bigint {
  if (values.length === 0) return 0n;
  const sorted = [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** a / b as a float in [0, 1] for 0 <= a <= b, exact enough for ranking (no money involved). */
function ratio(a: bigint, b: bigint): number {
  if (b <= 0n) return 0;
  // Scale to 1e9 in bigint first, so huge token amounts don't lose all precision.
  return Number((a * 1_000_000_000n) / b) / 1e9;
}

function checkWeights(weights: Partial<ScoreWeights> | undefined): ScoreWeights {
  const w = { ...DEFAULT_SCORE_WEIGHTS, ...(weights ?? {}) };
  let total = 0;
  for (const [k, v] of Object.entries(w)) {
    if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
      throw new InvalidArgumentError(`weights.${k} must be a non-negative finite number, got ${String(v)}`);
    }
    total += v;
  }
  if (total === 0) throw new InvalidArgumentError("weights must not all be zero");
  return w;
}

/**
 * Scores and ranks `hosts`, best first (ties by address). Unregistered hosts, and hosts outside
 * `maxPrice`, `minFreeStake` or `minCapacity`, are left out.
 */
export function scoreHosts<H extends ScorableHost>(hosts: readonly H[], options: ScoreOptions = {}): ScoredHost<H>[] {
  if (!Array.isArray(hosts)) throw new InvalidArgumentError("hosts must be an array");
  if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options must be an object");
  const weights = checkWeights(options.weights);
  const now = options.now ?? BigInt(Math.floor(Date.now() / 1000));
  const ageHorizon = options.ageHorizon ?? 90n * DAY;
  if (typeof now !== "bigint" || typeof ageHorizon !== "bigint" || ageHorizon <= 0n) {
    throw new InvalidArgumentError("now and ageHorizon must be bigints (ageHorizon positive)");
  }
  const eligible = hosts.filter((h) => {
    if (typeof h !== "object" || h === null || !h.stake || !h.profile || !h.trackRecord) {
      throw new InvalidArgumentError("each host must be a HostInfo (listHosts)");
    }
    if (!h.stake.registered) return false;
    if (options.maxPrice !== undefined && h.profile.pricePerGiBPerPeriod > options.maxPrice) return false;
    if (options.minFreeStake !== undefined && h.freeStake < options.minFreeStake) return false;
    if (options.minCapacity !== undefined && h.profile.capacity < options.minCapacity) return false;
    return true;
  });
  const refPrice = options.referencePrice ?? median(eligible.map((h) => h.profile.pricePerGiBPerPeriod));
  const refStake = options.referenceStake ?? median(eligible.map((h) => h.freeStake));
  const total = Object.values(weights).reduce((a, b) => a + b, 0);
  const scored = eligible.map((h) => {
    const t = h.trackRecord;
    const passed = BigInt(t.proofsPassed);
    const missed = BigInt(t.proofsMissed);
    const completed = BigInt(t.dealsCompleted);
    const lost = BigInt(t.dealsLost);
    const age = now > t.registeredAt ? now - t.registeredAt : 0n;
    const price = h.profile.pricePerGiBPerPeriod;
    const components: ScoreWeights = {
      reliability: ratio(passed + 1n, passed + missed + 2n),
      completion: ratio(completed + 1n, completed + lost + 2n),
      age: ratio(age < ageHorizon ? age : ageHorizon, ageHorizon),
      price: refPrice === 0n && price === 0n ? 1 : ratio(refPrice, refPrice + price),
      stake: refStake === 0n && h.freeStake === 0n ? 0 : ratio(h.freeStake, h.freeStake + refStake),
      region: options.region === undefined || h.profile.region === options.region ? 1 : 0,
    };
    let sum = 0;
    for (const k of Object.keys(weights) as (keyof ScoreWeights)[]) sum += weights[k] * components[k];
    return { host: h, address: h.address, region: h.profile.region, score: sum / total, components };
  });
  return scored.sort((a, b) => b.score - a.score || (a.address.toLowerCase() < b.address.toLowerCase() ? -1 : 1));
}

export interface PickHostsOptions extends ScoreOptions {
  /** How many hosts (the deal's shard count); default 30. */
  n?: number;
  /**
   * Score taken off a host per host already picked in its region (default 0.15). `Infinity`
   * spreads regions strictly (round robin); 0 ignores regions.
   */
  regionPenalty?: number;
}

/**
 * Picks up to `n` distinct hosts: greedily the best score, less `regionPenalty` for each host
 * already picked in the same region, so regions spread unless a region's hosts are much better.
 * Returns fewer than `n` when fewer are eligible.
 */
export function pickHosts<H extends ScorableHost>(
  hosts: readonly H[],
  options: PickHostsOptions = {},
): ScoredHost<H>[] {
  const n = options.n ?? 30;
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`n must be a positive integer, got ${String(n)}`);
  const penalty = options.regionPenalty ?? 0.15;
  if (typeof penalty !== "number" || Number.isNaN(penalty) || penalty < 0) {
    throw new InvalidArgumentError("regionPenalty must be a non-negative number");
  }
  const seen = new Set<string>();
  const remaining = scoreHosts(hosts, options).filter((s) => {
    const key = s.address.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const perRegion = new Map<number, number>();
  const picked: ScoredHost<H>[] = [];
  while (picked.length < n && remaining.length > 0) {
    let best = 0;
    let bestValue = Number.NEGATIVE_INFINITY;
    let bestCount = Number.POSITIVE_INFINITY;
    remaining.forEach((s, i) => {
      const count = perRegion.get(s.region) ?? 0;
      const value = penalty === Number.POSITIVE_INFINITY ? s.score : s.score - penalty * count;
      // With an infinite penalty: fewest picks in the region first, then the score.
      const better =
        penalty === Number.POSITIVE_INFINITY
          ? count < bestCount || (count === bestCount && value > bestValue)
          : value > bestValue;
      if (better) {
        best = i;
        bestValue = value;
        bestCount = count;
      }
    });
    const [chosen] = remaining.splice(best, 1);
    picked.push(chosen!);
    perRegion.set(chosen!.region, (perRegion.get(chosen!.region) ?? 0) + 1);
  }
  return picked;
}
