import { addr, when } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface WithdrawStakeParameters extends StorageActionOptions {}
export interface WithdrawStakeReturnType extends StorageActionReceipt {
  /** Stake released to the signer's free vault balance. */
  withdrawn: bigint;
}
/** `PreflightError` checks: `no-signer`, `nothing-unbonding`, `unbonding-not-ready` (chain time before `readyAt`). */
export type WithdrawStakeErrorType = StorageActionError;

/** After the unbonding delay, releases all unbonding stake to the signer's free vault balance. */
export async function withdrawStake(
  client: StorageClient,
  parameters: WithdrawStakeParameters = {},
): Promise<WithdrawStakeReturnType> {
  checkClient(client);
  checkParameters(parameters, "withdrawStake");
  checkOptions(parameters);
  const signer = await requireSigner(client);
  const info = await client.registry.read.stakeOf([signer]);
  if (!parameters.skipPreflight) {
    if (info.unbonding === 0n) throw new PreflightError("nothing-unbonding", `${addr(signer)} has nothing unbonding`);
    const { timestamp } = await client.backend.getBlock();
    if (timestamp < info.unbondingReadyAt) {
      throw new PreflightError(
        "unbonding-not-ready",
        `Unbonding stake is free after ${when(info.unbondingReadyAt)} (chain time ${when(timestamp)})`,
      );
    }
  }
  const result = await send(client, "registry", "withdrawUnbonded", [], parameters);
  return { ...result, withdrawn: info.unbonding };
}
