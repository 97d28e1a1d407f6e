import { toHex20 } from "../../address.js";
import type { StorageClient } from "../client.js";
import { type HandoverParameters, prepareHandover } from "./handover.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  marketEvents,
  requireSigner,
  type StorageActionError,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface RepairShardParameters extends HandoverParameters {}
export interface RepairShardReturnType extends StorageActionReceipt {
  /** The shard's new generation. */
  generation: bigint;
  newHost: `0x${string}`;
}
/**
 * `PreflightError` checks: `deal-not-found`, `deal-not-active`, `shard-state` (the shard is not
 * lost), `offer-mismatch`, `offer-expired`, `offer-signature`, `duplicate-host`,
 * `host-not-registered`, `host-free-stake`, `stale-records`.
 */
export type RepairShardErrorType = StorageActionError;

/**
 * Gives a lost shard to a new host under its signed offer. Anyone may send it (typically the
 * tenant, who holds the file and rebuilds the shard with `reconstructShards`). The new host earns
 * the shard's repair bounty with its first passed proof.
 */
export async function repairShard(
  client: StorageClient,
  parameters: RepairShardParameters,
): Promise<RepairShardReturnType> {
  checkClient(client);
  checkParameters(parameters, "repairShard");
  checkOptions(parameters);
  const caller = await requireSigner(client);
  const h = await prepareHandover(client, parameters, "repair", caller);
  const result = await send(
    client,
    "market",
    "repairShard",
    [h.dealId, h.words, BigInt(h.shard), h.shardRoot, h.path, h.offer.calldata],
    parameters,
  );
  const [event] = marketEvents(client, result.receipt, "ShardReassigned");
  return { ...result, generation: event?.generation ?? 0n, newHost: toHex20(event?.toHost ?? h.offer.offer.host) };
}
