import { type Hex20, toHex20 } from "../../address.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import { SHARD_FLAG_LOST, type ShardRecord } from "../records.js";
import {
  checkClient,
  checkDealId,
  checkOptions,
  checkParameters,
  checkShardIndex,
  currentRecords,
  loadDeal,
  marketEvents,
  requireSigner,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface ClaimEarningsParameters extends StorageActionOptions {
  dealId: bigint;
  /** Shards whose hosts are paid; default every live shard the signer hosts. */
  shards?: readonly number[];
  /** The deal's current records; default from the client's tracker. */
  records?: readonly bigint[];
}
export interface ClaimEarningsReturnType extends StorageActionReceipt {
  /** Payments made, per host. */
  paid: { host: Hex20; amount: bigint }[];
  total: bigint;
}
/** `PreflightError` checks: `deal-not-found`, `deal-not-active`, `nothing-to-pay`, `stale-records`. */
export type ClaimEarningsErrorType = StorageActionError;

/** What a shard's host can claim now: passed but unclaimed periods, less the withheld part. */
export function claimable(record: ShardRecord, withheldBps: number): bigint {
  if ((record.flags & SHARD_FLAG_LOST) !== 0) return 0n;
  const withheld = (record.price * BigInt(withheldBps)) / 10_000n;
  return BigInt(record.passed - record.claimed) * (record.price - withheld);
}

/**
 * `IStorageHosting.claim`: pays the hosts of `shards` what they have earned so far, less the withheld part. Anyone.
 */
export async function claimEarnings(
  client: StorageClient,
  parameters: ClaimEarningsParameters,
): Promise<ClaimEarningsReturnType> {
  checkClient(client);
  checkParameters(parameters, "claimEarnings");
  checkOptions(parameters);
  const dealId = checkDealId(parameters.dealId);
  if (parameters.shards !== undefined && !Array.isArray(parameters.shards)) {
    throw new InvalidArgumentError("shards must be an array of shard indexes");
  }
  const signer = await requireSigner(client);
  const info = parameters.skipPreflight ? undefined : await loadDeal(client, dealId);
  const { words, records } = await currentRecords(client, dealId, parameters.records, info);
  const shards =
    parameters.shards?.map((s) => checkShardIndex(s, records.length)) ??
    records.flatMap((r, i) => (toHex20(r.host) === signer && (r.flags & SHARD_FLAG_LOST) === 0 ? [i] : []));
  const mask = shards.reduce((m, s) => m | (1n << BigInt(s)), 0n);
  if (!parameters.skipPreflight) {
    const owed = shards.reduce((sum, s) => sum + claimable(records[s]!, client.config.withheldBps), 0n);
    if (owed === 0n)
      throw new PreflightError("nothing-to-pay", `Nothing to claim on deal ${dealId} for shards [${shards}]`);
  }
  const result = await send(client, "market", "claim", [dealId, words, mask], parameters);
  const paid = marketEvents(client, result.receipt, "HostPaid").map((e) => ({
    host: toHex20(e.host),
    amount: e.amount,
  }));
  return { ...result, paid, total: paid.reduce((sum, p) => sum + p.amount, 0n) };
}
