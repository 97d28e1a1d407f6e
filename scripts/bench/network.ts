/**
 * `npm run bench:network`: the network layer's figures on this machine (printed, not asserted).
 *
 * 1. Throughput on loopback: a BENCH_MIB (default 256) MiB file stored as 10 + 20 shards on 30
 *    host services (storeFile: erasure-code + hash, upload, host-side hashing, openDeal) and
 *    retrieved back (retrieveFile: 10 verified shards, decode, sha256), each against the raw copy
 *    speed of the same bytes (a streamed file copy) on the same disk.
 * 2. Host memory while one host service receives a BENCH_SHARD_GIB (default 1) GiB shard and its
 *    agent's proof path (tree from the file, a segment proof) runs, next to the same for a shard a
 *    quarter that size: the peak RSS and heap over the process's idle baseline.
 *
 * Runs on Hardhat's in-process chain (hardhat run); the hosts and the tenant share this process.
 */
import { randomBytes, randomFillSync } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { Wallet } from "ethers";
import { toHex20 } from "../../sdk/src/address.js";
import { EthersBackend } from "../../sdk/src/backend/ethers.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import { hostPaths, offerRequestJson } from "../../sdk/src/net/hostApi.js";
import { privateKeyMessageSigner } from "../../sdk/src/net/shardAuth.js";
import { buildTreeFromFile, proveSegmentFromFile } from "../../sdk/src/node/merkleFiles.js";
import { HostService } from "../../sdk/src/node/net/hostService.js";
import { requestJson } from "../../sdk/src/node/net/http.js";
import { retrieveFile, storeFile } from "../../sdk/src/node/net/tenant.js";
import { createStorageClient, dealIdOf, registerHost, stake } from "../../sdk/src/storage/index.js";
import { ShardTreeBuilder } from "../../sdk/src/storage/merkle.js";
import { approveToken, deposit, setMarketApproval } from "../../sdk/src/vault/index.js";
import { storageEthersEnv } from "../../test/sdk/storage-env.js";

const MIB = 1 << 20;
const FILE_MIB = Number(process.env.BENCH_MIB ?? 256);
const SHARD_GIB = Number(process.env.BENCH_SHARD_GIB ?? 1);
const HOSTS = 30;
/** Which parts run: "memory,throughput" (default both). */
const PARTS = (process.env.BENCH_PARTS ?? "memory,throughput").split(",");
const rate = (bytes: number, ms: number) => `${((bytes / MIB / ms) * 1000).toFixed(1)} MiB/s`;
const mib = (bytes: number) => `${(bytes / MIB).toFixed(1)} MiB`;

async function writeRandomFile(file: string, bytes: number): Promise<void> {
  const chunk = Buffer.alloc(4 * MIB);
  let left = bytes;
  await pipeline(
    Readable.from(
      (function* () {
        while (left > 0) {
          const n = Math.min(left, chunk.length);
          randomFillSync(chunk, 0, n);
          left -= n;
          yield Buffer.from(chunk.subarray(0, n));
        }
      })(),
    ),
    createWriteStream(file),
  );
}

async function rawCopy(from: string, to: string): Promise<number> {
  const t = performance.now();
  await pipeline(createReadStream(from, { highWaterMark: MIB }), createWriteStream(to));
  const ms = performance.now() - t;
  await rm(to);
  return ms;
}

/** Samples RSS and heap every 25 ms while `work` runs; returns the peaks. */
async function peakMemory<T>(work: () => Promise<T>): Promise<{ result: T; rss: number; heap: number }> {
  let rss = 0;
  let heap = 0;
  const sample = () => {
    const m = process.memoryUsage();
    rss = Math.max(rss, m.rss);
    heap = Math.max(heap, m.heapUsed + m.external + m.arrayBuffers);
  };
  const timer = setInterval(sample, 25);
  try {
    const result = await work();
    sample();
    return { result, rss, heap };
  } finally {
    clearInterval(timer);
  }
}

