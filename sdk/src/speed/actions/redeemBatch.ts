import { toHex20 } from "../../address.js";
import { InvalidArgumentError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import { packReceipt, type SignedReceipt, unpackRedemption } from "../receipt.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  checkSignedReceipt,
  marketEvents,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";

/** Why a receipt in a batch paid nothing (`ISpeedMarket.RejectReason`). */
export type RejectReason =
  | "UnknownBid"
  | "NotRedeemable"
  | "NotNewer"
  | "WrongSigner"
  | "MalleableSignature"
  | "ZeroSeeder";

/** The contract's `RejectReason` enum, by value. */
export const REJECT_REASONS: readonly (RejectReason | "None")[] = [
  "None",
  "UnknownBid",
  "NotRedeemable",
  "NotNewer",
  "WrongSigner",
  "MalleableSignature",
  "ZeroSeeder",
];

/** What became of one receipt of a batch, in the order given. */
export type RedeemOutcome =
  | { receipt: SignedReceipt; status: "redeemed"; amount: bigint }
  | { receipt: SignedReceipt; status: "rejected"; reason: RejectReason };

/** Most receipts one `redeemBatch` sends (about 15k energy each; split larger sets). */
export const MAX_BATCH_RECEIPTS = 500;

export interface RedeemBatchParameters extends Omit<SpeedActionOptions, "skipPreflight"> {
  /** Signed receipts, across bids and seeders; cheapest when receipts of one bid are consecutive. */
  receipts: readonly SignedReceipt[];
}

export interface RedeemBatchReturnType extends SpeedActionReceipt {
  /** What the batch paid in all. */
  total: bigint;
  /** One per receipt, in the order given (from `ReceiptRedeemed` / `ReceiptRejected`). */
  outcomes: RedeemOutcome[];
}

/**
 * Errors: `InvalidArgumentError` (an empty list, more than `MAX_BATCH_RECEIPTS`, a malformed
 * receipt or signature), `PreflightError` (`no-signer`), `ContractRevertError`,
 * `TransactionFailedError`, `TimeoutError`, `BackendError`. A receipt that pays nothing does not
 * fail the batch: it comes back as a `rejected` outcome.
 */
export type RedeemBatchErrorType = SpeedActionError;

/** Redeems many signed receipts in one transaction; reports what became of each. */
export async function redeemBatch(
  client: SpeedClient,
  parameters: RedeemBatchParameters,
): Promise<RedeemBatchReturnType> {
  checkClient(client);
  checkParameters(parameters, "redeemBatch");
  checkOptions(parameters);
  const { receipts: input } = parameters;
  if (!Array.isArray(input) || input.length === 0) {
    throw new InvalidArgumentError("receipts must be a non-empty array of signed receipts");
  }
  if (input.length > MAX_BATCH_RECEIPTS) {
    throw new InvalidArgumentError(`At most ${MAX_BATCH_RECEIPTS} receipts per batch, got ${input.length}`);
  }
  const receipts = input.map((r, i) => checkSignedReceipt(r, `receipts[${i}]`));
  const packed = receipts.map(packReceipt);
  await requireSigner(client);
  const result = await send(client, "redeemBatch", [packed], parameters);
  // One event per receipt, in calldata order: ReceiptRedeemed or ReceiptRejected.
  const market = client.market.address;
  const logs = result.receipt.logs.filter(
    (l) => l.address === market && (l.eventName === "ReceiptRedeemed" || l.eventName === "ReceiptRejected"),
  );
  const redeemed = marketEvents(client, result.receipt, "ReceiptRedeemed");
  const rejected = marketEvents(client, result.receipt, "ReceiptRejected");
  if (logs.length !== receipts.length || redeemed.length + rejected.length !== receipts.length) {
    throw new InvalidArgumentError(`Expected ${receipts.length} receipt events, found ${logs.length}`, {
      details: result.txId,
    });
  }
  let ok = 0;
  let bad = 0;
  let total = 0n;
  const outcomes: RedeemOutcome[] = logs.map((log, i) => {
    const receipt = receipts[i] as SignedReceipt;
    if (log.eventName === "ReceiptRedeemed") {
      const event = redeemed[ok++];
      if (!event || toHex20(event.seeder) !== toHex20(receipt.seeder)) throw mismatch(result.txId, i);
      const { bidId, cumulativeBytes, amount } = unpackRedemption(event.redemption);
      if (bidId !== receipt.bidId || cumulativeBytes !== receipt.cumulativeBytes) throw mismatch(result.txId, i);
      total += amount;
      return { receipt, status: "redeemed", amount };
    }
    const event = rejected[bad++];
    if (!event || event.bidId !== receipt.bidId || event.cumulativeBytes !== receipt.cumulativeBytes) {
      throw mismatch(result.txId, i);
    }
    const reason = REJECT_REASONS[event.reason];
    if (reason === undefined || reason === "None") throw mismatch(result.txId, i);
    return { receipt, status: "rejected", reason };
  });
  return { ...result, total, outcomes };
}

function mismatch(txId: string, index: number) {
  return new InvalidArgumentError(`The batch's events do not match receipt ${index}`, { details: txId });
}
