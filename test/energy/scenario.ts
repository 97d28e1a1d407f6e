// The energy-snapshot scenario: every external entry point of the vault, the registry, the storage
// market and the Speed market, once, in a fixed representative sequence, run on the devnode, so
// every figure is TRON energy (java-tron's schedule, receipt.energy_usage_total). The devnode's
// clock is virtual from a fixed genesis and its keys come from a fixed seed, so transaction ids,
// contract addresses, block hashes (hence storage seeds) and every figure are the same on every run.

import { getBytes, keccak256, MaxUint256, toUtf8Bytes } from "ethers";
import { type PackedReceipt, packReceipt, signReceiptWithEthers, speedDomain } from "../../sdk/src/speed/receipt.js";
import { packRelay, signRelayFeeWithEthers } from "../../sdk/src/speed/relay.js";
import { MerkleHasher } from "../../sdk/src/storage/keccak.js";
import { rootPath, toHex } from "../../sdk/src/storage/merkle.js";
import {
  DEFAULT_SEGMENTS_PER_PERIOD,
  dealIdOf,
  type OfferCalldata,
  offerCalldata,
  type StorageOffer,
  signStorageOfferWithEthers,
  storageMarketDomain,
  TENANT_REPAIR,
} from "../../sdk/src/storage/offer.js";
import { bootTron, type Handle, type Tron, type Who } from "./tron.js";

const UNIT = 10n ** 18n;
const MIB = 1n << 20n;
const DAY = 86_400;
const SHARDS = 30;
const SEGMENT = 256;
const GIB = 2 ** 30;
/** 2030-01-01T00:00:00Z: the devnode's genesis time, so block hashes do not depend on the wall clock. */
const GENESIS = 1_893_456_000;
const V1 = `0x${"c9e15763f722f23e98a29decdfae341b98d53056"}${"0".repeat(24)}`;
const V2 = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";
const CONFIG = {
  responseWindow: 3_600,
  seedDelay: 2,
  missesToLose: 3,
  withheldBps: 2_000,
  slashBps: 1_000,
  tenantSlashBps: 5_000,
};

/** A shard whose every segment is the same pseudo-random pattern: a 1 GiB tree in O(depth). */
function uniformShard(i: number) {
  const hasher = new MerkleHasher(SEGMENT);
  const segment = new Uint8Array(SEGMENT);
  for (let o = 0; o < SEGMENT; o += 32) segment.set(getBytes(keccak256(toUtf8Bytes(`shard ${i} ${o}`))), o);
  const depth = Math.log2(GIB / SEGMENT);
  const levels: Uint8Array[] = [new Uint8Array(32)];
  hasher.hashLeaf(segment, 0, levels[0]!, 0);
  for (let l = 1; l <= depth; l++) {
    levels.push(new Uint8Array(32));
    hasher.hashNode(levels[l - 1]!, 0, levels[l - 1]!, 0, levels[l]!, 0);
  }
  // Every segment is the same, so one segment and path answer every index; a proof of k
  // segments repeats them k times (DEFAULT_SEGMENTS_PER_PERIOD, what a default deal asks).
  const k = DEFAULT_SEGMENTS_PER_PERIOD;
  const path = levels.slice(0, depth).map(toHex);
  return {
    segment: Buffer.concat(Array.from({ length: k }, () => segment)),
    root: toHex(levels[depth]!),
    proof: Array.from({ length: k }, () => path).flat(),
  };
}

export type Snapshot = Record<string, number>;

export async function measureEnergy(): Promise<Snapshot> {
  const t = await bootTron({ accounts: 20 + SHARDS + 3, seed: "bttkit energy snapshot", genesisTime: GENESIS * 1000 });
  try {
    return await scenario(t);
  } finally {
    await t.node.stop();
  }
}

