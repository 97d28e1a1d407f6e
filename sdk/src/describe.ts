/**
 * How messages show values to people (errors, the CLI): amounts in BTT with the unit, addresses
 * in base58, times as ISO dates. Raw values stay on the errors' fields.
 */
import { toBase58 } from "./address.js";
import { formatBtt } from "./units.js";

/** `1.5 BTT` (18 decimals). */
export function btt(amount: bigint | number): string {
  return `${formatBtt(BigInt(amount))} BTT`;
}

/** base58 `T...`; a value that is not an address prints as it is. */
export function addr(address: string): string {
  try {
    return toBase58(address);
  } catch {
    return String(address);
  }
}

/** Unix seconds as an ISO date (`2026-12-05T00:14:45Z`). */
export function when(seconds: bigint | number): string {
  const ms = Number(seconds) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
    ? new Date(ms).toISOString().replace(".000Z", "Z")
    : String(seconds);
}
