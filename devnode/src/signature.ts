/** TRON signature checks: secp256k1 over the txID, 65 bytes r ++ s ++ v. */

import { keccak_256 } from "@noble/hashes/sha3.js";
import { Signature, SigningKey } from "ethers";
import { TronAddress } from "./encoding.js";

export class SignatureFormatError extends Error {}

/**
 * Recovers the signer of `digest` (32 bytes). v may be 0, 1, 27 or 28 (java-tron accepts both
 * conventions); hex case does not matter. Throws SignatureFormatError on anything malformed.
 */
export function recoverSigner(digest: Uint8Array, signatureHex: string): TronAddress {
  if (typeof signatureHex !== "string" || !/^(0x)?[0-9a-fA-F]{130}$/.test(signatureHex)) {
    throw new SignatureFormatError("signature is not 65 bytes of hex");
  }
  const hex = signatureHex.replace(/^0x/, "").toLowerCase();
  let v = Number.parseInt(hex.slice(128, 130), 16);
  if (v === 0 || v === 1) v += 27;
  if (v !== 27 && v !== 28) throw new SignatureFormatError(`bad recovery id ${v}`);
  let publicKey: string;
  try {
    const sig = Signature.from({ r: `0x${hex.slice(0, 64)}`, s: `0x${hex.slice(64, 128)}`, v });
    publicKey = SigningKey.recoverPublicKey(digest, sig);
  } catch (e) {
    throw new SignatureFormatError(`cannot recover public key: ${(e as Error).message}`);
  }
  // TRON address = 0x41 ++ last 20 bytes of keccak256(uncompressed key without 0x04).
  const pub = Buffer.from(publicKey.slice(4), "hex");
  return TronAddress.fromBytes20(keccak_256(pub).slice(12));
}
