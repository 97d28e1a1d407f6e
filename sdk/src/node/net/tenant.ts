/**
 * The tenant's side of the network: `storeFile` (shard, pick hosts from the registry, upload to
 * their services in parallel, collect the offers they sign for what they received, open the
 * deal), `retrieveFile` (any k verified shards from live hosts, decoded, the file's hash checked)
 * and `repairOverNetwork` (rebuild a lost shard from k fetched shards, place it on a new host,
 * `repairShard`). A host that refuses, fails or answers wrongly is replaced by the next one.
 */
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { type Hex20, toBase58, toHex20 } from "../../address.js";
import type { Receipt } from "../../backend/types.js";
import { NetworkError } from "../../net/errors.js";
import {
  hostPaths,
  type OfferRequest,
  offerRequestJson,
  signedOfferFromJson,
  type TermsJson,
  type UploadStateJson,
} from "../../net/hostApi.js";
import { type MessageSigner, shardReadAuthorization } from "../../net/shardAuth.js";
import { shardRecords } from "../../storage/actions/dealReads.js";
import { type HostInfo, host as hostInfo, listHosts } from "../../storage/actions/hostReads.js";
import { recoverOfferSigner, type SignedOffer } from "../../storage/actions/internal.js";
import { openDeal } from "../../storage/actions/openDeal.js";
import { repairShard } from "../../storage/actions/repairShard.js";
import type { StorageClient } from "../../storage/client.js";
import { reconstructShards } from "../../storage/erasure.js";
import { ShardTreeBuilder } from "../../storage/merkle.js";
import { SHARD_FLAG_LOST } from "../../storage/records.js";
import { pickHosts } from "../../storage/scoring.js";
import { recoverFile } from "../erasureFiles.js";
import { type DealParams, prepareDeal, preparedDealId } from "../prepareDeal.js";
import { requestJson, requestStream } from "./http.js";

const GIB = 1n << 30n;
export const STORED_FILE_FORMAT = "bttkit-stored/1";

/** What the tenant keeps to retrieve and repair a stored file (JSON-safe). */
export interface StoredFile {
  format: typeof STORED_FILE_FORMAT;
  dealId: string;
  tenant: string;
  name: string;
  fileSha256: string;
  originalLength: number;
  dataShards: number;
  parityShards: number;
  salt: string;
  shardSize: string;
  segmentSize: number;
  periods: number;
  periodLength: number;
  /** Segments asked of each shard per period, fixed when the deal opened. */
  segmentsPerPeriod: number;
  roots: string[];
  /** Who holds shard i, and where its service listens. */
  hosts: { shard: number; host: string; endpoint: string }[];
}

/** Progress of a store, retrieval or repair. */
export type NetProgress =
  | { stage: "encode" | "hash"; done: number; total: number }
  | { stage: "upload"; shard: number; host: string; bytes: number; total: number }
  | { stage: "placed"; shard: number; host: string }
  | { stage: "retry"; shard: number; host: string; error: NetworkError }
  | { stage: "download"; shard: number; host: string; bytes: number; total: number }
  | { stage: "verified"; shard: number; host: string }
  | { stage: "open"; txId: string }
  | { stage: "decode"; done: number; total: number };

export const isHttpEndpoint = (endpoint: string) => /^https?:\/\/[^\s]+$/.test(endpoint);

/** A registry host that runs a service (its endpoint is an http(s) URL). */
export type ServiceHost = HostInfo;

async function sha256File(file: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

async function pool<T>(count: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, count)) }, worker));
  return out;
}

const asNetworkError = (error: unknown, peer: string): NetworkError =>
  error instanceof NetworkError
    ? error
    : new NetworkError("bad-response", `${peer}: ${error instanceof Error ? error.message : String(error)}`, {
        peer,
        cause: error,
      });

