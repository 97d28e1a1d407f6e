/** Checks and plumbing shared by the vault actions. */

import { type ActionOptions, MAX_UINT256 } from "../actions.js";

export {
  type ActionOptions,
  accountOrSigner,
  checkAccount,
  checkAmount,
  checkOptions,
  checkParameters,
  MAX_UINT256,
  requireSigner,
  ZERO_ADDRESS,
} from "../actions.js";

import type { Hex20 } from "../address.js";
import type { FunctionArgs, Receipt, WriteFunctionName, WriteParameters } from "../backend/types.js";
import { parseEventLogs, writeAndWait } from "../contract.js";
import { btt } from "../describe.js";
import { type InvalidAddressError, type InvalidAmountError, InvalidArgumentError, PreflightError } from "../errors.js";
import { escrowVaultAbi } from "../generated/abi/index.js";
import type { BackendError, ContractRevertError, TimeoutError, TransactionFailedError } from "../revert.js";
import type { VaultClient } from "./client.js";

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

export const MAX_UINT128 = (1n << 128n) - 1n;
export const MAX_UINT64 = (1n << 64n) - 1n;

export function checkClient(client: VaultClient): void {
  if (typeof client !== "object" || client === null || typeof client.backend !== "object" || !client.vault) {
    throw new InvalidArgumentError("Expected a VaultClient (createVaultClient)");
  }
}

export function checkEscrowId(escrowId: unknown): bigint {
  if (typeof escrowId !== "bigint" || escrowId < 0n || escrowId > MAX_UINT256) {
    throw new InvalidArgumentError(`escrowId must be a non-negative bigint, got ${String(escrowId)}`);
  }
  return escrowId;
}

type VaultTargets = { vault: VaultClient["vault"]["abi"]; token: VaultClient["token"]["abi"] };

/** Sends a vault (or token) call, typed by the contract's ABI, and waits; typed errors on revert or failure. */
export async function send<target extends keyof VaultTargets, name extends WriteFunctionName<VaultTargets[target]>>(
  client: VaultClient,
  target: target,
  functionName: name,
  args: FunctionArgs<VaultTargets[target], name>,
  options: ActionOptions,
): Promise<ActionReceipt> {
  const contract = target === "vault" ? client.vault : client.token;
  const feeLimit = options.feeLimit ?? client.feeLimit;
  // Typed at this function's boundary; the two contracts' unions meet here only.
  const call = {
    address: contract.address,
    abi: contract.abi,
    functionName,
    args,
    ...(feeLimit !== undefined ? { feeLimit } : {}),
  } as unknown as WriteParameters<VaultTargets[target], name>;
  const receipt = await writeAndWait<VaultTargets[target], name>(client.backend, call, {
    timeoutMs: options.timeoutMs ?? client.timeoutMs,
  });
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
