import { toHex20 } from "../../address.js";
import type { AddressInput } from "../../backend/types.js";
import { InvalidArgumentError } from "../../errors.js";
import type { PreparedDeal } from "../../node/prepareDeal.js";
import type { StorageClient } from "../client.js";
import { dealIdOf, type StorageOffer } from "../offer.js";
import {
  accountOrSigner,
  checkAmount,
  checkBytes32,
  checkClient,
  checkDealId,
  checkParameters,
  checkShardIndex,
  currentRecords,
  loadDeal,
  MAX_OFFER_NONCE,
  MAX_UINT48,
  MAX_UINT128,
  type StorageActionError,
} from "./internal.js";

export interface RequestOfferParameters {
  /** A deal about to open (generation 0)... */
  deal?: Pick<PreparedDeal, "params" | "roots">;
  /** ...with its tenant (default the client's signer)... */
  tenant?: AddressInput;
  /** ...or an open deal: a handover (repair or exit) at the shard's next generation. */
  dealId?: bigint;
  /** With `dealId`: the shard's root (from the deal's manifest). */
  shardRoot?: string;
  shard: number;
  /** The host asked to sign. */
  host: AddressInput;
  /** Token units per period for this shard. */
  price: bigint;
  /** Collateral the host locks for the shard. */
  collateral: bigint;
  /** Last usable second (unix); default chain time + `ttl`. */
  expiry?: bigint;
  /** Seconds the offer stays usable when `expiry` is not given; default 3,600. */
  ttl?: number;
  /** Offer nonce (cancellable in the registry); default 0. */
  nonce?: bigint;
}
export type RequestOfferReturnType = StorageOffer;
export type RequestOfferErrorType = StorageActionError;

/**
 * The offer a tenant asks `host` to sign for shard `shard`: it binds the deal id, the shard's
 * index, root and generation, the deal's sizes and periods, the terms, an expiry and a nonce.
 * Send it to the host, who checks and signs it with `signOffer`. Reads the chain only for the
 * clock and, for a handover, the deal and its records.
 */
export async function requestOffer(
  client: StorageClient,
  parameters: RequestOfferParameters,
): Promise<RequestOfferReturnType> {
  checkClient(client);
  checkParameters(parameters, "requestOffer");
  const { deal, dealId } = parameters;
  if ((deal === undefined) === (dealId === undefined)) {
    throw new InvalidArgumentError("requestOffer needs exactly one of deal (a new deal) and dealId (a handover)");
  }
  const host = toHex20(parameters.host);
  const price = checkAmount(parameters.price, "price", { max: MAX_UINT128 });
  const collateral = checkAmount(parameters.collateral, "collateral", { allowZero: true, max: MAX_UINT128 });
  const nonce = parameters.nonce ?? 0n;
  if (typeof nonce !== "bigint" || nonce < 0n || nonce > MAX_OFFER_NONCE)
    throw new InvalidArgumentError("nonce must be a uint24 bigint");
  let expiry = parameters.expiry;
  if (expiry === undefined) {
    const ttl = parameters.ttl ?? 3_600;
    if (!Number.isInteger(ttl) || ttl <= 0) throw new InvalidArgumentError("ttl must be a positive number of seconds");
    expiry = (await client.backend.getBlock()).timestamp + BigInt(ttl);
  }
  if (typeof expiry !== "bigint" || expiry <= 0n || expiry > MAX_UINT48) {
    throw new InvalidArgumentError(`expiry must be unix seconds as a uint48 bigint, got ${String(expiry)}`);
  }
  if (deal !== undefined) {
    if (typeof deal !== "object" || deal === null || typeof deal.params !== "object" || !Array.isArray(deal.roots)) {
      throw new InvalidArgumentError("deal must be a prepared deal (prepareDeal)");
    }
    const shard = checkShardIndex(parameters.shard, deal.roots.length);
    const tenant = await accountOrSigner(client, parameters.tenant, "tenant");
    const p = deal.params;
    return {
      dealId: dealIdOf(tenant, deal.params.salt),
      shardIndex: shard,
      generation: 0,
      host,
      shardRoot: checkBytes32(deal.roots[shard], `deal.roots[${shard}]`),
      shardSize: p.shardSize,
      segmentSize: p.segmentSize,
      periods: p.periods,
      periodLength: p.periodLength,
      segmentsPerPeriod: p.segmentsPerPeriod,
      price,
      collateral,
      expiry,
      nonce,
    };
  }
  const id = checkDealId(dealId);
  const shardRoot = checkBytes32(parameters.shardRoot, "shardRoot");
  const info = await loadDeal(client, id);
  const shard = checkShardIndex(parameters.shard, info.shardCount);
  const { records } = await currentRecords(client, id, undefined, info);
  return {
    dealId: id,
    shardIndex: shard,
    generation: records[shard]!.generation + 1,
    host,
    shardRoot,
    shardSize: info.shardSize,
    segmentSize: info.segmentSize,
    periods: info.periods,
    periodLength: info.periodLength,
    segmentsPerPeriod: info.segmentsPerPeriod,
    price,
    collateral,
    expiry,
    nonce,
  };
}
