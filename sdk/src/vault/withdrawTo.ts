import type { AddressInput } from "../backend/types.js";
import { InvalidArgumentError } from "../errors.js";
import type { VaultClient } from "./client.js";
import {
  type ActionOptions,
  type ActionReceipt,
  checkAccount,
  checkAmount,
  checkClient,
  checkOptions,
  checkParameters,
  checkVaultBalance,
  requireSigner,
  send,
  type VaultActionError,
} from "./internal.js";

export interface WithdrawToParameters extends ActionOptions {
  /** The recipient wallet, in any TRON address form (not the vault, not zero). */
  to: AddressInput;
  amount: bigint;
}

export type WithdrawToReturnType = ActionReceipt;

/** Errors: as `withdraw`, plus `InvalidAddressError` / `InvalidArgumentError` for `to`. */
export type WithdrawToErrorType = VaultActionError;

/** Sends `amount` of the signer's free vault balance to `to`. */
export async function withdrawTo(client: VaultClient, parameters: WithdrawToParameters): Promise<WithdrawToReturnType> {
  checkClient(client);
  checkParameters(parameters, "withdrawTo");
  checkOptions(parameters);
  const to = checkAccount(parameters.to, "to");
  if (to === client.vault.address) throw new InvalidArgumentError("to must not be the vault itself");
  const amount = checkAmount(parameters.amount);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) await checkVaultBalance(client, signer, amount);
  return send(client, "vault", "withdrawTo", [to, amount], parameters);
}
