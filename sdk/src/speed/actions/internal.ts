/** Checks and plumbing shared by the speed actions. */
import { type ActionOptions, checkAccount, ZERO_ADDRESS } from "../../actions.js";

export {
  accountOrSigner,
  checkAccount,
  checkAmount,
  checkOptions,
  checkParameters,
  requireSigner,
  ZERO_ADDRESS,
} from "../../actions.js";

import type { FunctionArgs, FunctionResult, Receipt, WriteFunctionName, WriteParameters } from "../../backend/types.js";
import { parseEventLogs, writeAndWait } from "../../contract.js";
import {
  type InvalidAddressError,
  type InvalidAmountError,
  InvalidArgumentError,
  PreflightError,
} from "../../errors.js";
import { speedMarketAbi } from "../../generated/abi/index.js";
import type { BackendError, ContractRevertError, TimeoutError, TransactionFailedError } from "../../revert.js";
import type { SpeedClient } from "../client.js";
import { MAX_BID_ID, MAX_RECEIPT_BYTES, type SignedReceipt } from "../receipt.js";

/** Options every write takes (`timeoutMs`, `feeLimit`, `skipPreflight`). */
export type SpeedActionOptions = ActionOptions;

/**
 * What a speed action rejects with: bad input (`InvalidAmountError`, `InvalidAddressError`,
 * `InvalidArgumentError`), a failed check before sending (`PreflightError`, nothing sent), a
 * revert decoded to the market's custom error (`ContractRevertError`, e.g. `SpeedBidNotOpen`),
 * another failure (`TransactionFailedError`), no receipt in time (`TimeoutError`), or the node
 * (`BackendError`).
 */
export type SpeedActionError =
  | InvalidAmountError
  | InvalidAddressError
  | InvalidArgumentError
  | PreflightError
  | ContractRevertError
  | TransactionFailedError
  | TimeoutError
  | BackendError;

/** What every speed write resolves with. */
export interface SpeedActionReceipt {
  txId: string;
  receipt: Receipt;
}

/** A bid as the market stores it (`bid(bidId)`): addresses `0x` hex, times unix seconds. */
export type StoredBid = FunctionResult<typeof speedMarketAbi, "bid">;

export const MAX_UINT96 = (1n << 96n) - 1n;
export const MAX_UINT72 = (1n << 72n) - 1n;
export const MAX_UINT32 = (1n << 32n) - 1n;
export const MAX_UINT24 = (1n << 24n) - 1n;

export function checkClient(client: SpeedClient): void {
  if (
    typeof client !== "object" ||
    client === null ||
    typeof client.backend !== "object" ||
    typeof client.market !== "object" ||
    client.market === null ||
    typeof client.vault !== "object"
  ) {
    throw new InvalidArgumentError("Expected a SpeedClient (createSpeedClient)");
  }
}

/** A bid id: 1 .. 2^40 - 1 (what a receipt key can carry). */
export function checkBidId(bidId: unknown, name = "bidId"): bigint {
  if (typeof bidId !== "bigint" || bidId <= 0n || bidId > MAX_BID_ID) {
    throw new InvalidArgumentError(`${name} must be a bigint from 1 to 2^40 - 1, got ${String(bidId)}`);
  }
  return bidId;
}

/** A non-empty list of bid ids. */
export function checkBidIds(bidIds: unknown): bigint[] {
  if (!Array.isArray(bidIds) || bidIds.length === 0) {
    throw new InvalidArgumentError("bidIds must be a non-empty array of bigints");
  }
  return bidIds.map((id, i) => checkBidId(id, `bidIds[${i}]`));
}

