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
  openingRecords,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface SettlePeriodParameters extends StorageActionOptions {
  dealId: bigint;
  /** The deal's current records; default from the client's tracker. */
  records?: readonly bigint[];
}
export interface SettlePeriodReturnType extends StorageActionReceipt {
  period: bigint;
  provenMask: bigint;
  /** Shards charged a miss. */
  missedMask: bigint;
  /** Shards lost by this settlement (their hosts slashed). */
  lostMask: bigint;
  /** Set when too few shards lived and the deal ended as lost. */
  dealLost: { refund: bigint } | undefined;
}
/**
 * `PreflightError` checks: `deal-not-found`, `deal-not-active`, `challenge-state` (no open
 * challenge, or its deadline has not passed by chain time), `stale-records`.
 */
export type SettlePeriodErrorType = StorageActionError;

/** Settles the deal's challenge after its deadline: proven shards earn, the others take a miss. Anyone. */
export async function settlePeriod(
  client: StorageClient,
  parameters: SettlePeriodParameters,
): Promise<SettlePeriodReturnType> {
  checkClient(client);
  checkParameters(parameters, "settlePeriod");
  checkOptions(parameters);
  const dealId = checkDealId(parameters.dealId);
  let given = parameters.records;
  if (!parameters.skipPreflight) {
    const [info, c, head] = await Promise.all([
      loadDeal(client, dealId),
      client.market.read.challenge([dealId]),
      client.backend.getBlock(),
    ]);
    if (c.state !== CHALLENGE_STATE.open) {
      throw new PreflightError("challenge-state", `Deal ${dealId} has no drawn challenge to settle (state ${c.state})`);
    }
    if (head.timestamp <= c.deadline) {
      throw new PreflightError(
        "challenge-state",
        `The response deadline ${when(c.deadline)} has not passed (chain time ${when(head.timestamp)})`,
      );
    }
    given = await openingRecords(client, dealId, given, info);
  }
  const words = await openingRecords(client, dealId, given);
  const result = await send(client, "market", "settle", [dealId, words], parameters);
  const [settled] = marketEvents(client, result.receipt, "PeriodSettled");
  const [ended] = marketEvents(client, result.receipt, "DealEnded");
  return {
    ...result,
    period: settled?.period ?? 0n,
    provenMask: settled?.provenMask ?? 0n,
    missedMask: settled?.missedMask ?? 0n,
    lostMask: settled?.lostMask ?? 0n,
    dealLost: ended?.lost ? { refund: ended.refund } : undefined,
  };
}
