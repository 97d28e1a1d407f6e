/**
 * A storage host's HTTP service (fastify), the API in sdk/src/net/hostApi.ts. The host signs an
 * offer only for a shard it received whole and hashed to the root the tenant named; uploads are
 * streamed to disk and hashed as they arrive, resumable after a dropped connection or a restart,
 * and dropped when their deal has not opened by the offer's expiry. Shards of open deals are
 * served back only to the deal's tenant. The host agent proves from `store.dealsDir`.
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import Fastify, { type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { type Hex20, toBase58, toHex20 } from "../../address.js";
import { NetworkError } from "../../net/errors.js";
import {
  decimal,
  type ErrorJson,
  type HealthJson,
  HOST_ERROR_STATUS,
  hostPaths,
  type OfferRequest,
  offerRequestJson,
  parseOfferRequest,
  parseShardPath,
  signedOfferToJson,
  type TermsJson,
  type UploadStateJson,
} from "../../net/hostApi.js";
import { shardReadSigner } from "../../net/shardAuth.js";
import { shardRecords } from "../../storage/actions/dealReads.js";
import { host as hostInfo } from "../../storage/actions/hostReads.js";
import { DEAL_STATUS } from "../../storage/actions/internal.js";
import { type OfferSigner, signOffer } from "../../storage/actions/signOffer.js";
import type { StorageClient } from "../../storage/client.js";
import { checkSegmentSize, rootsCommitment, ShardTreeBuilder } from "../../storage/merkle.js";
import { dealIdOf, type StorageOffer } from "../../storage/offer.js";
import { type PendingUpload, ShardStore } from "./shardStore.js";

const GIB = 1n << 30n;

export interface HostServiceOptions {
  /** The host's storage client (signing backend): chain reads and the offer domain. */
  client: StorageClient;
  /** Signs offers as the host (the client's account). */
  signer: OfferSigner;
  /** Where shards are kept. */
  dir: string;
  /** Interface to listen on (default 127.0.0.1). */
  listenHost?: string;
  /** Port (default 0: any free port). */
  port?: number;
  /** Largest shard accepted (default 4 GiB). */
  maxShardSize?: bigint;
  /** Bytes offered in all (default: the registry profile's capacity). */
  capacity?: bigint;
  /** Most collateral locked for one shard (default: all free stake). */
  maxCollateral?: bigint;
  /** Seconds an offer, and an upload waiting for its deal, lasts (default 3,600). */
  offerTtl?: number;
  /** A connection idle this long is closed; what arrived is kept (default 30 s). */
  idleTimeoutMs?: number;
  /** How often to commit opened deals and drop expired uploads (default 60 s; 0: only on `sweep()`). */
  sweepIntervalMs?: number;
  /** Chain time, unix seconds (default: the latest block's). */
  now?: () => Promise<bigint>;
}

export interface SweepReport {
  committed: { dealId: bigint; shard: number }[];
  dropped: { dealId: bigint; shard: number; why: string }[];
}

const fail = (reason: ConstructorParameters<typeof NetworkError>[0], message: string) =>
  new NetworkError(reason, message, { status: HOST_ERROR_STATUS[reason] });

const sameRequest = (a: OfferRequest, b: PendingUpload["request"]) =>
  JSON.stringify(offerRequestJson(a)) === JSON.stringify(b);

export class HostService {
  readonly client: StorageClient;
  readonly store: ShardStore;
  private readonly options: HostServiceOptions;
  private readonly builders = new Map<string, { builder: ShardTreeBuilder; hashed: number }>();
  private readonly writing = new Set<string>();
  private app: FastifyInstance | undefined;
  private sweeper: NodeJS.Timeout | undefined;
  private me: Hex20 | undefined;
  /** `http://host:port` once started. */
  url: string | undefined;

  constructor(options: HostServiceOptions) {
    this.options = options;
    this.client = options.client;
    this.store = new ShardStore(options.dir);
  }

  private now(): Promise<bigint> {
    return this.options.now ? this.options.now() : this.client.backend.getBlock().then((h) => h.timestamp);
  }