/** A signed receipt's shape (the signature's form is checked when it is packed). */
export function checkSignedReceipt(receipt: unknown, name = "receipt"): SignedReceipt {
  if (typeof receipt !== "object" || receipt === null)
    throw new InvalidArgumentError(`${name} must be a signed receipt`);
  const r = receipt as Record<string, unknown>;
  const bidId = checkBidId(r.bidId, `${name}.bidId`);
  const seeder = checkAccount(r.seeder, `${name}.seeder`);
  const bytes = r.cumulativeBytes;
  if (typeof bytes !== "bigint" || bytes <= 0n || bytes > MAX_RECEIPT_BYTES) {
    throw new InvalidArgumentError(`${name}.cumulativeBytes must be a bigint from 1 to 2^56 - 1, got ${String(bytes)}`);
  }
  if (typeof r.signature !== "string") throw new InvalidArgumentError(`${name}.signature must be a hex string`);
  return { bidId, seeder, cumulativeBytes: bytes, signature: r.signature };
}

/** The last second a bid takes receipts, as the contract computes it. */
export function redeemableUntilOf(bid: StoredBid): bigint {
  return BigInt(bid.closedUntil !== 0 ? bid.closedUntil : bid.expiry + bid.grace);
}

/** The stored bid, or a `PreflightError("bid-not-found")`. */
export async function loadBid(client: SpeedClient, bidId: bigint): Promise<StoredBid> {
  const bid = await client.market.read.bid([bidId]);
  if (bid.downloader === ZERO_ADDRESS) throw new PreflightError("bid-not-found", `No bid ${bidId}`);
  return bid;
}

/** Sends a market call and waits; typed errors on revert or failure. */
export async function send<name extends WriteFunctionName<typeof speedMarketAbi>>(
  client: SpeedClient,
  functionName: name,
  args: FunctionArgs<typeof speedMarketAbi, name>,
  options: SpeedActionOptions,
): Promise<SpeedActionReceipt> {
  const feeLimit = options.feeLimit ?? client.feeLimit;
  const call = {
    address: client.market.address,
    abi: speedMarketAbi,
    functionName,
    args,
    ...(feeLimit !== undefined ? { feeLimit } : {}),
  } as WriteParameters<typeof speedMarketAbi, name>;
  const receipt = await writeAndWait(client.backend, call, { timeoutMs: options.timeoutMs ?? client.timeoutMs });
  return { txId: receipt.txId, receipt };
}

type SpeedEventName =
  | "BidOpened"
  | "BidToppedUp"
  | "BidClosed"
  | "BidRefunded"
  | "ReceiptRedeemed"
  | "ReceiptRejected"
  | "ReceiptRelayed"
  | "OwedPaid"
  | "EarningsClaimed"
  | "RelayFeesClaimed";

/** The market's `name` events in a receipt. */
export function marketEvents<name extends SpeedEventName>(client: SpeedClient, receipt: Receipt, name: name) {
  return parseEventLogs(receipt.logs, speedMarketAbi, name, { address: client.market.address });
}

/** The one `name` event a successful call must have emitted. */
export function requireEvent<name extends SpeedEventName>(client: SpeedClient, result: SpeedActionReceipt, name: name) {
  const [event] = marketEvents(client, result.receipt, name);
  if (!event) throw new InvalidArgumentError(`The receipt has no ${name} event`, { details: result.txId });
  return event;
}

/** Unix seconds from a bigint or a Date. */
export function toSeconds(value: unknown, name: string): bigint {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError(`${name} is an invalid Date`);
    return BigInt(Math.floor(ms / 1000));
  }
  if (typeof value !== "bigint" || value <= 0n || value > MAX_UINT32) {
    throw new InvalidArgumentError(
      `${name} must be unix seconds as a bigint below 2^32, or a Date; got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Fails with `market-retired` when the vault no longer lets the market take new commitments
 * (`openBid`, `topUp`). Open bids still redeem, close, refund and claim under a retired market.
 */
export async function checkMarketActive(client: SpeedClient): Promise<void> {
  if (!(await client.vault.vault.read.isMarket([client.market.address]))) {
    throw new PreflightError(
      "market-retired",
      `The vault has retired the market ${client.market.address}: it takes no new bids or top-ups`,
    );
  }
}