async function scenario(t: Tron): Promise<Snapshot> {
  const chain = t.node.chain;
  let clock = GENESIS + 100;
  /** The next block's timestamp: `at` if given, else 12 s after the last. */
  const tick = (at?: number) => {
    clock = at ?? clock + 12;
    chain.increaseTime((clock * 1000 - chain.now()) / 1000);
  };
  const figures: Snapshot = {};
  // biome-ignore lint/suspicious/noExplicitAny: decoded event arguments
  let lastLogs: any[] = [];
  const gas = async (
    label: string,
    from: Who,
    c: Handle,
    fn: string,
    args: unknown[] | (() => Promise<unknown[]>) = [],
    at?: number,
  ) => {
    tick(at);
    const a = typeof args === "function" ? await args() : args;
    const r = await t.send(from, c, fn, a);
    if (label) figures[label] = r.energy;
    lastLogs = r.logs;
    return r;
  };
  const run = (from: Who, c: Handle, fn: string, args: unknown[] | (() => Promise<unknown[]>) = [], at?: number) =>
    gas("", from, c, fn, args, at);

  const signers = Array.from({ length: 20 }, (_, i) => t.who(i));
  const [owner, tenant, keeper, alice, bob, s1, relayer, marketEoa, nominee, pauser] = signers as [
    Who,
    Who,
    Who,
    Who,
    Who,
    Who,
    Who,
    Who,
    Who,
    Who,
  ];
  tick();
  const btt = await t.deploy("TestBTT", [owner.address], owner);
  tick();
  const vault = await t.deploy("EscrowVault", [btt.address, owner.address], owner);
  tick();
  const registry = await t.deploy("HostRegistry", [vault.address, owner.address, BigInt(7 * DAY)], owner);
  tick();
  const market = await t.deploy("StorageMarket", [vault.address, registry.address, CONFIG], owner);
  const hosting = t.at(market.hex, "IStorageHosting");
  tick();
  const speed = await t.deploy("SpeedMarket", [vault.address, owner.address, 3_600n, BigInt(30 * DAY)], owner);

  // Vault administration.
  await gas("EscrowVault.setMarket", owner, vault, "setMarket", [registry.address, true]);
  await run(owner, vault, "setMarket", [market.address, true]);
  await run(owner, vault, "setMarket", [speed.address, true]);
  await run(owner, vault, "setMarket", [marketEoa.address, true]);
  await gas("EscrowVault.setPauser", owner, vault, "setPauser", [pauser.address, true]);
  await gas("HostRegistry.setMarket", owner, registry, "setMarket", [market.address, true]);
  await run(owner, registry, "setMarket", [marketEoa.address, true]);

  // Users.
  for (const u of [tenant, alice, bob]) {
    await run(owner, btt, "mint", [u.address, 1_000_000n * UNIT]);
    await run(u, btt, "approve", [vault.address, MaxUint256]);
  }
  await gas("EscrowVault.deposit (first, unlimited allowance)", tenant, vault, "deposit", [100_000n * UNIT]);
  await gas("EscrowVault.deposit (repeat)", tenant, vault, "deposit", [UNIT]);
  await gas("EscrowVault.depositFor", alice, vault, "depositFor", [bob.address, 1_000n * UNIT]);
  await run(alice, vault, "deposit", [1_000n * UNIT]);
  await gas("EscrowVault.withdraw", alice, vault, "withdraw", [UNIT]);
  await gas("EscrowVault.withdrawTo", alice, vault, "withdrawTo", [bob.address, UNIT]);
  await gas("EscrowVault.setMarketApproval", tenant, vault, "setMarketApproval", [market.address, true]);
  for (const u of [alice, bob]) await run(u, vault, "setMarketApproval", [speed.address, true]);
  await run(alice, vault, "setMarketApproval", [marketEoa.address, true]);

  // Generic escrows.
  await gas("EscrowVault.createEscrow", alice, vault, "createEscrow", async () => [
    bob.address,
    keeper.address,
    clock + DAY,
    10n * UNIT,
  ]);
  await gas("EscrowVault.releaseEscrow (partial)", alice, vault, "releaseEscrow", [1n, UNIT]);
  await gas("EscrowVault.resolveEscrow", keeper, vault, "resolveEscrow", [1n, UNIT]);
  await run(alice, vault, "createEscrow", async () => [bob.address, keeper.address, clock + 100, 10n * UNIT]);
  await gas("EscrowVault.reclaimEscrow", alice, vault, "reclaimEscrow", [2n], clock + 200);

  // A market's vault calls, from an authorised account standing in for a market.
  await gas("EscrowVault.commit", marketEoa, vault, "commit", [alice.address, 20n * UNIT]);
  await gas("EscrowVault.release", marketEoa, vault, "release", [bob.address, UNIT]);
  await gas("EscrowVault.releaseBatch (3)", marketEoa, vault, "releaseBatch", [
    [alice.address, bob.address, keeper.address],
    [UNIT, UNIT, UNIT],
  ]);
  await gas("EscrowVault.transferHeld", marketEoa, vault, "transferHeld", [speed.address, UNIT]);
  await gas("EscrowVault.createEscrowFor", marketEoa, vault, "createEscrowFor", async () => [
    alice.address,
    bob.address,
    keeper.address,
    clock + DAY,
    UNIT,
  ]);
  await gas("EscrowVault.pause", pauser, vault, "pause");
  await gas("EscrowVault.unpause", pauser, vault, "unpause");

  // Hosts.
  const hosts: Who[] = [];
  for (let i = 0; i < SHARDS + 3; i++) {
    const host = t.who(20 + i);
    await run(owner, btt, "mint", [host.address, 1_000n * UNIT]);
    await run(host, btt, "approve", [vault.address, MaxUint256]);
    await run(host, vault, "deposit", [1_000n * UNIT]);
    await run(host, vault, "setMarketApproval", [registry.address, true]);
    const profile = { capacity: 1n << 40n, pricePerGiBPerPeriod: UNIT, region: 276, endpoint: `/dns/h${i}/tcp/4001` };
    await gas(i === 0 ? "HostRegistry.setProfile (first)" : "", host, registry, "setProfile", [profile]);
    await gas(i === 0 ? "HostRegistry.stake (first)" : "", host, registry, "stake", [500n * UNIT]);
    hosts.push(host);
  }
  const h0 = hosts[0] as Who;
  const profile = { capacity: 1n << 41n, pricePerGiBPerPeriod: 2n * UNIT, region: 276, endpoint: "/dns/h0/tcp/4002" };
  await gas("HostRegistry.setProfile (update)", h0, registry, "setProfile", [profile]);
  await gas("HostRegistry.stake (repeat)", h0, registry, "stake", [10n * UNIT]);
  await gas("HostRegistry.requestUnbonding", h0, registry, "requestUnbonding", [5n * UNIT]);
  await gas("HostRegistry.cancelUnbonding", h0, registry, "cancelUnbonding");
  await run(h0, registry, "requestUnbonding", [5n * UNIT]);
  await gas("HostRegistry.withdrawUnbonded", h0, registry, "withdrawUnbonded", [], clock + 7 * DAY);
  await gas("HostRegistry.cancelOffers", hosts[SHARDS + 2] as Who, registry, "cancelOffers", [1n]);
  await gas("HostRegistry.lockCollateral (1 host)", marketEoa, registry, "lockCollateral", [
    [h0.address],
    [UNIT],
    [0n],
  ]);
  const tenure = { host: h0.address, unlock: UNIT, slash: 0n, passed: 1n, missed: 0n, completed: true };
  await gas("HostRegistry.endTenures (1 tenure)", marketEoa, registry, "endTenures", [[tenure]]);

  // Storage: a 30-shard deal over 1 GiB shards, 256-byte segments.
  const chainId = chain.opts.chainId;
  const sdomain = storageMarketDomain(market.address, chainId);
  const shards = Array.from({ length: SHARDS }, (_, i) => uniformShard(i));
  const roots = shards.map((s) => s.root);
  const salt = keccak256(toUtf8Bytes("bttkit energy deal"));
  const params = {
    salt,
    shardSize: BigInt(GIB),
    segmentSize: SEGMENT,
    periods: 12,
    periodLength: DAY,
    minShards: 10,
    segmentsPerPeriod: DEFAULT_SEGMENTS_PER_PERIOD,
  };
  const dealId = dealIdOf(tenant.address, salt);
  const offerFor = async (i: number, generation: number, host: Who) => {
    const offer: StorageOffer = {
      dealId,
      shardIndex: i,
      generation,
      host: host.address,
      shardRoot: roots[i] as string,
      shardSize: params.shardSize,
      segmentSize: SEGMENT,
      periods: params.periods,
      periodLength: params.periodLength,
      segmentsPerPeriod: params.segmentsPerPeriod,
      price: 3n * UNIT + BigInt(i),
      collateral: 50n * UNIT,
      expiry: BigInt(clock + 30 * DAY),
      nonce: 0n,
    };
    return offerCalldata(offer, await signStorageOfferWithEthers(host.wallet, sdomain, offer));
  };
  const offers: OfferCalldata[] = [];
  for (let i = 0; i < SHARDS; i++) offers.push(await offerFor(i, 0, hosts[i] as Who));
  // biome-ignore lint/suspicious/noExplicitAny: decoded ShardRecord tuples
  let records: any[] = [];
  const refresh = () => {
    const ev = lastLogs.filter((l) => l?.name === "ShardsUpdated").at(-1);
    if (ev) records = [...ev.args.records];
  };
  await gas("StorageMarket.openDeal (30 shards)", tenant, market, "openDeal", [params, roots, offers]);
  refresh();
  const start = clock;
  const openPeriod = async (period: number, label: boolean) => {
    await gas(
      label ? "StorageMarket.openChallenge" : "",
      keeper,
      market,
      "openChallenge",
      [dealId],
      start + period * DAY + 1,
    );
    for (let b = 0; b < CONFIG.seedDelay; b++) await run(keeper, speed, "pruneBids", [V2, 2, 0n]);
    await gas(label ? "StorageMarket.drawSeed" : "", keeper, market, "drawSeed", [dealId]);
  };
  const settleNow = async (label: string) => {
    const c = await t.call(market, "challenge", [dealId]);
    await gas(label, keeper, market, "settle", [dealId, records], Number(c[0].deadline) + 1);
    refresh();
  };
  const batch = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => ({
      shard: from + k,
      segment: shards[from + k]?.segment,
      proof: shards[from + k]?.proof,
    }));

  // Period 0: one single proof, then a batch of 28; shard 29 misses every period.
  await openPeriod(0, true);
  await gas("StorageMarket.submitProof", keeper, market, "submitProof", [
    dealId,
    0,
    roots[0],
    rootPath(roots, 0),
    shards[0]?.segment,
    shards[0]?.proof,
  ]);
  await gas("StorageMarket.submitProofs (28)", keeper, market, "submitProofs", [dealId, roots, batch(1, 29)]);
  await settleNow("StorageMarket.settle (30 shards, 1 missed)");
  for (let period = 1; period < 3; period++) {
    await openPeriod(period, false);
    await run(keeper, market, "submitProofs", [dealId, roots, batch(0, 29)]);
    await settleNow(period === 2 ? "StorageMarket.settle (30 shards, 1 lost)" : "");
  }
  await gas("StorageMarket.claim (1 shard)", keeper, hosting, "claim", [dealId, records, 1n << 5n]);
  refresh();
  await gas("StorageMarket.repairShard", tenant, hosting, "repairShard", async () => [
    dealId,
    records,
    29,
    roots[29],
    rootPath(roots, 29),
    await offerFor(29, 1, hosts[SHARDS] as Who),
    TENANT_REPAIR,
  ]);
  refresh();
  await gas("StorageMarket.exitShard", hosts[3] as Who, hosting, "exitShard", async () => [
    dealId,
    records,
    3,
    roots[3],
    rootPath(roots, 3),
    await offerFor(3, 1, hosts[SHARDS + 1] as Who),
  ]);
  refresh();
  for (let period = 3; period < 12; period++) {
    await openPeriod(period, false);
    await run(keeper, market, "submitProofs", [dealId, roots, batch(0, 30)]);
    await settleNow("");
  }
  await gas("StorageMarket.finalizeDeal (30 shards)", keeper, market, "finalizeDeal", [dealId, records]);

  // Speed.
  const pdomain = speedDomain({ chainId, verifyingContract: speed.address });
  const receipt = async (who: Who, bidId: bigint, seeder: string, bytes: bigint) =>
    packReceipt(await signReceiptWithEthers(who.wallet, pdomain, { bidId, seeder, cumulativeBytes: bytes }));
  const price = UNIT / 100n;
  const expiry = BigInt(clock + 7 * DAY);
  await gas("SpeedMarket.openBid (new infohash)", alice, speed, "openBid", [
    V1,
    1,
    price,
    100n * UNIT,
    expiry,
    BigInt(DAY),
  ]);
  await gas("SpeedMarket.openBid (infohash with bids)", bob, speed, "openBid", [
    V1,
    1,
    price,
    100n * UNIT,
    expiry,
    BigInt(DAY),
  ]);
  await gas("SpeedMarket.topUp", alice, speed, "topUp", [1n, 10n * UNIT]);
  await gas("SpeedMarket.redeem (first receipt of a seeder)", owner, speed, "redeem", async () => [
    await receipt(alice, 1n, s1.address, 10n * MIB),
  ]);
  await gas("SpeedMarket.redeem (known seeder)", owner, speed, "redeem", async () => [
    await receipt(alice, 1n, s1.address, 20n * MIB),
  ]);
  const seeders = signers.slice(10, 20);
  for (const s of seeders) await run(owner, speed, "redeem", async () => [await receipt(alice, 1n, s.address, MIB)]);
  const many: PackedReceipt[] = [];
  for (const s of seeders) many.push(await receipt(alice, 1n, s.address, 2n * MIB));
  await gas("SpeedMarket.redeemBatch (10 receipts, one bid)", owner, speed, "redeemBatch", [many]);
  const terms = {
    seeder: s1.address,
    relayer: relayer.address,
    maxFee: UNIT,
    nonce: 1n,
    deadline: BigInt(clock + 30 * DAY),
  };
  const relayed = async (bytes: bigint) => [
    await receipt(alice, 1n, s1.address, bytes),
    packRelay(await signRelayFeeWithEthers(s1.wallet, pdomain, terms), UNIT / 1000n),
  ];
  await gas("SpeedMarket.redeemRelayed (first)", relayer, speed, "redeemRelayed", () => relayed(30n * MIB));
  await gas("SpeedMarket.redeemRelayed (known relayer)", relayer, speed, "redeemRelayed", () => relayed(40n * MIB));
  // A bid that runs dry, is topped up, and pays what it owed.
  await run(bob, speed, "openBid", [V2, 2, price, price, expiry, BigInt(DAY)]);
  await run(owner, speed, "redeem", async () => [await receipt(bob, 3n, s1.address, 5n * MIB)]);
  await run(bob, speed, "topUp", [3n, 10n * UNIT]);
  await gas("SpeedMarket.payOwed", owner, speed, "payOwed", [3n, s1.address]);
  await gas("SpeedMarket.claim (2 bids)", owner, speed, "claim", [s1.address, [1n, 3n]]);
  await gas("SpeedMarket.claimRelayFees", owner, speed, "claimRelayFees", [relayer.address, [s1.address]]);
  await gas("SpeedMarket.revokeRelay", s1, speed, "revokeRelay", [relayer.address, 2n]);
  await gas("SpeedMarket.closeBid (downloader)", alice, speed, "closeBid", [1n]);
  await gas("SpeedMarket.refundBid", owner, speed, "refundBid", [1n], clock + DAY + 1);
  await gas(
    "SpeedMarket.closeBid (expired: close and refund)",
    keeper,
    speed,
    "closeBid",
    [2n],
    Number(expiry) + DAY + 1,
  );
  await gas("SpeedMarket.pruneBids (2 closed)", keeper, speed, "pruneBids", [V1, 1, 10n]);
  await gas("SpeedMarket.setGraceBounds", owner, speed, "setGraceBounds", [600n, BigInt(DAY)]);

  // Ownership (the same in every Ownable2Step contract).
  await gas("EscrowVault.transferOwnership", owner, vault, "transferOwnership", [nominee.address]);
  await gas("EscrowVault.acceptOwnership", nominee, vault, "acceptOwnership");

  return Object.fromEntries(Object.entries(figures).sort(([a], [b]) => a.localeCompare(b)));
}

/** The committed snapshot file. */
export const SNAPSHOT_PATH = new URL("../energy-snapshot.json", import.meta.url);

/** Compares figures with the snapshot: rises, falls, and entries added or removed. */
export function compareSnapshots(committed: Snapshot, measured: Snapshot) {
  const rises: string[] = [];
  const falls: string[] = [];
  const added = Object.keys(measured).filter((k) => !(k in committed));
  const removed = Object.keys(committed).filter((k) => !(k in measured));
  for (const [k, v] of Object.entries(measured)) {
    const was = committed[k];
    if (was === undefined) continue;
    if (v > was) rises.push(`${k}: ${was} -> ${v} (+${v - was})`);
    if (v < was) falls.push(`${k}: ${was} -> ${v} (${v - was})`);
  }
  return { rises, falls, added, removed };
}
