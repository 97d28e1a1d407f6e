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
} from "./internal.js";

export interface ApproveTokenParameters extends ActionOptions {
  /** The allowance the vault gets on the signer's tokens (0 revokes). */
  amount: bigint;
}

export type ApproveTokenReturnType = ActionReceipt;

/** Errors: `InvalidAmountError`, `PreflightError` (`no-signer`), `ContractRevertError`, `TransactionFailedError`, `TimeoutError`, `BackendError`. */
export type ApproveTokenErrorType = VaultActionError;

/** TRC-20 `approve(vault, amount)` on the vault's token, so that `deposit` can pull it. */
export async function approveToken(
  client: VaultClient,
  parameters: ApproveTokenParameters,
): Promise<ApproveTokenReturnType> {
  checkClient(client);
  checkParameters(parameters, "approveToken");
  checkOptions(parameters);
  const amount = checkAmount(parameters.amount, "amount", { allowZero: true });
  await requireSigner(client);
  return send(client, "token", "approve", [client.vault.address, amount], parameters);
}
