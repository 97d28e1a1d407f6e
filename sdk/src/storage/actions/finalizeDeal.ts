import { type Hex20, toHex20 } from "../../address.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import {
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

export interface FinalizeDealParameters extends StorageActionOptions {
  dealId: bigint;
  /** The deal's current records; default from the client's tracker. */
  records?: readonly bigint[];
}
export interface FinalizeDealReturnType extends StorageActionReceipt {
  /** What went back to the tenant (escrow left, unpaid bounties, slashes). */
  refund: bigint;
  /** Final payments per host (withheld parts included). */
  paid: { host: Hex20; amount: bigint }[];
}
/** `PreflightError` checks: `deal-not-found`, `deal-not-active`, `challenge-state` (periods left to settle), `stale-records`. */
export type FinalizeDealErrorType = StorageActionError;

/**
 * Ends a deal after its last period is settled: pays the held-back parts, unlocks collateral,
 * updates track records and refunds the rest to the tenant. Anyone.
 */
export async function finalizeDeal(
  client: StorageClient,
  parameters: FinalizeDealParameters,
): Promise<FinalizeDealReturnType> {
  checkClient(client);
  checkParameters(parameters, "finalizeDeal");
  checkOptions(parameters);
  const dealId = checkDealId(parameters.dealId);
  const info = parameters.skipPreflight ? undefined : await loadDeal(client, dealId);
  if (info && info.settledPeriods < info.periods) {
    throw new PreflightError(
      "challenge-state",
      `Deal ${dealId} has settled ${info.settledPeriods} of ${info.periods} periods`,
    );
  }
  const words = await openingRecords(client, dealId, parameters.records, info);
  const result = await send(client, "market", "finalizeDeal", [dealId, words], parameters);
  const [ended] = marketEvents(client, result.receipt, "DealEnded");
  const paid = marketEvents(client, result.receipt, "HostPaid").map((e) => ({
    host: toHex20(e.host),
    amount: e.amount,
  }));
  return { ...result, refund: ended?.refund ?? 0n, paid };
}

/** `finalizeDeal` under the name the SDK's docs use for the end of a deal. */
export const endDeal = finalizeDeal;
export type EndDealParameters = FinalizeDealParameters;
export type EndDealReturnType = FinalizeDealReturnType;