  private async address(): Promise<Hex20> {
    if (!this.me) {
      const account = await this.client.backend.account();
      if (!account) throw new NetworkError("forbidden", "the host service needs a signing backend");
      this.me = account;
    }
    return this.me;
  }

  /** Listens and returns the base URL. */
  async start(): Promise<string> {
    await this.store.init();
    await this.address();
    const app = Fastify({
      logger: false,
      connectionTimeout: this.options.idleTimeoutMs ?? 30_000,
      bodyLimit: 256 * 1024,
    });
    // Shard bytes stay a stream: the handler writes them to disk as they come.
    app.addContentTypeParser("application/octet-stream", (_req, _payload, done) => done(null));
    app.setErrorHandler((error: FastifyError | NetworkError, _req, reply) => {
      if (error instanceof NetworkError) return this.refuse(reply, error);
      const status = (error as FastifyError).statusCode ?? 500;
      const reason = status === 413 ? "too-large" : status < 500 ? "bad-request" : "unreachable";
      return reply.code(status).send({ error: { reason, message: error.message } } satisfies ErrorJson);
    });
    app.get(hostPaths.health(), () => this.health());
    app.get(hostPaths.terms(), () => this.terms());
    app.post("/v1/deals/:dealId/shards/:shard", (req, reply) => this.reserve(req, reply));
    app.get("/v1/deals/:dealId/shards/:shard", (req) => this.state(req));
    app.put("/v1/deals/:dealId/shards/:shard/data", (req, reply) => this.upload(req, reply));
    app.get("/v1/deals/:dealId/shards/:shard/data", (req, reply) => this.download(req, reply));
    app.post("/v1/deals/:dealId/opened", (req) => this.opened(req));
    const address = await app.listen({ host: this.options.listenHost ?? "127.0.0.1", port: this.options.port ?? 0 });
    this.app = app;
    this.url = address;
    const every = this.options.sweepIntervalMs ?? 60_000;
    if (every > 0) {
      this.sweeper = setInterval(() => void this.sweep().catch(() => {}), every);
      this.sweeper.unref();
    }
    return address;
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    this.sweeper = undefined;
    const app = this.app;
    this.app = undefined;
    this.url = undefined;
    this.builders.clear();
    if (app) {
      // Close open uploads too: a host that stops does not wait for slow clients.
      app.server.closeAllConnections();
      await app.close();
    }
  }

  private refuse(reply: FastifyReply, error: NetworkError) {
    return reply
      .code(error.status ?? HOST_ERROR_STATUS[error.reason])
      .send({ error: { reason: error.reason, message: error.shortMessage } } satisfies ErrorJson);
  }

  private async health(): Promise<HealthJson> {
    const [shards, pending, free] = await Promise.all([
      this.store.storedCount(),
      this.store.allPending().then((p) => p.length),
      this.freeBytes(),
    ]);
    return { status: "ok", host: toBase58(await this.address()), shards, pending, freeBytes: free.toString() };
  }

  private async freeBytes(capacity?: bigint): Promise<bigint> {
    const cap =
      capacity ??
      this.options.capacity ??
      (await hostInfo(this.client, { address: await this.address() })).profile.capacity;
    const used = await this.store.usedBytes();
    return cap > used ? cap - used : 0n;
  }

  private async terms(): Promise<TermsJson> {
    const info = await hostInfo(this.client, { address: await this.address() });
    const cap = this.options.capacity ?? info.profile.capacity;
    const maxCollateral =
      this.options.maxCollateral !== undefined && this.options.maxCollateral < info.freeStake
        ? this.options.maxCollateral
        : info.freeStake;
    return {
      host: toBase58(info.address),
      pricePerGiBPerPeriod: info.profile.pricePerGiBPerPeriod.toString(),
      maxCollateral: maxCollateral.toString(),
      freeCapacity: (await this.freeBytes(cap)).toString(),
      maxShardSize: (this.options.maxShardSize ?? 4n * GIB).toString(),
      region: Number(info.profile.region),
      offerTtl: this.options.offerTtl ?? 3_600,
    };
  }

