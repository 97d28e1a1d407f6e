import { when } from "../../describe.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import { rootsCommitment } from "../merkle.js";
import {
  CHALLENGE_STATE,
  checkBytes32List,
  checkClient,
  checkDealId,
  checkOptions,
  checkParameters,
  checkShardIndex,
  loadDeal,
  marketEvents,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
  toHexBytes,
} from "./internal.js";

/** One shard's answer: the challenged segment and its Merkle path (merkle.ts `proveSegment`). */
export interface ShardProofInput {
  shard: number;
  segment: Uint8Array | `0x${string}`;
  proof: readonly string[];
}

export interface SubmitProofsParameters extends StorageActionOptions {
  dealId: bigint;
  /** Every shard root of the deal, in order (checked against the deal's commitment once). */
  roots: readonly string[];
  proofs: readonly ShardProofInput[];
}
export interface SubmitProofsReturnType extends StorageActionReceipt {
  /** Every shard proven so far this period. */
  provenMask: bigint;
}
/**
 * `PreflightError` checks: `deal-not-found`, `deal-not-active`, `offer-mismatch` (the roots are
 * not the deal's), `challenge-state` (no challenge open, or its deadline has passed).
 */
export type SubmitProofsErrorType = StorageActionError;

/** Proves many shards of one deal in one transaction. Anyone may submit; proven shards are skipped. */
export async function submitProofs(
  client: StorageClient,
  parameters: SubmitProofsParameters,
): Promise<SubmitProofsReturnType> {
  checkClient(client);
  checkParameters(parameters, "submitProofs");
  checkOptions(parameters);
  const dealId = checkDealId(parameters.dealId);
  const roots = checkBytes32List(parameters.roots, "roots");
  if (!Array.isArray(parameters.proofs) || parameters.proofs.length === 0) {
    throw new InvalidArgumentError("proofs must be a non-empty array");
  }
  const proofs = parameters.proofs.map((p, i) => {
    if (typeof p !== "object" || p === null) throw new InvalidArgumentError(`proofs[${i}] must be an object`);
    const segment =
      p.segment instanceof Uint8Array
        ? toHexBytes(p.segment)
        : typeof p.segment === "string" && /^0x([0-9a-fA-F]{2})*$/.test(p.segment)
          ? p.segment
          : undefined;
    if (segment === undefined) throw new InvalidArgumentError(`proofs[${i}].segment must be bytes`);
    return {
      shard: BigInt(checkShardIndex(p.shard, roots.length)),
      segment,
      proof: checkBytes32List(p.proof, `proofs[${i}].proof`),
    };
  });
  if (!parameters.skipPreflight) {
    const [info, c, head] = await Promise.all([
      loadDeal(client, dealId),
      client.market.read.challenge([dealId]),
      client.backend.getBlock(),
    ]);
    if (roots.length !== info.shardCount || rootsCommitment(roots) !== info.rootsCommitment.toLowerCase()) {
      throw new PreflightError("offer-mismatch", `The roots given are not deal ${dealId}'s`);
    }
    const ready = c.state === CHALLENGE_STATE.awaitingSeed && head.number !== 0n && head.number > c.seedBlock;
    if (c.state !== CHALLENGE_STATE.open && !ready) {
      throw new PreflightError("challenge-state", `Deal ${dealId} has no challenge open for proofs (state ${c.state})`);
    }
    if (c.state === CHALLENGE_STATE.open && head.timestamp > c.deadline) {
      throw new PreflightError("challenge-state", `The response deadline ${when(c.deadline)} has passed`);
    }
  }
  const result = await send(client, "market", "submitProofs", [dealId, roots, proofs], parameters);
  const [event] = marketEvents(client, result.receipt, "ProofsAccepted");
  return { ...result, provenMask: event?.provenMask ?? 0n };
}
