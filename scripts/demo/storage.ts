/**
 * The storage half of `npm start`: hosts register and stake, a tenant erasure-codes a real file
 * into shards, hosts sign offers, the deal opens, the keeper and the host agents run the periods,
 * one host goes dark until its shard is lost and slashed, the tenant rebuilds the shard from the
 * survivors and repairs it onto a new host, the deal ends and every balance is checked.
 * The call sequences are those of test/sdk/storage-client-suite.ts.
 */
import { createHash } from "node:crypto";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  approveToken,
  balanceOf,
  buildTree,
  challenge,
  claimEarnings,
  createStorageClient,
  DEFAULT_SEGMENT_SIZE,
  deal,
  deposit,
  host,
  listHosts,
  parseBtt,
  reconstructShards,
  recoverData,
  registerHost,
  SHARD_FLAG_LOST,
  type SignedOffer,
  type StorageClient,
  setMarketApproval,
  shardRecords,
  shardSizeFor,
  stake,
  storageClientAbi,
  type TronWebTypedDataSigner,
  toHex20,
  updateHost,
} from "../../sdk/src/index.js";
import { privateKeyMessageSigner } from "../../sdk/src/net/shardAuth.js";
import { HostAgent, type HostAgentReport, Keeper, type KeeperReport } from "../../sdk/src/node/index.js";
import { HostService } from "../../sdk/src/node/net/hostService.js";
import {
  fetchShards,
  handOverShard,
  type NetProgress,
  retrieveFile,
  storeFile,
} from "../../sdk/src/node/net/tenant.js";
import type { DemoEnv, Participant } from "./env.js";
import { btt, type Ledger, n, print, progress } from "./output.js";

export const HOST_DEPOSIT = parseBtt("150");
export const HOST_STAKE = parseBtt("100");
export const COLLATERAL = parseBtt("20");
export const TENANT_DEPOSIT = parseBtt("60");
/** The period from which the failing host's agent no longer runs (its disk dies). */
const FAIL_FROM = 1;
const REGIONS = [
  { code: 276, name: "DE" },
  { code: 840, name: "US" },
  { code: 392, name: "JP" },
  { code: 702, name: "SG" },
  { code: 250, name: "FR" },
  { code: 76, name: "BR" },
];

/** Thrown when a balance or an outcome differs from what the rules say. */
export class DemoCheckError extends Error {}

export function check(ok: boolean, what: string): void {
  if (!ok) throw new DemoCheckError(`check failed: ${what}`);
}

/** Runs `fn` over `items`, at most `limit` at a time, keeping order. */
export async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T, i: number) => Promise<R>) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Deterministic pseudo-random bytes (SHA-256 in counter mode over a seed): the file the tenant stores. */
export function demoFile(bytes: number, seed = "bttkit npm start"): Uint8Array {
  const out = new Uint8Array(bytes);
  for (let i = 0, block = 0; i < bytes; i += 32, block++) {
    const h = createHash("sha256").update(`${seed}:${block}`).digest();
    out.set(h.subarray(0, Math.min(32, bytes - i)), i);
  }
  return out;
}

const sha256Hex = (data: Uint8Array) => createHash("sha256").update(data).digest("hex");
const ceilTo = (value: bigint, step: bigint) => ((value + step - 1n) / step) * step;
const GIB = 1n << 30n;
/** Offer prices are rounded up to 1e-5 BTT, so every share of them prints exactly. */
const PRICE_STEP = 10n ** 13n;
const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/** A tick report's errors, as the first one thrown (the SDK's typed error). */
function rethrow(report: { errors: { error: Error }[] }): void {
  const first = report.errors[0];
  if (first) throw first.error;
}

