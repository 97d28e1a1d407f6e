import { toHex20 } from "../address.js";
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
  MAX_UINT64,
  MAX_UINT128,
  requireSigner,
  send,
  type VaultActionError,
  vaultEvents,
  ZERO_ADDRESS,
} from "./internal.js";

export interface CreateEscrowParameters extends ActionOptions {
  /** Who the escrow is released to. */
  payee: AddressInput;
  /** Who may split the escrow in a dispute; omit for none. */
  arbiter?: AddressInput;
  /** After this time (unix seconds, or a Date) the payer can reclaim what is left. Must be in the future (chain time). */
  deadline: bigint | Date;
  /** Tokens moved from the signer's free balance into the escrow (at most 2^128 - 1). */
  amount: bigint;
}

export interface CreateEscrowReturnType extends ActionReceipt {
  /** The new escrow's id (from `EscrowCreated`). */
  escrowId: bigint;
}

export type CreateEscrowErrorType = VaultActionError;

function deadlineSeconds(deadline: unknown): bigint {
  if (deadline instanceof Date) {
    const ms = deadline.getTime();
    if (!Number.isFinite(ms) || ms < 0) throw new InvalidArgumentError("deadline is an invalid Date");
    return BigInt(Math.floor(ms / 1000));
  }
  if (typeof deadline !== "bigint" || deadline <= 0n || deadline > MAX_UINT64) {
    throw new InvalidArgumentError(
      `deadline must be unix seconds as a positive uint64 bigint, or a Date; got ${String(deadline)}`,
    );
  }
  return deadline;
}

/**
 * Moves `amount` of the signer's free balance into a new escrow for `payee`. Preflight: the free
 * balance covers it. A deadline not in the future (by chain time) reverts with
 * `VaultEscrowDeadlineInPast`.
 */
export async function createEscrow(
  client: VaultClient,
  parameters: CreateEscrowParameters,
): Promise<CreateEscrowReturnType> {
  checkClient(client);
  checkParameters(parameters, "createEscrow");
  checkOptions(parameters);
  const payee = checkAccount(parameters.payee, "payee");
  const arbiter = parameters.arbiter === undefined ? ZERO_ADDRESS : toHex20(parameters.arbiter);
  const deadline = deadlineSeconds(parameters.deadline);
  const amount = checkAmount(parameters.amount, "amount", { max: MAX_UINT128 });
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) await checkVaultBalance(client, signer, amount);
  const result = await send(client, "vault", "createEscrow", [payee, arbiter, deadline, amount], parameters);
  const [event] = vaultEvents(client, result.receipt, "EscrowCreated");
  if (!event) throw new InvalidArgumentError("The receipt has no EscrowCreated event", { details: result.txId });
  return { ...result, escrowId: event.escrowId };
}
