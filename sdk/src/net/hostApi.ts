/**
 * The storage host's HTTP API (v1): paths, JSON bodies and their checks, shared by the host
 * service (sdk/src/node/net/hostService.ts) and the tenant's client (tenant.ts). Pure: no I/O.
 * Integers that may exceed 2^53 travel as decimal strings; addresses as base58 or 0x hex.
 *
 *   GET  /v1/health                                    HealthJson
 *   GET  /v1/terms                                     TermsJson
 *   POST /v1/deals/:dealId/shards/:shard               OfferRequestJson -> UploadStateJson (reserve)
 *   GET  /v1/deals/:dealId/shards/:shard               UploadStateJson (resume: bytes received)
 *   PUT  /v1/deals/:dealId/shards/:shard/data?offset=n raw bytes -> UploadStateJson (+ offer when complete)
 *   POST /v1/deals/:dealId/opened                      -> { stored: number[] } (the host checks the chain)
 *   GET  /v1/deals/:dealId/shards/:shard/data          raw shard (header `authorization`: shardAuth.ts)
 * Errors: `ErrorJson` with the status in `HOST_ERROR_STATUS`.
 */
import { toHex20 } from "../address.js";
import type { SignedOffer } from "../storage/actions/internal.js";
import { MAX_SEGMENTS_PER_PERIOD, offerCalldata, type StorageOffer } from "../storage/offer.js";
import { NetworkError, type NetworkErrorReason } from "./errors.js";

export const HOST_API_PREFIX = "/v1";

export const hostPaths = {
  health: () => `${HOST_API_PREFIX}/health`,
  terms: () => `${HOST_API_PREFIX}/terms`,
  shard: (dealId: bigint, shard: number) => `${HOST_API_PREFIX}/deals/${dealId}/shards/${shard}`,
  data: (dealId: bigint, shard: number, offset?: number) =>
    `${HOST_API_PREFIX}/deals/${dealId}/shards/${shard}/data${offset === undefined ? "" : `?offset=${offset}`}`,
  opened: (dealId: bigint) => `${HOST_API_PREFIX}/deals/${dealId}/opened`,
};

/** The HTTP status each refusal is answered with. */
export const HOST_ERROR_STATUS: Record<NetworkErrorReason, number> = {
  "bad-request": 400,
  unauthorized: 401,
  forbidden: 403,
  "not-found": 404,
  conflict: 409,
  expired: 410,
  "too-large": 413,
  "wrong-root": 422,
  terms: 422,
  capacity: 507,
  stake: 422,
  unreachable: 502,
  "bad-response": 502,
  "no-hosts": 503,
  "file-hash": 500,
  peer: 400,
};

export interface ErrorJson {
  error: { reason: NetworkErrorReason; message: string };
}

export interface HealthJson {
  status: "ok";
  host: string;
  /** Shards of open deals held. */
  shards: number;
  /** Uploads reserved or in progress, not yet part of an open deal. */
  pending: number;
  freeBytes: string;
}

/** What a host asks and offers (its registry profile plus the service's limits). */
export interface TermsJson {
  host: string;
  /** Token units per GiB per period (the registry profile's ask). */
  pricePerGiBPerPeriod: string;
  /** The most collateral it locks for one shard (bounded by its free stake). */
  maxCollateral: string;
  /** Bytes it can still take (capacity less what it holds and has reserved). */
  freeCapacity: string;
  maxShardSize: string;
  region: number;
  /** Seconds an offer (and an unopened upload) lasts. */
  offerTtl: number;
}

/** The deal parameters the offer binds (IStorageMarket.DealParams and the shard roots). */
export interface OfferRequestJson {
  /** The tenant (it opens the deal, or owns it for a handover). */
  tenant: string;
  salt: string;
  shardSize: string;
  segmentSize: number;
  periods: number;
  periodLength: number;
  minShards: number;
  segmentsPerPeriod: number;
  /** Every shard root of the deal: the host keeps them to prove against the commitment. */
  roots: string[];
  /** 0 for a new deal; the record's generation + 1 for a repair. */
  generation: number;
  price: string;
  collateral: string;
}

export interface UploadStateJson {
  state: "pending" | "stored";
  size: string;
  received: string;
  /** Unix seconds after which an unopened upload is dropped. */
  expiresAt: string;
  /** Present once the whole shard arrived and matched its root. */
  offer?: SignedOfferJson;
}

export interface SignedOfferJson {
  offer: Record<keyof StorageOffer, string | number>;
  signature: string;
}

const DECIMAL = /^\d{1,78}$/;
const HEX32 = /^0x[0-9a-fA-F]{64}$/;

function bad(message: string): NetworkError {
  return new NetworkError("bad-request", message, { status: 400 });
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A decimal string (or a safe integer) as a bigint; `bad-request` otherwise. */
export function decimal(value: unknown, name: string): bigint {
  if (typeof value === "string" && DECIMAL.test(value)) return BigInt(value);
  if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw bad(`${name} must be a non-negative integer as a decimal string`);
}

function int(value: unknown, name: string, max: number, min = 0): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw bad(`${name} must be an integer from ${min} to ${max}`);
  }
  return value;
}

/** Path parameters: a decimal deal id and a shard index below 64. */
export function parseShardPath(params: unknown): { dealId: bigint; shard: number } {
  if (!isObject(params)) throw bad("missing path parameters");
  const dealId = decimal(params.dealId, "dealId");
  if (typeof params.shard !== "string" || !/^\d{1,2}$/.test(params.shard) || Number(params.shard) >= 64) {
    throw bad("shard must be an index from 0 to 63");
  }
  return { dealId, shard: Number(params.shard) };
}

