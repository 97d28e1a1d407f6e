import { btt } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import {
  checkAmount,
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface RequestUnstakeParameters extends StorageActionOptions {
  /** Free stake to start unbonding. */
  amount: bigint;
}
export interface RequestUnstakeReturnType extends StorageActionReceipt {
  /** Unix seconds after which `withdrawStake` releases everything unbonding. */
  readyAt: bigint;
}
/** `PreflightError` checks: `no-signer`, `host-free-stake` (locked by deals or already unbonding). */
export type RequestUnstakeErrorType = StorageActionError;

/** Moves `amount` of the signer's free stake into unbonding (`requestUnbonding`). */
export async function requestUnstake(
  client: StorageClient,
  parameters: RequestUnstakeParameters,
): Promise<RequestUnstakeReturnType> {
  checkClient(client);
  checkParameters(parameters, "requestUnstake");
  checkOptions(parameters);
  const amount = checkAmount(parameters.amount);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const free = await client.registry.read.freeStakeOf([signer]);
    if (free < amount) {
      throw new PreflightError("host-free-stake", `Free stake too low: ${btt(free)} free, ${btt(amount)} asked`, {
        needed: amount,
        available: free,
      });
    }
  }
  const result = await send(client, "registry", "requestUnbonding", [amount], parameters);
  const info = await client.registry.read.stakeOf([signer]);
  return { ...result, readyAt: info.unbondingReadyAt };
}
