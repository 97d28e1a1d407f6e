import { randomBytes } from "node:crypto";
import { keccak256, toUtf8Bytes, Wallet } from "ethers";
import { network } from "hardhat";
import { challengedSegments } from "../../sdk/src/storage/challenge.js";
import { buildTree, proofBlockRange, proveSegment, rootPath, type ShardTree } from "../../sdk/src/storage/merkle.js";
import {
  dealIdOf,
  type OfferCalldata,
  offerCalldata,
  type StorageOffer,
  signStorageOfferWithEthers,
  storageMarketDomain,
  TENANT_REPAIR,
} from "../../sdk/src/storage/offer.js";

/** One in-process chain per test file. */
export const { ethers, networkHelpers } = await network.create();

export const UNIT = 10n ** 18n;
export const UNBONDING_DELAY = 7n * 86_400n;
export const CONFIG = {
  responseWindow: 3_600,
  seedDelay: 2,
  missesToLose: 3,
  withheldBps: 2_000,
  slashBps: 1_000,
  tenantSlashBps: 5_000,
};
export const PERIOD = 86_400;
export const HOST_STAKE = 500n * UNIT;

/** Deterministic host keys (so TronWeb can sign with the same key in tests). */
export function hostKey(i: number): string {
  return keccak256(toUtf8Bytes(`bttkit storage host ${i}`));
}

/** Token, vault, registry and market wired together, with 34 registered, staked hosts. */
export function deployStorage() {
  return deployStorageWith(34);
}

/** Token, vault, registry and market wired together; `hostCount` registered, staked hosts. */
export async function deployStorageWith(hostCount: number) {
  const [owner, tenant, keeper, stranger] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
  const vaultAddress = await vault.getAddress();
  const registry = await ethers.deployContract("HostRegistry", [vaultAddress, owner.address, UNBONDING_DELAY]);
  const registryAddress = await registry.getAddress();
  const market = await ethers.deployContract("StorageMarket", [vaultAddress, registryAddress, CONFIG]);
  const marketAddress = await market.getAddress();
  const hosting = await ethers.getContractAt("IStorageHosting", marketAddress);
  await vault.setMarket(registryAddress, true);
  await vault.setMarket(marketAddress, true);
  await vault.setPauser(owner.address, true);
  await registry.setMarket(marketAddress, true);

  await btt.mint(tenant.address, 1_000_000n * UNIT);
  await btt.connect(tenant).approve(vaultAddress, ethers.MaxUint256);
  await vault.connect(tenant).deposit(100_000n * UNIT);
  await vault.connect(tenant).setMarketApproval(marketAddress, true);

  const hosts: Wallet[] = [];
  for (let i = 0; i < hostCount; i++) {
    const host = new Wallet(hostKey(i), ethers.provider);
    await networkHelpers.setBalance(host.address, 10n ** 20n);
    await btt.mint(host.address, 1_000n * UNIT);
    await btt.connect(host).approve(vaultAddress, ethers.MaxUint256);
    await vault.connect(host).deposit(1_000n * UNIT);
    await vault.connect(host).setMarketApproval(registryAddress, true);
    await registry
      .connect(host)
      .setProfile({ capacity: 1n << 40n, pricePerGiBPerPeriod: UNIT, region: 276, endpoint: `/dns/h${i}/tcp/4001` });
    await registry.connect(host).stake(HOST_STAKE);
    hosts.push(host);
  }
  const { chainId } = await ethers.provider.getNetwork();
  const domain = storageMarketDomain(marketAddress, chainId);
  return { owner, tenant, keeper, stranger, btt, vault, registry, market, hosting, hosts, domain, marketAddress };
}

export type Storage = Awaited<ReturnType<typeof deployStorageWith>>;

export interface DealSetup {
  dealId: bigint;
  params: {
    salt: string;
    shardSize: bigint;
    segmentSize: number;
    periods: number;
    periodLength: number;
    minShards: number;
    segmentsPerPeriod: number;
  };
  shards: Uint8Array[];
  trees: ShardTree[];
  roots: string[];
  offers: OfferCalldata[];
  unsigned: StorageOffer[];
}

export interface DealOptions {
  shardCount?: number;
  minShards?: number;
  shardSize?: number;
  segmentSize?: number;
  periods?: number;
  /** Segments asked per shard per period; default 2 (so every test proves more than one). */
  segmentsPerPeriod?: number;
  price?: bigint;
  collateral?: bigint;
  salt?: string;
  hostOffset?: number;
  shards?: Uint8Array[];
}

