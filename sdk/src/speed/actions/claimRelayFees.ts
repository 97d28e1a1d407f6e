import type { AddressInput } from "../../backend/types.js";
import { addr } from "../../describe.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import {
  accountOrSigner,
  checkAccount,
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

export interface ClaimRelayFeesParameters extends SpeedActionOptions {
  /** The relayer paid; default the signer. */
  relayer?: AddressInput;
  /** The seeders whose redemptions it relayed. */
  seeders: readonly AddressInput[];
}

export interface ClaimRelayFeesReturnType extends SpeedActionReceipt {
  /** What moved to the relayer's free vault balance (from `RelayFeesClaimed`). */
  amount: bigint;
}

/** Errors: as `claim`. */
export type ClaimRelayFeesErrorType = SpeedActionError;

/** Moves a relayer's unclaimed fees earned from `seeders` to its free vault balance. Anyone may call. */
export async function claimRelayFees(
  client: SpeedClient,
  parameters: ClaimRelayFeesParameters,
): Promise<ClaimRelayFeesReturnType> {
  checkClient(client);
  checkParameters(parameters, "claimRelayFees");
  checkOptions(parameters);
  if (!Array.isArray(parameters.seeders) || parameters.seeders.length === 0) {
    throw new InvalidArgumentError("seeders must be a non-empty array of addresses");
  }
  const seeders = parameters.seeders.map((s, i) => checkAccount(s, `seeders[${i}]`));
  await requireSigner(client);
  const relayer = await accountOrSigner(client, parameters.relayer, "relayer");
  if (!parameters.skipPreflight) {
    const accounts = await Promise.all(seeders.map((s) => client.market.read.relayAccount([s, relayer])));
    if (accounts.every((a) => a.unclaimed === 0n)) {
      throw new PreflightError("nothing-to-pay", `${addr(relayer)} has no unclaimed relay fees from these seeders`);
    }
  }
  const result = await send(client, "claimRelayFees", [relayer, seeders], parameters);
  return { ...result, amount: requireEvent(client, result, "RelayFeesClaimed").amount };
}
