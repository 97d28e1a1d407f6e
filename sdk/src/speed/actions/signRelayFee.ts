import { BttkitError, InvalidArgumentError } from "../../errors.js";
import { toBttkitError } from "../../revert.js";
import { isTypedDataSigner, normalizeSignature, type TypedDataSigner } from "../../tip712.js";
import type { SpeedClient } from "../client.js";
import { checkRelay, RELAY_FEE_TYPES, type RelayFee, type SignedRelayFee } from "../relay.js";
import { checkClient, checkParameters } from "./internal.js";

export interface SignRelayFeeParameters extends RelayFee {
  /** The seeder's signer; default the client's backend (a wallet asks its user). */
  signer?: TypedDataSigner;
}

export type SignRelayFeeReturnType = SignedRelayFee;

/** Errors: `InvalidArgumentError`, `InvalidAddressError`, `UserRejectedError`, or the signer's failure. */
export type SignRelayFeeErrorType = BttkitError;

/**
 * The seeder's side of a relay: authorises `relayer` to redeem for `seeder` and keep at most
 * `maxFee` under `nonce` until `deadline`, signed under the market's domain (`client.domain`).
 * No transaction; the relayer passes the result to `redeemRelayed`.
 */
export async function signRelayFee(
  client: SpeedClient,
  parameters: SignRelayFeeParameters,
): Promise<SignRelayFeeReturnType> {
  checkClient(client);
  checkParameters(parameters, "signRelayFee");
  const { signer = client.backend, ...relay } = parameters;
  if (!isTypedDataSigner(signer)) {
    throw new InvalidArgumentError("signer must be a TypedDataSigner (a Backend, privateKeySigner(key))");
  }
  for (const field of ["maxFee", "nonce", "deadline"] as const) {
    if (typeof relay[field] !== "bigint") throw new InvalidArgumentError(`${field} must be a bigint`);
  }
  const message = checkRelay(relay);
  try {
    const signature = await signer.signTypedData({
      domain: client.domain,
      types: RELAY_FEE_TYPES,
      primaryType: "RelayFee",
      message,
    });
    return { ...message, signature: normalizeSignature(signature) };
  } catch (error) {
    if (error instanceof BttkitError) throw error;
    throw toBttkitError(error);
  }
}