interface Placement {
  dealId: bigint;
  tenant: Hex20;
  params: DealParams;
  roots: readonly string[];
  generation: number;
  collateral: bigint;
  maxPricePerGiBPerPeriod: bigint | undefined;
  /** Pay every host this price per shard per period (each must ask at most this) instead of its own ask. */
  pricePerShard: bigint | undefined;
  idleTimeoutMs: number;
  onProgress: ((p: NetProgress) => void) | undefined;
}

/**
 * One shard onto one host: its terms, the reservation, the upload (resumed from what arrived
 * after a broken connection), and the offer it signs, checked field by field and by signature.
 */
async function placeShard(
  client: StorageClient,
  h: ServiceHost,
  shard: number,
  source: () => Readable,
  p: Placement,
): Promise<SignedOffer> {
  const base = h.profile.endpoint;
  const terms = (await requestJson(base, hostPaths.terms(), {
    method: "GET",
    idleTimeoutMs: p.idleTimeoutMs,
  })) as TermsJson;
  const ask = BigInt(terms.pricePerGiBPerPeriod);
  if (p.maxPricePerGiBPerPeriod !== undefined && ask > p.maxPricePerGiBPerPeriod) {
    throw new NetworkError("terms", `${base} asks ${ask} per GiB per period`, { peer: base });
  }
  if (BigInt(terms.maxCollateral) < p.collateral) {
    throw new NetworkError("stake", `${base} locks at most ${terms.maxCollateral} collateral`, { peer: base });
  }
  const shardSize = p.params.shardSize;
  const askForShard = (ask * shardSize + GIB - 1n) / GIB;
  if (p.pricePerShard !== undefined && askForShard > p.pricePerShard) {
    throw new NetworkError("terms", `${base} asks ${askForShard} for the shard, above ${p.pricePerShard}`, {
      peer: base,
    });
  }
  const request: OfferRequest = {
    tenant: p.tenant,
    salt: p.params.salt,
    shardSize,
    segmentSize: p.params.segmentSize,
    periods: p.params.periods,
    periodLength: p.params.periodLength,
    minShards: p.params.minShards,
    segmentsPerPeriod: p.params.segmentsPerPeriod,
    roots: p.roots.map((r) => r.toLowerCase() as `0x${string}`),
    generation: p.generation,
    price: p.pricePerShard ?? (askForShard > 0n ? askForShard : 1n),
    collateral: p.collateral,
  };
  let state = (await requestJson(base, hostPaths.shard(p.dealId, shard), {
    method: "POST",
    json: offerRequestJson(request),
    idleTimeoutMs: p.idleTimeoutMs,
  })) as UploadStateJson;
  const size = Number(shardSize);
  for (let attempt = 0; !state.offer; attempt++) {
    const from = Number(state.received);
    let sent = from;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        sent += chunk.length;
        p.onProgress?.({ stage: "upload", shard, host: base, bytes: sent, total: size });
        done(null, chunk);
      },
    });
    try {
      const stream = source();
      const body = from === 0 ? stream : skip(stream, from);
      state = (await requestJson(base, hostPaths.data(p.dealId, shard, from), {
        method: "PUT",
        headers: { "content-length": size - from },
        stream: body.pipe(counter),
        idleTimeoutMs: p.idleTimeoutMs,
      })) as UploadStateJson;
    } catch (error) {
      // A broken connection: ask what arrived and go on from there (twice at most).
      if (!(error instanceof NetworkError) || error.reason !== "unreachable" || attempt >= 2) throw error;
      state = (await requestJson(base, hostPaths.shard(p.dealId, shard), {
        method: "GET",
        idleTimeoutMs: p.idleTimeoutMs,
      })) as UploadStateJson;
    }
    if (!state.offer && Number(state.received) >= size) {
      throw new NetworkError("bad-response", `${base} took the whole shard but signed no offer`, { peer: base });
    }
  }
  const signed = signedOfferFromJson(state.offer);
  const o = signed.offer;
  const expected = {
    dealId: p.dealId,
    shardIndex: shard,
    generation: p.generation,
    host: toHex20(h.address),
    shardRoot: p.roots[shard]!.toLowerCase(),
    shardSize,
    segmentSize: p.params.segmentSize,
    periods: p.params.periods,
    periodLength: p.params.periodLength,
    segmentsPerPeriod: p.params.segmentsPerPeriod,
    price: request.price,
    collateral: p.collateral,
  };
  for (const [k, v] of Object.entries(expected)) {
    const got = (o as unknown as Record<string, unknown>)[k];
    if (String(got).toLowerCase() !== String(v).toLowerCase()) {
      throw new NetworkError("bad-response", `${base} signed ${k} ${String(got)}, not ${String(v)}`, { peer: base });
    }
  }
  if (recoverOfferSigner(client.domain, o, signed.signature) !== toHex20(h.address)) {
    throw new NetworkError("bad-response", `${base}'s offer is not signed by ${toBase58(h.address)}`, { peer: base });
  }
  return signed;
}

