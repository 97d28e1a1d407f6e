// TIP-712 host offers for the storage market (contracts/storage/StorageMarketBase.sol,
// `_OFFER_TYPEHASH`). An offer binds the deal (its id, from tenant and salt), the shard's index,
// root and generation, and the deal's sizes, periods and proof strength (segments asked per
// period), so it can't be used for another deal, another shard or twice. The domain binds the
// chain (TRON chain id, low 4 bytes) and the market.
import type { Signer } from "ethers";
import * as AbiParameters from "ox/AbiParameters";
import * as Hash from "ox/Hash";
import { toHex20 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import {
  compactSignature,
  hashTypedData,
  signTypedDataWithEthers,
  signTypedDataWithTronWeb,
  type TronWebTypedDataSigner,
  type TypedDataDomain,
  tip712Domain,
} from "../tip712.js";
import type { Hex } from "./merkle.js";

export const STORAGE_MARKET_NAME = "bttkit StorageMarket";
export const STORAGE_MARKET_VERSION = "1";

/** Default erasure layout: 30 shards, any 10 recover the file. */
export const DEFAULT_SHARDS = 30;
export const DEFAULT_MIN_SHARDS = 10;

export const STORAGE_OFFER_TYPES = {
  StorageOffer: [
    { name: "dealId", type: "uint256" },
    { name: "shardIndex", type: "uint32" },
    { name: "generation", type: "uint32" },
    { name: "host", type: "address" },
    { name: "shardRoot", type: "bytes32" },
    { name: "shardSize", type: "uint64" },
    { name: "segmentSize", type: "uint32" },
    { name: "periods", type: "uint16" },
    { name: "periodLength", type: "uint32" },
    { name: "segmentsPerPeriod", type: "uint8" },
    { name: "price", type: "uint128" },
    { name: "collateral", type: "uint128" },
    { name: "expiry", type: "uint48" },
    { name: "nonce", type: "uint24" },
  ],
};

/** A tenant's authorisation for `repairer` to choose repair hosts of `dealId` until `expiry`. */
export const REPAIR_AUTHORIZATION_TYPES = {
  RepairAuthorization: [
    { name: "dealId", type: "uint256" },
    { name: "repairer", type: "address" },
    { name: "expiry", type: "uint48" },
  ],
};

/** Offer nonces are 24-bit everywhere (typed data, calldata, HostRegistry.cancelOffers). */
export const MAX_OFFER_NONCE = (1n << 24n) - 1n;
/** Segments asked per shard per period: bounds and the default (docs/DESIGN.md). */
export const MAX_SEGMENTS_PER_PERIOD = 16;
export const DEFAULT_SEGMENTS_PER_PERIOD = 4;

/** The fields a host signs. */
export interface StorageOffer {
  dealId: bigint;
  shardIndex: number;
  /** 0 when the deal opens; the record's generation + 1 for a repair or a handover. */
  generation: number;
  /** Any TRON address form; signed as 20 bytes. */
  host: string;
  shardRoot: string;
  shardSize: bigint;
  segmentSize: number;
  periods: number;
  periodLength: number;
  /** Segments asked of each shard per period (1 to 16), fixed when the deal opens. */
  segmentsPerPeriod: number;
  /** Token units per period for this shard. */
  price: bigint;
  collateral: bigint;
  /** Unix seconds (below 2^48); the offer is usable up to and including this time. */
  expiry: bigint;
  /** Below 2^24; offers with a nonce under the host's registry `minNonce` are cancelled. */
  nonce: bigint;
}

/**
 * What `openDeal`, `repairShard` and `exitShard` take for an offer: four packed words
 * (IStorageMarket.Offer) and an EIP-2098 compact signature.
 */
export interface OfferCalldata {
  /** host (bits 0-159) | expiry (160-207) | nonce (208-231). */
  hostExpiryNonce: bigint;
  /** price (bits 0-127) | collateral (128-255). */
  terms: bigint;
  r: `0x${string}`;
  vs: `0x${string}`;
}

const U48 = (1n << 48n) - 1n;
const U128 = (1n << 128n) - 1n;

function inRange(value: bigint, max: bigint, name: string): bigint {
  if (value < 0n || value > max) throw new InvalidArgumentError(`Offer ${name} out of range: ${value}`);
  return value;
}

/** `uint256(keccak256(abi.encode(tenant, salt)))`, as the market derives deal ids. */
export function dealIdOf(tenant: string, salt: string): bigint {
  return BigInt(
    Hash.keccak256(AbiParameters.encode(AbiParameters.from(["address", "bytes32"]), [toHex20(tenant), salt as Hex])),
  );
}

/** The market's TIP-712 domain on chain `chainId` (full or masked id). */
export function storageMarketDomain(market: string, chainId: bigint | number): TypedDataDomain {
  return tip712Domain({
    name: STORAGE_MARKET_NAME,
    version: STORAGE_MARKET_VERSION,
    chainId,
    verifyingContract: market,
  });
}

/** The message object for the typed-data signers (20-byte host). */
export function storageOfferMessage(offer: StorageOffer): Record<string, unknown> {
  if (!/^0x[0-9a-fA-F]{64}$/.test(offer.shardRoot)) {
    throw new InvalidArgumentError(`shardRoot is not 32 bytes: ${offer.shardRoot}`);
  }
  return { ...offer, host: toHex20(offer.host) };
}

/** The digest the host signs and the market recovers. */
export function storageOfferDigest(domain: TypedDataDomain, offer: StorageOffer): Hex {
  return hashTypedData(domain, STORAGE_OFFER_TYPES, storageOfferMessage(offer));
}

/** Signs with an ethers signer; returns the 65-byte signature. */
export function signStorageOfferWithEthers(
  signer: Signer,
  domain: TypedDataDomain,
  offer: StorageOffer,
): Promise<string> {
  return signTypedDataWithEthers(signer, domain, STORAGE_OFFER_TYPES, storageOfferMessage(offer));
}

/** Signs with TronWeb's `trx._signTypedData` (works offline); returns the 65-byte signature. */
export function signStorageOfferWithTronWeb(
  tronWeb: TronWebTypedDataSigner,
  domain: TypedDataDomain,
  offer: StorageOffer,
  privateKey?: string,
): Promise<string> {
  return signTypedDataWithTronWeb(tronWeb, domain, STORAGE_OFFER_TYPES, storageOfferMessage(offer), privateKey);
}

/** The calldata tuple for the market from an offer and its 65-byte signature. */
export function offerCalldata(offer: StorageOffer, signature: string): OfferCalldata {
  const sig = compactSignature(signature);
  return {
    hostExpiryNonce:
      BigInt(toHex20(offer.host)) |
      (inRange(offer.expiry, U48, "expiry") << 160n) |
      (inRange(offer.nonce, MAX_OFFER_NONCE, "nonce") << 208n),
    terms: inRange(offer.price, U128, "price") | (inRange(offer.collateral, U128, "collateral") << 128n),
    r: sig.r,
    vs: sig.vs,
  };
}

/** What `repairShard` takes besides the offer: the tenant's authorisation (zeros when the tenant calls). */
export interface RepairAuthCalldata {
  expiry: bigint;
  r: `0x${string}`;
  vs: `0x${string}`;
}

/** The authorisation a tenant's own repair passes (unused by the market). */
export const TENANT_REPAIR: RepairAuthCalldata = {
  expiry: 0n,
  r: `0x${"00".repeat(32)}`,
  vs: `0x${"00".repeat(32)}`,
};

/** The typed-data message of a repair authorisation (20-byte repairer). */
export function repairAuthorizationMessage(auth: {
  dealId: bigint;
  repairer: string;
  expiry: bigint;
}): Record<string, unknown> {
  return { dealId: auth.dealId, repairer: toHex20(auth.repairer), expiry: inRange(auth.expiry, U48, "expiry") };
}

/** The tenant signs that `repairer` may choose repair hosts of `dealId` until `expiry`. */
export async function signRepairAuthorizationWithEthers(
  tenant: Signer,
  domain: TypedDataDomain,
  auth: { dealId: bigint; repairer: string; expiry: bigint },
): Promise<RepairAuthCalldata> {
  const signature = await signTypedDataWithEthers(
    tenant,
    domain,
    REPAIR_AUTHORIZATION_TYPES,
    repairAuthorizationMessage(auth),
  );
  return { expiry: auth.expiry, ...compactSignature(signature) };
}