  /** Checks the request against the host's terms and the chain, then reserves the upload. */
  private async reserve(req: FastifyRequest, reply: FastifyReply): Promise<UploadStateJson> {
    const { dealId, shard } = parseShardPath(req.params);
    const r = parseOfferRequest(req.body);
    if (shard >= r.roots.length) throw fail("bad-request", `shard ${shard} is not among the ${r.roots.length} roots`);
    if (r.minShards < 1 || r.minShards > r.roots.length) throw fail("bad-request", "minShards must be 1..roots");
    try {
      checkSegmentSize(r.segmentSize);
    } catch {
      throw fail("bad-request", `segmentSize ${r.segmentSize} is not a power of two from 32 to 65536`);
    }
    const maxShard = this.options.maxShardSize ?? 4n * GIB;
    if (r.shardSize === 0n) throw fail("bad-request", "shardSize must be positive");
    if (r.shardSize > maxShard)
      throw fail("too-large", `shard of ${r.shardSize} bytes: this host takes at most ${maxShard}`);
    if ((await this.store.held(dealId))?.shards.includes(shard)) {
      throw fail("conflict", `shard ${shard} of deal ${dealId} is already stored here`);
    }
    await this.checkDeal(dealId, shard, r);
    const me = await this.address();
    const info = await hostInfo(this.client, { address: me });
    if (!info.stake.registered) throw fail("terms", "this host is not registered");
    const ask = (info.profile.pricePerGiBPerPeriod * r.shardSize + GIB - 1n) / GIB;
    if (r.price < ask) throw fail("terms", `price ${r.price} per period is below this host's ask ${ask} for the shard`);
    const maxCollateral =
      this.options.maxCollateral !== undefined && this.options.maxCollateral < info.freeStake
        ? this.options.maxCollateral
        : info.freeStake;
    if (r.collateral > maxCollateral) {
      throw fail("stake", `collateral ${r.collateral} exceeds what this host locks for a shard (${maxCollateral})`);
    }
    const existing = await this.store.pending(dealId, shard);
    if (existing) {
      if (!sameRequest(r, existing.request)) {
        throw fail("conflict", `an upload of shard ${shard} of deal ${dealId} with other terms is in progress`);
      }
      return this.stateOf(existing);
    }
    const free = await this.freeBytes(this.options.capacity ?? info.profile.capacity);
    if (r.shardSize > free) throw fail("capacity", `shard of ${r.shardSize} bytes, ${free} free`);
    const p: PendingUpload = {
      dealId: dealId.toString(),
      shard,
      request: offerRequestJson(r),
      expiresAt: ((await this.now()) + BigInt(this.options.offerTtl ?? 3_600)).toString(),
    };
    await this.store.savePending(p);
    reply.code(201);
    return this.stateOf(p);
  }

  /** A new deal must not exist yet and its id must be the tenant's; a repair must fit the open deal. */
  private async checkDeal(dealId: bigint, shard: number, r: OfferRequest): Promise<void> {
    const info = await this.client.market.read.deal([dealId]);
    if (r.generation === 0) {
      if (dealIdOf(r.tenant, r.salt) !== dealId) throw fail("bad-request", "dealId is not keccak256(tenant, salt)");
      if (info.status !== DEAL_STATUS.none) throw fail("conflict", `deal ${dealId} already exists`);
      return;
    }
    if (info.status !== DEAL_STATUS.active) throw fail("not-found", `deal ${dealId} is not open`);
    if (toHex20(info.tenant) !== toHex20(r.tenant)) throw fail("forbidden", "only the deal's tenant asks for repairs");
    if (info.rootsCommitment.toLowerCase() !== rootsCommitment(r.roots)) {
      throw fail("bad-request", "roots do not match the deal's commitment");
    }
    if (info.shardSize !== r.shardSize || info.segmentSize !== r.segmentSize || info.periods !== r.periods) {
      throw fail("bad-request", "the sizes or periods differ from the deal's");
    }
    const records = await shardRecords(this.client, { dealId });
    const next = (records[shard]?.generation ?? -2) + 1;
    if (next !== r.generation)
      throw fail("conflict", `shard ${shard} is at generation ${next - 1}, not ${r.generation - 1}`);
  }

