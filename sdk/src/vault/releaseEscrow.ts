import type { VaultClient } from "./client.js";
import { checkRemaining, checkRole, loadEscrow } from "./escrowChecks.js";
import {
  type ActionOptions,
  type ActionReceipt,
  checkAmount,
  checkClient,
  checkEscrowId,
  checkOptions,
  checkParameters,
  requireSigner,
  send,
  type VaultActionError,
} from "./internal.js";

export interface ReleaseEscrowParameters extends ActionOptions {
  escrowId: bigint;
  /** Tokens released to the payee's free balance. */
  amount: bigint;
}

export type ReleaseEscrowReturnType = ActionReceipt;
export type ReleaseEscrowErrorType = VaultActionError;

/** Releases `amount` of an escrow to its payee. Payer or operator only (preflight: `escrow-unauthorized`). */
export async function releaseEscrow(
  client: VaultClient,
  parameters: ReleaseEscrowParameters,
): Promise<ReleaseEscrowReturnType> {
  checkClient(client);
  checkParameters(parameters, "releaseEscrow");
  checkOptions(parameters);
  const escrowId = checkEscrowId(parameters.escrowId);
  const amount = checkAmount(parameters.amount);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const info = await loadEscrow(client, escrowId);
    checkRole(escrowId, signer, [info.payer, info.operator], "payer or operator");
    checkRemaining(escrowId, info.amount, amount);
  }
  return send(client, "vault", "releaseEscrow", [escrowId, amount], parameters);
}
