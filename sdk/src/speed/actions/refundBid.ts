import { when } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import {
  checkBidId,
  checkClient,
  checkOptions,
  checkParameters,
  loadBid,
  redeemableUntilOf,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";

export interface RefundBidParameters extends SpeedActionOptions {
  bidId: bigint;
}

export interface RefundBidReturnType extends SpeedActionReceipt {
  /** What went back to the downloader's free vault balance (from `BidRefunded`). */
  refunded: bigint;
}

/**
 * Errors: `InvalidArgumentError`, `PreflightError` (`no-signer`, `bid-not-found`,
 * `bid-not-refundable`), `ContractRevertError` (`SpeedBidNotRefundable(bidId, until)`),
 * `TransactionFailedError`, `TimeoutError`, `BackendError`.
 */
export type RefundBidErrorType = SpeedActionError;

/** After a bid's redemption deadline, returns what is left of its budget to its downloader. Anyone may call. */
export async function refundBid(client: SpeedClient, parameters: RefundBidParameters): Promise<RefundBidReturnType> {
  checkClient(client);
  checkParameters(parameters, "refundBid");
  checkOptions(parameters);
  const bidId = checkBidId(parameters.bidId);
  await requireSigner(client);
  if (!parameters.skipPreflight) {
    const [bid, now] = await Promise.all([loadBid(client, bidId), client.backend.getBlock().then((b) => b.timestamp)]);
    const until = redeemableUntilOf(bid);
    if (bid.refunded) throw new PreflightError("bid-not-refundable", `Bid ${bidId} was refunded already`);
    if (now <= until) {
      throw new PreflightError(
        "bid-not-refundable",
        `Bid ${bidId} takes receipts until ${when(until)} (chain time ${when(now)})`,
        {
          needed: until + 1n,
          available: now,
        },
      );
    }
  }
  const result = await send(client, "refundBid", [bidId], parameters);
  return { ...result, refunded: requireEvent(client, result, "BidRefunded").amount };
}
