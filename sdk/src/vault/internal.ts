/** Checks and plumbing shared by the vault actions. */

import { type Hex20, toHex20 } from "../address.js";
import type { AddressInput, Receipt } from "../backend/types.js";
import { checkOptionalBigint, checkTimeout } from "../backend/util.js";
import { parseEventLogs, writeAndWait } from "../contract.js";
import { btt } from "../describe.js";
import { type InvalidAddressError, InvalidAmountError, InvalidArgumentError, PreflightError } from "../errors.js";
import { escrowVaultAbi } from "../generated/abi/index.js";
import type { BackendError, ContractRevertError, TimeoutError, TransactionFailedError } from "../revert.js";
import type { VaultClient } from "./client.js";

/** Options every vault write takes. */
export interface ActionOptions {
  /** Receipt timeout (ms); default the client's. */
  timeoutMs?: number;
  /** Fee limit (TRON, sun); default the client's. */
  feeLimit?: bigint;
  /** Skip the read-only checks and let the chain decide (reverts still arrive typed). */
  skipPreflight?: boolean;
}

/**
 * What a vault action rejects with: bad input (`InvalidAmountError`, `InvalidAddressError`,
 * `InvalidArgumentError`), a failed check before sending (`PreflightError`, nothing sent), a
 * revert decoded to the vault's custom error (`ContractRevertError`), another failure
 * (`TransactionFailedError`), no receipt in time (`TimeoutError`), or the node (`BackendError`).
 */
export type VaultActionError =
  | InvalidAmountError
  | InvalidAddressError
  | InvalidArgumentError
  | PreflightError
  | ContractRevertError
  | TransactionFailedError
  | TimeoutError
  | BackendError;

/** What every vault write resolves with. */
export interface ActionReceipt {
  txId: string;
  receipt: Receipt;
}

export const MAX_UINT256 = (1n << 256n) - 1n;
export const MAX_UINT128 = (1n << 128n) - 1n;
export const MAX_UINT64 = (1n << 64n) - 1n;
export const ZERO_ADDRESS = "0x0000000000000000000000000000000000000000" as Hex20;

export function checkClient(client: VaultClient): void {
  if (typeof client !== "object" || client === null || typeof client.backend !== "object" || !client.vault) {
    throw new InvalidArgumentError("Expected a VaultClient (createVaultClient)");
  }
}

export function checkParameters(parameters: unknown, action: string): void {
  if (typeof parameters !== "object" || parameters === null) {
    throw new InvalidArgumentError(`${action} needs a parameters object`);
  }
}

/** A token amount: a bigint, positive unless `allowZero`, at most `max`. */
export function checkAmount(amount: unknown, name = "amount", { allowZero = false, max = MAX_UINT256 } = {}): bigint {
  if (typeof amount !== "bigint") {
    throw new InvalidAmountError(amount, `${name} must be a bigint in the token's smallest unit (use parseBtt)`);
  }
  if (amount < 0n) throw new InvalidAmountError(amount, `${name} must not be negative`);
  if (amount === 0n && !allowZero) throw new InvalidAmountError(amount, `${name} must be positive`);
  if (amount > max) throw new InvalidAmountError(amount, `${name} is larger than ${max}`);
  return amount;
}

export function checkEscrowId(escrowId: unknown): bigint {
  if (typeof escrowId !== "bigint" || escrowId < 0n || escrowId > MAX_UINT256) {
    throw new InvalidArgumentError(`escrowId must be a non-negative bigint, got ${String(escrowId)}`);
  }
  return escrowId;
}

/** A non-zero address in any TRON form. */
export function checkAccount(address: unknown, name: string): Hex20 {
  const hex = toHex20(address as string);
  if (hex === ZERO_ADDRESS) throw new InvalidArgumentError(`${name} must not be the zero address`);
  return hex;
}

export async function requireSigner(client: VaultClient): Promise<Hex20> {
  const account = await client.backend.account();
  if (!account) throw new PreflightError("no-signer", "This backend has no signer: it can only read");
  return account;
}

/** The optional account of a read, defaulting to the signer. */
export async function accountOrSigner(
  client: VaultClient,
  account: AddressInput | undefined,
  name: string,
): Promise<Hex20> {
  if (account !== undefined) return toHex20(account);
  const signer = await client.backend.account();
  if (!signer) throw new InvalidArgumentError(`${name} is required on a read-only backend`);
  return signer;
}

export function checkOptions(options: ActionOptions): void {
  if (options.timeoutMs !== undefined) checkTimeout(options.timeoutMs);
  checkOptionalBigint(options.feeLimit, "feeLimit");
  if (options.skipPreflight !== undefined && typeof options.skipPreflight !== "boolean") {
    throw new InvalidArgumentError("skipPreflight must be a boolean");
  }
}

/** Sends a vault (or token) call and waits; typed errors on revert or failure. */
export async function send(
  client: VaultClient,
  target: "vault" | "token",
  functionName: string,
  args: readonly unknown[],
  options: ActionOptions,
): Promise<ActionReceipt> {
  const contract = target === "vault" ? client.vault : client.token;
  const feeLimit = options.feeLimit ?? client.feeLimit;
  const receipt = await writeAndWait(
    client.backend,
    {
      address: contract.address,
      abi: contract.abi,
      functionName,
      args,
      ...(feeLimit !== undefined ? { feeLimit } : {}),
    } as never,
    { timeoutMs: options.timeoutMs ?? client.timeoutMs },
  );
  return { txId: receipt.txId, receipt };
}

/** The vault's `name` events in a receipt. */
export function vaultEvents<
  name extends
    | "Deposited"
    | "Withdrawn"
    | "EscrowCreated"
    | "EscrowReleased"
    | "EscrowReclaimed"
    | "EscrowResolved"
    | "MarketApprovalSet",
>(client: VaultClient, receipt: Receipt, name: name) {
  return parseEventLogs(receipt.logs, escrowVaultAbi, name, { address: client.vault.address });
}

export async function checkVaultBalance(client: VaultClient, account: Hex20, needed: bigint): Promise<void> {
  const balance = await client.vault.read.balanceOf([account]);
  if (balance < needed) {
    throw new PreflightError("vault-balance", `Vault balance too low: ${btt(balance)} free, ${btt(needed)} needed`, {
      needed,
      available: balance,
    });
  }
}
