import { InvalidArgumentError } from "../errors.js";
import { compactSignature } from "../tip712.js";

/** secp256k1's group order; a signature's `s` must not exceed half of it (EIP-2, OZ ECDSA). */
export const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_N = SECP256K1_N / 2n;

/** An EIP-2098 compact signature, as SpeedMarket takes it: `vs = (v - 27) << 255 | s`. */
export interface CompactSignature {
  r: `0x${string}`;
  vs: `0x${string}`;
}

/**
 * Converts a 65-byte `r ++ s ++ v` signature (what TronWeb and ethers produce) to the compact
 * form. Rejects a high-s (malleable) signature: the contract would reject it too.
 */
export function toCompactSignature(signature: string): CompactSignature {
  const hex = signature.startsWith("0x") ? signature : `0x${signature}`;
  if (!/^0x[0-9a-fA-F]{130}$/.test(hex)) {
    throw new InvalidArgumentError("A signature must be 65 bytes r ++ s ++ v", { details: signature });
  }
  const s = BigInt(`0x${hex.slice(66, 130)}`);
  if (s > HALF_N) {
    throw new InvalidArgumentError("Malleable signature: s is in the upper half of the curve order", {
      details: signature,
    });
  }
  return compactSignature(hex);
}
