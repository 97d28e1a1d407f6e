import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import {
  CHALLENGE_STATE,
  checkClient,
  checkDealId,
  checkOptions,
  checkParameters,
  marketEvents,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface DrawSeedParameters extends StorageActionOptions {
  dealId: bigint;
}
export interface DrawSeedReturnType extends StorageActionReceipt {
  /** The seed, or `undefined` when the seed block had left the 256-block window and the challenge was reopened. */
  seed: `0x${string}` | undefined;
  /** Proofs are due by this time (unix seconds); `undefined` when reopened. */
  deadline: bigint | undefined;
  /** The new seed block when the challenge was reopened. */
  reopenedAt: bigint | undefined;
}
/** `PreflightError` checks: `challenge-state` (no challenge awaits its seed, or the seed block is not yet past). */
export type DrawSeedErrorType = StorageActionError;

/** Draws the seed of the deal's open challenge from its committed block. Anyone. */
export async function drawSeed(client: StorageClient, parameters: DrawSeedParameters): Promise<DrawSeedReturnType> {
  checkClient(client);
  checkParameters(parameters, "drawSeed");
  checkOptions(parameters);
  const dealId = checkDealId(parameters.dealId);
  if (!parameters.skipPreflight) {
    const [c, head] = await Promise.all([client.market.read.challenge([dealId]), client.backend.getBlock()]);
    if (c.state !== CHALLENGE_STATE.awaitingSeed) {
      throw new PreflightError(
        "challenge-state",
        `Deal ${dealId}'s challenge is in state ${c.state}, not awaiting its seed`,
      );
    }
    if (head.number !== 0n && head.number <= c.seedBlock) {
      throw new PreflightError(
        "challenge-state",
        `The seed block ${c.seedBlock} is not past yet (head ${head.number})`,
      );
    }
  }
  const result = await send(client, "market", "drawSeed", [dealId], parameters);
  const [drawn] = marketEvents(client, result.receipt, "SeedDrawn");
  const [reopened] = marketEvents(client, result.receipt, "ChallengeOpened");
  return {
    ...result,
    seed: drawn?.seed as `0x${string}` | undefined,
    deadline: drawn?.deadline,
    reopenedAt: reopened?.seedBlock,
  };
}