export interface StorageResult {
  dealId: bigint;
  failed: Participant;
  repairer: Participant;
  normal: Participant;
  lostShard: number;
  slashed: bigint;
  bounty: bigint;
  escrow: bigint;
  refund: bigint;
  hostPay: bigint;
  storageParticipants: Participant[];
  /** What the rules say each of these hosts gains over the deal (pay + bounty - slash). */
  expectedGain: Map<Participant, bigint>;
  checks: string[];
  /** Bytes the tenant moved over HTTP: shard uploads (store, repair) and downloads (repair, retrieval). */
  http: { uploaded: number; downloaded: number };
}

/** The lifecycle below, with each host's HTTP service running on loopback (stopped at the end). */
export async function runStorage(env: DemoEnv, ledger: Ledger, workDir: string): Promise<StorageResult> {
  const services = await Promise.all(
    env.hosts.map(async (h) => {
      const service = new HostService({
        client: await createStorageClient({ backend: h.backend, deployment: env.deployment, timeoutMs: 120_000 }),
        signer: { tronWeb: h.backend.tronWeb as unknown as TronWebTypedDataSigner },
        dir: path.join(workDir, "hosts", h.base58),
        sweepIntervalMs: 0,
      });
      await service.start();
      return service;
    }),
  );
  try {
    return await lifecycle(env, ledger, workDir, services);
  } finally {
    await Promise.all(services.map((s) => s.stop()));
  }
}

