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

export interface ExitShardParameters extends HandoverParameters {}
export interface ExitShardReturnType extends StorageActionReceipt {
  generation: bigint;
  newHost: `0x${string}`;
  /** What the leaving host was paid (withheld part included). */
  paid: bigint;
}
/**
 * `PreflightError` checks: as `repairShard`, plus `not-shard-host` (the signer is not the shard's
 * host) and `shard-state` (the shard is lost).
 */
export type ExitShardErrorType = StorageActionError;

/** The shard's host leaves gracefully, handing the shard to a replacement that signed `offer`. */
export async function exitShard(client: StorageClient, parameters: ExitShardParameters): Promise<ExitShardReturnType> {
  checkClient(client);
  checkParameters(parameters, "exitShard");
  checkOptions(parameters);
  const caller = await requireSigner(client);
  const h = await prepareHandover(client, parameters, "exit", caller);
  const result = await send(
    client,
    "market",
    "exitShard",
    [h.dealId, h.words, BigInt(h.shard), h.shardRoot, h.path, h.offer.calldata],
    parameters,
  );
  const [event] = marketEvents(client, result.receipt, "ShardReassigned");
  const paid = marketEvents(client, result.receipt, "HostPaid")
    .filter((e) => toHex20(e.host) === caller)
    .reduce((sum, e) => sum + e.amount, 0n);
  return {
    ...result,
    generation: event?.generation ?? 0n,
    newHost: toHex20(event?.toHost ?? h.offer.offer.host),
    paid,
  };
}