/** The stream without its first `n` bytes. */
function skip(stream: Readable, n: number): Readable {
  let left = n;
  return stream.pipe(
    new Transform({
      transform(chunk: Buffer, _enc, done) {
        if (left >= chunk.length) {
          left -= chunk.length;
          return done();
        }
        const rest = chunk.subarray(left);
        left = 0;
        done(null, rest);
      },
    }),
  );
}

export interface StoreFileParameters {
  file: string;
  /** Where the shards are staged while uploading (removed afterwards). */
  workDir: string;
  periods: number;
  periodLength?: number;
  dataShards?: number;
  parityShards?: number;
  segmentSize?: number;
  /** Segments asked of each shard per period (default `DEFAULT_SEGMENTS_PER_PERIOD`). */
  segmentsPerPeriod?: number;
  /** Collateral each host locks for its shard. */
  collateral: bigint;
  /** Candidate hosts (default: every registered host whose endpoint is an http(s) URL). */
  hosts?: readonly ServiceHost[];
  /** Leave out hosts asking more per GiB per period. */
  maxPricePerGiBPerPeriod?: bigint;
  /** Pay every host this price per shard per period (default: each host its ask for the shard). */
  pricePerShard?: bigint;
  /** Prefer hosts in this region. */
  region?: number;
  /** Uploads at a time (default 8). */
  concurrency?: number;
  idleTimeoutMs?: number;
  onProgress?: (p: NetProgress) => void;
}

export interface StoreFileReturnType {
  record: StoredFile;
  dealId: bigint;
  txId: string;
  /** The `openDeal` transaction's receipt. */
  receipt: Receipt;
  escrow: bigint;
  /** The offers the deal opened with, shard by shard. */
  offers: SignedOffer[];
  /** Hosts that refused or failed, replaced by others. */
  retries: { shard: number; host: string; error: NetworkError }[];
}

/** Candidate service hosts, best first (`pickHosts`: track record, price, stake, region spread). */
async function rankHosts(
  client: StorageClient,
  o: { hosts?: readonly ServiceHost[]; collateral: bigint; maxPrice?: bigint; region?: number; exclude?: Set<string> },
): Promise<ServiceHost[]> {
  const all = (o.hosts ?? (await listHosts(client))).filter(
    (h) => isHttpEndpoint(h.profile.endpoint) && !o.exclude?.has(toHex20(h.address)),
  );
  if (all.length === 0) return [];
  const now = (await client.backend.getBlock()).timestamp;
  return pickHosts(all, {
    n: all.length,
    now,
    minFreeStake: o.collateral,
    ...(o.maxPrice !== undefined ? { maxPrice: o.maxPrice } : {}),
    ...(o.region !== undefined ? { region: o.region } : {}),
  }).map((s) => s.host);
}

/**
 * Stores `file` as a storage deal through the hosts' services and returns what retrieving and
 * repairing it needs. Nothing is sent on chain until every shard sits on a host that signed for
 * it; `openDeal` then opens the deal in one transaction, and each host is told to keep its shard.
 */
