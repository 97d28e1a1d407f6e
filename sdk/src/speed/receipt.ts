import type { Signer } from "ethers";
import { type Hex20, toHex20 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import {
  recoverTypedDataSigner,
  signTypedDataWithEthers,
  signTypedDataWithPrivateKey,
  signTypedDataWithTronWeb,
  type TronWebTypedDataSigner,
  type TypedDataDomain,
  tip712Domain,
} from "../tip712.js";
import { toCompactSignature } from "./signature.js";

/** The TIP-712 domain name and version of SpeedMarket (contracts/speed/SpeedBook.sol). */
export const SPEED_DOMAIN_NAME = "bttkit SpeedMarket";
export const SPEED_DOMAIN_VERSION = "1";

/** Receipts are priced per MiB: `cumulativeBytes * pricePerMiB / 2**20`. */
export const MIB = 1n << 20n;
/** Packing limits of `PackedReceipt.key` (contracts/speed/SpeedPacking.sol). */
export const MAX_BID_ID = (1n << 40n) - 1n;
export const MAX_RECEIPT_BYTES = (1n << 56n) - 1n;
/** A seeder's `paid` on a bid is stored in 96 bits. */
export const MAX_UINT96 = (1n << 96n) - 1n;

export const RECEIPT_TYPES = {
  Receipt: [
    { name: "bidId", type: "uint256" },
    { name: "seeder", type: "address" },
    { name: "cumulativeBytes", type: "uint256" },
  ],
} as const;

/** What a downloader signs: all bytes served by `seeder` on bid `bidId` so far. */
export interface Receipt {
  bidId: bigint;
  seeder: string;
  cumulativeBytes: bigint;
}

/** A receipt with the downloader's 65-byte `r ++ s ++ v` signature. */
export interface SignedReceipt extends Receipt {
  signature: string;
}

/** A receipt as `SpeedMarket.redeem` / `redeemBatch` take it. */
export interface PackedReceipt {
  key: bigint;
  r: `0x${string}`;
  vs: `0x${string}`;
}

export interface SpeedDomainInput {
  chainId: bigint | number;
  verifyingContract: string;
}

/** The TIP-712 domain of a SpeedMarket deployment (chain id masked, 20-byte address). */
export function speedDomain(input: SpeedDomainInput): TypedDataDomain {
  return tip712Domain({
    name: SPEED_DOMAIN_NAME,
    version: SPEED_DOMAIN_VERSION,
    chainId: input.chainId,
    verifyingContract: input.verifyingContract,
  });
}

function checkReceipt(receipt: Receipt): { bidId: bigint; seeder: Hex20; cumulativeBytes: bigint } {
  if (receipt.bidId <= 0n || receipt.bidId > MAX_BID_ID) {
    throw new InvalidArgumentError(`Bid id out of range: ${receipt.bidId}`);
  }
  if (receipt.cumulativeBytes <= 0n || receipt.cumulativeBytes > MAX_RECEIPT_BYTES) {
    throw new InvalidArgumentError(`Cumulative bytes out of range (1 .. 2**56-1): ${receipt.cumulativeBytes}`);
  }
  return { bidId: receipt.bidId, seeder: toHex20(receipt.seeder), cumulativeBytes: receipt.cumulativeBytes };
}

/** The typed-data message of a receipt, with the seeder in 20-byte form. */
export function receiptMessage(receipt: Receipt): Record<string, unknown> {
  return { ...checkReceipt(receipt) };
}

/** Signs a receipt with an ethers signer (the downloader). */
export async function signReceiptWithEthers(
  signer: Signer,
  domain: TypedDataDomain,
  receipt: Receipt,
): Promise<SignedReceipt> {
  const message = checkReceipt(receipt);
  const signature = await signTypedDataWithEthers(signer, domain, RECEIPT_TYPES, message);
  return { ...message, signature };
}

/** Signs a receipt with TronWeb's `trx._signTypedData` (works offline). */
export async function signReceiptWithTronWeb(
  tronWeb: TronWebTypedDataSigner,
  domain: TypedDataDomain,
  receipt: Receipt,
  privateKey?: string,
): Promise<SignedReceipt> {
  const message = checkReceipt(receipt);
  const signature = await signTypedDataWithTronWeb(tronWeb, domain, RECEIPT_TYPES, message, privateKey);
  return { ...message, signature };
}

/** Signs a receipt with a raw private key (hex), offline, through TronWeb's TIP-712 encoder. */
export function signReceiptWithPrivateKey(
  privateKey: string,
  domain: TypedDataDomain,
  receipt: Receipt,
): SignedReceipt {
  const message = checkReceipt(receipt);
  if (typeof privateKey !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(privateKey)) {
    throw new InvalidArgumentError("privateKey must be 32 bytes of hex");
  }
  const signature = signTypedDataWithPrivateKey(privateKey.replace(/^0x/, ""), domain, RECEIPT_TYPES, message);
  return { ...message, signature };
}

/** The address that signed a receipt under `domain` (compare with the bid's downloader). */
export function recoverReceiptSigner(domain: TypedDataDomain, receipt: SignedReceipt): Hex20 {
  return recoverTypedDataSigner(domain, RECEIPT_TYPES, receiptMessage(receipt), receipt.signature);
}

/** `PackedReceipt.key`: bidId (40 bits) | cumulativeBytes (56 bits) | seeder (160 bits). */
export function packReceiptKey(receipt: Receipt): bigint {
  const { bidId, seeder, cumulativeBytes } = checkReceipt(receipt);
  return (bidId << 216n) | (cumulativeBytes << 160n) | BigInt(seeder);
}

/** Splits a receipt key (the inverse of `packReceiptKey`). */
export function unpackReceiptKey(key: bigint): Receipt {
  return {
    bidId: key >> 216n,
    cumulativeBytes: (key >> 160n) & MAX_RECEIPT_BYTES,
    seeder: toHex20(`0x${(key & ((1n << 160n) - 1n)).toString(16).padStart(40, "0")}`),
  };
}

/** What one `ReceiptRedeemed(seeder, redemption)` event reports: a receipt that paid `amount`. */
export interface Redemption {
  bidId: bigint;
  cumulativeBytes: bigint;
  amount: bigint;
}

/**
 * `ReceiptRedeemed.redemption`: the receipt key with the amount in the seeder's place, bidId
 * (40 bits) | cumulativeBytes (56 bits) | amount (160 bits, below 2**96). The seeder is the
 * event's indexed topic.
 */
export function packRedemption(redemption: Redemption): bigint {
  const { bidId, cumulativeBytes, amount } = redemption;
  if (bidId < 0n || bidId > MAX_BID_ID) throw new InvalidArgumentError(`Bid id out of range: ${bidId}`);
  if (cumulativeBytes < 0n || cumulativeBytes > MAX_RECEIPT_BYTES) {
    throw new InvalidArgumentError(`Cumulative bytes out of range: ${cumulativeBytes}`);
  }
  if (amount < 0n || amount > MAX_UINT96) throw new InvalidArgumentError(`Amount out of range: ${amount}`);
  return (bidId << 216n) | (cumulativeBytes << 160n) | amount;
}

/** Splits `ReceiptRedeemed.redemption` (the inverse of `packRedemption`). */
export function unpackRedemption(redemption: bigint): Redemption {
  return {
    bidId: redemption >> 216n,
    cumulativeBytes: (redemption >> 160n) & MAX_RECEIPT_BYTES,
    amount: redemption & ((1n << 160n) - 1n),
  };
}

/** A signed receipt in the calldata form SpeedMarket takes (compact signature). */
export function packReceipt(receipt: SignedReceipt): PackedReceipt {
  return { key: packReceiptKey(receipt), ...toCompactSignature(receipt.signature) };
}

/** What `cumulativeBytes` are worth at `pricePerMiB`, rounded down as the contract does. */
export function receiptWorth(cumulativeBytes: bigint, pricePerMiB: bigint): bigint {
  return (cumulativeBytes * pricePerMiB) >> 20n;
}

export interface PayableInput {
  cumulativeBytes: bigint;
  pricePerMiB: bigint;
  /** What the seeder has already been paid on the bid (`earning(bidId, seeder).paid`). */
  paid: bigint;
  /** The bid's unpaid budget (`bid(bidId).remaining`). */
  remaining: bigint;
}

/**
 * What a receipt pays now, exactly as SpeedMarket computes it: what it is worth beyond what was
 * paid, capped by the budget left and by the 96-bit `paid` field. The rest stays owed.
 */
export function amountPayable(input: PayableInput): bigint {
  const worth = receiptWorth(input.cumulativeBytes, input.pricePerMiB);
  if (worth <= input.paid) return 0n;
  let amount = worth - input.paid;
  if (amount > input.remaining) amount = input.remaining;
  const room = MAX_UINT96 - input.paid;
  if (amount > room) amount = room;
  return amount;
}