async function main() {
  const dir = await mkdtemp(path.join(tmpdir(), "bttkit-bench-net-"));
  const env = await storageEthersEnv(3);
  const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
  const clientFor = (backend: EthersBackend) => createStorageClient({ backend, deployment, timeoutMs: 120_000 });
  const services: HostService[] = [];
  try {
    const tenant = await clientFor(env.backends[1] as EthersBackend);
    const provider = (env.readOnly as EthersBackend).provider;
    const funder = (env.backends[0] as EthersBackend).signer!;
    const ask = 1n;
    const STAKE = 1_000_000n;
    await env.mint(toHex20(env.addresses[1]!), 10n ** 30n);
    await approveToken(tenant.vault, { amount: 10n ** 30n });
    await deposit(tenant.vault, { amount: 10n ** 30n });
    await setMarketApproval(tenant.vault, { market: tenant.market.address, approved: true });
    process.stdout.write(`starting ${HOSTS} host services on loopback and registering them`);
    const hostKeys: string[] = [];
    for (let k = 0; k < HOSTS; k++) {
      const wallet = Wallet.createRandom().connect(provider);
      hostKeys.push(wallet.privateKey);
      await (await funder.sendTransaction({ to: wallet.address, value: 10n ** 20n })).wait();
      const c = await clientFor(new EthersBackend(wallet));
      const s = new HostService({
        client: c,
        signer: { privateKey: wallet.privateKey },
        dir: path.join(dir, `host-${k}`),
        sweepIntervalMs: 0,
      });
      services.push(s);
      const url = await s.start();
      await env.mint(toHex20(wallet.address), STAKE);
      await approveToken(c.vault, { amount: STAKE });
      await deposit(c.vault, { amount: STAKE });
      await setMarketApproval(c.vault, { market: c.registry.address, approved: true });
      await registerHost(c, { capacity: 1n << 40n, pricePerGiBPerPeriod: ask, region: 276, endpoint: url });
      await stake(c, { amount: STAKE });
      process.stdout.write(".");
    }
    process.stdout.write("\n");

    // 1. Host memory (first, so the baseline is the idle process): one service receives a big
    // shard, then the proof path runs.
    const memoryFor = async (shardBytes: number, k: number) => {
      const shardFile = path.join(dir, `shard-${k}.bin`);
      await writeRandomFile(shardFile, shardBytes);
      const builder = new ShardTreeBuilder({ segmentSize: 256 });
      for await (const c of createReadStream(shardFile, { highWaterMark: MIB })) builder.update(c as Buffer);
      const root = builder.finish().root;
      const salt = `0x${randomBytes(32).toString("hex")}` as const;
      const tenantAddress = toHex20(env.addresses[1]!);
      const dealId = dealIdOf(tenantAddress, salt);
      const hostWallet = new Wallet(hostKeys[k]!, provider);
      const s = new HostService({
        client: await clientFor(new EthersBackend(hostWallet)),
        signer: { privateKey: hostKeys[k]! },
        dir: path.join(dir, `mem-${k}`),
        sweepIntervalMs: 0,
        maxShardSize: 8n << 30n,
      });
      const url = await s.start();
      global.gc?.();
      const base = process.memoryUsage();
      const stored = await peakMemory(async () => {
        await requestJson(url, hostPaths.shard(dealId, 0), {
          method: "POST",
          json: offerRequestJson({
            tenant: tenantAddress,
            salt,
            shardSize: BigInt(shardBytes),
            segmentSize: 256,
            periods: 2,
            periodLength: 86_400,
            minShards: 1,
            segmentsPerPeriod: 1,
            roots: [root, root],
            generation: 0,
            price: BigInt(Math.ceil(shardBytes / 2 ** 30)) + 1n,
            collateral: 1n,
          }),
        });
        return requestJson(url, hostPaths.data(dealId, 0, 0), {
          method: "PUT",
          headers: { "content-length": shardBytes },
          stream: createReadStream(shardFile, { highWaterMark: MIB }),
          idleTimeoutMs: 120_000,
        });
      });
      const part = s.store.partFile(dealId, 0);
      const proved = await peakMemory(async () => {
        const tree = await buildTreeFromFile(part, { segmentSize: 256 });
        return proveSegmentFromFile(tree, part, Math.floor(tree.segmentCount / 3));
      });
      await s.stop();
      await rm(shardFile);
      await rm(path.join(dir, `mem-${k}`), { recursive: true, force: true });
      const over = (peak: number, at: number) => `${mib(Math.max(0, peak - at))} (peak ${mib(peak)})`;
      console.log(
        `host, ${mib(shardBytes)} shard: storing (streamed upload, hashed as it arrives, offer signed) RSS +${over(stored.rss, base.rss)}, ` +
          `heap+buffers +${over(stored.heap, base.heapUsed + base.external + base.arrayBuffers)}; proving (tree from the file, one segment proof) ` +
          `RSS +${over(proved.rss, base.rss)}, heap+buffers +${over(proved.heap, base.heapUsed + base.external + base.arrayBuffers)}`,
      );
    };
    if (PARTS.includes("memory")) {
      await memoryFor(Math.floor((SHARD_GIB * 2 ** 30) / 4), 0);
      await memoryFor(Math.floor(SHARD_GIB * 2 ** 30), 1);
    }

    if (PARTS.includes("throughput")) {
      // 2. Throughput.
      const file = path.join(dir, "file.bin");
      const bytes = FILE_MIB * MIB;
      await writeRandomFile(file, bytes);
      const copyMs = await rawCopy(file, path.join(dir, "copy.bin"));
      console.log(
        `\nraw copy of the ${mib(bytes)} file (streamed, same disk): ${copyMs.toFixed(0)} ms, ${rate(bytes, copyMs)}`,
      );
      let firstUpload = 0;
      const t0 = performance.now();
      const stored = await storeFile(tenant, {
        file,
        workDir: dir,
        periods: 2,
        periodLength: 86_400,
        dataShards: 10,
        parityShards: 20,
        collateral: 1n,
        concurrency: 30,
        onProgress: (p) => {
          if (p.stage === "upload" && firstUpload === 0) firstUpload = performance.now();
        },
      });
      const storeMs = performance.now() - t0;
      const shardBytes = Number(stored.record.shardSize) * 30;
      const uploadMs = t0 + storeMs - firstUpload;
      console.log(
        `storeFile: ${storeMs.toFixed(0)} ms end to end = ${rate(bytes, storeMs)} of file (${(copyMs / storeMs).toFixed(2)} x raw copy); ` +
          `erasure-code + hash ${(firstUpload - t0).toFixed(0)} ms, then upload of ${mib(shardBytes)} to 30 hosts (hashed there) + openDeal ` +
          `${uploadMs.toFixed(0)} ms (${rate(shardBytes, uploadMs)} of shard bytes); hosts replaced ${stored.retries.length}`,
      );
      const t1 = performance.now();
      const out = path.join(dir, "back.bin");
      await retrieveFile(tenant, {
        record: stored.record,
        signer: privateKeyMessageSigner(env.privateKey(1)),
        out,
        workDir: dir,
      });
      const getMs = performance.now() - t1;
      console.log(
        `retrieveFile: ${getMs.toFixed(0)} ms = ${rate(bytes, getMs)} (${(copyMs / getMs).toFixed(2)} x raw copy); ` +
          `10 shards fetched and verified, decoded, sha256 checked (${(await stat(out)).size === bytes ? "same size" : "SIZE DIFFERS"})`,
      );
      await rm(out);
      await rm(file);
    }
  } finally {
    for (const s of services) await s.stop();
    await env.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
