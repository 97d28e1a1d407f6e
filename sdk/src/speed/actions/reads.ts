/** SpeedMarket reads. Addresses in, `0x` hex out; amounts and times are bigint. */
import type { Hex20 } from "../../address.js";
import type { AddressInput } from "../../backend/types.js";
import { InvalidArgumentError } from "../../errors.js";
import type { SpeedClient } from "../client.js";
import type { Infohash, InfohashVersion } from "../infohash.js";
import { type InfohashInput, resolveInfohash } from "../infohashInput.js";
import {
  accountOrSigner,
  checkBidId,
  checkBidIds,
  checkClient,
  checkParameters,
  redeemableUntilOf,
  type StoredBid,
  ZERO_ADDRESS,
} from "./internal.js";

/** Where a bid stands, by chain time. */
export type BidStatus = "open" | "expired" | "closed" | "refunded";

/** A bid, in the SDK's terms. */
export interface BidInfo {
  bidId: bigint;
  downloader: Hex20;
  /** Tokens (smallest unit) per MiB. */
  pricePerMiB: bigint;
  /** Unpaid budget. */
  remaining: bigint;
  /** Unix seconds. */
  expiry: bigint;
  /** Seconds seeders keep to redeem after a close or the expiry. */
  grace: bigint;
  /** When it was closed, the end of its grace period (unix seconds); else `undefined`. */
  closedUntil: bigint | undefined;
  /** The last second it takes receipts. */
  redeemableUntil: bigint;
  /** 1 (v1, 20-byte btih) or 2 (v2, 32-byte btmh) infohash. */
  version: InfohashVersion;
  refunded: boolean;
  status: BidStatus;
}

function toBidInfo(bidId: bigint, b: StoredBid, now: bigint): BidInfo {
  const expiry = BigInt(b.expiry);
  const status: BidStatus = b.refunded
    ? "refunded"
    : b.closedUntil !== 0
      ? "closed"
      : now >= expiry
        ? "expired"
        : "open";
  return {
    bidId,
    downloader: b.downloader,
    pricePerMiB: b.pricePerMiB,
    remaining: b.remaining,
    expiry,
    grace: BigInt(b.grace),
    closedUntil: b.closedUntil === 0 ? undefined : BigInt(b.closedUntil),
    redeemableUntil: redeemableUntilOf(b),
    version: b.version as InfohashVersion,
    refunded: b.refunded,
    status,
  };
}

export interface BidParameters {
  bidId: bigint;
}
/** `undefined` when no bid has the id. */
export type BidReturnType = BidInfo | undefined;

/** Bid `bidId`, or `undefined` when there is none. */
export async function getBid(client: SpeedClient, parameters: BidParameters): Promise<BidReturnType> {
  checkClient(client);
  checkParameters(parameters, "bid");
  const bidId = checkBidId(parameters.bidId);
  const [stored, now] = await Promise.all([
    client.market.read.bid([bidId]),
    client.backend.getBlock().then((b) => b.timestamp),
  ]);
  return stored.downloader === ZERO_ADDRESS ? undefined : toBidInfo(bidId, stored, now);
}

export interface OpenBidsParameters {
  /** The torrent: `{infohash, version}`, hex, a magnet link or .torrent bytes. */
  infohash: InfohashInput;
  /** For a magnet link or hybrid .torrent: which version's list to read (default 2). */
  prefer?: InfohashVersion;
  /** Bids the contract walks per call (default 100). */
  pageSize?: number;
  /** Stop after walking this many bids in all (default 10,000). */
  maxSteps?: number;
}

export interface OpenBidsReturnType {
  infohash: Infohash;
  /** Open bids, best price first: highest `pricePerMiB`, then most budget left, then oldest. */
  bids: BidInfo[];
  /** Whether the list was cut at `maxSteps` (more bids may follow). */
  truncated: boolean;
}

