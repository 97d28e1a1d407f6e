/**
 * The storage half of `npm start`: hosts register and stake, a tenant erasure-codes a real file
 * into shards, hosts sign offers, the deal opens, the keeper and the host agents run the periods,
 * one host goes dark until its shard is lost and slashed, the tenant rebuilds the shard from the
 * survivors and repairs it onto a new host, the deal ends and every balance is checked.
 * The call sequences are those of test/sdk/storage-client-suite.ts.
 */
import { createHash } from "node:crypto";
import { copyFile, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import {
  approveToken,
  balanceOf,
  buildTree,
  challenge,
  claimEarnings,
  createStorageClient,
  deal,
  deposit,
  host,
  listHosts,
  openDeal,
  parseBtt,
  pickHosts,
  reconstructShards,
  recoverData,
  registerHost,
  repairShard,
  requestOffer,
  SHARD_FLAG_LOST,
  type SignedOffer,
  type StorageClient,
  setMarketApproval,
  shardRecords,
  signOffer,
  stake,
  storageClientAbi,
  type TronWebTypedDataSigner,
} from "../../sdk/src/index.js";
import { HostAgent, type HostAgentReport, Keeper, type KeeperReport, prepareDeal } from "../../sdk/src/node/index.js";
import type { DemoEnv, Participant } from "./env.js";
import { btt, type Ledger, n, print, progress } from "./output.js";

export const HOST_DEPOSIT = parseBtt("150");
export const HOST_STAKE = parseBtt("100");
export const COLLATERAL = parseBtt("20");
export const TENANT_DEPOSIT = parseBtt("60");
const GIB = 1n << 30n;
/** Offer prices are rounded up to 1e-5 BTT, so every share of them prints exactly. */
const PRICE_STEP = 10n ** 13n;
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
const byValue = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);
const ceilTo = (value: bigint, step: bigint) => ((value + step - 1n) / step) * step;

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
}

