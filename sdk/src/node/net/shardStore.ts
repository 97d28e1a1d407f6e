/**
 * A host's shards on disk. Uploads in progress live in `pending/` (the bytes so far in `.part`,
 * the offer request and its deadline in `.json`), so a restart keeps what arrived. Once the deal
 * opens on chain with this host on the shard, the shard moves to `deals/<dealId>/shard-NNN.bin`
 * beside a `deal.json` manifest: the layout `HostAgent.fromShardDir(client, store.dealsDir)`
 * proves from.
 */
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { OfferRequestJson, SignedOfferJson } from "../../net/hostApi.js";
import { rootsCommitment } from "../../storage/merkle.js";
import { defaultShardFileName } from "../erasureFiles.js";
import { type DealManifest, MANIFEST_FILE, MANIFEST_FORMAT } from "../prepareDeal.js";

/** What the host keeps about an upload until its deal opens (or it expires). */
export interface PendingUpload {
  dealId: string;
  shard: number;
  request: OfferRequestJson;
  /** Unix seconds (chain time) after which it is dropped unless its deal opened. */
  expiresAt: string;
  /** The signed offer, once the whole shard arrived and matched its root. */
  offer?: SignedOfferJson;
}

/** Beside a stored deal's manifest: who owns the deal (may download) and which shards are here. */
export interface HeldDeal {
  tenant: string;
  shards: number[];
}
const HELD_FILE = "host.json";

const key = (dealId: bigint | string, shard: number) => `${dealId}-${shard}`;

async function atomicWrite(file: string, text: string): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text);
  await rename(tmp, file);
}

async function sizeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).size;
  } catch {
    return undefined;
  }
}

export class ShardStore {
  readonly dir: string;
  readonly pendingDir: string;
  readonly dealsDir: string;

  constructor(dir: string) {
    this.dir = dir;
    this.pendingDir = path.join(dir, "pending");
    this.dealsDir = path.join(dir, "deals");
  }

  async init(): Promise<void> {
    await mkdir(this.pendingDir, { recursive: true });
    await mkdir(this.dealsDir, { recursive: true });
  }

  partFile(dealId: bigint | string, shard: number): string {
    return path.join(this.pendingDir, `${key(dealId, shard)}.part`);
  }

  private metaFile(dealId: bigint | string, shard: number): string {
    return path.join(this.pendingDir, `${key(dealId, shard)}.json`);
  }

  shardFile(dealId: bigint | string, shard: number): string {
    return path.join(this.dealsDir, String(dealId), defaultShardFileName(shard));
  }

  async pending(dealId: bigint | string, shard: number): Promise<PendingUpload | undefined> {
    try {
      return JSON.parse(await readFile(this.metaFile(dealId, shard), "utf8")) as PendingUpload;
    } catch {
      return undefined;
    }
  }

  async allPending(): Promise<PendingUpload[]> {
    const out: PendingUpload[] = [];
    for (const name of await readdir(this.pendingDir)) {
      if (!name.endsWith(".json")) continue;
      const [dealId, shard] = name.slice(0, -5).split("-");
      const p = await this.pending(dealId!, Number(shard));
      if (p) out.push(p);
    }
    return out;
  }

  async savePending(p: PendingUpload): Promise<void> {
    await atomicWrite(this.metaFile(p.dealId, p.shard), JSON.stringify(p));
  }

  /** Bytes of the upload on disk (0 when none). */
  async received(dealId: bigint | string, shard: number): Promise<number> {
    return (await sizeOf(this.partFile(dealId, shard))) ?? 0;
  }

  async dropPending(dealId: bigint | string, shard: number): Promise<void> {
    await rm(this.partFile(dealId, shard), { force: true });
    await rm(this.metaFile(dealId, shard), { force: true });
  }

  /** The stored deal's owner and shards, if this host holds any of it. */
  async held(dealId: bigint | string): Promise<HeldDeal | undefined> {
    try {
      return JSON.parse(await readFile(path.join(this.dealsDir, String(dealId), HELD_FILE), "utf8")) as HeldDeal;
    } catch {
      return undefined;
    }
  }

  /** Moves a complete upload into its deal's folder and records the manifest and the owner. */
  async commit(p: PendingUpload, tenant: string): Promise<void> {
    const dir = path.join(this.dealsDir, p.dealId);
    await mkdir(dir, { recursive: true });
    await rename(this.partFile(p.dealId, p.shard), this.shardFile(p.dealId, p.shard));
    const r = p.request;
    const manifest: DealManifest = {
      format: MANIFEST_FORMAT,
      dealId: p.dealId,
      salt: r.salt as `0x${string}`,
      shardSize: r.shardSize,
      segmentSize: r.segmentSize,
      periods: r.periods,
      periodLength: r.periodLength,
      minShards: r.minShards,
      dataShards: r.minShards,
      parityShards: r.roots.length - r.minShards,
      // The host never sees the file: its length is the tenant's business.
      originalLength: 0,
      roots: r.roots as `0x${string}`[],
      rootsCommitment: rootsCommitment(r.roots),
      shardFiles: r.roots.map((_, i) => defaultShardFileName(i)),
    };
    await atomicWrite(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    const held = (await this.held(p.dealId)) ?? { tenant, shards: [] };
    if (!held.shards.includes(p.shard)) held.shards.push(p.shard);
    held.tenant = tenant;
    await atomicWrite(path.join(dir, HELD_FILE), JSON.stringify(held));
    await rm(this.metaFile(p.dealId, p.shard), { force: true });
  }

  /** Forgets a stored shard (the deal ended, or the host handed it over). */
  async release(dealId: bigint | string, shard: number): Promise<void> {
    await rm(this.shardFile(dealId, shard), { force: true });
    const held = await this.held(dealId);
    if (!held) return;
    held.shards = held.shards.filter((s) => s !== shard);
    if (held.shards.length === 0) await rm(path.join(this.dealsDir, String(dealId)), { recursive: true, force: true });
    else await atomicWrite(path.join(this.dealsDir, String(dealId), HELD_FILE), JSON.stringify(held));
  }

  /** Bytes held in stored shards plus bytes reserved by pending uploads. */
  async usedBytes(): Promise<bigint> {
    let used = 0n;
    for (const p of await this.allPending()) used += BigInt(p.request.shardSize);
    for (const dealId of await readdir(this.dealsDir)) {
      const held = await this.held(dealId);
      for (const s of held?.shards ?? []) used += BigInt((await sizeOf(this.shardFile(dealId, s))) ?? 0);
    }
    return used;
  }

  async storedCount(): Promise<number> {
    let n = 0;
    for (const dealId of await readdir(this.dealsDir)) n += (await this.held(dealId))?.shards.length ?? 0;
    return n;
  }
}
