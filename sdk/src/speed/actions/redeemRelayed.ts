import { toHex20 } from "../../address.js";
import { addr } from "../../describe.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import { MAX_UINT96, packReceipt, type SignedReceipt } from "../receipt.js";
import { packRelay, type SignedRelayFee } from "../relay.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  checkSignedReceipt,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
} from "./internal.js";
import { checkRedeemable } from "./redeem.js";

export interface RedeemRelayedParameters extends SpeedActionOptions {
  /** The downloader's signed receipt. */
  receipt: SignedReceipt;
  /** The seeder's signed authorisation for the signer (the relayer): `signRelayFeeWith*`. */
  relay: SignedRelayFee;
  /** The fee asked on this call, at most what the receipt pays and within `relay.maxFee`. */
  fee: bigint;
}

export interface RedeemRelayedReturnType extends SpeedActionReceipt {
  /** What the receipt paid, fee included (from `ReceiptRelayed`). */
  amount: bigint;
  /** The fee the relayer took (claim it with `claimRelayFees`). */
  fee: bigint;
}

/**
 * Errors: `InvalidArgumentError`, `PreflightError` (`no-signer`, the relay authorisation is for
 * another relayer or seeder: `receipt-wrong-signer`; and `redeem`'s checks),
 * `ContractRevertError` (`SpeedRelayExpired`, `SpeedRelayFeeAboveCap`, `SpeedRelayNonceStale`,
 * `SpeedRelayWrongSigner`, ...), `TransactionFailedError`, `TimeoutError`, `BackendError`.
 */
export type RedeemRelayedErrorType = SpeedActionError;

/** Redeems a receipt for its seeder and takes a fee the seeder signed for. The signer is the relayer. */
export async function redeemRelayed(
  client: SpeedClient,
  parameters: RedeemRelayedParameters,
): Promise<RedeemRelayedReturnType> {
  checkClient(client);
  checkParameters(parameters, "redeemRelayed");
  checkOptions(parameters);
  const receipt = checkSignedReceipt(parameters.receipt);
  const { relay, fee } = parameters;
  if (typeof relay !== "object" || relay === null)
    throw new InvalidArgumentError("relay must be a signed relay authorisation");
  if (typeof fee !== "bigint" || fee < 0n || fee > MAX_UINT96) {
    throw new InvalidArgumentError(`fee must be a bigint from 0 to 2^96 - 1, got ${String(fee)}`);
  }
  for (const field of ["maxFee", "nonce", "deadline"] as const) {
    if (typeof relay[field] !== "bigint") throw new InvalidArgumentError(`relay.${field} must be a bigint`);
  }
  if (typeof relay.signature !== "string") throw new InvalidArgumentError("relay.signature must be a hex string");
  const packedReceipt = packReceipt(receipt);
  const packedRelay = packRelay(relay, fee);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    if (toHex20(relay.relayer) !== signer) {
      throw new PreflightError(
        "receipt-wrong-signer",
        `The relay authorisation is for ${addr(toHex20(relay.relayer))}, not ${addr(signer)}`,
      );
    }
    if (toHex20(relay.seeder) !== receipt.seeder) {
      throw new PreflightError(
        "receipt-wrong-signer",
        `The relay authorisation is from ${addr(toHex20(relay.seeder))}, not the receipt's seeder`,
      );
    }
    await checkRedeemable(client, receipt);
  }
  const result = await send(client, "redeemRelayed", [packedReceipt, packedRelay], parameters);
  const event = requireEvent(client, result, "ReceiptRelayed");
  return { ...result, amount: event.amount, fee: event.fee };
}