async function lifecycle(
  env: DemoEnv,
  ledger: Ledger,
  workDir: string,
  services: HostService[],
): Promise<StorageResult> {
  const { scale, clock } = env;
  const checks: string[] = [];
  const clientOf = (p: Participant) =>
    createStorageClient({ backend: p.backend, deployment: env.deployment, timeoutMs: 120_000 });
  const [tenant, keeperClient, reader, ...hostClients] = await Promise.all([
    clientOf(env.tenant),
    clientOf(env.keeper),
    createStorageClient({ backend: env.reader, deployment: env.deployment, timeoutMs: 120_000 }),
    ...env.hosts.map(clientOf),
  ]);
  const clientByAddress = new Map(env.hosts.map((h, i) => [h.address, { p: h, c: hostClients[i]! }]));
  const cfg = tenant.config;
  print(
    `  StorageMarket rules: response window ${cfg.responseWindow} s, seed delay ${cfg.seedDelay} blocks, ` +
      `${cfg.missesToLose} misses lose a shard, ${Number(cfg.withheldBps) / 100}% withheld, ` +
      `${Number(cfg.slashBps) / 100}% of collateral slashed per miss, ${Number(cfg.tenantSlashBps) / 100}% of a slash to the tenant`,
  );

  // 1. Hosts: each runs its HTTP service on loopback (the endpoint it registers), deposits,
  // registers (varied regions and prices), approves the registry and stakes.
  const serviceOf = (p: Participant) => services[env.hosts.indexOf(p)]!;
  const bar = progress(`${env.hosts.length} hosts register and stake`, env.hosts.length);
  let done = 0;
  await pool(env.hosts, 8, async (h, k) => {
    const c = hostClients[k]!;
    const info = await host(c);
    const free = await balanceOf(c.vault);
    const need = HOST_STAKE - info.stake.stake;
    if (need > 0n && free < need) {
      ledger.add("hosts: approve the vault, deposit BTT", [
        (await approveToken(c.vault, { amount: HOST_DEPOSIT })).receipt,
        (await deposit(c.vault, { amount: HOST_DEPOSIT })).receipt,
      ]);
    }
    const region = REGIONS[k % REGIONS.length]!;
    const profile = {
      capacity: BigInt(1 + (k % 4)) << 40n, // 1-4 TiB
      pricePerGiBPerPeriod: parseBtt(String(1_000 + ((k * 389) % 2_000))), // 1,000-2,999 BTT per GiB per period
      region: region.code,
      endpoint: services[k]!.url!, // its HTTP service, on loopback here
    };
    if (!info.stake.registered) {
      ledger.add("hosts: register profiles", (await registerHost(c, profile)).receipt);
    } else if (info.profile.endpoint !== profile.endpoint) {
      ledger.add("hosts: update profiles (new endpoint)", (await updateHost(c, profile)).receipt);
    }
    if (need > 0n) {
      ledger.add("hosts: approve the registry, stake", [
        (await setMarketApproval(c.vault, { market: c.registry.address, approved: true })).receipt,
        (await stake(c, { amount: need })).receipt,
      ]);
    }
    bar.update(++done, h.role);
  });
  bar.stop(`done: each staked ${btt(HOST_STAKE)} BTT and serves HTTP on 127.0.0.1 (${services.length} services)`);

  // 2. The file: deterministic pseudo-random bytes, erasure-coded into shards with Merkle roots.
  const file = demoFile(scale.fileBytes);
  const filePath = path.join(workDir, "tenant", "demo-file.bin");
  await mkdir(path.dirname(filePath), { recursive: true });
  await writeFile(filePath, file);
  const total = scale.dataShards + scale.parityShards;
  const responseWindow = Number(cfg.responseWindow);
  // The devnode's clock travels, so periods can be a realistic day; a real network waits them out.
  const periodLength = clock.travels ? 86_400 : responseWindow;
  const lostAt = FAIL_FROM + Number(cfg.missesToLose) - 1;
  const periods = Math.max(scale.periods, lostAt + 2);
  if (!clock.travels) {
    const hours = (periods * periodLength + 2 * responseWindow) / 3_600;
    print(
      `  ${env.network}'s clock can't be moved: ${periods} periods of ${periodLength} s (the market's response window) ` +
        `and the bid's grace take about ${hours.toFixed(1)} h of real time`,
    );
  }
  // 3. The tenant deposits and approves the market; storeFile then shards the file, picks hosts
  // from the registry (listHosts -> pickHosts), uploads each shard to its host's service, collects
  // the offers the hosts sign for what they received, and opens the deal.
  ledger.add("tenant: approve the vault, deposit BTT", [
    (await approveToken(tenant.vault, { amount: TENANT_DEPOSIT })).receipt,
    (await deposit(tenant.vault, { amount: TENANT_DEPOSIT })).receipt,
  ]);
  ledger.add(
    "tenant: approve the storage market",
    (await setMarketApproval(tenant.vault, { market: tenant.market.address, approved: true })).receipt,
  );
  const mine = new Set(env.hosts.map((h) => h.address));
  const listed = (await listHosts(reader)).filter((h) => mine.has(h.address as never));
  const rate = listed.reduce(
    (max, h) => (h.profile.pricePerGiBPerPeriod > max ? h.profile.pricePerGiBPerPeriod : max),
    0n,
  );
  const expectedShardSize = BigInt(shardSizeFor(file.length, scale.dataShards, DEFAULT_SEGMENT_SIZE));
  const price = ceilTo((rate * expectedShardSize + GIB - 1n) / GIB, PRICE_STEP);
  const sharding = progress(`erasure-code + hash ${total} shards`, 2 * total);
  const uploads = progress(`upload ${total} shards over HTTP`, total);
  const http = new HttpBytes();
  let placed = 0;
  const stored = await storeFile(tenant, {
    file: filePath,
    workDir: path.join(workDir, "tenant"),
    dataShards: scale.dataShards,
    parityShards: scale.parityShards,
    periods,
    periodLength,
    collateral: COLLATERAL,
    hosts: listed,
    // One price for every shard (the highest ask, rounded up to 1e-5 BTT so every share of it
    // prints exactly): any spare host can then take a lost shard for the same budget.
    pricePerShard: price,
    onProgress: (p) => {
      http.see(p);
      if (p.stage === "encode") sharding.update(p.done === p.total ? total : 0, "encode");
      if (p.stage === "hash") sharding.update(total + p.done, "hash");
      if (p.stage === "placed") uploads.update(++placed, p.host);
    },
  });
  let record = stored.record;
  const shardSize = BigInt(record.shardSize);
  sharding.stop(
    `${n(file.length)} bytes (sha256 ${sha256Hex(file).slice(0, 16)}…) -> ${scale.dataShards} data + ` +
      `${scale.parityShards} parity shards of ${n(shardSize)} bytes, segments of ${record.segmentSize} bytes`,
  );
  uploads.stop(
    `${n(http.total("upload"))} bytes to ${total} host services; each hashed its shard to the offered root ` +
      `before signing${stored.retries.length > 0 ? `; ${stored.retries.length} host(s) refused and were replaced` : ""}`,
  );
  const assigned = record.hosts.map((x) => clientByAddress.get(toHex20(x.host) as never)!);
  check(assigned.length === total, `storeFile placed ${assigned.length} of ${total} shards`);
  const regions = new Map<number, number>();
  for (const { p } of assigned) {
    const code = REGIONS[env.hosts.indexOf(p) % REGIONS.length]!.code;
    regions.set(code, (regions.get(code) ?? 0) + 1);
  }
  print(
    `  pickHosts: ${total} of ${listed.length} registered hosts, regions ` +
      [...regions].map(([code, count]) => `${REGIONS.find((r) => r.code === code)?.name ?? code}×${count}`).join(" "),
  );
  const offers: SignedOffer[] = stored.offers;
  const escrowDue = offers.reduce((sum, o) => sum + o.offer.price, 0n) * BigInt(periods);
  const prices = offers.map((o) => o.offer.price).sort(byValue);
  print(
    `  ${total} hosts signed offers (TIP-712, each with its own TronWeb key) for the shards they received: ` +
      `${btt(prices[0]!)}-${btt(prices.at(-1)!)} BTT per shard per period, collateral ${btt(COLLATERAL)} BTT each`,
  );
  ledger.add(`tenant: openDeal (${total} shards, ${total} signatures)`, stored.receipt);
  const dealId = stored.dealId;
  check(stored.escrow === escrowDue, `escrow ${stored.escrow} = sum of prices x periods ${escrowDue}`);
  print(
    `  deal ${`0x${dealId.toString(16)}`.slice(0, 18)}… opened: ${periods} periods of ${n(periodLength)} s, ` +
      `escrow ${btt(stored.escrow)} BTT, ${n(stored.receipt.energyUsed)} energy`,
  );
  const opened = stored;
  // Each service keeps its shard in deals/<dealId>/ since the deal opened; nothing is left pending.
  for (const [i, { p }] of assigned.entries()) {
    check((await serviceOf(p).store.held(dealId))?.shards.includes(i) === true, `${p.role} keeps shard ${i}`);
  }

  // The host that fails: the one holding data shard 3 (or the last data shard of a small deal).
  const lostShard = Math.min(3, scale.dataShards - 1);
  const failed = assigned[lostShard]!.p;
  // Each agent proves from what its host's service stored (deals/<dealId>/ beside deal.json).
  const agentFor = (c: StorageClient, p: Participant) =>
    HostAgent.fromShardDir(c, serviceOf(p).store.dealsDir, {
      claim: false, // hosts claim once, mid-deal (step below); the end of the deal pays the rest
      drawSeeds: false, // the keeper draws
    });
  const agents = await Promise.all(assigned.map(async ({ p, c }) => ({ p, agent: await agentFor(c, p) })));
  const keeper = new Keeper(keeperClient, { deals: [dealId] });
  const KEEPER_STEPS: Record<string, string> = {
    openChallenge: "keeper: openChallenge",
    reopenChallenge: "keeper: drawSeed (too late: reopened)",
    drawSeed: "keeper: drawSeed",
    settle: "keeper: settle",
    finalize: "keeper: finalizeDeal (pays everyone, refunds the tenant)",
  };
  /** Records a keeper tick's transactions; rethrows its first failure. */
  const keeperTick = async () => {
    const report: KeeperReport = await keeper.tick();
    rethrow(report);
    for (const a of report.actions) await ledger.addTxIds(KEEPER_STEPS[a.kind]!, env.keeper.backend, [a.txId]);
    return report;
  };
  let repairer: Participant | undefined;
  let repairedFrom = 0;
  let repairPrice = 0n;
  let slashed = 0n;
  let bounty = 0n;

  print(`  periods (${clock.travels ? "chain time moved with tre_increaseTime + tre_mine" : "waiting in real time"}):`);
  for (let period = 0; period < periods; period++) {
    const info = (await deal(reader, { dealId }))!;
    await clock.advanceTo(info.start + BigInt(period * periodLength));
    if (period === FAIL_FROM) {
      await rm(serviceOf(failed).store.shardFile(dealId, lostShard), { force: true });
      await serviceOf(failed).stop();
      print(
        `    ${failed.role}'s disk dies: its copy of shard ${lostShard} is gone, its service stops serving and its agent no longer runs`,
      );
    }
    await keeperTick(); // opens the period's challenge
    await clock.mine(Number(cfg.seedDelay) + 1);
    await keeperTick(); // draws its seed
    for (let tries = 0; (await challenge(reader, { dealId })).state !== 2; tries++) {
      check(tries < 20, `period ${period}'s challenge opened`);
      await clock.mine(1); // a real network's blocks may lag: wait for the seed block, then draw
      await keeperTick();
    }

    const running = agents.filter((a) => a.p !== failed || period < FAIL_FROM);
    const reports: HostAgentReport[] = await Promise.all(running.map((a) => a.agent.tick()));
    for (const r of reports) rethrow(r);
    await ledger.addTxIds(
      "hosts: submitProofs (agents, from stored shards)",
      env.reader,
      reports.flatMap((r) => r.proofs.map((p) => p.txId)),
    );
    const c = await challenge(reader, { dealId });
    const proven = reports.reduce((sum, r) => sum + r.proofs.reduce((s, p) => s + p.shards.length, 0), 0);

    await clock.advanceTo(c.deadline + 1n);
    const settling = await keeperTick();
    const settle = settling.actions.find((a) => a.kind === "settle" && a.period === BigInt(period));
    check(settle !== undefined, `period ${period} was settled`);
    const finalized = settling.actions.filter((a) => a.kind === "finalize");
    const missed = settle!.missedMask ?? 0n;
    const lost = settle!.lostMask ?? 0n;
    const notes: string[] = [];
    if (missed !== 0n) notes.push(`shard ${lostShard} missed`);
    if (lost !== 0n) notes.push(`shard ${lostShard} LOST, ${failed.role} slashed`);
    if (finalized.length > 0) notes.push("deal finalized");
    print(
      `    period ${period}: challenge opened, seed drawn, ${proven}/${total} shards proven ` +
        `(${reports.filter((r) => r.proofs.length > 0).length} submitProofs), settled${notes.length ? `; ${notes.join("; ")}` : ""}`,
    );
    if (missed !== 0n) check(missed === 1n << BigInt(lostShard), `only shard ${lostShard} missed (mask ${missed})`);

    // Hosts claim what they have earned so far once, half-way: 80% of each passed period.
    if (period === 2) {
      const claimers = agents.filter((a) => a.p !== failed);
      // One at a time: each claim rewrites the deal's shard records, which the next claim sends.
      const claims = await pool(claimers, 1, async ({ p }) =>
        claimEarnings(clientByAddress.get(p.address)!.c, { dealId }),
      );
      ledger.add(
        "hosts: claimEarnings (mid-deal)",
        claims.map((r) => r.receipt),
      );
      const paid = claims.reduce((sum, r) => sum + r.total, 0n);
      print(
        `    ${claims.length} hosts claimed ${btt(paid)} BTT (${100 - Number(cfg.withheldBps) / 100}% of 3 periods; the rest is withheld until the end)`,
      );
    }

    if (lost !== 0n) {
      check(period === lostAt, `shard lost after ${cfg.missesToLose} misses (period ${lostAt}), not ${period}`);
      const lostEvents = await env.reader.getEvents({
        address: reader.market.address,
        abi: storageClientAbi,
        eventName: "ShardLost",
        fromBlock: BigInt(opened.receipt.blockNumber),
      });
      slashed = lostEvents.find((e) => e.args.dealId === dealId)?.args.slashed ?? 0n;
      bounty = slashed - (slashed * BigInt(cfg.tenantSlashBps)) / 10_000n;
      print(
        `    ${failed.role} slashed ${btt(slashed)} BTT: ${btt(slashed - bounty)} to the tenant, ${btt(bounty)} kept as the repair bounty`,
      );
      const rep = await repair();
      repairer = rep.p;
      repairedFrom = period + 1;
      agents.push({ p: rep.p, agent: await agentFor(rep.c, rep.p) });
    }
  }

  /** The tenant fetches k surviving shards over HTTP, rebuilds the lost one and hands it to a new host. */
  async function repair() {
    const records = await shardRecords(reader, { dealId });
    const lostIndex = records.findIndex((r) => (r.flags & SHARD_FLAG_LOST) !== 0);
    check(lostIndex === lostShard, `the lost shard is ${lostShard}`);
    const fetchDir = path.join(workDir, "tenant", "repair");
    const fetched = await fetchShards(tenant, {
      record,
      signer: privateKeyMessageSigner(env.tenant.privateKey),
      dir: fetchDir,
      exclude: [lostShard],
      onProgress: (p) => http.see(p),
    });
    const shards: (Uint8Array | undefined)[] = new Array(total).fill(undefined);
    for (const [i, f] of fetched.files) shards[i] = new Uint8Array(await readFile(f));
    await rm(fetchDir, { recursive: true, force: true });
    const rebuilt = reconstructShards(shards, { dataShards: scale.dataShards, parityShards: scale.parityShards })[
      lostShard
    ]!;
    const root = buildTree(rebuilt, { segmentSize: record.segmentSize }).root;
    check(root === record.roots[lostShard]!.toLowerCase(), "the rebuilt shard's Merkle root is the deal's");
    const recovered = recoverData(shards, {
      dataShards: scale.dataShards,
      parityShards: scale.parityShards,
      originalLength: record.originalLength,
    });
    check(sha256Hex(recovered) === sha256Hex(file), "the file recovers byte for byte from the same shards");
    print(
      `    tenant fetched ${fetched.files.size} surviving shards over HTTP (${[...fetched.files.keys()]
        .sort((a, b) => a - b)
        .join(",")}; each checked against its root), ` +
        `rebuilt shard ${lostShard} (Merkle root matches) and the whole file (sha256 matches)`,
    );
    // The new host's price for the shard stays within the shard's budget (what the lost host had).
    const budget = records[lostShard]!.price;
    const spares = listed.filter((h) => h.address !== failed.address);
    const handed = await handOverShard(tenant, {
      record,
      shard: lostShard,
      bytes: rebuilt,
      collateral: COLLATERAL,
      hosts: spares,
      pricePerShard: price,
      onProgress: (p) => http.see(p),
    });
    record = handed.record;
    repairPrice = handed.offer.offer.price;
    ledger.add("tenant: repairShard (new host, new signed offer)", handed.receipt);
    const next = clientByAddress.get(toHex20(handed.host.address) as never)!;
    check((await serviceOf(next.p).store.held(dealId))?.shards.includes(lostShard) === true, "the new host keeps it");
    print(
      `    repaired: shard ${lostShard} -> ${next.p.role} (generation ${handed.generation}, ` +
        `${btt(repairPrice)} BTT per period, budget ${btt(budget)}; uploaded to its service, which signed for it)`,
    );
    return next;
  }

  check(repairer !== undefined, "the lost shard was repaired");
  const ended = (await deal(reader, { dealId }))!;
  check(ended.status === 2, `the deal completed (status ${ended.status})`);
  check(ended.escrow === 0n, "nothing is left in the deal's escrow");
  const ends = await env.reader.getEvents({
    address: reader.market.address,
    abi: storageClientAbi,
    eventName: "DealEnded",
    fromBlock: BigInt(opened.receipt.blockNumber),
  });
  const refund = ends.find((e) => e.args.dealId === dealId)?.args.refund ?? 0n;
  const earned = await agents
    .find((a) => a.p === repairer)!
    .agent.earnings({ fromBlock: BigInt(opened.receipt.blockNumber) });
  check(
    earned.total === repairPrice * BigInt(periods - repairedFrom) + bounty,
    `the repairer earned ${periods - repairedFrom} period(s) plus the bounty (${btt(earned.total)} BTT)`,
  );
  checks.push(
    `repairer earned ${btt(earned.total)} BTT = ${periods - repairedFrom} period x ${btt(repairPrice)} + bounty ${btt(bounty)}`,
  );

  const normalShard = assigned.findIndex((a, i) => i !== lostShard && a.p !== repairer);
  const normal = assigned[normalShard]!.p;
  const kept = 10_000n - BigInt(cfg.withheldBps);
  const expectedGain = new Map<Participant, bigint>([
    [normal, offers[normalShard]!.offer.price * BigInt(periods)],
    // Paid for the periods it proved, less the withheld part it forfeits; slashed for its misses.
    [failed, (offers[lostShard]!.offer.price * BigInt(FAIL_FROM) * kept) / 10_000n - slashed],
    [repairer!, repairPrice * BigInt(periods - repairedFrom) + bounty],
  ]);
  const paidEvents = await env.reader.getEvents({
    address: reader.market.address,
    abi: storageClientAbi,
    eventName: "HostPaid",
    fromBlock: BigInt(opened.receipt.blockNumber),
    limit: 1_000,
  });
  const hostPay = paidEvents.filter((e) => e.args.dealId === dealId).reduce((s, e) => s + e.args.amount, 0n);

  // At the end the tenant retrieves the file from the hosts' services (any k verified shards).
  const back = path.join(workDir, "tenant", "retrieved.bin");
  const got = await retrieveFile(tenant, {
    record,
    signer: privateKeyMessageSigner(env.tenant.privateKey),
    out: back,
    workDir: path.join(workDir, "tenant"),
    onProgress: (p) => http.see(p),
  });
  const gotHash = sha256Hex(new Uint8Array(await readFile(back)));
  check(gotHash === sha256Hex(file), "the retrieved file's sha256 is the stored file's");
  print(
    `  retrieved the file from shards ${got.shards.join(",")} over HTTP (${got.failures.length} host(s) down: ` +
      `${got.failures.map((f) => `shard ${f.shard}`).join(", ") || "none"}); sha256 ${gotHash.slice(0, 16)}… matches`,
  );
  return {
    dealId,
    failed,
    repairer: repairer!,
    normal,
    lostShard,
    slashed,
    bounty,
    escrow: opened.escrow,
    refund,
    hostPay,
    storageParticipants: [env.tenant, ...env.hosts],
    expectedGain,
    checks,
    http: { uploaded: http.total("upload"), downloaded: http.total("download") },
  };
}

/** Bytes moved over HTTP, from the progress of each shard transfer (its last count). */
class HttpBytes {
  private readonly last = new Map<string, number>();
  private readonly done: Record<"upload" | "download", number> = { upload: 0, download: 0 };
  see(p: NetProgress): void {
    if (p.stage !== "upload" && p.stage !== "download") return;
    const key = `${p.stage}:${p.host}:${p.shard}`;
    const before = this.last.get(key) ?? 0;
    // A new transfer of the same shard from the same host starts from 0 again.
    const step = p.bytes >= before ? p.bytes - before : p.bytes;
    this.last.set(key, p.bytes);
    this.done[p.stage] += step;
  }
  total(stage: "upload" | "download"): number {
    return this.done[stage];
  }
}