/** Random shards, their trees and one signed offer per shard from hosts[hostOffset + i]. */
export async function prepareDeal(s: Storage, o: DealOptions = {}): Promise<DealSetup> {
  const shardCount = o.shards?.length ?? o.shardCount ?? 30;
  const segmentSize = o.segmentSize ?? 256;
  const shards =
    o.shards ?? Array.from({ length: shardCount }, () => new Uint8Array(randomBytes(o.shardSize ?? 4_000)));
  const trees = shards.map((data) => buildTree(data, { segmentSize, cacheLevel: 2 }));
  const roots = trees.map((t) => t.root);
  const salt = o.salt ?? keccak256(randomBytes(32));
  const params = {
    salt,
    shardSize: BigInt(shards[0]!.length),
    segmentSize,
    periods: o.periods ?? 6,
    periodLength: PERIOD,
    minShards: o.minShards ?? 10,
    segmentsPerPeriod: o.segmentsPerPeriod ?? 2,
  };
  const dealId = dealIdOf(s.tenant.address, salt);
  const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600);
  const unsigned: StorageOffer[] = [];
  const offers: OfferCalldata[] = [];
  for (let i = 0; i < shardCount; i++) {
    const host = s.hosts[(o.hostOffset ?? 0) + i]!;
    const offer: StorageOffer = {
      dealId,
      shardIndex: i,
      generation: 0,
      host: host.address,
      shardRoot: roots[i]!,
      shardSize: params.shardSize,
      segmentSize,
      periods: params.periods,
      periodLength: params.periodLength,
      segmentsPerPeriod: params.segmentsPerPeriod,
      price: o.price ?? UNIT,
      collateral: o.collateral ?? 10n * UNIT,
      expiry,
      nonce: 0n,
    };
    unsigned.push(offer);
    offers.push(offerCalldata(offer, await signStorageOfferWithEthers(host, s.domain, offer)));
  }
  return { dealId, params, shards, trees, roots, offers, unsigned };
}

/** A signed offer for a handover of `shard` (repair or exit) at `generation`. */
export async function handoverOffer(
  s: Storage,
  d: DealSetup,
  shard: number,
  generation: number,
  host: Wallet,
  terms: { price?: bigint; collateral?: bigint } = {},
): Promise<OfferCalldata> {
  const offer: StorageOffer = {
    ...d.unsigned[shard]!,
    generation,
    host: host.address,
    price: terms.price ?? d.unsigned[shard]!.price,
    collateral: terms.collateral ?? d.unsigned[shard]!.collateral,
    expiry: BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600),
  };
  return offerCalldata(offer, await signStorageOfferWithEthers(host, s.domain, offer));
}

/** The opening shard records of a deal (its one ShardsUpdated event): what every call takes. */
export async function recordsOf(s: Storage, dealId: bigint): Promise<bigint[]> {
  const events = await s.market.queryFilter(s.market.filters.ShardsUpdated(dealId));
  return [...events.at(-1)!.args.records];
}

/** The current shard records of a deal, from the market's view. */
export async function currentOf(s: Storage, dealId: bigint): Promise<bigint[]> {
  return [...(await s.hosting.shardRecords(dealId, await recordsOf(s, dealId)))];
}

/** The tenant's repair of `shard` to the host of `offer`. */
export async function tenantRepair(s: Storage, d: DealSetup, shard: number, offer: OfferCalldata) {
  return s.hosting
    .connect(s.tenant)
    .repairShard(
      d.dealId,
      await recordsOf(s, d.dealId),
      shard,
      d.roots[shard]!,
      rootPath(d.roots, shard),
      offer,
      TENANT_REPAIR,
    );
}

/** Opens the next challenge and draws its seed; returns the seed. */
export async function openAndDraw(s: Storage, dealId: bigint): Promise<string> {
  const deal = await s.market.deal(dealId);
  const startsAt = Number(deal.start) + Number(deal.settledPeriods) * Number(deal.periodLength);
  const now = (await ethers.provider.getBlock("latest"))!.timestamp;
  if (now < startsAt) await networkHelpers.time.increaseTo(startsAt);
  await s.market.connect(s.keeper).openChallenge(dealId);
  await networkHelpers.mine(CONFIG.seedDelay);
  await s.market.connect(s.keeper).drawSeed(dealId);
  return (await s.market.challenge(dealId)).seed;
}

/** The proof of shard `shard`'s challenged segments under `seed` (segments and paths concatenated). */
export function proofFor(d: DealSetup, seed: string, shard: number) {
  const tree = d.trees[shard]!;
  const indices = challengedSegments(seed, shard, tree.segmentCount, d.params.segmentsPerPeriod);
  const parts = indices.map((i) => {
    const { start, end } = proofBlockRange(tree, Number(i));
    return proveSegment(tree, Number(i), d.shards[shard]!.subarray(start, end));
  });
  return {
    index: Number(indices[0]),
    indices,
    segment: Buffer.concat(parts.map((p) => p.segment)),
    proof: parts.flatMap((p) => p.proof),
    root: d.roots[shard]!,
    rootPath: rootPath(d.roots, shard),
  };
}

/** Submits single proofs for every shard in `shards`. */
export async function proveShards(s: Storage, d: DealSetup, seed: string, shards: number[]) {
  for (const i of shards) {
    const p = proofFor(d, seed, i);
    await s.market.connect(s.keeper).submitProof(d.dealId, i, p.root, p.rootPath, p.segment, p.proof);
  }
}

/** Moves past the response deadline and settles with the current records. */
export async function settle(s: Storage, dealId: bigint) {
  const c = await s.market.challenge(dealId);
  await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
  return s.market.connect(s.keeper).settle(dealId, await recordsOf(s, dealId));
}
