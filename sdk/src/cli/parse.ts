/** Argument parsers for commander: a bad value is a usage error (exit 2). */
import { InvalidArgumentError as UsageError } from "commander";
import { BttkitError } from "../errors.js";
import { parseBtt } from "../units.js";

const UNITS: Record<string, bigint> = { s: 1n, m: 60n, h: 3_600n, d: 86_400n, w: 604_800n };

/** "90", "90s", "30m", "12h", "7d", "2w" -> seconds. */
export function parseDuration(value: string): bigint {
  const match = /^(\d{1,10})([smhdw]?)$/.exec(value.trim());
  if (!match) throw new UsageError(`Not a duration: ${JSON.stringify(value)} (use e.g. 90s, 30m, 12h, 7d)`);
  return BigInt(match[1] as string) * (UNITS[match[2] || "s"] as bigint);
}

/** A decimal BTT amount ("1.5") -> the smallest unit. */
export function parseBttArg(value: string): bigint {
  try {
    return parseBtt(value);
  } catch (error) {
    throw new UsageError(
      error instanceof BttkitError ? `${error.shortMessage}: ${error.details ?? ""}` : String(error),
    );
  }
}

/** A non-negative integer (a bid id, a byte count). */
export function parseIntegerArg(value: string): bigint {
  if (!/^\d{1,78}$/.test(value)) throw new UsageError(`Not a non-negative integer: ${JSON.stringify(value)}`);
  return BigInt(value);
}

/** A positive integer that fits a JS number (a batch size). */
export function parseCountArg(value: string): number {
  if (!/^\d{1,6}$/.test(value) || Number(value) < 1)
    throw new UsageError(`Not a positive count: ${JSON.stringify(value)}`);
  return Number(value);
}
