import type { AddressInput } from "../backend/types.js";
import type { VaultClient } from "./client.js";
import { checkTokenFunds, type DepositReturnType } from "./deposit.js";
import {
  type ActionOptions,
  checkAccount,
  checkAmount,
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  send,
  type VaultActionError,
  vaultEvents,
} from "./internal.js";

export interface DepositForParameters extends ActionOptions {
  /** The account credited, in any TRON address form. */
  account: AddressInput;
  /** Tokens to pull from the signer's wallet. */
  amount: bigint;
}

export type DepositForReturnType = DepositReturnType;

/** Errors: as `deposit`, plus `InvalidAddressError` / `InvalidArgumentError` (zero address) for `account`. */
export type DepositForErrorType = VaultActionError;

/** Pulls `amount` tokens from the signer and credits `account`'s free balance. */
export async function depositFor(client: VaultClient, parameters: DepositForParameters): Promise<DepositForReturnType> {
  checkClient(client);
  checkParameters(parameters, "depositFor");
  checkOptions(parameters);
  const account = checkAccount(parameters.account, "account");
  const amount = checkAmount(parameters.amount);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) await checkTokenFunds(client, signer, amount);
  const result = await send(client, "vault", "depositFor", [account, amount], parameters);
  const [event] = vaultEvents(client, result.receipt, "Deposited");
  return { ...result, credited: event?.amount ?? 0n };
}
