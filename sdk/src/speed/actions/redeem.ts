import { addr, when } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import { packReceipt, recoverReceiptSigner, type SignedReceipt, unpackRedemption } from "../receipt.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  checkSignedReceipt,
  loadBid,
  redeemableUntilOf,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";

export interface RedeemParameters extends SpeedActionOptions {
  /** The downloader's signed receipt (from `signReceipt`, or `receiptFromJson`). */
  receipt: SignedReceipt;
}

export interface RedeemReturnType extends SpeedActionReceipt {
  /** What the receipt paid now (accrued to the seeder's unclaimed earnings; `claim` moves it to the vault). */
  amount: bigint;
}

/**
 * Errors: `InvalidArgumentError` (receipt shape, a malformed or malleable signature),
 * `PreflightError` (`no-signer`, `bid-not-found`, `bid-not-redeemable`, `receipt-wrong-signer`,
 * `receipt-not-newer`), `ContractRevertError` (`SpeedReceiptNotNewer(bidId, seeder,
 * cumulativeBytes, recordedBytes)`, `SpeedWrongSigner(bidId, signer, downloader)`, ...),
 * `TransactionFailedError`, `TimeoutError`, `BackendError`.
 */
export type RedeemErrorType = SpeedActionError;

/** Checks a receipt against the chain the way `redeem` would; throws the `PreflightError` it would hit. */
export async function checkRedeemable(client: SpeedClient, receipt: SignedReceipt): Promise<void> {
  const [bid, now, earning] = await Promise.all([
    loadBid(client, receipt.bidId),
    client.backend.getBlock().then((b) => b.timestamp),
    client.market.read.earning([receipt.bidId, receipt.seeder as `0x${string}`]),
  ]);
  const until = redeemableUntilOf(bid);
  if (now > until) {
    throw new PreflightError(
      "bid-not-redeemable",
      `Bid ${receipt.bidId} took receipts until ${when(until)} (chain time ${when(now)})`,
    );
  }
  const signer = recoverReceiptSigner(client.domain, receipt);
  if (signer !== bid.downloader) {
    throw new PreflightError(
      "receipt-wrong-signer",
      `The receipt was signed by ${addr(signer)}, not by bid ${receipt.bidId}'s downloader ${addr(bid.downloader)}`,
    );
  }
  if (receipt.cumulativeBytes <= earning.cumulativeBytes) {
    throw new PreflightError(
      "receipt-not-newer",
      `The receipt's ${receipt.cumulativeBytes} bytes are not above the ${earning.cumulativeBytes} recorded`,
      { needed: earning.cumulativeBytes + 1n, available: receipt.cumulativeBytes },
    );
  }
}

/** Redeems one signed receipt for the seeder it names. Anyone may submit it. */
export async function redeem(client: SpeedClient, parameters: RedeemParameters): Promise<RedeemReturnType> {
  checkClient(client);
  checkParameters(parameters, "redeem");
  checkOptions(parameters);
  const receipt = checkSignedReceipt(parameters.receipt);
  const packed = packReceipt(receipt);
  await requireSigner(client);
  if (!parameters.skipPreflight) await checkRedeemable(client, receipt);
  const result = await send(client, "redeem", [packed], parameters);
  const event = requireEvent(client, result, "ReceiptRedeemed");
  return { ...result, amount: unpackRedemption(event.redemption).amount };
}
