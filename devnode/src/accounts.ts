/** Deterministic funded test accounts, as TRE's /admin/accounts-json hands them out. */
import { sha256 } from "@noble/hashes/sha2.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { SigningKey } from "ethers";
import { bytesToHex, TronAddress } from "./encoding.js";

export interface TestAccount {
  /** 64 hex characters, no 0x: the form TronWeb and TronBox take. */
  privateKey: string;
  base58: string;
  /** `41…` hex. */
  hex: string;
}

/** Key i is sha256("<seed>:<i>"): stable across runs for a given seed. */
export function deriveAccounts(seed: string, count: number): TestAccount[] {
  const out: TestAccount[] = [];
  for (let i = 0; i < count; i++) {
    const privateKey = bytesToHex(sha256(new TextEncoder().encode(`${seed}:${i}`)));
    const publicKey = Buffer.from(SigningKey.computePublicKey(`0x${privateKey}`, false).slice(4), "hex");
    const address = TronAddress.fromBytes20(keccak_256(publicKey).slice(12));
    out.push({ privateKey, base58: address.base58, hex: address.hex });
  }
  return out;
}
