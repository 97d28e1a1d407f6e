/** Checks and plumbing shared by the storage actions. */

import { type ActionOptions, MAX_UINT256 } from "../../actions.js";

export {
  accountOrSigner,
  checkAmount,
  checkOptions,
  checkParameters,
  MAX_UINT256,
  requireSigner,
} from "../../actions.js";

import { type Hex20, toHex20 } from "../../address.js";
import type {
  Backend,
  FunctionArgs,
  FunctionResult,
  Receipt,
  WriteFunctionName,
  WriteParameters,
} from "../../backend/types.js";
import { parseEventLogs, writeAndWait } from "../../contract.js";
import { addr, when } from "../../describe.js";
import {
  type InvalidAddressError,
  type InvalidAmountError,
  InvalidArgumentError,
  PreflightError,
} from "../../errors.js";
import type { storageMarketAbi } from "../../generated/abi/index.js";
import type { BackendError, ContractRevertError, TimeoutError, TransactionFailedError } from "../../revert.js";
import { recoverTypedDataSigner, type TypedDataDomain } from "../../tip712.js";
import type { StorageClient } from "../client.js";
import { type OfferCalldata, STORAGE_OFFER_TYPES, type StorageOffer, storageOfferMessage } from "../offer.js";
import { type ShardRecord, unpackShardRecords } from "../records.js";

/** Options every write takes (`timeoutMs`, `feeLimit`, `skipPreflight`). */
export type StorageActionOptions = ActionOptions;

/**
 * What a storage action rejects with: bad input (`InvalidAmountError`, `InvalidAddressError`,
 * `InvalidArgumentError`), a failed check before sending (`PreflightError`, nothing sent), a
 * revert decoded to the market's or registry's custom error (`ContractRevertError`, e.g.
 * `StorageStaleRecords`), another failure (`TransactionFailedError`), no receipt in time
 * (`TimeoutError`), or the node (`BackendError`).
 */
export type StorageActionError =
  | InvalidAmountError
  | InvalidAddressError
  | InvalidArgumentError
  | PreflightError
  | ContractRevertError
  | TransactionFailedError
  | TimeoutError
  | BackendError;

/** What every storage write resolves with. */
export interface StorageActionReceipt {
  txId: string;
  receipt: Receipt;
}

/** A deal as stored (`deal(dealId)`). Status 0 none, 1 active, 2 completed, 3 lost. */
export type DealInfo = FunctionResult<typeof storageMarketAbi, "deal">;
/** A deal's current challenge (`challenge(dealId)`). State 0 idle, 1 awaiting seed, 2 open. */
export type ChallengeInfo = FunctionResult<typeof storageMarketAbi, "challenge">;

export const DEAL_STATUS = { none: 0, active: 1, completed: 2, lost: 3 } as const;
export const CHALLENGE_STATE = { idle: 0, awaitingSeed: 1, open: 2 } as const;

export const MAX_UINT128 = (1n << 128n) - 1n;
export const MAX_UINT64 = (1n << 64n) - 1n;
export const MAX_UINT48 = (1n << 48n) - 1n;
export { MAX_OFFER_NONCE } from "../offer.js";
export const MAX_SHARDS = 64;

export function checkClient(client: StorageClient): void {
  if (
    typeof client !== "object" ||
    client === null ||
    typeof client.backend !== "object" ||
    typeof client.market !== "object" ||
    client.market === null ||
    typeof client.registry !== "object" ||
    typeof client.tracker !== "object"
  ) {
    throw new InvalidArgumentError("Expected a StorageClient (createStorageClient)");
  }
}

export function checkDealId(dealId: unknown): bigint {
  if (typeof dealId !== "bigint" || dealId < 0n || dealId > MAX_UINT256) {
    throw new InvalidArgumentError(`dealId must be a uint256 bigint, got ${String(dealId)}`);
  }
  return dealId;
}

export function checkShardIndex(shard: unknown, shardCount = MAX_SHARDS): number {
  if (typeof shard !== "number" || !Number.isInteger(shard) || shard < 0 || shard >= shardCount) {
    throw new InvalidArgumentError(`shard must be an integer from 0 to ${shardCount - 1}, got ${String(shard)}`);
  }
  return shard;
}

export function checkBytes32(value: unknown, name: string): `0x${string}` {
  if (typeof value !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(value)) {
    throw new InvalidArgumentError(`${name} must be 32 bytes of 0x hex, got ${String(value)}`);
  }
  return value.toLowerCase() as `0x${string}`;
}

export function checkBytes32List(value: unknown, name: string): `0x${string}`[] {
  if (!Array.isArray(value)) throw new InvalidArgumentError(`${name} must be an array of 32-byte hex values`);
  return value.map((v, i) => checkBytes32(v, `${name}[${i}]`));
}

