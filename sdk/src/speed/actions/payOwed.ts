import type { AddressInput } from "../../backend/types.js";
import { addr, btt } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import {
  checkAccount,
  checkBidId,
  checkClient,
  checkOptions,
  checkParameters,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";

export interface PayOwedParameters extends SpeedActionOptions {
  bidId: bigint;
  /** The seeder owed. */
  seeder: AddressInput;
}

export interface PayOwedReturnType extends SpeedActionReceipt {
  /** What was paid (from `OwedPaid`). */
  amount: bigint;
}

/**
 * Errors: `InvalidArgumentError`, `InvalidAddressError`, `PreflightError` (`no-signer`,
 * `nothing-to-pay`), `ContractRevertError` (`SpeedNothingToPay()`, `SpeedBidNotRedeemable`),
 * `TransactionFailedError`, `TimeoutError`, `BackendError`.
 */
export type PayOwedErrorType = SpeedActionError;

/** Pays what a bid owes a seeder for recorded receipts the budget could not cover (after a top-up). Anyone may call. */
export async function payOwed(client: SpeedClient, parameters: PayOwedParameters): Promise<PayOwedReturnType> {
  checkClient(client);
  checkParameters(parameters, "payOwed");
  checkOptions(parameters);
  const bidId = checkBidId(parameters.bidId);
  const seeder = checkAccount(parameters.seeder, "seeder");
  await requireSigner(client);
  if (!parameters.skipPreflight) {
    const [owed, bid] = await Promise.all([client.market.read.owed([bidId, seeder]), client.market.read.bid([bidId])]);
    if (owed === 0n || bid.remaining === 0n) {
      throw new PreflightError(
        "nothing-to-pay",
        `Bid ${bidId} owes ${addr(seeder)} ${btt(owed)} with ${btt(bid.remaining)} left to pay it`,
      );
    }
  }
  const result = await send(client, "payOwed", [bidId, seeder], parameters);
  return { ...result, amount: requireEvent(client, result, "OwedPaid").amount };
}
