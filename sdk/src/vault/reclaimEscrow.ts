import type { VaultClient } from "./client.js";
import { checkRole, loadEscrow } from "./escrowChecks.js";
import {
  type ActionOptions,
  type ActionReceipt,
  checkClient,
  checkEscrowId,
  checkOptions,
  checkParameters,
  requireSigner,
  send,
  type VaultActionError,
  vaultEvents,
} from "./internal.js";

export interface ReclaimEscrowParameters extends ActionOptions {
  escrowId: bigint;
}

export interface ReclaimEscrowReturnType extends ActionReceipt {
  /** What went back to the payer's free balance. */
  reclaimed: bigint;
}

export type ReclaimEscrowErrorType = VaultActionError;

/**
 * After the deadline, returns what is left of an escrow to the payer. Payer only. Before the
 * deadline (chain time) it reverts with `VaultEscrowNotExpired(escrowId, deadline)`.
 */
export async function reclaimEscrow(
  client: VaultClient,
  parameters: ReclaimEscrowParameters,
): Promise<ReclaimEscrowReturnType> {
  checkClient(client);
  checkParameters(parameters, "reclaimEscrow");
  checkOptions(parameters);
  const escrowId = checkEscrowId(parameters.escrowId);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const info = await loadEscrow(client, escrowId);
    checkRole(escrowId, signer, [info.payer], "payer");
  }
  const result = await send(client, "vault", "reclaimEscrow", [escrowId], parameters);
  const [event] = vaultEvents(client, result.receipt, "EscrowReclaimed");
  return { ...result, reclaimed: event?.amount ?? 0n };
}
