import { addr } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import { checkVaultBalance } from "../../vault/internal.js";
import type { SpeedClient } from "../client.js";
import {
  checkAmount,
  checkBidId,
  checkClient,
  checkMarketActive,
  checkOptions,
  checkParameters,
  loadBid,
  MAX_UINT96,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";

export interface TopUpParameters extends SpeedActionOptions {
  bidId: bigint;
  /** Tokens added from the signer's free vault balance. */
  amount: bigint;
}

export interface TopUpReturnType extends SpeedActionReceipt {
  /** The bid's unpaid budget after the top-up (from `BidToppedUp`). */
  remaining: bigint;
}

/**
 * Errors: `InvalidArgumentError`, `InvalidAmountError`, `PreflightError` (`no-signer`,
 * `bid-not-found`, `not-downloader`, `bid-not-open`, `market-retired`, `vault-balance`), `ContractRevertError`
 * (`SpeedBidNotOpen(bidId)`, `SpeedNotDownloader(bidId, caller)`, ...), `TransactionFailedError`,
 * `TimeoutError`, `BackendError`.
 */
export type TopUpErrorType = SpeedActionError;

/** Adds `amount` to an open bid of the signer's. */
export async function topUp(client: SpeedClient, parameters: TopUpParameters): Promise<TopUpReturnType> {
  checkClient(client);
  checkParameters(parameters, "topUp");
  checkOptions(parameters);
  const bidId = checkBidId(parameters.bidId);
  const amount = checkAmount(parameters.amount, "amount", { max: MAX_UINT96 });
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const [bid, now] = await Promise.all([loadBid(client, bidId), client.backend.getBlock().then((b) => b.timestamp)]);
    if (bid.downloader !== signer) {
      throw new PreflightError("not-downloader", `${addr(signer)} is not the downloader of bid ${bidId}`);
    }
    if (bid.closedUntil !== 0 || now >= BigInt(bid.expiry)) {
      throw new PreflightError("bid-not-open", `Bid ${bidId} is closed or expired`);
    }
    await checkMarketActive(client);
    await checkVaultBalance(client.vault, signer, amount);
  }
  const result = await send(client, "topUp", [bidId, amount], parameters);
  return { ...result, remaining: requireEvent(client, result, "BidToppedUp").remaining };
}
