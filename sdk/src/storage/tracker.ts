/**
 * `DealTracker`: the opening shard records of storage deals, kept off-chain. The market stores
 * only their hash and emits them once, in `ShardsUpdated(dealId, records)` when the deal opens;
 * every call that needs records takes them back (they never change; the market's `shardRecords`
 * view lays the current state over them). The tracker reads those events (over any backend's
 * `getEvents`) and the receipts of the caller's own transactions (`observe`), and checks them
 * against the deal's `shardsHash` before handing them out.
 */
import { type Hex20, toHex20 } from "../address.js";
import type { Backend, Receipt } from "../backend/types.js";
import { parseEventLogs } from "../contract.js";
import { InvalidArgumentError, PreflightError } from "../errors.js";
import { storageMarketAbi } from "../generated/abi/index.js";
import { type ShardRecord, shardRecordsHash, unpackShardRecords } from "./records.js";

interface Entry {
  words: bigint[];
  blockNumber: bigint;
}

export interface DealTrackerOptions {
  backend: Backend;
  /** The StorageMarket. */
  market: string;
  /** First block scanned (the market's deployment block). */
  fromBlock?: bigint;
  /** Events fetched per page (1 to 10,000; default 1,000). */
  pageSize?: number;
}

const ZERO_HASH = `0x${"0".repeat(64)}`;

export class DealTracker {
  readonly market: Hex20;
  private readonly backend: Backend;
  private readonly pageSize: number;
  private readonly latest = new Map<bigint, Entry>();
  /** Scans resume at this block (inclusive); `seen` holds the events already read in it. */
  private cursor: bigint;
  private seen = new Set<string>();
  private syncing: Promise<number> | undefined;

  constructor(options: DealTrackerOptions) {
    if (typeof options !== "object" || options === null || typeof options.backend?.getEvents !== "function") {
      throw new InvalidArgumentError("DealTracker needs a Backend and a market address");
    }
    this.backend = options.backend;
    this.market = toHex20(options.market);
    this.cursor = options.fromBlock ?? 0n;
    this.pageSize = options.pageSize ?? 1_000;
    if (!Number.isInteger(this.pageSize) || this.pageSize < 1 || this.pageSize > 10_000) {
      throw new InvalidArgumentError("pageSize must be an integer from 1 to 10000");
    }
  }

  /** Deals the tracker has records of. */
  deals(): bigint[] {
    return [...this.latest.keys()];
  }

  /** Takes the `ShardsUpdated` events of a receipt (the caller's own transaction). */
  observe(receipt: Receipt): void {
    if (receipt.status !== "success") return;
    for (const event of parseEventLogs(receipt.logs, storageMarketAbi, "ShardsUpdated", { address: this.market })) {
      this.put(event.dealId, [...event.records], receipt.blockNumber);
    }
  }

  /** Records `words` for `dealId` as of `blockNumber` (later wins; same block: the newer call wins). */
  put(dealId: bigint, words: readonly bigint[], blockNumber: bigint): void {
    const current = this.latest.get(dealId);
    if (current && current.blockNumber > blockNumber) return;
    this.latest.set(dealId, { words: [...words], blockNumber });
  }

  /** Reads every `ShardsUpdated` since the last scan; resolves with the number of new events. */
  sync(): Promise<number> {
    this.syncing ??= this.scan().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  private async scan(): Promise<number> {
    let added = 0;
    for (;;) {
      const events = await this.backend.getEvents({
        address: this.market,
        abi: storageMarketAbi,
        eventName: "ShardsUpdated",
        fromBlock: this.cursor,
        limit: this.pageSize,
      });
      let fresh = 0;
      for (const event of events) {
        const key = `${event.txId}:${event.logIndex}`;
        if (event.blockNumber === this.cursor && this.seen.has(key)) continue;
        if (event.blockNumber > this.cursor) {
          this.cursor = event.blockNumber;
          this.seen = new Set();
        }
        this.seen.add(key);
        this.put(event.args.dealId, event.args.records, event.blockNumber);
        fresh++;
      }
      added += fresh;
      // A full page may have more behind it; a page of only already-seen events means the rest
      // sits in one block beyond what a page holds (raise pageSize).
      if (events.length < this.pageSize || fresh === 0) return added;
    }
  }

  /** The cached record words of `dealId`, unverified; `undefined` when never seen. */
  cached(dealId: bigint): bigint[] | undefined {
    const entry = this.latest.get(dealId);
    return entry ? [...entry.words] : undefined;
  }

  /**
   * The opening record words of `dealId`, checked against `shardsHash` (the deal's stored hash):
   * syncs from events when the cache is missing or stale. Rejects with `PreflightError`
   * (`stale-records`) when the events do not give records that match.
   */
  async records(dealId: bigint, shardsHash: string): Promise<bigint[]> {
    if (shardsHash === ZERO_HASH) throw new PreflightError("deal-not-found", `No deal ${dealId}`);
    const matches = () => {
      const words = this.cached(dealId);
      return words && shardRecordsHash(words) === shardsHash.toLowerCase() ? words : undefined;
    };
    const hit = matches();
    if (hit) return hit;
    await this.sync();
    const synced = matches();
    if (synced) return synced;
    throw new PreflightError("stale-records", `No ShardsUpdated records of deal ${dealId} match its shardsHash`, {
      details: "the event source lags the chain, or the scan started after the deal's last update (fromBlock)",
    });
  }

  /** `records` unpacked: each shard's opening host and terms (counters zero). */
  async shardRecords(dealId: bigint, shardsHash: string): Promise<ShardRecord[]> {
    return unpackShardRecords(await this.records(dealId, shardsHash));
  }
}
