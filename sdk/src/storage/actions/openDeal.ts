import { type Hex20, toHex20 } from "../../address.js";
import { addr, btt } from "../../describe.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import type { DealParams, PreparedDeal } from "../../node/prepareDeal.js";
import type { StorageClient } from "../client.js";
import { dealIdOf } from "../offer.js";
import { type ShardRecord, unpackShardRecords } from "../records.js";
import { ensureStorageApproval } from "./ensureApproval.js";
import {
  checkBytes32List,
  checkClient,
  checkOfferUsable,
  checkOptions,
  checkParameters,
  checkSignedOffer,
  MAX_SHARDS,
  marketEvents,
  requireSigner,
  type SignedOffer,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface OpenDealParameters extends StorageActionOptions {
  /** The prepared deal (`prepareDeal`), or its params and roots. */
  deal: { params: DealParams; roots: readonly string[] } | PreparedDeal;
  /** One signed offer per shard, in shard order, from distinct hosts. */
  offers: readonly SignedOffer[];
  /** Send `vault.setMarketApproval(market, true)` first when it is missing (default false). */
  approveMarket?: boolean;
}
export interface OpenDealReturnType extends StorageActionReceipt {
  dealId: bigint;
  /** The whole price, moved from the tenant's free vault balance into the deal's escrow. */
  escrow: bigint;
  /** The first shard records (also in the client's tracker). */
  records: ShardRecord[];
}
/**
 * `PreflightError` checks: `no-signer`; `offer-mismatch` (an offer is for another deal, shard,
 * root or terms); `offer-expired`, `offer-signature` (not signed by its host); `duplicate-host`;
 * `host-not-registered`, `host-free-stake` (a host can't lock its collateral); `vault-balance`
 * (free balance below the whole price); `market-approval` (the market may not commit the
 * tenant's balance: `setMarketApproval(client.vault, {market, approved: true})`).
 */
export type OpenDealErrorType = StorageActionError;

/** The tenant opens a deal in one transaction from the hosts' signed offers. */
export async function openDeal(client: StorageClient, parameters: OpenDealParameters): Promise<OpenDealReturnType> {
  checkClient(client);
  checkParameters(parameters, "openDeal");
  checkOptions(parameters);
  const { deal } = parameters;
  if (typeof deal !== "object" || deal === null || typeof deal.params !== "object" || deal.params === null) {
    throw new InvalidArgumentError("deal must be a prepared deal (prepareDeal)");
  }
  const roots = checkBytes32List(deal.roots, "deal.roots");
  if (roots.length === 0 || roots.length > MAX_SHARDS) {
    throw new InvalidArgumentError(`A deal has 1 to ${MAX_SHARDS} shards, got ${roots.length}`);
  }
  if (!Array.isArray(parameters.offers) || parameters.offers.length !== roots.length) {
    throw new InvalidArgumentError(`offers must hold one signed offer per shard (${roots.length})`);
  }
  const offers = parameters.offers.map((o, i) => checkSignedOffer(o, `offers[${i}]`));
  const p = deal.params;
  const params = {
    salt: p.salt,
    shardSize: p.shardSize,
    segmentSize: p.segmentSize,
    periods: p.periods,
    periodLength: p.periodLength,
    minShards: p.minShards,
    segmentsPerPeriod: p.segmentsPerPeriod,
  };
  if (typeof params.salt !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(params.salt)) {
    throw new InvalidArgumentError("deal.params.salt must be 32 bytes of 0x hex");
  }
  const tenant = await requireSigner(client);
  if (parameters.approveMarket === true) await ensureStorageApproval(client, { spender: "market", ...parameters });
  const dealId = dealIdOf(tenant, params.salt);
  const escrow = offers.reduce((sum, o) => sum + o.offer.price, 0n) * BigInt(params.periods);
  if (!parameters.skipPreflight) await preflight(client, tenant, dealId, params, roots, offers, escrow);
  const result = await send(client, "market", "openDeal", [params, roots, offers.map((o) => o.calldata)], parameters);
  const [opened] = marketEvents(client, result.receipt, "DealOpened");
  const [updated] = marketEvents(client, result.receipt, "ShardsUpdated");
  return {
    ...result,
    dealId: opened?.dealId ?? dealId,
    escrow: opened?.escrow ?? escrow,
    records: updated ? unpackShardRecords(updated.records) : [],
  };
}

async function preflight(
  client: StorageClient,
  tenant: Hex20,
  dealId: bigint,
  params: DealParams,
  roots: readonly string[],
  offers: readonly SignedOffer[],
  escrow: bigint,
): Promise<void> {
  const { timestamp } = await client.backend.getBlock();
  const hosts = new Set<Hex20>();
  offers.forEach(({ offer }, i) => {
    const label = `Offer ${i}`;
    const mismatch = (what: string) => {
      throw new PreflightError("offer-mismatch", `${label} is for another ${what}`);
    };
    if (offer.dealId !== dealId) mismatch(`deal (${offer.dealId}, this one is ${dealId})`);
    if (offer.shardIndex !== i) mismatch(`shard (${offer.shardIndex})`);
    if (offer.generation !== 0) mismatch(`generation (${offer.generation}; a new deal's is 0)`);
    if (offer.shardRoot.toLowerCase() !== roots[i]) mismatch("shard root");
    if (
      offer.shardSize !== params.shardSize ||
      offer.segmentSize !== params.segmentSize ||
      offer.periods !== params.periods ||
      offer.periodLength !== params.periodLength ||
      offer.segmentsPerPeriod !== params.segmentsPerPeriod
    ) {
      mismatch("deal shape (sizes, periods, period length or segments per period)");
    }
    if (offer.price <= 0n) mismatch("price (zero)");
    checkOfferUsable(client, offers[i]!, timestamp, label);
    const host = toHex20(offer.host);
    if (hosts.has(host)) throw new PreflightError("duplicate-host", `${addr(host)} offers more than one shard`);
    hosts.add(host);
  });
  const market = client.market.address;
  const [balance, approved, existing, ...hostStakes] = await Promise.all([
    client.vault.vault.read.balanceOf([tenant]),
    client.vault.vault.read.isMarketApproved([tenant, market]),
    client.market.read.deal([dealId]),
    ...offers.map(({ offer }) =>
      Promise.all([
        client.registry.read.stakeOf([offer.host as Hex20]),
        client.registry.read.freeStakeOf([offer.host as Hex20]),
      ]),
    ),
  ]);
  if (existing.status !== 0)
    throw new PreflightError("offer-mismatch", `Deal ${dealId} exists already: use a new salt`);
  offers.forEach(({ offer }, i) => {
    const [info, free] = hostStakes[i] as [{ registered: boolean; minNonce: bigint }, bigint];
    if (!info.registered)
      throw new PreflightError("host-not-registered", `Offer ${i}: ${addr(offer.host)} is not a registered host`);
    if (offer.nonce < info.minNonce) {
      throw new PreflightError("offer-signature", `Offer ${i}: the host cancelled nonces below ${info.minNonce}`);
    }
    if (free < offer.collateral) {
      throw new PreflightError(
        "host-free-stake",
        `Offer ${i}: ${addr(offer.host)} has ${btt(free)} free stake, ${btt(offer.collateral)} needed`,
        {
          needed: offer.collateral,
          available: free,
        },
      );
    }
  });
  if (balance < escrow) {
    throw new PreflightError("vault-balance", `Vault balance too low: ${btt(balance)} free, ${btt(escrow)} needed`, {
      needed: escrow,
      available: balance,
    });
  }
  if (!approved) {
    throw new PreflightError(
      "market-approval",
      `The market ${addr(market)} may not commit ${addr(tenant)}'s vault balance`,
      {
        details: 'pass approveMarket: true, or call ensureStorageApproval(client, { spender: "market" })',
      },
    );
  }
}
