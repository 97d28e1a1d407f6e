import { toHex20 } from "../../address.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import { type RepairAuthCalldata, TENANT_REPAIR } from "../offer.js";
import { type HandoverParameters, prepareHandover } from "./handover.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  loadDeal,
  marketEvents,
  requireSigner,
  type StorageActionError,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface RepairShardParameters extends HandoverParameters {
  /** The tenant's authorisation (`signRepairAuthorizationWithEthers`) when the caller is not the tenant. */
  auth?: RepairAuthCalldata;
}
export interface RepairShardReturnType extends StorageActionReceipt {
  /** The shard's new generation. */
  generation: bigint;
  newHost: `0x${string}`;
}
/**
 * `PreflightError` checks: `deal-not-found`, `deal-not-active`, `not-repairer` (neither the tenant
 * nor authorised by it), `shard-state` (the shard is not lost), `offer-mismatch`, `collateral-too-low`, `offer-expired`, `offer-signature`, `duplicate-host`,
 * `host-not-registered`, `host-free-stake`, `stale-records`.
 */
export type RepairShardErrorType = StorageActionError;

/**
 * Gives a lost shard to a new host under its signed offer. Only the tenant (who holds the file
 * and rebuilds the shard with `reconstructShards`) or a caller it authorised for the deal may
 * send it. The new host earns the shard's repair bounty with its first passed proof.
 */
export async function repairShard(
  client: StorageClient,
  parameters: RepairShardParameters,
): Promise<RepairShardReturnType> {
  checkClient(client);
  checkParameters(parameters, "repairShard");
  checkOptions(parameters);
  const caller = await requireSigner(client);
  const auth = parameters.auth ?? TENANT_REPAIR;
  if (!parameters.skipPreflight && parameters.auth === undefined) {
    const { tenant } = await loadDeal(client, parameters.dealId);
    if (toHex20(tenant) !== caller) {
      throw new PreflightError(
        "not-repairer",
        `Only deal ${parameters.dealId}'s tenant ${tenant} or a party it authorised repairs`,
      );
    }
  }
  const h = await prepareHandover(client, parameters, "repair", caller);
  const result = await send(
    client,
    "market",
    "repairShard",
    // uint48 in the ABI: a number (below 2^48, checked when it was signed).
    [
      h.dealId,
      h.words,
      BigInt(h.shard),
      h.shardRoot,
      h.path,
      h.offer.calldata,
      { ...auth, expiry: Number(auth.expiry) },
    ],
    parameters,
  );
  const [event] = marketEvents(client, result.receipt, "ShardReassigned");
  return { ...result, generation: event?.generation ?? 0n, newHost: toHex20(event?.toHost ?? h.offer.offer.host) };
}
