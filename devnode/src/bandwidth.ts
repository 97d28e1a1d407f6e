/**
 * Bandwidth and the fees java-tron burns besides energy (BandwidthProcessor, ResourceProcessor,
 * TransferActuator, Manager.consumeMemoFee). No staking here, so an account's bandwidth is the
 * free allowance only; what it does not cover is burned at `transactionFee` sun a byte.
 */

/** The chain parameters these rules read (java-tron's names, mainnet and Nile values). */
export const FEE_PARAMETERS = {
  /** sun per byte of bandwidth paid with TRX. */
  getTransactionFee: 1000,
  /** Free bandwidth per account per window (24 h). */
  getFreeNetLimit: 600,
  /** Bandwidth part of creating an account: burned instead of bandwidth. */
  getCreateAccountFee: 100_000,
  /** The other part of creating an account by a TransferContract. */
  getCreateNewAccountFeeInSystemContract: 1_000_000,
  /** Burned for a non-empty raw_data.data (memo). */
  getMemoFee: 1_000_000,
  getTotalNetLimit: 43_200_000_000,
} as const;

/** java-tron's resource window: 28,800 slots of 3 s = 24 h. */
export const WINDOW_SLOTS = 28_800;
const PRECISION = 1_000_000;
/** java-tron adds MAX_RESULT_SIZE_IN_TX to every contract transaction's bandwidth. */
const RESULT_BYTES = 64;

const varintLength = (n: number) => {
  let len = 1;
  for (let v = n; v >= 0x80; v = Math.floor(v / 128)) len++;
  return len;
};

/**
 * Bytes of bandwidth a transaction uses: its serialized protobuf without `ret` (raw_data and
 * signatures, each with its tag and length) plus 64.
 */
export function bandwidthBytes(rawLength: number, signatureLengths: number[]): number {
  let size = 1 + varintLength(rawLength) + rawLength;
  for (const s of signatureLengths) size += 1 + varintLength(s) + s;
  return size + RESULT_BYTES;
}

/** ResourceProcessor.increase: usage decays linearly to zero over the window. */
export function increase(lastUsage: number, usage: number, lastSlot: number, nowSlot: number): number {
  let averageLast = Math.ceil((lastUsage * PRECISION) / WINDOW_SLOTS);
  const average = Math.ceil((usage * PRECISION) / WINDOW_SLOTS);
  if (lastSlot !== nowSlot) {
    if (lastSlot + WINDOW_SLOTS > nowSlot) {
      averageLast = Math.round((averageLast * (WINDOW_SLOTS - (nowSlot - lastSlot))) / WINDOW_SLOTS);
    } else averageLast = 0;
  }
  return Math.floor(((averageLast + average) * WINDOW_SLOTS) / PRECISION);
}

/** One account's free-bandwidth use. */
export interface NetUsage {
  freeNetUsage: number;
  latestConsumeFreeTime: number;
}

/** How a transaction pays its bandwidth. */
export interface NetCharge {
  /** Bytes taken from the free allowance (receipt.net_usage). */
  netUsage: number;
  /** Sun burned for bandwidth (receipt.net_fee). */
  netFee: number;
}

export class Bandwidth {
  private readonly usage = new Map<string, NetUsage>();

  constructor(private readonly genesisMs: () => number) {}

  slot(timestampMs: number): number {
    return Math.floor((timestampMs - this.genesisMs()) / 3000);
  }

  /** Free bandwidth used as of `timestampMs` (decayed). */
  used(owner: string, timestampMs: number): NetUsage {
    const u = this.usage.get(owner);
    const now = this.slot(timestampMs);
    if (!u) return { freeNetUsage: 0, latestConsumeFreeTime: 0 };
    return {
      freeNetUsage: increase(u.freeNetUsage, 0, this.slot(u.latestConsumeFreeTime), now),
      latestConsumeFreeTime: u.latestConsumeFreeTime,
    };
  }

  /**
   * What paying `bytes` would cost `owner` now: the free allowance if it covers all of it
   * (java-tron never splits), else bytes × transactionFee. `newAccount`: a transfer that creates
   * its recipient pays createAccountFee instead.
   */
  quote(owner: string, bytes: number, timestampMs: number, newAccount: boolean): NetCharge {
    if (newAccount) return { netUsage: 0, netFee: FEE_PARAMETERS.getCreateAccountFee };
    const { freeNetUsage } = this.used(owner, timestampMs);
    if (bytes <= FEE_PARAMETERS.getFreeNetLimit - freeNetUsage) return { netUsage: bytes, netFee: 0 };
    return { netUsage: 0, netFee: bytes * FEE_PARAMETERS.getTransactionFee };
  }

  /** Records the free bandwidth a charge used. */
  consume(owner: string, charge: NetCharge, timestampMs: number): void {
    if (!charge.netUsage) return;
    const { freeNetUsage } = this.used(owner, timestampMs);
    this.usage.set(owner, {
      freeNetUsage: increase(freeNetUsage, charge.netUsage, this.slot(timestampMs), this.slot(timestampMs)),
      latestConsumeFreeTime: timestampMs,
    });
  }
}

/**
 * Energy from staking. Nobody stakes on the devnode; `tre_setAccountEnergy` gives an account an
 * energy allowance as if it had frozen TRX, used and recovered over the same 24 h window as
 * java-tron's EnergyProcessor. Transactions spend it before burning TRX, and a contract's origin
 * spends its own on its users' calls (consume_user_resource_percent, origin_energy_limit).
 */
export class StakedEnergy {
  private readonly limits = new Map<string, number>();
  private readonly usage = new Map<string, { used: number; slot: number }>();

  constructor(private readonly slotOf: (timestampMs: number) => number) {}

  setLimit(owner: string, energy: number): void {
    this.limits.set(owner, energy);
  }

  limit(owner: string): number {
    return this.limits.get(owner) ?? 0;
  }

  used(owner: string, timestampMs: number): number {
    const u = this.usage.get(owner);
    return u ? increase(u.used, 0, u.slot, this.slotOf(timestampMs)) : 0;
  }

  /** getAccountLeftEnergyFromFreeze. */
  left(owner: string, timestampMs: number): number {
    return Math.max(this.limit(owner) - this.used(owner, timestampMs), 0);
  }

  use(owner: string, energy: number, timestampMs: number): void {
    if (energy <= 0) return;
    const now = this.slotOf(timestampMs);
    const u = this.usage.get(owner);
    const before = u ? increase(u.used, 0, u.slot, now) : 0;
    this.usage.set(owner, { used: increase(before, energy, now, now), slot: now });
  }
}