/** Sends a market or registry call, waits, and feeds `ShardsUpdated` to the client's tracker. */
export async function send<target extends keyof StorageTargets, name extends WriteFunctionName<StorageTargets[target]>>(
  client: StorageClient,
  target: target,
  functionName: name,
  args: FunctionArgs<StorageTargets[target], name>,
  options: StorageActionOptions,
): Promise<StorageActionReceipt> {
  const contract = target === "market" ? client.market : client.registry;
  const feeLimit = options.feeLimit ?? client.feeLimit;
  // Typed at this function's boundary; the two contracts' unions meet here only.
  const call = {
    address: contract.address,
    abi: contract.abi,
    functionName,
    args,
    ...(feeLimit !== undefined ? { feeLimit } : {}),
  } as unknown as WriteParameters<StorageTargets[target], name>;
  const receipt = await writeAndWait<StorageTargets[target], name>(client.backend, call, {
    timeoutMs: options.timeoutMs ?? client.timeoutMs,
  });
  client.tracker.observe(receipt);
  return { txId: receipt.txId, receipt };
}

type StorageTargets = { market: StorageClient["market"]["abi"]; registry: StorageClient["registry"]["abi"] };

/** The market's `name` events in a receipt. */
export function marketEvents<
  name extends
    | "DealOpened"
    | "ShardsUpdated"
    | "ChallengeOpened"
    | "SeedDrawn"
    | "ProofsAccepted"
    | "PeriodSettled"
    | "ShardLost"
    | "ShardReassigned"
    | "RepairBountyPaid"
    | "HostPaid"
    | "DealEnded",
>(client: StorageClient, receipt: Receipt, name: name) {
  return parseEventLogs(receipt.logs, client.market.abi, name, { address: client.market.address });
}

/** The deal, or `PreflightError` `deal-not-found` / `deal-not-active` (unless `allowEnded`). */
export async function loadDeal(client: StorageClient, dealId: bigint, allowEnded = false): Promise<DealInfo> {
  const info = await client.market.read.deal([dealId]);
  if (info.status === DEAL_STATUS.none) throw new PreflightError("deal-not-found", `No deal ${dealId}`);
  if (!allowEnded && info.status !== DEAL_STATUS.active) {
    throw new PreflightError("deal-not-active", `Deal ${dealId} has ended (status ${info.status})`);
  }
  return info;
}

/** The deal's opening records, what every call takes (given ones are checked and used as they are). */
export async function openingRecords(
  client: StorageClient,
  dealId: bigint,
  given: readonly bigint[] | undefined,
  info?: DealInfo,
): Promise<bigint[]> {
  if (given !== undefined) {
    if (!Array.isArray(given) || given.some((w) => typeof w !== "bigint" || w < 0n || w > MAX_UINT256)) {
      throw new InvalidArgumentError("records must be an array of uint256 bigints (two words per shard)");
    }
    return [...given];
  }
  const deal = info ?? (await client.market.read.deal([dealId]));
  return client.tracker.records(dealId, deal.shardsHash);
}

/**
 * The deal's opening records (`words`, what every call takes) and its current records
 * (`records`, from the market's `shardRecords` view).
 */
export async function currentRecords(
  client: StorageClient,
  dealId: bigint,
  given: readonly bigint[] | undefined,
  info?: DealInfo,
): Promise<{ words: bigint[]; records: ShardRecord[] }> {
  const words = await openingRecords(client, dealId, given, info);
  const current = await client.market.read.shardRecords([dealId, words]);
  return { words, records: unpackShardRecords(current) };
}

/** The latest block: number and timestamp (unix seconds), as `Backend.getBlock` gives it. */
export interface ChainHead {
  number: bigint;
  timestamp: bigint;
}

/** Recovers an offer's signer under `domain`; `undefined` when the signature is malformed. */
export function recoverOfferSigner(domain: TypedDataDomain, offer: StorageOffer, signature: string): Hex20 | undefined {
  try {
    return recoverTypedDataSigner(domain, STORAGE_OFFER_TYPES, storageOfferMessage(offer), signature);
  } catch {
    return undefined;
  }
}

/** An offer, its 65-byte signature and the packed calldata the market takes. */
export interface SignedOffer {
  offer: StorageOffer;
  signature: string;
  calldata: OfferCalldata;
}

export function checkSignedOffer(value: unknown, name: string): SignedOffer {
  const v = value as SignedOffer;
  if (
    typeof v !== "object" ||
    v === null ||
    typeof v.offer !== "object" ||
    v.offer === null ||
    typeof v.signature !== "string" ||
    typeof v.calldata !== "object" ||
    v.calldata === null
  ) {
    throw new InvalidArgumentError(`${name} must be a SignedOffer (signOffer)`);
  }
  return v;
}

/** Checks a signed offer for shard `shard` of a deal against the chain: expiry and signer. */
export function checkOfferUsable(client: StorageClient, signed: SignedOffer, now: bigint, label: string): void {
  const { offer } = signed;
  if (offer.expiry < now) {
    throw new PreflightError(
      "offer-expired",
      `${label}: the offer expired at ${when(offer.expiry)} (chain time ${when(now)})`,
    );
  }
  const signer = recoverOfferSigner(client.domain, offer, signed.signature);
  if (signer !== toHex20(offer.host)) {
    throw new PreflightError(
      "offer-signature",
      `${label}: the offer is not signed by its host ${addr(toHex20(offer.host))}`,
      {
        details: signer ? `signed by ${signer}` : "malformed signature",
      },
    );
  }
}

export const toHexBytes = (bytes: Uint8Array): `0x${string}` =>
  `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
