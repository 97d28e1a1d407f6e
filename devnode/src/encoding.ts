/** Hex and TRON address parsing. Strict: bad input raises a BadRequestError, never a crash. */
import { sha256 } from "@noble/hashes/sha2.js";
import { decodeBase58, encodeBase58 } from "ethers";
import { BadRequestError, InvalidAddressError, InvalidHexError } from "./errors.js";

const HEX_RE = /^(0x)?([0-9a-fA-F]*)$/;

/** Parses hex ("0x" optional, any case) into bytes; odd length or non-hex characters are errors. */
export function hexToBytes(value: unknown, field = "value"): Uint8Array {
  if (typeof value !== "string") throw new InvalidHexError(field);
  const m = HEX_RE.exec(value);
  if (!m || m[2].length % 2 !== 0) throw new InvalidHexError(field);
  return Uint8Array.from(Buffer.from(m[2], "hex"));
}

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("hex");
}

/** A TRON address: 21 bytes starting with 0x41. */
export class TronAddress {
  private constructor(readonly bytes21: Uint8Array) {}

  static fromBytes21(bytes: Uint8Array): TronAddress {
    if (bytes.length !== 21 || bytes[0] !== 0x41) throw new InvalidAddressError(bytesToHex(bytes));
    return new TronAddress(Uint8Array.from(bytes));
  }

  /** From the EVM's 20-byte form. */
  static fromBytes20(bytes: Uint8Array): TronAddress {
    const b = new Uint8Array(21);
    b[0] = 0x41;
    b.set(bytes.slice(-20), 1);
    return new TronAddress(b);
  }

  /** Accepts `41…` hex (optionally 0x-prefixed) or base58check `T…`; nothing else. */
  static parse(value: unknown): TronAddress {
    if (typeof value !== "string" || value.length === 0) throw new InvalidAddressError(value);
    if (/^(0x)?41[0-9a-fA-F]{40}$/.test(value)) return new TronAddress(hexToBytes(value));
    if (/^T[1-9A-HJ-NP-Za-km-z]{33}$/.test(value)) {
      const decoded = decode58Check(value);
      if (decoded && decoded.length === 21 && decoded[0] === 0x41) return new TronAddress(decoded);
    }
    throw new InvalidAddressError(value);
  }

  get bytes20(): Uint8Array {
    return this.bytes21.slice(1);
  }
  get hex(): string {
    return bytesToHex(this.bytes21);
  }
  /** 20-byte form as 0x-hex, as the EVM and event results write it. */
  get evmHex(): string {
    return `0x${bytesToHex(this.bytes20)}`;
  }
  get base58(): string {
    return encode58Check(this.bytes21);
  }
  /** The form java-tron answers in: base58 when the request said visible:true. */
  format(visible: boolean): string {
    return visible ? this.base58 : this.hex;
  }
  equals(other: TronAddress): boolean {
    return this.hex === other.hex;
  }
}

/** Parses a non-negative integer field that may arrive as number or decimal string. */
export function parseInteger(value: unknown, field: string, fallback?: number): number {
  if (value === undefined || value === null || value === "") {
    if (fallback !== undefined) return fallback;
  } else if (typeof value === "number" && Number.isSafeInteger(value)) {
    return value;
  } else if (typeof value === "string" && /^-?\d{1,16}$/.test(value)) {
    return Number(value);
  }
  throw new BadRequestError(`Invalid integer in ${field}`);
}

// Base58check as TRON writes addresses: payload ++ first 4 bytes of sha256(sha256(payload)).
// (Kept off tronweb so that the node answers before tronweb's ~0.5 s import finishes.)
function checksum(payload: Uint8Array): Uint8Array {
  return sha256(sha256(payload)).slice(0, 4);
}

function encode58Check(payload: Uint8Array): string {
  const all = new Uint8Array(payload.length + 4);
  all.set(payload);
  all.set(checksum(payload), payload.length);
  return encodeBase58(all);
}

function decode58Check(text: string): Uint8Array | undefined {
  let n: bigint;
  try {
    n = decodeBase58(text);
  } catch {
    return undefined;
  }
  const hex = n.toString(16).padStart(50, "0");
  if (hex.length !== 50) return undefined; // 21 bytes + 4 checksum bytes
  const all = Uint8Array.from(Buffer.from(hex, "hex"));
  const payload = all.slice(0, 21);
  const sum = checksum(payload);
  return sum.every((b, i) => b === all[21 + i]) ? payload : undefined;
}