  private async stateOf(p: PendingUpload): Promise<UploadStateJson> {
    return {
      state: "pending",
      size: p.request.shardSize,
      received: (await this.store.received(p.dealId, p.shard)).toString(),
      expiresAt: p.expiresAt,
      ...(p.offer ? { offer: p.offer } : {}),
    };
  }

  private async state(req: FastifyRequest): Promise<UploadStateJson> {
    const { dealId, shard } = parseShardPath(req.params);
    const p = await this.store.pending(dealId, shard);
    if (p) return this.stateOf(p);
    if ((await this.store.held(dealId))?.shards.includes(shard)) {
      const { size } = await stat(this.store.shardFile(dealId, shard));
      return { state: "stored", size: String(size), received: String(size), expiresAt: "0" };
    }
    throw fail("not-found", `no upload or shard ${shard} of deal ${dealId} here`);
  }

  /** Streams the body to the part file from `?offset=` (which must be what arrived so far), hashing as it goes. */
  private async upload(req: FastifyRequest, reply: FastifyReply): Promise<UploadStateJson> {
    const { dealId, shard } = parseShardPath(req.params);
    const k = `${dealId}-${shard}`;
    const p = await this.store.pending(dealId, shard);
    if (!p) throw fail("not-found", `no upload of shard ${shard} of deal ${dealId} was reserved here`);
    if ((await this.now()) > BigInt(p.expiresAt)) {
      await this.drop(p);
      throw fail("expired", `the upload expired at ${p.expiresAt}`);
    }
    if (p.offer) return this.stateOf(p);
    if (this.writing.has(k)) throw fail("conflict", "another upload of this shard is in progress");
    const size = Number(p.request.shardSize);
    const start = await this.store.received(dealId, shard);
    const offset = decimal((req.query as Record<string, unknown>).offset ?? "0", "offset");
    if (offset !== BigInt(start)) throw fail("conflict", `offset ${offset}: ${start} bytes have arrived`);
    const length = req.headers["content-length"];
    if (length !== undefined && start + Number(length) > size) {
      req.raw.resume(); // let the client finish sending into the void before it reads the answer
      throw fail("too-large", `${length} bytes from offset ${start} overflow the ${size}-byte shard`);
    }
    this.writing.add(k);
    let received = start;
    const file = this.store.partFile(dealId, shard);
    const fh = await open(file, start === 0 ? "w" : "r+");
    try {
      const hashing = await this.builder(k, file, start, p.request.segmentSize);
      try {
        for await (const chunk of req.raw as AsyncIterable<Buffer>) {
          if (received + chunk.length > size) {
            req.raw.destroy();
            this.builders.delete(k);
            await fh.truncate(start);
            throw fail("too-large", `the body overflows the ${size}-byte shard`);
          }
          await fh.write(chunk, 0, chunk.length, received);
          hashing.builder.update(chunk);
          received += chunk.length;
          hashing.hashed = received;
        }
      } catch (error) {
        // A dropped or idle connection: keep what arrived for a resumed upload.
        if (error instanceof NetworkError) throw error;
        return reply.code(400).send({
          error: { reason: "bad-request", message: `the upload broke off at ${received} bytes` },
        } satisfies ErrorJson) as never;
      }
    } finally {
      await fh.close();
      this.writing.delete(k);
    }
    if (received < size) return this.stateOf(p);
    const tree = this.builders.get(k)!.builder.finish();
    this.builders.delete(k);
    const root = p.request.roots[shard]!.toLowerCase();
    if (tree.root !== root) {
      await this.drop(p);
      throw fail("wrong-root", `the shard hashes to ${tree.root}, not the offered root ${root}`);
    }
    p.offer = signedOfferToJson(await signOffer(this.client, { offer: this.offerFor(p), signer: this.options.signer }));
    await this.store.savePending(p);
    return this.stateOf(p);
  }

