/** Helpers shared by the backends. */
import { BttkitError, InvalidArgumentError, UserRejectedError } from "../errors.js";
import { TimeoutError, toBttkitError } from "../revert.js";

/** Default bound on one request to a node. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
/** Default bound on waiting for a receipt. */
export const DEFAULT_RECEIPT_TIMEOUT_MS = 60_000;

/** Rejects with `TimeoutError` when `promise` takes longer than `ms`; the timer never keeps Node alive. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimeoutError(`${what} timed out after ${ms} ms`)), ms);
    timer.unref?.();
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` bounded by `ms`, turning whatever it throws into a `BttkitError`. */
export async function guarded<T>(what: string, ms: number, fn: () => Promise<T>, contractAddress?: string): Promise<T> {
  try {
    return await withTimeout(Promise.resolve().then(fn), ms, what);
  } catch (error) {
    if (error instanceof BttkitError) throw error;
    throw toBttkitError(error, { contractAddress });
  }
}

export function checkTimeout(ms: unknown, name = "timeoutMs"): number {
  if (typeof ms !== "number" || !Number.isFinite(ms) || ms <= 0) {
    throw new InvalidArgumentError(`${name} must be a positive number of milliseconds, got ${String(ms)}`);
  }
  return ms;
}

export function checkOptionalBigint(value: unknown, name: string): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "bigint" || value < 0n) {
    throw new InvalidArgumentError(`${name} must be a non-negative bigint, got ${String(value)}`);
  }
  return value;
}

export function checkLimit(limit: unknown): number {
  if (limit === undefined) return 100;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new InvalidArgumentError(`limit must be an integer from 1 to 10000, got ${String(limit)}`);
  }
  return limit;
}

export function checkFromBlock(fromBlock: unknown): bigint {
  if (fromBlock === undefined) return 0n;
  if (typeof fromBlock !== "bigint" || fromBlock < 0n) {
    throw new InvalidArgumentError(`fromBlock must be a non-negative bigint, got ${String(fromBlock)}`);
  }
  return fromBlock;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

const REJECTED = /declined|rejected|denied|cancell?ed by (the )?user|user (rejected|denied|cancell?ed)/i;

/**
 * A wallet's failure as a typed error: a refusal by its user (EIP-1193's 4001, ethers'
 * `ACTION_REJECTED`, TronLink's "Confirmation declined by user", the adapters' rejection
 * errors) is `UserRejectedError`; anything else goes through `toBttkitError`.
 */
export function walletError(error: unknown, request: "connect" | "transaction" | "signature"): BttkitError {
  if (error instanceof BttkitError) return error;
  const fields =
    typeof error === "object" && error !== null ? (error as { code?: unknown; message?: unknown; name?: unknown }) : {};
  const message = typeof error === "string" ? error : typeof fields.message === "string" ? fields.message : "";
  if (fields.code === 4001 || fields.code === "ACTION_REJECTED" || REJECTED.test(message)) {
    return new UserRejectedError(request, { details: message || undefined, cause: error });
  }
  return toBttkitError(error);
}
