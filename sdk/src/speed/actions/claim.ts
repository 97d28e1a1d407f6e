import type { AddressInput } from "../../backend/types.js";
import { addr } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import {
  accountOrSigner,
  checkBidIds,
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

export interface ClaimParameters extends SpeedActionOptions {
  /** The seeder paid; default the signer. */
  seeder?: AddressInput;
  /** The bids the seeder earned on. */
  bidIds: readonly bigint[];
}

export interface ClaimReturnType extends SpeedActionReceipt {
  /** What moved to the seeder's free vault balance (from `EarningsClaimed`). */
  amount: bigint;
}

/**
 * Errors: `InvalidArgumentError`, `InvalidAddressError`, `PreflightError` (`no-signer`,
 * `nothing-to-pay`), `ContractRevertError` (`SpeedNothingToPay()`), `TransactionFailedError`,
 * `TimeoutError`, `BackendError`.
 */
export type ClaimErrorType = SpeedActionError;

/** Moves a seeder's unclaimed earnings on `bidIds` to its free vault balance. Anyone may call; the seeder is paid. */
export async function claim(client: SpeedClient, parameters: ClaimParameters): Promise<ClaimReturnType> {
  checkClient(client);
  checkParameters(parameters, "claim");
  checkOptions(parameters);
  const bidIds = checkBidIds(parameters.bidIds);
  await requireSigner(client);
  const seeder = await accountOrSigner(client, parameters.seeder, "seeder");
  if (!parameters.skipPreflight) {
    const earnings = await Promise.all(bidIds.map((id) => client.market.read.earning([id, seeder])));
    if (earnings.every((e) => e.unclaimed === 0n)) {
      throw new PreflightError(
        "nothing-to-pay",
        `${addr(seeder)} has no unclaimed earnings on bids ${bidIds.join(", ")}`,
      );
    }
  }
  const result = await send(client, "claim", [seeder, bidIds], parameters);
  return { ...result, amount: requireEvent(client, result, "EarningsClaimed").amount };
}
