import { sha256 } from "@noble/hashes/sha2.js";
import * as Address from "ox/Address";
import * as Base58 from "ox/Base58";
import * as Hex from "ox/Hex";
import { InvalidAddressError } from "./errors.js";

/** A 20-byte address as `0x` hex, the form the EVM/TVM and ethers use. */
export type Hex20 = `0x${string}`;

/** TRON's address prefix byte (TRON.md): off-chain addresses are 0x41 followed by the 20 bytes. */
export const TRON_ADDRESS_PREFIX = 0x41;

const HEX20 = /^(0x)?[0-9a-fA-F]{40}$/;
const TRON_HEX = /^41[0-9a-fA-F]{40}$/;
const BASE58 = /^T[1-9A-HJ-NP-Za-km-z]{33}$/;

function checksum(payload: Uint8Array): Uint8Array {
  return sha256(sha256(payload)).slice(0, 4);
}

function fromBase58(address: string): Uint8Array {
  if (!BASE58.test(address)) throw new InvalidAddressError(address, "not a 34-character base58 string starting with T");
  const decoded = Base58.toBytes(address);
  if (decoded.length !== 25) throw new InvalidAddressError(address, "not 25 bytes of base58check");
  const payload = decoded.slice(0, 21);
  const expected = checksum(payload);
  if (payload[0] !== TRON_ADDRESS_PREFIX || !decoded.slice(21).every((byte, i) => byte === expected[i])) {
    throw new InvalidAddressError(address, "base58check checksum or prefix mismatch");
  }
  return payload.slice(1);
}

function toBytes20(address: string): Uint8Array {
  if (typeof address !== "string") throw new InvalidAddressError(String(address));
  if (address.startsWith("T")) return fromBase58(address);
  if (TRON_HEX.test(address)) return Hex.toBytes(`0x${address.slice(2)}`);
  if (HEX20.test(address)) return Hex.toBytes(address.startsWith("0x") ? (address as Hex.Hex) : `0x${address}`);
  throw new InvalidAddressError(address);
}

/** Any TRON address form -> checksummed `0x` 20-byte hex (what contracts and TIP-712 use). */
export function toHex20(address: string): Hex20 {
  return Address.checksum(Hex.fromBytes(toBytes20(address))) as Hex20;
}

/** Any TRON address form -> `41` + 20 bytes hex, lower case (what TronWeb returns from calls). */
export function toTronHex(address: string): string {
  return `41${Hex.fromBytes(toBytes20(address)).slice(2)}`;
}

/** Any TRON address form -> base58check `T...`. */
export function toBase58(address: string): string {
  const payload = new Uint8Array(21);
  payload[0] = TRON_ADDRESS_PREFIX;
  payload.set(toBytes20(address), 1);
  const full = new Uint8Array(25);
  full.set(payload);
  full.set(checksum(payload), 21);
  return Base58.fromBytes(full);
}

/** Whether `address` is a valid TRON address in any of the three forms. */
export function isTronAddress(address: string): boolean {
  try {
    toBytes20(address);
    return true;
  } catch {
    return false;
  }
}
