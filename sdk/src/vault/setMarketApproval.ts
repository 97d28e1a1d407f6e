import type { AddressInput } from "../backend/types.js";
import { InvalidArgumentError } from "../errors.js";
import type { VaultClient } from "./client.js";
import {
  type ActionOptions,
  type ActionReceipt,
  checkAccount,
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  send,
  type VaultActionError,
} from "./internal.js";

export interface SetMarketApprovalParameters extends ActionOptions {
  /** The market contract, in any TRON address form. */
  market: AddressInput;
  /** True to let it commit the signer's free balance, false to revoke. */
  approved: boolean;
}

export type SetMarketApprovalReturnType = ActionReceipt;

/** Errors: `InvalidAddressError`, `InvalidArgumentError`, `PreflightError` (`no-signer`), `ContractRevertError`, `TransactionFailedError`, `TimeoutError`, `BackendError`. */
export type SetMarketApprovalErrorType = VaultActionError;

/** Approves (or revokes) `market` to commit the signer's free vault balance. */
export async function setMarketApproval(
  client: VaultClient,
  parameters: SetMarketApprovalParameters,
): Promise<SetMarketApprovalReturnType> {
  checkClient(client);
  checkParameters(parameters, "setMarketApproval");
  checkOptions(parameters);
  const market = checkAccount(parameters.market, "market");
  if (typeof parameters.approved !== "boolean") throw new InvalidArgumentError("approved must be a boolean");
  await requireSigner(client);
  return send(client, "vault", "setMarketApproval", [market, parameters.approved], parameters);
}