export async function runStorage(env: DemoEnv, ledger: Ledger, workDir: string): Promise<StorageResult> {
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

  // 1. Hosts: deposit, register (varied regions and prices), approve the registry, stake.
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
    if (!info.stake.registered) {
      const region = REGIONS[k % REGIONS.length]!;
      const profile = {
        capacity: BigInt(1 + (k % 4)) << 40n, // 1-4 TiB
        pricePerGiBPerPeriod: parseBtt(String(1_000 + ((k * 389) % 2_000))), // 1,000-2,999 BTT per GiB per period
        region: region.code,
        endpoint: `/dns4/host-${k + 1}.${region.name.toLowerCase()}.demo.bttkit/tcp/4001`,
      };
      ledger.add("hosts: register profiles", (await registerHost(c, profile)).receipt);
    }
    if (need > 0n) {
      ledger.add("hosts: approve the registry, stake", [
        (await setMarketApproval(c.vault, { market: c.registry.address, approved: true })).receipt,
        (await stake(c, { amount: need })).receipt,
      ]);
    }
    bar.update(++done, h.role);
  });
  bar.stop(`done: each staked ${btt(HOST_STAKE)} BTT`);

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
  const sharding = progress(`erasure-code + hash ${total} shards`, 2 * total);
  const prepared = await prepareDeal(filePath, {
    dataShards: scale.dataShards,
    parityShards: scale.parityShards,
    periods,
    periodLength,
    outDir: path.join(workDir, "tenant", "staging"),
    onProgress: (stage, i) => sharding.update(stage === "encode" ? i : total + i, stage),
  });
  const shardSize = prepared.params.shardSize;
  sharding.stop(
    `${n(file.length)} bytes (sha256 ${sha256Hex(file).slice(0, 16)}…) -> ${scale.dataShards} data + ` +
      `${scale.parityShards} parity shards of ${n(shardSize)} bytes, segments of ${prepared.params.segmentSize} bytes`,
  );

  // 3. Pick the hosts from the registry (listHosts -> pickHosts: track record, price, stake, region).
  const mine = new Set(env.hosts.map((h) => h.address));
  const listed = (await listHosts(reader)).filter((h) => mine.has(h.address as never));
  const picked = pickHosts(listed, { n: total, now: await clock.now(), minFreeStake: COLLATERAL });
  check(picked.length === total, `pickHosts found ${picked.length} of ${total} hosts`);
  const regions = new Map<number, number>();
  for (const p of picked) regions.set(p.region, (regions.get(p.region) ?? 0) + 1);
  print(
    `  pickHosts: ${total} of ${listed.length} registered hosts, regions ` +
      [...regions].map(([code, count]) => `${REGIONS.find((r) => r.code === code)?.name ?? code}×${count}`).join(" "),
  );
  const priceFor = (ask: bigint) => ceilTo((ask * shardSize + GIB - 1n) / GIB, PRICE_STEP);

  // 4. Offers: the tenant asks, each host checks and signs (TIP-712 with its own TronWeb key).
  const assigned = picked.map((s) => clientByAddress.get(s.address as never)!);
  const signer = (p: Participant) => ({ tronWeb: p.backend.tronWeb as unknown as TronWebTypedDataSigner });
  const offers: SignedOffer[] = await pool(assigned, 8, async ({ p, c }, i) => {
    const offer = await requestOffer(tenant, {
      deal: prepared,
      shard: i,
      host: p.address,
      price: priceFor(picked[i]!.host.profile.pricePerGiBPerPeriod),
      collateral: COLLATERAL,
    });
    return signOffer(c, { offer, signer: signer(p) });
  });
  const escrowDue = offers.reduce((sum, o) => sum + o.offer.price, 0n) * BigInt(periods);
  const prices = offers.map((o) => o.offer.price).sort(byValue);
  print(
    `  ${total} hosts signed offers (TIP-712, each with its own TronWeb key): ${btt(prices[0]!)}-${btt(prices.at(-1)!)} ` +
      `BTT per shard per period, collateral ${btt(COLLATERAL)} BTT each`,
  );

  // 5. The tenant deposits, approves the market and opens the deal.
  ledger.add("tenant: approve the vault, deposit BTT", [
    (await approveToken(tenant.vault, { amount: TENANT_DEPOSIT })).receipt,
    (await deposit(tenant.vault, { amount: TENANT_DEPOSIT })).receipt,
  ]);
  ledger.add(
    "tenant: approve the storage market",
    (await setMarketApproval(tenant.vault, { market: tenant.market.address, approved: true })).receipt,
  );
  const opened = await openDeal(tenant, { deal: prepared, offers });
  ledger.add(`tenant: openDeal (${total} shards, ${total} signatures)`, opened.receipt);
  const dealId = opened.dealId;
  check(opened.escrow === escrowDue, `escrow ${opened.escrow} = sum of prices x periods ${escrowDue}`);
  print(
    `  deal ${`0x${dealId.toString(16)}`.slice(0, 18)}… opened: ${periods} periods of ${n(periodLength)} s, ` +
      `escrow ${btt(opened.escrow)} BTT, ${n(opened.receipt.energyUsed)} energy`,
  );

  // 6. "Upload": each host keeps its shard in its own directory; the tenant drops its copies.
  const hostDir = (p: Participant) => path.join(workDir, "hosts", p.base58);
  const shardPath = (p: Participant, shard: number) =>
    path.join(hostDir(p), `deal-${shard.toString().padStart(3, "0")}.bin`);
  await Promise.all(
    assigned.map(async ({ p }, i) => {
      await mkdir(hostDir(p), { recursive: true });
      await copyFile(prepared.shardPaths![i]!, shardPath(p, i));
    }),
  );
  await Promise.all(prepared.shardPaths!.map((f) => rm(f)));

  // The host that fails: the one holding data shard 3 (or the last data shard of a small deal).
  const lostShard = Math.min(3, scale.dataShards - 1);
  const failed = assigned[lostShard]!.p;
  const agentFor = (c: StorageClient, p: Participant) =>
    new HostAgent(c, {
      deals: [{ dealId, roots: prepared.roots, shardFile: (s) => shardPath(p, s) }],
      claim: false, // hosts claim once, mid-deal (step below); the end of the deal pays the rest
      drawSeeds: false, // the keeper draws
    });
  const agents = assigned.map(({ p, c }) => ({ p, agent: agentFor(c, p) }));
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
      await rm(shardPath(failed, lostShard), { force: true });
      print(`    ${failed.role}'s disk dies: its copy of shard ${lostShard} is gone and its agent no longer runs`);
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
      "hosts: submitProofs (agents, from shard files)",
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
      agents.push({ p: rep.p, agent: agentFor(rep.c, rep.p) });
    }
  }

  /** The tenant rebuilds the lost shard from surviving shards and hands it to a new host. */
  async function repair() {
    const records = await shardRecords(reader, { dealId });
    const lostIndex = records.findIndex((r) => (r.flags & SHARD_FLAG_LOST) !== 0);
    check(lostIndex === lostShard, `the lost shard is ${lostShard}`);
    // Download exactly dataShards surviving shards, parity first: any k of the n rebuild everything.
    const holders = assigned
      .map((a, i) => ({ ...a, i }))
      .filter((a) => a.i !== lostShard)
      .reverse()
      .slice(0, scale.dataShards);
    const shards: (Uint8Array | undefined)[] = new Array(total).fill(undefined);
    for (const h of holders) shards[h.i] = new Uint8Array(await readFile(shardPath(h.p, h.i)));
    const rebuilt = reconstructShards(shards, { dataShards: scale.dataShards, parityShards: scale.parityShards })[
      lostShard
    ]!;
    const root = buildTree(rebuilt, { segmentSize: prepared.params.segmentSize }).root;
    check(root === prepared.roots[lostShard]!.toLowerCase(), "the rebuilt shard's Merkle root is the deal's");
    const recovered = recoverData(shards, {
      dataShards: scale.dataShards,
      parityShards: scale.parityShards,
      originalLength: prepared.originalLength,
    });
    check(sha256Hex(recovered) === sha256Hex(file), "the file recovers byte for byte from the same shards");
    print(
      `    tenant fetched ${holders.length} surviving shards (${holders
        .map((h) => h.i)
        .sort((a, b) => a - b)
        .join(",")}), ` + `rebuilt shard ${lostShard} (Merkle root matches) and the whole file (sha256 matches)`,
    );
    const holding = new Set(records.filter((r) => (r.flags & SHARD_FLAG_LOST) === 0).map((r) => r.host.toLowerCase()));
    const candidates = (await listHosts(reader)).filter(
      (h) => mine.has(h.address as never) && !holding.has(h.address.toLowerCase()) && h.address !== failed.address,
    );
    const [best] = pickHosts(candidates, { n: 1, now: await clock.now(), minFreeStake: COLLATERAL });
    check(best !== undefined, "a spare host can take the shard");
    const next = clientByAddress.get(best!.address as never)!;
    const budget = records[lostShard]!.price;
    const ask = priceFor(best!.host.profile.pricePerGiBPerPeriod);
    repairPrice = [ask, budget].sort(byValue)[0]!; // at most the shard's budget
    const offer = await requestOffer(tenant, {
      dealId,
      shardRoot: prepared.roots[lostShard]!,
      shard: lostShard,
      host: next.p.address,
      price: repairPrice,
      collateral: COLLATERAL,
    });
    const signed = await signOffer(next.c, { offer, signer: signer(next.p) });
    const result = await repairShard(tenant, { dealId, shard: lostShard, roots: prepared.roots, offer: signed });
    ledger.add("tenant: repairShard (new host, new signed offer)", result.receipt);
    await mkdir(hostDir(next.p), { recursive: true });
    await writeFile(shardPath(next.p, lostShard), rebuilt);
    print(
      `    repaired: shard ${lostShard} -> ${next.p.role} (generation ${result.generation}, ` +
        `${btt(repairPrice)} BTT per period, budget ${btt(budget)})`,
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
  };
}
