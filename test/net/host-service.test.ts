/**
 * The storage host service and the tenant's client over loopback HTTP, against a suite deployed
 * on Hardhat (EthersBackend): hosts serve terms and sign offers only for shards they received and
 * checked; the tenant stores a file (a refusing and a dead host are replaced), the hosts' agents
 * prove from what the services stored, the tenant retrieves the file with a host down, and every
 * kind of bad input gets its HTTP error with nothing kept.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { Hex20 } from "../../sdk/src/address.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import { NetworkError } from "../../sdk/src/net/errors.js";
import { hostPaths, type UploadStateJson } from "../../sdk/src/net/hostApi.js";
import { privateKeyMessageSigner, shardReadAuthorization } from "../../sdk/src/net/shardAuth.js";
import { HostAgent, prepareDeal } from "../../sdk/src/node/index.js";
import { HostService } from "../../sdk/src/node/net/hostService.js";
import { requestJson, requestStream } from "../../sdk/src/node/net/http.js";
import { fetchShards, retrieveFile, type StoredFile, storeFile } from "../../sdk/src/node/net/tenant.js";
import {
  createStorageClient,
  dealIdOf,
  host,
  registerHost,
  type StorageClient,
  stake,
} from "../../sdk/src/storage/index.js";
import { approveToken, deposit, setMarketApproval } from "../../sdk/src/vault/index.js";
import { rejectsWith } from "../sdk/expect-error.js";
import { type StorageEnv, storageEthersEnv } from "../sdk/storage-env.js";

const HOSTS = [3, 4, 5, 6, 7, 8, 9];
const STAKE = 5_000n;
const COLLATERAL = 100n;
const PRICE_PER_GIB = 1_000_000_000n;

describe("network: storage host service over loopback HTTP", function () {
  this.timeout(240_000);
  let env: StorageEnv;
  let dir: string;
  let tenant: StorageClient;
  let hostClients: StorageClient[];
  const services: HostService[] = [];
  const A = (i: number) => env.addresses[i] as Hex20;
  const tenantSigner = () => privateKeyMessageSigner(env.privateKey(1));

  const clientFor = async (backend: Backend) => {
    const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
    return createStorageClient({ backend, deployment, timeoutMs: 30_000 });
  };
  const serviceFor = (k: number, extra: Partial<ConstructorParameters<typeof HostService>[0]> = {}) =>
    new HostService({
      client: hostClients[k]!,
      signer: env.offerSigner(HOSTS[k]!),
      dir: path.join(dir, `host-${k}`),
      sweepIntervalMs: 0,
      offerTtl: 600,
      ...extra,
    });

  before(async () => {
    env = await storageEthersEnv(12);
    dir = await mkdtemp(path.join(tmpdir(), "bttkit-net-"));
    tenant = await clientFor(env.backends[1]!);
    hostClients = await Promise.all(HOSTS.map((i) => clientFor(env.backends[i]!)));
    await env.mint(A(1), 1_000_000n);
    await approveToken(tenant.vault, { amount: 1_000_000n });
    await deposit(tenant.vault, { amount: 1_000_000n });
    await setMarketApproval(tenant.vault, { market: tenant.market.address, approved: true });
    for (const [k, c] of hostClients.entries()) {
      // Host 1 locks at most 10 collateral per shard: it refuses the tenant's 100.
      const s = serviceFor(k, k === 1 ? { maxCollateral: 10n } : {});
      const url = await s.start();
      services.push(s);
      await env.mint(A(HOSTS[k]!), STAKE);
      await approveToken(c.vault, { amount: STAKE });
      await deposit(c.vault, { amount: STAKE });
      await setMarketApproval(c.vault, { market: c.registry.address, approved: true });
      await registerHost(c, {
        capacity: 1n << 30n,
        pricePerGiBPerPeriod: PRICE_PER_GIB,
        region: k % 2 === 0 ? 276 : 250,
        endpoint: url,
      });
      await stake(c, { amount: STAKE });
    }
    // Host 2 is registered but its service is down.
    await services[2]!.stop();
  });
  after(async () => {
    for (const s of services) await s.stop();
    await env?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("health and terms answer with the registry's profile and the host's limits", async () => {
    const base = services[0]!.url!;
    const health = (await requestJson(base, hostPaths.health(), { method: "GET" })) as Record<string, unknown>;
    expect(health.status).to.equal("ok");
    expect(health.shards).to.equal(0);
    const terms = (await requestJson(base, hostPaths.terms(), { method: "GET" })) as Record<string, unknown>;
    expect(terms.pricePerGiBPerPeriod).to.equal(PRICE_PER_GIB.toString());
    expect(terms.maxCollateral).to.equal(STAKE.toString());
    expect(terms.freeCapacity).to.equal((1n << 30n).toString());
    const refusing = (await requestJson(services[1]!.url!, hostPaths.terms(), { method: "GET" })) as Record<
      string,
      unknown
    >;
    expect(refusing.maxCollateral).to.equal("10");
  });

  describe("storeFile, proofs from what the services stored, retrieveFile", () => {
    let record: StoredFile;
    let file: Uint8Array;

    it("stores a file as 2 + 2 shards, replacing the host that refuses and the one that is down", async () => {
      file = randomBytes(40_000);
      const input = path.join(dir, "file.bin");
      await writeFile(input, file);
      const uploaded = new Map<number, number>();
      const result = await storeFile(tenant, {
        file: input,
        workDir: path.join(dir, "tenant"),
        periods: 5,
        periodLength: 3_600,
        dataShards: 2,
        parityShards: 2,
        segmentSize: 256,
        collateral: COLLATERAL,
        onProgress: (p) => {
          if (p.stage === "upload") uploaded.set(p.shard, p.bytes);
        },
      });
      record = result.record;
      expect(result.dealId).to.equal(BigInt(record.dealId));
      const placedOn = record.hosts.map((h) => h.endpoint);
      expect(placedOn).to.not.include(services[1]!.url ?? "none");
      const refused = result.retries.map((r) => r.error.reason).sort();
      expect(refused).to.include("stake"); // host 1: collateral above its limit
      expect(refused).to.include("unreachable"); // host 2: down
      expect([...uploaded.values()]).to.deep.equal([...uploaded.keys()].map(() => Number(record.shardSize)));
      // Each chosen host committed its shard once the deal opened; no upload is left pending.
      for (const h of record.hosts) {
        const s = services.find((x) => x.url === h.endpoint)!;
        expect((await s.store.held(record.dealId))?.shards).to.deep.equal([h.shard]);
        expect(await s.store.allPending()).to.deep.equal([]);
      }
    });

    it("the hosts' agents prove the challenge from the shards the services stored", async () => {
      const holders = record.hosts.map((h) => services.findIndex((x) => x.url === h.endpoint));
      const agents = await Promise.all(
        holders.map((k) => HostAgent.fromShardDir(hostClients[k]!, services[k]!.store.dealsDir, { claim: false })),
      );
      const { openChallenge } = await import("../../sdk/src/storage/index.js");
      await openChallenge(tenant, { dealId: BigInt(record.dealId) });
      await env.mine(3);
      let proven = 0;
      for (const agent of agents) {
        const report = await agent.tick();
        expect(report.errors.map((e) => e.error.message)).to.deep.equal([]);
        proven += report.proofs.reduce((n, p) => n + p.shards.length, 0);
      }
      expect(proven).to.equal(4);
    });

    it("retrieveFile fetches k verified shards with a holder down and checks the file's hash", async () => {
      const k = services.findIndex((s) => s.url === record.hosts[0]!.endpoint);
      const url = services[k]!.url!;
      await services[k]!.stop();
      try {
        const out = path.join(dir, "back.bin");
        const got = await retrieveFile(tenant, {
          record,
          signer: tenantSigner(),
          out,
          workDir: path.join(dir, "tenant"),
        });
        expect(got.shards).to.not.include(0);
        expect(got.shards).to.have.length(2);
        expect(got.failures.map((f) => f.error.reason)).to.deep.equal(["unreachable"]);
        expect(
          createHash("sha256")
            .update(await readFile(out))
            .digest("hex"),
        ).to.equal(record.fileSha256);
      } finally {
        // Back on the same port: the registry's endpoint is the same.
        services[k] = serviceFor(k, { port: Number(new URL(url).port) });
        await services[k]!.start();
      }
    });

    it("a download needs the tenant's signature: none is 401, another account's is 403", async () => {
      const h = record.hosts[1]!;
      const dealId = BigInt(record.dealId);
      const path1 = hostPaths.data(dealId, h.shard);
      const none = await rejectsWith(() => requestStream(h.endpoint, path1, { method: "GET" }), NetworkError);
      expect([none.status, none.reason]).to.deep.equal([401, "unauthorized"]);
      const expiry = (await env.now()) + 600n;
      const stranger = await shardReadAuthorization(privateKeyMessageSigner(env.privateKey(2)), {
        host: A(HOSTS[services.findIndex((s) => s.url === h.endpoint)]!),
        dealId,
        shard: h.shard,
        expiry,
      });
      const other = await rejectsWith(
        () => requestStream(h.endpoint, path1, { method: "GET", headers: { authorization: stranger } }),
        NetworkError,
      );
      expect([other.status, other.reason]).to.deep.equal([403, "forbidden"]);
      const stale = await shardReadAuthorization(tenantSigner(), {
        host: A(HOSTS[services.findIndex((s) => s.url === h.endpoint)]!),
        dealId,
        shard: h.shard,
        expiry: 1n,
      });
      const expired = await rejectsWith(
        () => requestStream(h.endpoint, path1, { method: "GET", headers: { authorization: stale } }),
        NetworkError,
      );
      expect(expired.status).to.equal(401);
      // A shard the host does not hold: 404, whoever asks.
      const missing = await rejectsWith(
        () => requestStream(h.endpoint, hostPaths.data(dealId, (h.shard + 1) % 4), { method: "GET" }),
        NetworkError,
      );
      expect(missing.status).to.equal(404);
      const shards = await fetchShards(tenant, { record, signer: tenantSigner(), dir: path.join(dir, "f"), need: 4 });
      expect([...shards.files.keys()].sort()).to.deep.equal([0, 1, 2, 3]);
    });
    it("repairOverNetwork: a host stops proving, its lost shard is rebuilt from shards fetched over HTTP and placed on a new host", async () => {
      const { challenge, deal, openChallenge, settlePeriod, shardRecords, SHARD_FLAG_LOST } = await import(
        "../../sdk/src/storage/index.js"
      );
      const { repairOverNetwork } = await import("../../sdk/src/node/net/tenant.js");
      const dealId = BigInt(record.dealId);
      const victim = record.hosts[1]!;
      const holders = record.hosts.map((h) => services.findIndex((x) => x.url === h.endpoint));
      const agents = await Promise.all(
        holders.map((k) => HostAgent.fromShardDir(hostClients[k]!, services[k]!.store.dealsDir, { claim: false })),
      );
      const pastDeadline = async () => {
        const c = await challenge(tenant, { dealId });
        const now = await env.now();
        if (now <= c.deadline) await env.increaseTime(Number(c.deadline - now) + 1);
        await settlePeriod(tenant, { dealId });
      };
      await pastDeadline(); // period 0: everyone proved (the test above)
      for (let period = 1; period <= 2; period++) {
        const info = (await deal(tenant, { dealId }))!;
        const startsAt = info.start + BigInt(period * 3_600);
        const now = await env.now();
        if (now < startsAt) await env.increaseTime(Number(startsAt - now));
        await openChallenge(tenant, { dealId });
        await env.mine(3);
        // Everyone but the victim proves.
        for (const [i, agent] of agents.entries()) if (i !== victim.shard) await agent.tick();
        await pastDeadline();
      }
      const records = await shardRecords(tenant, { dealId });
      expect(records[victim.shard]!.flags & SHARD_FLAG_LOST).to.not.equal(0);
      const repaired = await repairOverNetwork(tenant, {
        record,
        shard: victim.shard,
        signer: tenantSigner(),
        workDir: path.join(dir, "tenant"),
        collateral: COLLATERAL,
        pricePerShard: records[victim.shard]!.price,
      });
      // Host 1 refuses the collateral and host 2 is down: the shard goes to a host that took it.
      expect(repaired.retries.map((r) => r.error.reason).sort()).to.deep.equal(["stake", "unreachable"]);
      const k = services.findIndex((x) => x.url === repaired.host.profile.endpoint);
      expect((await services[k]!.store.held(record.dealId))?.shards).to.deep.equal([victim.shard]);
      const after = await shardRecords(tenant, { dealId });
      expect(after[victim.shard]!.host.toLowerCase()).to.equal(A(HOSTS[k]!).toLowerCase());
      expect(after[victim.shard]!.generation).to.equal(1);
      // Its agent proves the repaired shard in the next period.
      const info = (await deal(tenant, { dealId }))!;
      const startsAt = info.start + 3n * 3_600n;
      const now = await env.now();
      if (now < startsAt) await env.increaseTime(Number(startsAt - now));
      await openChallenge(tenant, { dealId });
      await env.mine(3);
      const agent = await HostAgent.fromShardDir(hostClients[k]!, services[k]!.store.dealsDir, { claim: false });
      const report = await agent.tick();
      expect(report.errors.map((e) => e.error.message)).to.deep.equal([]);
      expect(report.proofs.flatMap((p) => p.shards)).to.deep.equal([victim.shard]);
      record = repaired.record;
    });
  });

  describe("bad input", () => {
    const tenantAddress = () => A(1);
    /** A fresh one-shard deal's request (the shard is real, so its root is right). */
    const newShard = async (bytes = 4_096) => {
      const data = randomBytes(bytes);
      const prepared = await prepareDeal(new Uint8Array(data), {
        dataShards: 1,
        parityShards: 1,
        segmentSize: 256,
        periods: 2,
        periodLength: 3_600,
      });
      const dealId = dealIdOf(tenantAddress(), prepared.params.salt);
      const body = {
        tenant: tenantAddress(),
        salt: prepared.params.salt,
        shardSize: prepared.params.shardSize.toString(),
        segmentSize: 256,
        periods: 2,
        periodLength: 3_600,
        minShards: 1,
        segmentsPerPeriod: 1,
        roots: prepared.roots,
        generation: 0,
        price: "1000000",
        collateral: "10",
      };
      return { dealId, body, shard: prepared.shards![0]! };
    };
    const base = () => services[3]!.url!;
    const put = (dealId: bigint, offset: number, bytes: Uint8Array) =>
      requestJson(base(), hostPaths.data(dealId, 0, offset), {
        method: "PUT",
        headers: { "content-length": bytes.length },
        stream: Readable.from([Buffer.from(bytes)]),
      }) as Promise<UploadStateJson>;

    it("refuses a deal id that is not the tenant's, a low price, high collateral and an oversize shard", async () => {
      const { dealId, body } = await newShard();
      const post = (id: bigint, b: unknown) =>
        rejectsWith(() => requestJson(base(), hostPaths.shard(id, 0), { method: "POST", json: b }), NetworkError);
      expect((await post(dealId + 1n, body)).status).to.equal(400);
      expect((await post(dealId, { ...body, price: "0" })).reason).to.equal("terms");
      expect((await post(dealId, { ...body, collateral: (STAKE + 1n).toString() })).reason).to.equal("stake");
      expect((await post(dealId, { ...body, shardSize: (5n << 30n).toString() })).status).to.equal(413);
      expect((await post(dealId, { ...body, roots: ["0x12"] })).status).to.equal(400);
      expect((await post(dealId, "nonsense")).status).to.equal(400);
      expect(await services[3]!.store.allPending()).to.deep.equal([]);
    });

    it("an upload past the shard's size is 413 and keeps nothing of it", async () => {
      const { dealId, body, shard } = await newShard();
      await requestJson(base(), hostPaths.shard(dealId, 0), { method: "POST", json: body });
      const tooBig = new Uint8Array(shard.length + 1);
      const error = await rejectsWith(() => put(dealId, 0, tooBig), NetworkError);
      expect([error.status, error.reason]).to.deep.equal([413, "too-large"]);
      const state = (await requestJson(base(), hostPaths.shard(dealId, 0), { method: "GET" })) as UploadStateJson;
      expect(state.received).to.equal("0");
      expect(state.offer).to.equal(undefined);
    });

    it("bytes that do not hash to the offered root are 422, dropped, and no offer is signed", async () => {
      const { dealId, body, shard } = await newShard();
      await requestJson(base(), hostPaths.shard(dealId, 0), { method: "POST", json: body });
      const wrong = Uint8Array.from(shard);
      wrong[17]! ^= 1;
      const error = await rejectsWith(() => put(dealId, 0, wrong), NetworkError);
      expect([error.status, error.reason]).to.deep.equal([422, "wrong-root"]);
      const gone = await rejectsWith(
        () => requestJson(base(), hostPaths.shard(dealId, 0), { method: "GET" }),
        NetworkError,
      );
      expect(gone.status).to.equal(404);
      const left = (await readdir(services[3]!.store.pendingDir)).filter((n) => n.startsWith(`${dealId}-`));
      expect(left).to.deep.equal([]);
    });

    it("unknown deals: no reservation is 404, a wrong offset is 409", async () => {
      const { dealId, body, shard } = await newShard();
      expect((await rejectsWith(() => put(dealId, 0, shard), NetworkError)).status).to.equal(404);
      await requestJson(base(), hostPaths.shard(dealId, 0), { method: "POST", json: body });
      expect((await rejectsWith(() => put(dealId, 5, shard), NetworkError)).status).to.equal(409);
      await put(dealId, 0, shard);
    });

    it("a slow client is cut off after the idle timeout; what arrived stays and the upload resumes", async () => {
      const slow = serviceFor(4, { idleTimeoutMs: 300, dir: path.join(dir, "slow") });
      const url = new URL(await slow.start());
      try {
        const { dealId, body, shard } = await newShard(8_192);
        await requestJson(url.origin, hostPaths.shard(dealId, 0), { method: "POST", json: body });
        const half = shard.length / 2;
        const closed = await new Promise<boolean>((resolve) => {
          const socket = net.connect(Number(url.port), url.hostname, () => {
            socket.write(
              `PUT ${hostPaths.data(dealId, 0, 0)} HTTP/1.1\r\nhost: x\r\ncontent-type: application/octet-stream\r\n` +
                `content-length: ${shard.length}\r\n\r\n`,
            );
            socket.write(Buffer.from(shard.subarray(0, half)));
          });
          socket.on("close", () => resolve(true));
          socket.on("error", () => {});
        });
        expect(closed).to.equal(true);
        const state = (await requestJson(url.origin, hostPaths.shard(dealId, 0), { method: "GET" })) as UploadStateJson;
        expect(state.received).to.equal(String(half));
        const done = (await requestJson(url.origin, hostPaths.data(dealId, 0, half), {
          method: "PUT",
          headers: { "content-length": half },
          stream: Readable.from([Buffer.from(shard.subarray(half))]),
        })) as UploadStateJson;
        expect(done.offer?.offer.shardRoot).to.equal(body.roots[0]);
      } finally {
        await slow.stop();
      }
    });

    it("a host that dies mid-upload keeps what arrived across a restart; the resumed upload gets a valid offer", async () => {
      const hostDir = path.join(dir, "restart");
      let s = serviceFor(5, { dir: hostDir });
      let url = await s.start();
      const { dealId, body, shard } = await newShard(16_384);
      await requestJson(url, hostPaths.shard(dealId, 0), { method: "POST", json: body });
      const first = shard.subarray(0, 10_000);
      // The body is announced whole but only part is sent before the host goes down.
      const upload = requestJson(url, hostPaths.data(dealId, 0, 0), {
        method: "PUT",
        headers: { "content-length": shard.length },
        stream: Readable.from(
          (async function* () {
            yield Buffer.from(first);
            await new Promise((r) => setTimeout(r, 10_000));
          })(),
        ),
      }).catch((e: unknown) => e);
      for (let i = 0; i < 100 && (await s.store.received(dealId, 0)) < first.length; i++) {
        await new Promise((r) => setTimeout(r, 20));
      }
      await s.stop();
      expect(await upload).to.be.instanceOf(NetworkError);
      s = serviceFor(5, { dir: hostDir });
      url = await s.start();
      try {
        const state = (await requestJson(url, hostPaths.shard(dealId, 0), { method: "GET" })) as UploadStateJson;
        expect(state.received).to.equal(String(first.length));
        const done = (await requestJson(url, hostPaths.data(dealId, 0, first.length), {
          method: "PUT",
          headers: { "content-length": shard.length - first.length },
          stream: Readable.from([Buffer.from(shard.subarray(first.length))]),
        })) as UploadStateJson;
        expect(done.offer?.offer.host.toString().toLowerCase()).to.equal(A(HOSTS[5]!).toLowerCase());
        const { recoverOfferSigner } = await import("../../sdk/src/storage/actions/internal.js");
        const { signedOfferFromJson } = await import("../../sdk/src/net/hostApi.js");
        const signed = signedOfferFromJson(done.offer);
        expect(recoverOfferSigner(tenant.domain, signed.offer, signed.signature)).to.equal(A(HOSTS[5]!));
      } finally {
        await s.stop();
      }
    });

    it("an upload whose deal never opens is dropped once its offer expires", async () => {
      const s = services[3]!;
      const { dealId, body, shard } = await newShard();
      await requestJson(base(), hostPaths.shard(dealId, 0), { method: "POST", json: body });
      const done = await put(dealId, 0, shard);
      expect(done.offer).to.not.equal(undefined);
      expect((await s.sweep()).dropped).to.deep.equal([]);
      await env.increaseTime(601);
      const swept = await s.sweep();
      expect(swept.dropped.map((d) => d.dealId)).to.include(dealId);
      expect(await s.store.allPending()).to.deep.equal([]);
      expect(await readdir(s.store.pendingDir)).to.deep.equal([]);
      const late = await rejectsWith(() => put(dealId, 0, shard), NetworkError);
      expect(late.status).to.equal(404);
      expect((await stat(s.store.dealsDir)).isDirectory()).to.equal(true);
      expect(await s.store.held(dealId)).to.equal(undefined);
    });
  });

  it("host() reads each service's endpoint from the registry", async () => {
    const info = await host(tenant, { address: A(HOSTS[0]!) });
    expect(info.profile.endpoint).to.match(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
