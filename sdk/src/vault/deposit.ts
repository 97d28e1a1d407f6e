import type { Hex20 } from "../address.js";
import { btt } from "../describe.js";
import { PreflightError } from "../errors.js";
import type { VaultClient } from "./client.js";
import {
  type ActionOptions,
  type ActionReceipt,
  checkAmount,
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  send,
  type VaultActionError,
  vaultEvents,
} from "./internal.js";

export interface DepositParameters extends ActionOptions {
  /** Tokens to pull from the signer's wallet, in the smallest unit. */
  amount: bigint;
}

export interface DepositReturnType extends ActionReceipt {
  /** What the vault credited (the `Deposited` event). */
  credited: bigint;
}

/**
 * Errors: `InvalidAmountError`, `PreflightError` (`no-signer`, `token-balance`, `token-allowance`:
 * call `approveToken` first), `ContractRevertError`, `TransactionFailedError`, `TimeoutError`,
 * `BackendError`.
 */
export type DepositErrorType = VaultActionError;

/** Checks that `payer` holds and has approved `amount` tokens for the vault. */
export async function checkTokenFunds(client: VaultClient, payer: Hex20, amount: bigint): Promise<void> {
  const [balance, allowance] = await Promise.all([
    client.token.read.balanceOf([payer]),
    client.token.read.allowance([payer, client.vault.address]),
  ]);
  if (balance < amount) {
    throw new PreflightError("token-balance", `Token balance too low: ${btt(balance)} held, ${btt(amount)} needed`, {
      needed: amount,
      available: balance,
    });
  }
  if (allowance < amount) {
    throw new PreflightError(
      "token-allowance",
      `Token allowance too low: the vault may pull ${btt(allowance)}, ${btt(amount)} needed (approveToken first)`,
      { needed: amount, available: allowance },
    );
  }
}

/** Pulls `amount` tokens from the signer into the vault and credits the signer's free balance. */
export async function deposit(client: VaultClient, parameters: DepositParameters): Promise<DepositReturnType> {
  checkClient(client);
  checkParameters(parameters, "deposit");
  checkOptions(parameters);
  const amount = checkAmount(parameters.amount);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) await checkTokenFunds(client, signer, amount);
  const result = await send(client, "vault", "deposit", [amount], parameters);
  const [event] = vaultEvents(client, result.receipt, "Deposited");
  return { ...result, credited: event?.amount ?? 0n };
}
