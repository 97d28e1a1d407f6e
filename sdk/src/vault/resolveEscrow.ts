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
  vaultEvents,
} from "./internal.js";

export interface ResolveEscrowParameters extends ActionOptions {
  escrowId: bigint;
  /** The payee's part; the rest goes back to the payer. At most what is left. */
  toPayee: bigint;
}

export interface ResolveEscrowReturnType extends ActionReceipt {
  toPayee: bigint;
  toPayer: bigint;
}

export type ResolveEscrowErrorType = VaultActionError;

/** The arbiter splits what is left of an escrow between payee and payer. Arbiter only. */
export async function resolveEscrow(
  client: VaultClient,
  parameters: ResolveEscrowParameters,
): Promise<ResolveEscrowReturnType> {
  checkClient(client);
  checkParameters(parameters, "resolveEscrow");
  checkOptions(parameters);
  const escrowId = checkEscrowId(parameters.escrowId);
  const toPayee = checkAmount(parameters.toPayee, "toPayee", { allowZero: true });
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const info = await loadEscrow(client, escrowId);
    checkRole(escrowId, signer, [info.arbiter], "arbiter");
    checkRemaining(escrowId, info.amount, toPayee);
  }
  const result = await send(client, "vault", "resolveEscrow", [escrowId, toPayee], parameters);
  const [event] = vaultEvents(client, result.receipt, "EscrowResolved");
  return { ...result, toPayee: event?.toPayee ?? 0n, toPayer: event?.toPayer ?? 0n };
}
