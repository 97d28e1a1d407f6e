import { toBase58 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import type { SignedReceipt } from "./receipt.js";

/** A signed receipt as JSON (what `bttkit receipt sign` prints): integers as decimal strings. */
export interface SignedReceiptJson {
  bidId: string;
  /** base58 `T...` (any TRON form is accepted back). */
  seeder: string;
  cumulativeBytes: string;
  /** 65 bytes `r ++ s ++ v`, `0x` hex. */
  signature: string;
}

/** A signed receipt in its JSON form. */
export function receiptToJson(receipt: SignedReceipt): SignedReceiptJson {
  return {
    bidId: receipt.bidId.toString(),
    seeder: toBase58(receipt.seeder),
    cumulativeBytes: receipt.cumulativeBytes.toString(),
    signature: receipt.signature,
  };
}

function integer(value: unknown, name: string): bigint {
  if (typeof value === "string" && /^\d{1,78}$/.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new InvalidArgumentError(`${name} must be a non-negative integer (a decimal string)`, {
    details: JSON.stringify(value),
  });
}

/** A signed receipt from its JSON form (shape only: signatures are checked when packed or recovered). */
export function receiptFromJson(json: unknown, name = "receipt"): SignedReceipt {
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    throw new InvalidArgumentError(`${name} is not a receipt object`);
  }
  const r = json as Record<string, unknown>;
  if (typeof r.seeder !== "string") throw new InvalidArgumentError(`${name}.seeder must be an address`);
  if (typeof r.signature !== "string") throw new InvalidArgumentError(`${name}.signature must be hex`);
  return {
    bidId: integer(r.bidId, `${name}.bidId`),
    seeder: r.seeder,
    cumulativeBytes: integer(r.cumulativeBytes, `${name}.cumulativeBytes`),
    signature: r.signature,
  };
}

/**
 * Every receipt in a parsed JSON document: one receipt, an array of them, or a `ReceiptBook`'s
 * JSON (`{version: 1, receipts: [...]}`).
 */
export function receiptsFromJson(json: unknown, name = "receipts"): SignedReceipt[] {
  if (Array.isArray(json)) return json.map((r, i) => receiptFromJson(r, `${name}[${i}]`));
  if (typeof json === "object" && json !== null && Array.isArray((json as { receipts?: unknown }).receipts)) {
    return receiptsFromJson((json as { receipts: unknown[] }).receipts, `${name}.receipts`);
  }
  return [receiptFromJson(json, name)];
}
