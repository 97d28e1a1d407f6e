/**
 * Decimal strings <-> bigint amounts in a token's smallest unit. No floating point touches money:
 * strings are parsed digit by digit, and JS numbers are only accepted when they are safe integers.
 */
import { InvalidAmountError, InvalidArgumentError } from "./errors.js";

/** BTT (TRC-20, mainnet TAFjULxiVgT4qWk6UZwjqwZXTSaGaqnVp4) has 18 decimals (TRON.md). */
export const BTT_DECIMALS = 18;
/** TRX is counted in sun: 1 TRX = 1,000,000 sun (TRON.md). */
export const TRX_DECIMALS = 6;
/** Sun in one TRX. */
export const SUN_PER_TRX = 1_000_000n;
/** The smallest BTT units in one BTT. */
export const BTT_UNIT = 10n ** 18n;

/** A decimal string ("1.5"), a whole-token bigint (1n = one token) or a whole-token safe integer. */
export type AmountInput = string | bigint | number;

// Digits, optionally a point and more digits; "1.", ".5", signs, exponents and spaces are refused.
const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

function checkDecimals(decimals: number): void {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 255) {
    throw new InvalidArgumentError(`decimals must be an integer from 0 to 255, got ${String(decimals)}`);
  }
}

/**
 * Parses a decimal amount into the token's smallest unit: `parseUnits("1.5", 18)` is
 * `1500000000000000000n`. Throws `InvalidAmountError` for anything that is not a plain non-negative
 * decimal ("1,5", "1e18", "-1", " 1", ""), for more fractional digits than `decimals` (unless the
 * extra digits are zeros: "1.50" with 1 decimal is 15n, exactly), and for numbers that are not
 * safe integers (a fractional JS number has already lost precision: pass a string).
 * A bigint or an integer number counts whole tokens.
 */
export function parseUnits(value: AmountInput, decimals: number): bigint {
  checkDecimals(decimals);
  const scale = 10n ** BigInt(decimals);
  if (typeof value === "bigint") {
    if (value < 0n) throw new InvalidAmountError(value, "amounts must not be negative");
    return value * scale;
  }
  if (typeof value === "number") {
    if (Number.isNaN(value)) throw new InvalidAmountError(value, "NaN is not an amount");
    if (!Number.isFinite(value)) throw new InvalidAmountError(value, "amounts must be finite");
    if (value < 0 || Object.is(value, -0)) throw new InvalidAmountError(value, "amounts must not be negative");
    if (!Number.isInteger(value)) {
      throw new InvalidAmountError(value, "fractional JS numbers are floating point: pass the amount as a string");
    }
    if (!Number.isSafeInteger(value)) {
      throw new InvalidAmountError(value, "numbers above 2^53 - 1 are not exact: pass a string or a bigint");
    }
    return BigInt(value) * scale;
  }
  if (typeof value !== "string") {
    throw new InvalidAmountError(value, `expected a decimal string, a bigint or an integer, got ${typeof value}`);
  }
  const match = DECIMAL.exec(value);
  if (!match) {
    const details = value.trim().startsWith("-")
      ? "amounts must not be negative"
      : "expected digits with an optional '.' and fraction, such as \"1.5\" (no signs, exponents, separators or spaces)";
    throw new InvalidAmountError(value, details);
  }
  const whole = match[1] ?? "0";
  let fraction = match[2] ?? "";
  if (fraction.length > decimals) {
    if (/[^0]/.test(fraction.slice(decimals))) {
      throw new InvalidAmountError(value, `more than ${decimals} decimal places`);
    }
    fraction = fraction.slice(0, decimals);
  }
  return BigInt(whole) * scale + BigInt(fraction.padEnd(decimals, "0") || "0");
}

/**
 * Formats an amount in the smallest unit as a decimal string with no trailing zeros:
 * `formatUnits(1500000000000000000n, 18)` is `"1.5"`, `formatUnits(0n, 18)` is `"0"`.
 * Negative values (differences) keep their sign. `parseUnits(formatUnits(x, d), d) === x` for x >= 0.
 */
export function formatUnits(value: bigint, decimals: number): string {
  checkDecimals(decimals);
  if (typeof value !== "bigint") throw new InvalidAmountError(value, `expected a bigint, got ${typeof value}`);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(decimals);
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** `parseBtt("1.5")` is `1500000000000000000n` (18 decimals). */
export function parseBtt(value: AmountInput): bigint {
  return parseUnits(value, BTT_DECIMALS);
}

/** `formatBtt(1500000000000000000n)` is `"1.5"`. */
export function formatBtt(value: bigint): string {
  return formatUnits(value, BTT_DECIMALS);
}

/** TRX -> sun: `parseTrx("1.5")` is `1500000n`. */
export function parseTrx(value: AmountInput): bigint {
  return parseUnits(value, TRX_DECIMALS);
}

/** Sun -> TRX: `formatTrx(1500000n)` is `"1.5"`. */
export function formatTrx(value: bigint): string {
  return formatUnits(value, TRX_DECIMALS);
}