export async function storeFile(client: StorageClient, p: StoreFileParameters): Promise<StoreFileReturnType> {
  const tenant = await client.backend.account();
  if (!tenant) throw new NetworkError("forbidden", "storeFile needs a signing backend (the tenant)");
  const fileSha256 = await sha256File(p.file);
  const staging = path.join(p.workDir, `staging-${Date.now()}`);
  const prepared = await prepareDeal(p.file, {
    periods: p.periods,
    ...(p.periodLength !== undefined ? { periodLength: p.periodLength } : {}),
    ...(p.dataShards !== undefined ? { dataShards: p.dataShards } : {}),
    ...(p.parityShards !== undefined ? { parityShards: p.parityShards } : {}),
    ...(p.segmentSize !== undefined ? { segmentSize: p.segmentSize } : {}),
    ...(p.segmentsPerPeriod !== undefined ? { segmentsPerPeriod: p.segmentsPerPeriod } : {}),
    outDir: staging,
    onProgress: (stage, done, total) => p.onProgress?.({ stage, done, total }),
  });
  try {
    const total = prepared.roots.length;
    const queue = await rankHosts(client, {
      ...(p.hosts ? { hosts: p.hosts } : {}),
      collateral: p.collateral,
      ...(p.maxPricePerGiBPerPeriod !== undefined ? { maxPrice: p.maxPricePerGiBPerPeriod } : {}),
      ...(p.region !== undefined ? { region: p.region } : {}),
    });
    const placement: Placement = {
      dealId: preparedDealId(prepared, tenant),
      tenant,
      params: prepared.params,
      roots: prepared.roots,
      generation: 0,
      collateral: p.collateral,
      maxPricePerGiBPerPeriod: p.maxPricePerGiBPerPeriod,
      pricePerShard: p.pricePerShard,
      idleTimeoutMs: p.idleTimeoutMs ?? 30_000,
      onProgress: p.onProgress,
    };
    const retries: StoreFileReturnType["retries"] = [];
    const placed = await pool(total, p.concurrency ?? 8, async (shard) => {
      for (;;) {
        const h = queue.shift();
        if (!h) {
          throw new NetworkError("no-hosts", `no host left for shard ${shard}`, {
            details: retries.map((r) => `${r.host}: ${r.error.shortMessage}`).join("; "),
          });
        }
        try {
          const file = prepared.shardPaths![shard]!;
          const offer = await placeShard(
            client,
            h,
            shard,
            () => createReadStream(file, { highWaterMark: 1 << 20 }),
            placement,
          );
          p.onProgress?.({ stage: "placed", shard, host: h.profile.endpoint });
          return { host: h, offer };
        } catch (error) {
          const e = asNetworkError(error, h.profile.endpoint);
          retries.push({ shard, host: h.profile.endpoint, error: e });
          p.onProgress?.({ stage: "retry", shard, host: h.profile.endpoint, error: e });
        }
      }
    });
    const opened = await openDeal(client, { deal: prepared, offers: placed.map((x) => x.offer) });
    p.onProgress?.({ stage: "open", txId: opened.txId });
    // Each host commits its shard once it sees the deal open (its sweep would do it later).
    await Promise.all(
      placed.map(({ host: h }) =>
        requestJson(h.profile.endpoint, hostPaths.opened(opened.dealId), { method: "POST", json: {} }).catch(() => {}),
      ),
    );
    const record: StoredFile = {
      format: STORED_FILE_FORMAT,
      dealId: opened.dealId.toString(),
      tenant: toBase58(tenant),
      name: path.basename(p.file),
      fileSha256,
      originalLength: prepared.originalLength,
      dataShards: prepared.dataShards,
      parityShards: prepared.parityShards,
      salt: prepared.params.salt,
      shardSize: prepared.params.shardSize.toString(),
      segmentSize: prepared.params.segmentSize,
      periods: prepared.params.periods,
      periodLength: prepared.params.periodLength,
      segmentsPerPeriod: prepared.params.segmentsPerPeriod,
      roots: [...prepared.roots],
      hosts: placed.map((x, shard) => ({ shard, host: toBase58(x.host.address), endpoint: x.host.profile.endpoint })),
    };
    return {
      record,
      dealId: opened.dealId,
      txId: opened.txId,
      receipt: opened.receipt,
      escrow: opened.escrow,
      offers: placed.map((x) => x.offer),
      retries,
    };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

export interface FetchShardsParameters {
  record: StoredFile;
  /** Signs the download authorisations (the deal's tenant). */
  signer: MessageSigner;
  /** Where fetched shards are written. */
  dir: string;
  /** How many verified shards to get (default the record's dataShards). */
  need?: number;
  /** Shards not to fetch. */
  exclude?: readonly number[];
  concurrency?: number;
  idleTimeoutMs?: number;
  onProgress?: (p: NetProgress) => void;
}

/** Where each live shard's host listens now (the registry's endpoint, else the record's). */
async function liveHolders(client: StorageClient, record: StoredFile) {
  const dealId = BigInt(record.dealId);
  const records = await shardRecords(client, { dealId });
  const holders: { shard: number; host: Hex20; endpoint: string }[] = [];
  await Promise.all(
    records.map(async (r, shard) => {
      if ((r.flags & SHARD_FLAG_LOST) !== 0) return;
      const address = toHex20(r.host);
      const endpoint = (await hostInfo(client, { address })).profile.endpoint;
      const known = record.hosts.find((x) => x.shard === shard && toHex20(x.host) === address)?.endpoint;
      const url = isHttpEndpoint(endpoint) ? endpoint : known;
      if (url) holders.push({ shard, host: address, endpoint: url });
    }),
  );
  // Data shards first: with all of them present, decoding is a copy.
  return holders.sort((a, b) => a.shard - b.shard);
}

/**
 * Downloads shards from their hosts until `need` of them are verified against their roots;
 * returns their files by shard index. A host that is down, refuses, or sends other bytes is
 * skipped for the next shard.
 */
export async function fetchShards(
  client: StorageClient,
  p: FetchShardsParameters,
): Promise<{ files: Map<number, string>; failures: { shard: number; host: string; error: NetworkError }[] }> {
  const { record } = p;
  const need = p.need ?? record.dataShards;
  const dealId = BigInt(record.dealId);
  const exclude = new Set(p.exclude ?? []);
  const holders = (await liveHolders(client, record)).filter((h) => !exclude.has(h.shard));
  await mkdir(p.dir, { recursive: true });
  const files = new Map<number, string>();
  const failures: { shard: number; host: string; error: NetworkError }[] = [];
  const shardSize = Number(record.shardSize);
  let next = 0;
  const worker = async () => {
    while (files.size < need && next < holders.length) {
      const h = holders[next++]!;
      const file = path.join(p.dir, `shard-${String(h.shard).padStart(3, "0")}.bin`);
      try {
        const expiry = (await client.backend.getBlock()).timestamp + 600n;
        const authorization = await shardReadAuthorization(p.signer, { host: h.host, dealId, shard: h.shard, expiry });
        const res = await requestStream(h.endpoint, hostPaths.data(dealId, h.shard), {
          method: "GET",
          headers: { authorization },
          idleTimeoutMs: p.idleTimeoutMs ?? 30_000,
        });
        const builder = new ShardTreeBuilder({ segmentSize: record.segmentSize });
        let bytes = 0;
        await pipeline(
          res,
          new Transform({
            transform(chunk: Buffer, _enc, done) {
              bytes += chunk.length;
              if (bytes > shardSize) return done(new NetworkError("bad-response", `${h.endpoint} sent too many bytes`));
              builder.update(chunk);
              p.onProgress?.({ stage: "download", shard: h.shard, host: h.endpoint, bytes, total: shardSize });
              done(null, chunk);
            },
          }),
          createWriteStream(file),
        );
        const root = bytes === shardSize ? builder.finish().root : undefined;
        if (root !== record.roots[h.shard]!.toLowerCase()) {
          throw new NetworkError("wrong-root", `${h.endpoint} sent shard ${h.shard} that does not hash to its root`, {
            peer: h.endpoint,
          });
        }
        if (files.size >= need) await rm(file, { force: true });
        else {
          files.set(h.shard, file);
          p.onProgress?.({ stage: "verified", shard: h.shard, host: h.endpoint });
        }
      } catch (error) {
        await rm(file, { force: true });
        failures.push({ shard: h.shard, host: h.endpoint, error: asNetworkError(error, h.endpoint) });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, p.concurrency ?? need) }, worker));
  if (files.size < need) {
    throw new NetworkError("no-hosts", `only ${files.size} of the ${need} shards needed could be fetched`, {
      details: failures.map((f) => `shard ${f.shard} from ${f.host}: ${f.error.shortMessage}`).join("; "),
    });
  }
  return { files, failures };
}

export interface RetrieveFileParameters extends Omit<FetchShardsParameters, "need" | "exclude" | "dir"> {
  /** Where the file is written. */
  out: string;
  /** Scratch space for the fetched shards (removed afterwards). */
  workDir: string;
}

/** Fetches any k verified shards, decodes the file to `out` and checks its sha256. */
export async function retrieveFile(
  client: StorageClient,
  p: RetrieveFileParameters,
): Promise<{ out: string; shards: number[]; failures: { shard: number; host: string; error: NetworkError }[] }> {
  const dir = path.join(p.workDir, `fetch-${Date.now()}`);
  try {
    const { files, failures } = await fetchShards(client, { ...p, dir });
    const { record } = p;
    const paths = Array.from({ length: record.dataShards + record.parityShards }, (_, i) => files.get(i));
    await recoverFile(paths, p.out, {
      dataShards: record.dataShards,
      parityShards: record.parityShards,
      originalLength: record.originalLength,
      onProgress: (done, total) => p.onProgress?.({ stage: "decode", done, total }),
    });
    const hash = await sha256File(p.out);
    if (hash !== record.fileSha256) {
      await rm(p.out, { force: true });
      throw new NetworkError("file-hash", `the decoded file hashes to ${hash}, not ${record.fileSha256}`);
    }
    return { out: p.out, shards: [...files.keys()].sort((a, b) => a - b), failures };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export interface HandOverShardParameters {
  record: StoredFile;
  shard: number;
  /** The shard's bytes (rebuilt by the tenant). */
  bytes: Uint8Array;
  collateral: bigint;
  /** Candidate hosts (default: the registry's service hosts); holders of the deal are left out. */
  hosts?: readonly ServiceHost[];
  maxPricePerGiBPerPeriod?: bigint;
  /** Pay the new host this price per period (default: its ask for the shard); at most the shard's budget. */
  pricePerShard?: bigint;
  idleTimeoutMs?: number;
  onProgress?: (p: NetProgress) => void;
}

export interface HandOverShardReturnType {
  txId: string;
  receipt: Receipt;
  host: ServiceHost;
  offer: SignedOffer;
  generation: bigint;
  /** The record with the shard's new host. */
  record: StoredFile;
  retries: { host: string; error: NetworkError }[];
}

/**
 * Places a lost shard's bytes on the best new host that takes them (its offer at the shard's
 * next generation, signed for what it received) and hands the shard over with `repairShard`.
 */
export async function handOverShard(
  client: StorageClient,
  p: HandOverShardParameters,
): Promise<HandOverShardReturnType> {
  const tenant = await client.backend.account();
  if (!tenant) throw new NetworkError("forbidden", "a repair needs a signing backend (the tenant)");
  const { record } = p;
  const dealId = BigInt(record.dealId);
  const records = await shardRecords(client, { dealId });
  const queue = await rankHosts(client, {
    ...(p.hosts ? { hosts: p.hosts } : {}),
    collateral: p.collateral,
    ...(p.maxPricePerGiBPerPeriod !== undefined ? { maxPrice: p.maxPricePerGiBPerPeriod } : {}),
    exclude: new Set(records.map((r) => toHex20(r.host))),
  });
  const params: DealParams = {
    salt: record.salt as `0x${string}`,
    shardSize: BigInt(record.shardSize),
    segmentSize: record.segmentSize,
    periods: record.periods,
    periodLength: record.periodLength,
    minShards: record.dataShards,
    segmentsPerPeriod: record.segmentsPerPeriod,
  };
  const retries: { host: string; error: NetworkError }[] = [];
  for (const h of queue) {
    let offer: SignedOffer;
    try {
      offer = await placeShard(client, h, p.shard, () => Readable.from([Buffer.from(p.bytes)]), {
        dealId,
        tenant,
        params,
        roots: record.roots,
        generation: records[p.shard]!.generation + 1,
        collateral: p.collateral,
        maxPricePerGiBPerPeriod: p.maxPricePerGiBPerPeriod,
        pricePerShard: p.pricePerShard,
        idleTimeoutMs: p.idleTimeoutMs ?? 30_000,
        onProgress: p.onProgress,
      });
    } catch (error) {
      retries.push({ host: h.profile.endpoint, error: asNetworkError(error, h.profile.endpoint) });
      continue;
    }
    const result = await repairShard(client, { dealId, shard: p.shard, roots: record.roots, offer });
    await requestJson(h.profile.endpoint, hostPaths.opened(dealId), { method: "POST", json: {} }).catch(() => {});
    const hosts = record.hosts.map((x) =>
      x.shard === p.shard ? { shard: x.shard, host: toBase58(h.address), endpoint: h.profile.endpoint } : x,
    );
    return {
      txId: result.txId,
      receipt: result.receipt,
      host: h,
      offer,
      generation: result.generation,
      record: { ...record, hosts },
      retries,
    };
  }
  throw new NetworkError("no-hosts", `no host took shard ${p.shard}`, {
    details: retries.map((r) => `${r.host}: ${r.error.shortMessage}`).join("; "),
  });
}

export interface RepairOverNetworkParameters extends Omit<HandOverShardParameters, "bytes"> {
  /** Signs the download authorisations (the deal's tenant). */
  signer: MessageSigner;
  /** Scratch space for the fetched shards (removed afterwards). */
  workDir: string;
}

/**
 * Rebuilds lost shard `shard` from k shards fetched over the network (each checked against its
 * root) and hands it to a new host (`handOverShard`).
 */
export async function repairOverNetwork(
  client: StorageClient,
  p: RepairOverNetworkParameters,
): Promise<HandOverShardReturnType> {
  const { record } = p;
  const dir = path.join(p.workDir, `repair-${Date.now()}`);
  try {
    const { files } = await fetchShards(client, {
      record,
      signer: p.signer,
      dir,
      exclude: [p.shard],
      ...(p.idleTimeoutMs !== undefined ? { idleTimeoutMs: p.idleTimeoutMs } : {}),
      ...(p.onProgress ? { onProgress: p.onProgress } : {}),
    });
    const total = record.dataShards + record.parityShards;
    const shards: (Uint8Array | undefined)[] = new Array(total).fill(undefined);
    for (const [i, f] of files) shards[i] = new Uint8Array(await readFile(f));
    const bytes = reconstructShards(shards, { dataShards: record.dataShards, parityShards: record.parityShards })[
      p.shard
    ]!;
    return await handOverShard(client, { ...p, bytes });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Reads a `StoredFile` record (as `storeFile` returned it, written as JSON). */
export async function readStoredFile(file: string): Promise<StoredFile> {
  const json = JSON.parse(await readFile(file, "utf8")) as StoredFile;
  if (json.format !== STORED_FILE_FORMAT) {
    throw new NetworkError("bad-request", `${file} is not a ${STORED_FILE_FORMAT} record`);
  }
  return json;
}

/** Bytes of a file (for progress totals). */
export async function fileSize(file: string): Promise<number> {
  return (await stat(file)).size;
}