/** The parsed offer request: numbers as bigints, roots checked as 32-byte hex. */
export interface OfferRequest {
  tenant: string;
  salt: `0x${string}`;
  shardSize: bigint;
  segmentSize: number;
  periods: number;
  periodLength: number;
  minShards: number;
  /** Segments asked of each shard per period (1 to 16), signed in the offer. */
  segmentsPerPeriod: number;
  roots: `0x${string}`[];
  generation: number;
  price: bigint;
  collateral: bigint;
}

export function parseOfferRequest(body: unknown): OfferRequest {
  if (!isObject(body)) throw bad("the body must be a JSON object");
  if (typeof body.tenant !== "string") throw bad("tenant must be an address");
  let tenant: string;
  try {
    tenant = toHex20(body.tenant);
  } catch {
    throw bad("tenant is not a TRON address");
  }
  if (typeof body.salt !== "string" || !HEX32.test(body.salt)) throw bad("salt must be 32 bytes of 0x hex");
  if (!Array.isArray(body.roots) || body.roots.length === 0 || body.roots.length > 64) {
    throw bad("roots must list 1 to 64 shard roots");
  }
  const roots = body.roots.map((r, i) => {
    if (typeof r !== "string" || !HEX32.test(r)) throw bad(`roots[${i}] must be 32 bytes of 0x hex`);
    return r.toLowerCase() as `0x${string}`;
  });
  return {
    tenant,
    salt: body.salt.toLowerCase() as `0x${string}`,
    shardSize: decimal(body.shardSize, "shardSize"),
    segmentSize: int(body.segmentSize, "segmentSize", 65_536),
    periods: int(body.periods, "periods", 0xffff),
    periodLength: int(body.periodLength, "periodLength", 0xffffffff),
    minShards: int(body.minShards, "minShards", 64),
    segmentsPerPeriod: int(body.segmentsPerPeriod, "segmentsPerPeriod", MAX_SEGMENTS_PER_PERIOD, 1),
    roots,
    generation: int(body.generation, "generation", 0xffffffff),
    price: decimal(body.price, "price"),
    collateral: decimal(body.collateral, "collateral"),
  };
}

export function offerRequestJson(r: OfferRequest): OfferRequestJson {
  return {
    tenant: r.tenant,
    salt: r.salt,
    shardSize: r.shardSize.toString(),
    segmentSize: r.segmentSize,
    periods: r.periods,
    periodLength: r.periodLength,
    minShards: r.minShards,
    segmentsPerPeriod: r.segmentsPerPeriod,
    roots: [...r.roots],
    generation: r.generation,
    price: r.price.toString(),
    collateral: r.collateral.toString(),
  };
}

export function signedOfferToJson(signed: SignedOffer): SignedOfferJson {
  const o = signed.offer;
  return {
    offer: {
      dealId: o.dealId.toString(),
      shardIndex: o.shardIndex,
      generation: o.generation,
      host: o.host,
      shardRoot: o.shardRoot,
      shardSize: o.shardSize.toString(),
      segmentSize: o.segmentSize,
      periods: o.periods,
      periodLength: o.periodLength,
      segmentsPerPeriod: o.segmentsPerPeriod,
      price: o.price.toString(),
      collateral: o.collateral.toString(),
      expiry: o.expiry.toString(),
      nonce: o.nonce.toString(),
    },
    signature: signed.signature,
  };
}

/** A signed offer from a host's answer (shape only: the tenant checks it against what it asked). */
export function signedOfferFromJson(json: unknown): SignedOffer {
  if (!isObject(json) || !isObject(json.offer) || typeof json.signature !== "string") {
    throw new NetworkError("bad-response", "the host's offer is not { offer, signature }");
  }
  const o = json.offer;
  try {
    const offer: StorageOffer = {
      dealId: decimal(o.dealId, "dealId"),
      shardIndex: int(o.shardIndex, "shardIndex", 63),
      generation: int(o.generation, "generation", 0xffffffff),
      host: toHex20(String(o.host)),
      shardRoot: String(o.shardRoot).toLowerCase(),
      shardSize: decimal(o.shardSize, "shardSize"),
      segmentSize: int(o.segmentSize, "segmentSize", 65_536),
      periods: int(o.periods, "periods", 0xffff),
      periodLength: int(o.periodLength, "periodLength", 0xffffffff),
      segmentsPerPeriod: int(o.segmentsPerPeriod, "segmentsPerPeriod", MAX_SEGMENTS_PER_PERIOD, 1),
      price: decimal(o.price, "price"),
      collateral: decimal(o.collateral, "collateral"),
      expiry: decimal(o.expiry, "expiry"),
      nonce: decimal(o.nonce, "nonce"),
    };
    return { offer, signature: json.signature, calldata: offerCalldata(offer, json.signature) };
  } catch (error) {
    throw new NetworkError("bad-response", "the host's offer is malformed", { cause: error });
  }
}

/** The error a host's JSON error body (or a bare status) stands for. */
export function errorFromResponse(status: number, body: unknown, peer: string): NetworkError {
  const e = isObject(body) && isObject(body.error) ? body.error : undefined;
  const reason = (
    e && typeof e.reason === "string" && e.reason in HOST_ERROR_STATUS ? e.reason : "bad-response"
  ) as NetworkErrorReason;
  const message = e && typeof e.message === "string" ? e.message : `HTTP ${status}`;
  return new NetworkError(reason, `${peer}: ${message}`, { status, peer });
}
