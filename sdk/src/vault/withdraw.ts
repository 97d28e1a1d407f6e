import type { VaultClient } from "./client.js";
import {
  type ActionOptions,
  type ActionReceipt,
  checkAmount,
  checkClient,
  checkOptions,
  checkParameters,
  checkVaultBalance,
  requireSigner,
  send,
  type VaultActionError,
} from "./internal.js";

export interface WithdrawParameters extends ActionOptions {
  /** Tokens to send from the signer's free balance to the signer's wallet. */
  amount: bigint;
}

export type WithdrawReturnType = ActionReceipt;

/**
 * Errors: `InvalidAmountError`, `PreflightError` (`no-signer`, `vault-balance`),
 * `ContractRevertError` (e.g. `VaultInsufficientBalance(account, balance, needed)` with
 * `skipPreflight`), `TransactionFailedError`, `TimeoutError`, `BackendError`.
 */
export type WithdrawErrorType = VaultActionError;

/** Sends `amount` of the signer's free vault balance to the signer. Works while paused. */
export async function withdraw(client: VaultClient, parameters: WithdrawParameters): Promise<WithdrawReturnType> {
  checkClient(client);
  checkParameters(parameters, "withdraw");
  checkOptions(parameters);
  const amount = checkAmount(parameters.amount);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) await checkVaultBalance(client, signer, amount);
  return send(client, "vault", "withdraw", [amount], parameters);
}
