import { addr } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import {
  checkBidId,
  checkClient,
  checkOptions,
  checkParameters,
  loadBid,
  marketEvents,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";

export interface CloseBidParameters extends SpeedActionOptions {
  bidId: bigint;
}

export interface CloseBidReturnType extends SpeedActionReceipt {
  /** Receipts are redeemable until this unix time; `refundBid` after it. */
  redeemableUntil: bigint;
  /** What went back to the downloader in the same call (an expired bid past its grace), or `undefined`. */
  refunded: bigint | undefined;
}

/**
 * Errors: `InvalidArgumentError`, `PreflightError` (`no-signer`, `bid-not-found`, `bid-not-open`,
 * `not-downloader` for someone else's unexpired bid), `ContractRevertError` (`SpeedBidNotOpen`,
 * `SpeedNotDownloader`, `SpeedUnknownBid`), `TransactionFailedError`, `TimeoutError`, `BackendError`.
 */
export type CloseBidErrorType = SpeedActionError;

/**
 * Closes a bid: its downloader any time while open, anyone once it expired. Seeders keep the
 * bid's grace period to redeem; an expired bid past its grace is refunded in the same call.
 */
export async function closeBid(client: SpeedClient, parameters: CloseBidParameters): Promise<CloseBidReturnType> {
  checkClient(client);
  checkParameters(parameters, "closeBid");
  checkOptions(parameters);
  const bidId = checkBidId(parameters.bidId);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const [bid, now] = await Promise.all([loadBid(client, bidId), client.backend.getBlock().then((b) => b.timestamp)]);
    if (bid.closedUntil !== 0) throw new PreflightError("bid-not-open", `Bid ${bidId} is already closed`);
    if (now < BigInt(bid.expiry) && bid.downloader !== signer) {
      throw new PreflightError(
        "not-downloader",
        `${addr(signer)} is not the downloader of bid ${bidId}, which has not expired`,
      );
    }
  }
  const result = await send(client, "closeBid", [bidId], parameters);
  const closed = requireEvent(client, result, "BidClosed");
  const [refund] = marketEvents(client, result.receipt, "BidRefunded");
  return { ...result, redeemableUntil: closed.redeemableUntil, refunded: refund?.amount };
}