  /** The upload's tree builder, rebuilt from the part file after a restart. */
  private async builder(k: string, file: string, received: number, segmentSize: number) {
    const held = this.builders.get(k);
    if (held && held.hashed === received) return held;
    const builder = new ShardTreeBuilder({ segmentSize });
    if (received > 0) {
      for await (const chunk of createReadStream(file, { start: 0, end: received - 1, highWaterMark: 1 << 20 })) {
        builder.update(chunk as Buffer);
      }
    }
    const fresh = { builder, hashed: received };
    this.builders.set(k, fresh);
    return fresh;
  }

  private offerFor(p: PendingUpload): StorageOffer {
    const r = p.request;
    return {
      dealId: BigInt(p.dealId),
      shardIndex: p.shard,
      generation: r.generation,
      host: this.me!,
      shardRoot: r.roots[p.shard]!,
      shardSize: BigInt(r.shardSize),
      segmentSize: r.segmentSize,
      periods: r.periods,
      periodLength: r.periodLength,
      segmentsPerPeriod: r.segmentsPerPeriod,
      price: BigInt(r.price),
      collateral: BigInt(r.collateral),
      expiry: BigInt(p.expiresAt),
      nonce: 0n,
    };
  }

  private async drop(p: PendingUpload): Promise<void> {
    this.builders.delete(`${p.dealId}-${p.shard}`);
    await this.store.dropPending(p.dealId, p.shard);
  }

  private async download(req: FastifyRequest, reply: FastifyReply) {
    const { dealId, shard } = parseShardPath(req.params);
    const held = await this.store.held(dealId);
    if (!held?.shards.includes(shard)) throw fail("not-found", `shard ${shard} of deal ${dealId} is not held here`);
    const signer = shardReadSigner(
      req.headers.authorization,
      { host: await this.address(), dealId, shard },
      await this.now(),
    );
    if (signer !== toHex20(held.tenant)) throw fail("forbidden", `${toBase58(signer)} is not the deal's tenant`);
    const file = this.store.shardFile(dealId, shard);
    const { size } = await stat(file);
    reply.header("content-type", "application/octet-stream").header("content-length", size);
    return reply.send(createReadStream(file, { highWaterMark: 1 << 20 }));
  }

  private async opened(req: FastifyRequest): Promise<{ stored: number[] }> {
    const params = req.params as Record<string, unknown>;
    const dealId = decimal(params.dealId, "dealId");
    const pending = (await this.store.allPending()).filter((p) => p.dealId === dealId.toString() && p.offer);
    if (pending.length === 0 && !(await this.store.held(dealId)))
      throw fail("not-found", `nothing of deal ${dealId} here`);
    for (const p of pending) await this.confirm(p);
    return { stored: (await this.store.held(dealId))?.shards ?? [] };
  }

  /** Commits the upload when the chain shows its deal open with this host on the shard. */
  private async confirm(p: PendingUpload): Promise<boolean> {
    const dealId = BigInt(p.dealId);
    const info = await this.client.market.read.deal([dealId]);
    if (info.status !== DEAL_STATUS.active) return false;
    if (info.rootsCommitment.toLowerCase() !== rootsCommitment(p.request.roots)) return false;
    const record = (await shardRecords(this.client, { dealId }))[p.shard];
    if (!record || toHex20(record.host) !== this.me || record.generation !== p.request.generation) return false;
    await this.store.commit(p, toHex20(info.tenant));
    return true;
  }

  /** Commits uploads whose deal opened; drops those whose offer expired unused (and half uploads past it). */
  async sweep(): Promise<SweepReport> {
    const report: SweepReport = { committed: [], dropped: [] };
    const now = await this.now();
    for (const p of await this.store.allPending()) {
      const id = { dealId: BigInt(p.dealId), shard: p.shard };
      if (p.offer && (await this.confirm(p))) report.committed.push(id);
      else if (now > BigInt(p.expiresAt)) {
        await this.drop(p);
        report.dropped.push({
          ...id,
          why: p.offer ? "the deal did not open before the offer expired" : "the upload did not finish in time",
        });
      }
    }
    return report;
  }

  /** Forgets a stored shard (after the deal ended or the shard was handed over). */
  release(dealId: bigint, shard: number): Promise<void> {
    return this.store.release(dealId, shard);
  }
}