function checkCount(value: unknown, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer from 1 to ${max}, got ${String(value)}`);
  }
  return value;
}

/** Compares bids best price first (for a seeder: the most paid per MiB). */
export function compareBids(a: BidInfo, b: BidInfo): number {
  if (a.pricePerMiB !== b.pricePerMiB) return a.pricePerMiB > b.pricePerMiB ? -1 : 1;
  if (a.remaining !== b.remaining) return a.remaining > b.remaining ? -1 : 1;
  return a.bidId < b.bidId ? -1 : a.bidId > b.bidId ? 1 : 0;
}

/** The open bids on a torrent, paging through the contract's `openBids` view, best price first. */
export async function getOpenBids(client: SpeedClient, parameters: OpenBidsParameters): Promise<OpenBidsReturnType> {
  checkClient(client);
  checkParameters(parameters, "openBids");
  const pageSize = checkCount(parameters.pageSize, "pageSize", 100, 1_000);
  const maxSteps = checkCount(parameters.maxSteps, "maxSteps", 10_000, 1_000_000);
  const infohash = await resolveInfohash(parameters.infohash, parameters.prefer ?? 2);
  const ids: bigint[] = [];
  let cursor = 0n;
  let steps = 0;
  do {
    const [page, next] = await client.market.read.openBids([
      infohash.infohash,
      infohash.version,
      cursor,
      BigInt(Math.min(pageSize, maxSteps - steps)),
    ]);
    ids.push(...page);
    steps += pageSize;
    cursor = next;
  } while (cursor !== 0n && steps < maxSteps);
  const now = (await client.backend.getBlock()).timestamp;
  const stored = await Promise.all(ids.map((id) => client.market.read.bid([id])));
  const bids = stored.map((b, i) => toBidInfo(ids[i] as bigint, b, now)).filter((b) => b.status === "open");
  return { infohash, bids: bids.sort(compareBids), truncated: cursor !== 0n };
}

export interface OwedParameters {
  bidId: bigint;
  /** Default: the signer. */
  seeder?: AddressInput;
}
export type OwedReturnType = bigint;

/** What bid `bidId` owes `seeder` for recorded receipts beyond what it has paid (budget ran short). */
export async function getOwed(client: SpeedClient, parameters: OwedParameters): Promise<OwedReturnType> {
  checkClient(client);
  checkParameters(parameters, "owed");
  const bidId = checkBidId(parameters.bidId);
  const seeder = await accountOrSigner(client, parameters.seeder, "seeder");
  return client.market.read.owed([bidId, seeder]);
}

/** What one seeder has on one bid. */
export interface BidEarning {
  bidId: bigint;
  /** The highest receipt recorded. */
  cumulativeBytes: bigint;
  /** What the budget has paid for it. */
  paid: bigint;
  /** Paid but not claimed into the vault yet. */
  unclaimed: bigint;
  /** Recorded but not paid (the budget ran short): `payOwed` after a top-up. */
  owed: bigint;
}

export interface EarningsParameters {
  /** Default: the signer. */
  seeder?: AddressInput;
  bidIds: readonly bigint[];
}

export interface EarningsReturnType {
  seeder: Hex20;
  /** The sum of `unclaimed`: what `claim` on these bids would move to the vault. */
  unclaimed: bigint;
  bids: BidEarning[];
}

/** A seeder's earnings on `bidIds`. */
export async function getEarnings(client: SpeedClient, parameters: EarningsParameters): Promise<EarningsReturnType> {
  checkClient(client);
  checkParameters(parameters, "earnings");
  const bidIds = checkBidIds(parameters.bidIds);
  const seeder = await accountOrSigner(client, parameters.seeder, "seeder");
  const rows = await Promise.all(
    bidIds.map(async (bidId) => {
      const [e, o] = await Promise.all([
        client.market.read.earning([bidId, seeder]),
        client.market.read.owed([bidId, seeder]),
      ]);
      return { bidId, cumulativeBytes: e.cumulativeBytes, paid: e.paid, unclaimed: e.unclaimed, owed: o };
    }),
  );
  return { seeder, unclaimed: rows.reduce((sum, r) => sum + r.unclaimed, 0n), bids: rows };
}

// The names before the get* rule, kept for existing callers.
/** @deprecated Use `getBid`. */
export const bid = getBid;
/** @deprecated Use `getOpenBids`. */
export const openBids = getOpenBids;
/** @deprecated Use `getOwed`. */
export const owed = getOwed;
/** @deprecated Use `getEarnings`. */
export const earnings = getEarnings;
