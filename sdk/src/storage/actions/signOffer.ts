import type { Signer } from "ethers";
import { type Hex20, toHex20 } from "../../address.js";
import { addr } from "../../describe.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import {
  addressOfPrivateKey,
  isTypedDataSigner,
  signTypedDataWithPrivateKey,
  type TronWebTypedDataSigner,
  type TypedDataSigner,
} from "../../tip712.js";
import type { StorageClient } from "../client.js";
import {
  offerCalldata,
  STORAGE_OFFER_TYPES,
  type StorageOffer,
  signStorageOfferWithEthers,
  signStorageOfferWithTronWeb,
  storageOfferMessage,
} from "../offer.js";
import {
  checkClient,
  checkParameters,
  recoverOfferSigner,
  type SignedOffer,
  type StorageActionError,
} from "./internal.js";

/**
 * Who signs: a `TypedDataSigner` (a wallet's `Backend`, `privateKeySigner(key)`), a raw private
 * key, an ethers signer, or TronWeb (its default key or `privateKey`).
 */
export type OfferSigner =
  | { privateKey: string }
  | { ethers: Signer }
  | { tronWeb: TronWebTypedDataSigner; privateKey?: string }
  | TypedDataSigner;

export interface SignOfferParameters {
  offer: StorageOffer;
  signer: OfferSigner;
}
export type SignOfferReturnType = SignedOffer;
/** `InvalidArgumentError` (malformed offer or signer), `PreflightError` `offer-signature` (not the offer's host). */
export type SignOfferErrorType = StorageActionError;

function keyAddress(privateKey: string): Hex20 {
  try {
    return addressOfPrivateKey(privateKey);
  } catch (error) {
    throw new InvalidArgumentError("privateKey is not a secp256k1 private key", { cause: error });
  }
}

/**
 * The host's side: signs `offer` under the market's TIP-712 domain (read from `eip712Domain()`
 * when the client was made) and returns it with the packed calldata. Checks first that the
 * signer is the offer's host, and after that the signature recovers to it.
 */
export async function signOffer(client: StorageClient, parameters: SignOfferParameters): Promise<SignOfferReturnType> {
  checkClient(client);
  checkParameters(parameters, "signOffer");
  const { offer, signer } = parameters;
  if (typeof offer !== "object" || offer === null) throw new InvalidArgumentError("offer must be a StorageOffer");
  if (typeof signer !== "object" || signer === null) throw new InvalidArgumentError("signer must be an OfferSigner");
  let host: Hex20;
  try {
    host = toHex20(offer.host);
    storageOfferMessage(offer);
    offerCalldata(offer, `0x${"11".repeat(32)}${"22".repeat(32)}1b`); // range checks of the packed words
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    throw new InvalidArgumentError("offer is malformed", { cause: error });
  }
  const domain = client.domain;
  let signature: string;
  try {
    if (isTypedDataSigner(signer)) {
      // A wallet or backend; the recovery check below proves it is the host.
      signature = await signer.signTypedData({
        domain,
        types: STORAGE_OFFER_TYPES,
        primaryType: "StorageOffer",
        message: storageOfferMessage(offer),
      });
    } else if ("ethers" in signer) {
      const address = toHex20(await signer.ethers.getAddress());
      if (address !== host)
        throw new PreflightError(
          "offer-signature",
          `The signer ${addr(address)} is not the offer's host ${addr(host)}`,
        );
      signature = await signStorageOfferWithEthers(signer.ethers, domain, offer);
    } else if ("tronWeb" in signer) {
      if (signer.privateKey !== undefined && keyAddress(signer.privateKey) !== host) {
        throw new PreflightError("offer-signature", `The private key is not the offer's host ${addr(host)}`);
      }
      signature = await signStorageOfferWithTronWeb(signer.tronWeb, domain, offer, signer.privateKey);
    } else if ("privateKey" in signer && typeof signer.privateKey === "string") {
      const address = keyAddress(signer.privateKey);
      if (address !== host)
        throw new PreflightError(
          "offer-signature",
          `The private key's address ${addr(address)} is not the offer's host ${addr(host)}`,
        );
      const key = signer.privateKey.replace(/^0x/, "");
      signature = signTypedDataWithPrivateKey(key, domain, STORAGE_OFFER_TYPES, storageOfferMessage(offer));
    } else {
      throw new InvalidArgumentError("signer must have privateKey, ethers or tronWeb");
    }
  } catch (error) {
    if (error instanceof PreflightError || error instanceof InvalidArgumentError) throw error;
    throw new InvalidArgumentError("Signing the offer failed", { cause: error });
  }
  const recovered = recoverOfferSigner(domain, offer, signature);
  if (recovered !== host) {
    throw new PreflightError(
      "offer-signature",
      `The signature recovers to ${recovered ? addr(recovered) : "nothing"}, not the host ${addr(host)}`,
    );
  }
  return { offer: { ...offer, host }, signature, calldata: offerCalldata(offer, signature) };
}
