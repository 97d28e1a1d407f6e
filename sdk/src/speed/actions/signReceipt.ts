import type { Signer } from "ethers";
import { BttkitError, InvalidArgumentError } from "../../errors.js";
import { toBttkitError } from "../../revert.js";
import {
  isTypedDataSigner,
  normalizeSignature,
  type TronWebTypedDataSigner,
  type TypedDataSigner,
} from "../../tip712.js";
import type { SpeedClient } from "../client.js";
import {
  RECEIPT_TYPES,
  receiptMessage,
  type SignedReceipt,
  signReceiptWithEthers,
  signReceiptWithTronWeb,
} from "../receipt.js";
import { checkBidId, checkClient, checkParameters } from "./internal.js";

/**
 * Who signs receipts (the bid's downloader): a `TypedDataSigner` (a `Backend`, such as the
 * client's own, or `privateKeySigner(key)`), an ethers `Signer`, or a TronWeb instance (its
 * default key, or `privateKey`).
 */
export type ReceiptSigner =
  | TypedDataSigner
  | Signer
  | TronWebTypedDataSigner
  | { tronWeb: TronWebTypedDataSigner; privateKey?: string };

export interface SignReceiptParameters {
  /** Default: the client's backend (its account; a wallet asks its user). */
  signer?: ReceiptSigner;
  bidId: bigint;
  /** The seeder who served the bytes, in any TRON address form. */
  seeder: string;
  /** All bytes this seeder has served on this bid so far (receipts are cumulative). */
  cumulativeBytes: bigint;
}

export type SignReceiptReturnType = SignedReceipt;

/**
 * Errors: `InvalidArgumentError`, `InvalidAddressError`, `UserRejectedError` (the wallet refused),
 * or the signer's failure as a `BttkitError`.
 */
export type SignReceiptErrorType = BttkitError;

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;

/**
 * Signs a receipt under the market's domain as the contract reports it (`client.domain`), so
 * the chain id and verifying contract are right whatever the wallet thinks. No transaction.
 */
export async function signReceipt(
  client: SpeedClient,
  parameters: SignReceiptParameters,
): Promise<SignReceiptReturnType> {
  checkClient(client);
  checkParameters(parameters, "signReceipt");
  const { seeder, cumulativeBytes } = parameters;
  const signer: unknown = parameters.signer ?? client.backend;
  const bidId = checkBidId(parameters.bidId);
  if (typeof seeder !== "string") throw new InvalidArgumentError("seeder must be an address string");
  if (typeof cumulativeBytes !== "bigint") throw new InvalidArgumentError("cumulativeBytes must be a bigint");
  const receipt = { bidId, seeder, cumulativeBytes };
  try {
    if (isTypedDataSigner(signer)) {
      const message = receiptMessage(receipt);
      const signature = await signer.signTypedData({
        domain: client.domain,
        types: RECEIPT_TYPES,
        primaryType: "Receipt",
        message,
      });
      return {
        ...(message as { bidId: bigint; seeder: string; cumulativeBytes: bigint }),
        signature: normalizeSignature(signature),
      };
    }
    if (isObj(signer) && typeof signer.signTypedData === "function") {
      return await signReceiptWithEthers(signer as unknown as Signer, client.domain, receipt);
    }
    if (isObj(signer) && isObj(signer.trx) && typeof signer.trx._signTypedData === "function") {
      return await signReceiptWithTronWeb(signer as unknown as TronWebTypedDataSigner, client.domain, receipt);
    }
    if (isObj(signer) && isObj(signer.tronWeb)) {
      const key = signer.privateKey;
      if (key !== undefined && typeof key !== "string") throw new InvalidArgumentError("privateKey must be hex");
      return await signReceiptWithTronWeb(
        signer.tronWeb as unknown as TronWebTypedDataSigner,
        client.domain,
        receipt,
        key,
      );
    }
  } catch (error) {
    if (error instanceof BttkitError) throw error;
    throw toBttkitError(error);
  }
  throw new InvalidArgumentError(
    "signer must be a TypedDataSigner (a Backend, privateKeySigner(key)), an ethers Signer, a TronWeb or {tronWeb, privateKey?}",
  );
}
