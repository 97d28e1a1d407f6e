import type { Signer } from "ethers";
import { type Hex20, toHex20 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import {
  signTypedDataWithEthers,
  signTypedDataWithTronWeb,
  type TronWebTypedDataSigner,
  type TypedDataDomain,
} from "../tip712.js";
import { MAX_UINT96 } from "./receipt.js";
import { toCompactSignature } from "./signature.js";

export const RELAY_FEE_TYPES = {
  RelayFee: [
    { name: "seeder", type: "address" },
    { name: "relayer", type: "address" },
    { name: "maxFee", type: "uint256" },
    { name: "nonce", type: "uint256" },
    { name: "deadline", type: "uint256" },
  ],
} as const;

const MAX_UINT32 = (1n << 32n) - 1n;

/**
 * A seeder's authorisation: `relayer` may redeem for `seeder` and take, in total under `nonce`,
 * at most `maxFee` out of the seeder's redemptions, until `deadline` (unix seconds).
 */
export interface RelayFee {
  seeder: string;
  relayer: string;
  maxFee: bigint;
  nonce: bigint;
  deadline: bigint;
}

export interface SignedRelayFee extends RelayFee {
  signature: string;
}

/** The relay part of `SpeedMarket.redeemRelayed`'s calldata. */
export interface PackedRelay {
  terms: bigint;
  r: `0x${string}`;
  vs: `0x${string}`;
}

export function checkRelay(relay: RelayFee): {
  seeder: Hex20;
  relayer: Hex20;
  maxFee: bigint;
  nonce: bigint;
  deadline: bigint;
} {
  if (relay.maxFee < 0n || relay.maxFee > MAX_UINT96)
    throw new InvalidArgumentError(`maxFee out of range: ${relay.maxFee}`);
  if (relay.nonce < 0n || relay.nonce > MAX_UINT32)
    throw new InvalidArgumentError(`nonce out of range: ${relay.nonce}`);
  if (relay.deadline < 0n || relay.deadline > MAX_UINT32) {
    throw new InvalidArgumentError(`deadline out of range: ${relay.deadline}`);
  }
  return {
    seeder: toHex20(relay.seeder),
    relayer: toHex20(relay.relayer),
    maxFee: relay.maxFee,
    nonce: relay.nonce,
    deadline: relay.deadline,
  };
}

/** Signs a relay authorisation with an ethers signer (the seeder). */
export async function signRelayFeeWithEthers(
  signer: Signer,
  domain: TypedDataDomain,
  relay: RelayFee,
): Promise<SignedRelayFee> {
  const message = checkRelay(relay);
  const signature = await signTypedDataWithEthers(signer, domain, RELAY_FEE_TYPES, message);
  return { ...message, signature };
}

/** Signs a relay authorisation with TronWeb's `trx._signTypedData` (works offline). */
export async function signRelayFeeWithTronWeb(
  tronWeb: TronWebTypedDataSigner,
  domain: TypedDataDomain,
  relay: RelayFee,
  privateKey?: string,
): Promise<SignedRelayFee> {
  const message = checkRelay(relay);
  const signature = await signTypedDataWithTronWeb(tronWeb, domain, RELAY_FEE_TYPES, message, privateKey);
  return { ...message, signature };
}

/** `PackedRelay.terms`: fee asked (96) | maxFee (96) | deadline (32) | nonce (32). */
export function packRelayTerms(relay: RelayFee, fee: bigint): bigint {
  const { maxFee, nonce, deadline } = checkRelay(relay);
  if (fee < 0n || fee > MAX_UINT96) throw new InvalidArgumentError(`fee out of range: ${fee}`);
  return (fee << 160n) | (maxFee << 64n) | (deadline << 32n) | nonce;
}

/** A signed relay authorisation and the fee asked, in the calldata form SpeedMarket takes. */
export function packRelay(relay: SignedRelayFee, fee: bigint): PackedRelay {
  return { terms: packRelayTerms(relay, fee), ...toCompactSignature(relay.signature) };
}
