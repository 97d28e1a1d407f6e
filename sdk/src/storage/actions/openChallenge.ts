import { when } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import {
  CHALLENGE_STATE,
  checkClient,
  checkDealId,
  checkOptions,
  checkParameters,
  loadDeal,
  marketEvents,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface OpenChallengeParameters extends StorageActionOptions {
  dealId: bigint;
}
export interface OpenChallengeReturnType extends StorageActionReceipt {
  period: bigint;
  /** The block whose hash seeds the challenge; `drawSeed` works once it is in the past. */
  seedBlock: bigint;
}
/**
 * `PreflightError` checks: `deal-not-found`, `deal-not-active`, `challenge-state` (a challenge is
 * open already, every period is settled, or the next period has not started by chain time).
 */
export type OpenChallengeErrorType = StorageActionError;

/** Opens the challenge of the deal's next unsettled period. Anyone. */
export async function openChallenge(
  client: StorageClient,
  parameters: OpenChallengeParameters,
): Promise<OpenChallengeReturnType> {
  checkClient(client);
  checkParameters(parameters, "openChallenge");
  checkOptions(parameters);
  const dealId = checkDealId(parameters.dealId);
  if (!parameters.skipPreflight) {
    const [info, c, head] = await Promise.all([
      loadDeal(client, dealId),
      client.market.read.challenge([dealId]),
      client.backend.getBlock(),
    ]);
    if (c.state !== CHALLENGE_STATE.idle) {
      throw new PreflightError("challenge-state", `Deal ${dealId} has a challenge in state ${c.state} already`);
    }
    if (info.settledPeriods >= info.periods) {
      throw new PreflightError("challenge-state", `Every period of deal ${dealId} is settled: finalize it`);
    }
    const startsAt = info.start + BigInt(info.settledPeriods) * BigInt(info.periodLength);
    if (head.timestamp < startsAt) {
      throw new PreflightError(
        "challenge-state",
        `Period ${info.settledPeriods} of deal ${dealId} starts at ${when(startsAt)} (chain time ${when(head.timestamp)})`,
      );
    }
  }
  const result = await send(client, "market", "openChallenge", [dealId], parameters);
  const [event] = marketEvents(client, result.receipt, "ChallengeOpened");
  return { ...result, period: event?.period ?? 0n, seedBlock: event?.seedBlock ?? 0n };
}
