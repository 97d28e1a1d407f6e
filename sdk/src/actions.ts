/**
 * The checks every action of the three areas (vault, speed, storage) shares, in one place: the
 * parameters object, the common write options, amounts, accounts and the signer. Each area's
 * `internal.ts` re-exports them beside its own plumbing (its contracts, events and `send`).
 */
import { type Hex20, toHex20 } from "./address.js";
import type { AddressInput, Backend } from "./backend/types.js";
import { checkOptionalBigint, checkTimeout } from "./backend/util.js";
import { InvalidAmountError, InvalidArgumentError, PreflightError } from "./errors.js";

/** Options every write takes. */
export interface ActionOptions {
  /** Receipt timeout (ms); default the client's. */
  timeoutMs?: number;
  /** Fee limit (TRON, sun); default the client's. */
  feeLimit?: bigint;
  /** Skip the read-only checks and let the chain decide (reverts still arrive typed). */
  skipPreflight?: boolean;
}

export const MAX_UINT256 = (1n << 256n) - 1n;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Hex20;

export function checkParameters(parameters: unknown, action: string): void {
  if (typeof parameters !== "object" || parameters === null) {
    throw new InvalidArgumentError(`${action} needs a parameters object`);
  }
}

export function checkOptions(options: ActionOptions): void {
  if (options.timeoutMs !== undefined) checkTimeout(options.timeoutMs);
  checkOptionalBigint(options.feeLimit, "feeLimit");
  if (options.skipPreflight !== undefined && typeof options.skipPreflight !== "boolean") {
    throw new InvalidArgumentError("skipPreflight must be a boolean");
  }
}

/** An amount in the token's smallest unit: a bigint, positive (or zero with `allowZero`), at most `max`. */
export function checkAmount(amount: unknown, name = "amount", { allowZero = false, max = MAX_UINT256 } = {}): bigint {
  if (typeof amount !== "bigint") {
    throw new InvalidAmountError(amount, `${name} must be a bigint in the token's smallest unit (use parseBtt)`);
  }
  if (amount < 0n) throw new InvalidAmountError(amount, `${name} must not be negative`);
  if (amount === 0n && !allowZero) throw new InvalidAmountError(amount, `${name} must be positive`);
  if (amount > max) throw new InvalidAmountError(amount, `${name} is larger than ${max}`);
  return amount;
}

/** An address that must not be zero. */
export function checkAccount(address: unknown, name: string): Hex20 {
  const hex = toHex20(address as string);
  if (hex === ZERO_ADDRESS) throw new InvalidArgumentError(`${name} must not be the zero address`);
  return hex;
}

/** The optional account of a read, defaulting to the signer. */
export async function accountOrSigner(
  client: { backend: Backend },
  account: AddressInput | undefined,
  name: string,
): Promise<Hex20> {
  if (account !== undefined) return checkAccount(account, name);
  const signer = await client.backend.account();
  if (!signer) throw new InvalidArgumentError(`${name} is required on a read-only backend`);
  return signer;
}

/** The signing account, or `PreflightError("no-signer")`: nothing is sent without one. */
export async function requireSigner(client: { backend: Backend }): Promise<Hex20> {
  const account = await client.backend.account();
  if (!account) throw new PreflightError("no-signer", "This backend has no signer: it can only read");
  return account;
}
