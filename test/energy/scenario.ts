// The energy-snapshot scenario: every external entry point of the vault, the registry, the storage
// market and the Speed market, once, in a fixed representative sequence, on a chain whose genesis
// time and block timestamps are fixed. Keys, salts, shard bytes and timestamps are constants, so
// signatures, block hashes (hence storage seeds) and every gas figure are the same on every run.
// Figures are EVM gasUsed including the 21,000 base and calldata (an upper bound for TRON energy,
// which charges neither; see docs/DESIGN.md).

import { type ContractTransactionResponse, getBytes, keccak256, toUtf8Bytes, Wallet } from "ethers";
import { network } from "hardhat";
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

const UNIT = 10n ** 18n;
const MIB = 1n << 20n;
const DAY = 86_400;
const SHARDS = 30;
const SEGMENT = 256;
const GIB = 2 ** 30;
/** 2030-01-01T00:00:00Z: the genesis time, so block hashes do not depend on the wall clock. */
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
  const connection = await network.create({ override: { initialDate: new Date(GENESIS * 1000) } });
  const { ethers, networkHelpers } = connection;
  const provider = ethers.provider;
  let clock = GENESIS + 100;
  /** The next block's timestamp: `at` if given, else 12 s after the last. */
  const tick = async (at?: number) => {
    clock = at ?? clock + 12;
    await provider.send("evm_setNextBlockTimestamp", [clock]);
    // PREVRANDAO enters the block hash (hence storage seeds); EDR draws it from a generator shared
    // by every chain of the process, so fix it too.
    await provider.send("hardhat_setPrevRandao", [keccak256(toUtf8Bytes(`prevrandao ${clock}`))]);
  };
  const figures: Snapshot = {};
  const gas = async (label: string, send: () => Promise<ContractTransactionResponse>, at?: number) => {
    await tick(at);
    const rc = await (await send()).wait();
    if (label) figures[label] = Number(rc!.gasUsed);
    return rc!;
  };
  const run = (send: () => Promise<ContractTransactionResponse>, at?: number) => gas("", send, at);

  const signers = await ethers.getSigners();
  const [owner, tenant, keeper, alice, bob, s1, relayer, marketEoa, nominee, pauser] = signers
    .slice(0, 10)
    .map((x) => x!);
  if (!owner || !tenant || !keeper || !alice || !bob || !s1 || !relayer || !marketEoa || !nominee || !pauser)
    throw new Error("signers");
  await tick();
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  await tick();
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
  const vaultAddress = await vault.getAddress();
  await tick();
  const registry = await ethers.deployContract("HostRegistry", [vaultAddress, owner.address, BigInt(7 * DAY)]);
  const registryAddress = await registry.getAddress();
  await tick();
  const market = await ethers.deployContract("StorageMarket", [vaultAddress, registryAddress, CONFIG]);
  const marketAddress = await market.getAddress();
  const hosting = await ethers.getContractAt("IStorageHosting", marketAddress);
  await tick();
  const speed = await ethers.deployContract("SpeedMarket", [vaultAddress, owner.address, 3_600n, BigInt(30 * DAY)]);
  const speedAddress = await speed.getAddress();

  // Vault administration.
  await gas("EscrowVault.setMarket", () => vault.setMarket(registryAddress, true));
  await run(() => vault.setMarket(marketAddress, true));
  await run(() => vault.setMarket(speedAddress, true));
  await run(() => vault.setMarket(marketEoa!.address, true));
  await gas("EscrowVault.setPauser", () => vault.setPauser(pauser!.address, true));
  await gas("HostRegistry.setMarket", () => registry.setMarket(marketAddress, true));
  await run(() => registry.setMarket(marketEoa!.address, true));

  // Users.
  for (const u of [tenant, alice, bob]) {
    await run(() => btt.mint(u!.address, 1_000_000n * UNIT));
    await run(() => btt.connect(u!).approve(vaultAddress, ethers.MaxUint256));
  }
  await gas("EscrowVault.deposit (first, unlimited allowance)", () => vault.connect(tenant).deposit(100_000n * UNIT));
  await gas("EscrowVault.deposit (repeat)", () => vault.connect(tenant).deposit(UNIT));
  await gas("EscrowVault.depositFor", () => vault.connect(alice).depositFor(bob!.address, 1_000n * UNIT));
  await run(() => vault.connect(alice).deposit(1_000n * UNIT));
  await gas("EscrowVault.withdraw", () => vault.connect(alice).withdraw(UNIT));
  await gas("EscrowVault.withdrawTo", () => vault.connect(alice).withdrawTo(bob!.address, UNIT));
  await gas("EscrowVault.setMarketApproval", () => vault.connect(tenant).setMarketApproval(marketAddress, true));
  for (const u of [alice, bob]) await run(() => vault.connect(u!).setMarketApproval(speedAddress, true));
  await run(() => vault.connect(alice).setMarketApproval(marketEoa!.address, true));

  // Generic escrows.
  await gas("EscrowVault.createEscrow", () =>
    vault.connect(alice).createEscrow(bob!.address, keeper!.address, clock + DAY, 10n * UNIT),
  );
  await gas("EscrowVault.releaseEscrow (partial)", () => vault.connect(alice).releaseEscrow(1n, UNIT));
  await gas("EscrowVault.resolveEscrow", () => vault.connect(keeper).resolveEscrow(1n, UNIT));
  await run(() => vault.connect(alice).createEscrow(bob!.address, keeper!.address, clock + 100, 10n * UNIT));
  await gas("EscrowVault.reclaimEscrow", () => vault.connect(alice).reclaimEscrow(2n), clock + 200);

  // A market's vault calls, from an authorised EOA standing in for a market.
  await gas("EscrowVault.commit", () => vault.connect(marketEoa).commit(alice!.address, 20n * UNIT));
  await gas("EscrowVault.release", () => vault.connect(marketEoa).release(bob!.address, UNIT));
  await gas("EscrowVault.releaseBatch (3)", () =>
    vault.connect(marketEoa).releaseBatch([alice!.address, bob!.address, keeper!.address], [UNIT, UNIT, UNIT]),
  );
  await gas("EscrowVault.transferHeld", () => vault.connect(marketEoa).transferHeld(speedAddress, 0n + UNIT));
  await gas("EscrowVault.createEscrowFor", () =>
    vault.connect(marketEoa).createEscrowFor(alice!.address, bob!.address, keeper!.address, clock + DAY, UNIT),
  );
  await gas("EscrowVault.pause", () => vault.connect(pauser).pause());
  await gas("EscrowVault.unpause", () => vault.connect(pauser).unpause());

  // Hosts.
  const hosts: Wallet[] = [];
  for (let i = 0; i < SHARDS + 3; i++) {
    const host = new Wallet(keccak256(toUtf8Bytes(`bttkit energy host ${i}`)), provider);
    await networkHelpers.setBalance(host.address, 10n ** 20n);
    await run(() => btt.mint(host.address, 1_000n * UNIT));
    await run(() => btt.connect(host).approve(vaultAddress, ethers.MaxUint256));
    await run(() => vault.connect(host).deposit(1_000n * UNIT));
    await run(() => vault.connect(host).setMarketApproval(registryAddress, true));
    const profile = { capacity: 1n << 40n, pricePerGiBPerPeriod: UNIT, region: 276, endpoint: `/dns/h${i}/tcp/4001` };
    await gas(i === 0 ? "HostRegistry.setProfile (first)" : "", () => registry.connect(host).setProfile(profile));
    await gas(i === 0 ? "HostRegistry.stake (first)" : "", () => registry.connect(host).stake(500n * UNIT));
    hosts.push(host);
  }
  const h0 = hosts[0]!;
  const profile = { capacity: 1n << 41n, pricePerGiBPerPeriod: 2n * UNIT, region: 276, endpoint: "/dns/h0/tcp/4002" };
  await gas("HostRegistry.setProfile (update)", () => registry.connect(h0).setProfile(profile));
  await gas("HostRegistry.stake (repeat)", () => registry.connect(h0).stake(10n * UNIT));
  await gas("HostRegistry.requestUnbonding", () => registry.connect(h0).requestUnbonding(5n * UNIT));
  await gas("HostRegistry.cancelUnbonding", () => registry.connect(h0).cancelUnbonding());
  await run(() => registry.connect(h0).requestUnbonding(5n * UNIT));
  await gas("HostRegistry.withdrawUnbonded", () => registry.connect(h0).withdrawUnbonded(), clock + 7 * DAY);
  await gas("HostRegistry.cancelOffers", () => registry.connect(hosts[SHARDS + 2]!).cancelOffers(1n));
  await gas("HostRegistry.lockCollateral (1 host)", () =>
    registry.connect(marketEoa).lockCollateral([h0.address], [UNIT], [0n]),
  );
  const tenure = { host: h0.address, unlock: UNIT, slash: 0n, passed: 1n, missed: 0n, completed: true };
  await gas("HostRegistry.endTenures (1 tenure)", () => registry.connect(marketEoa).endTenures([tenure]));

  // Storage: a 30-shard deal over 1 GiB shards, 256-byte segments.
  const { chainId } = await provider.getNetwork();
  const sdomain = storageMarketDomain(marketAddress, chainId);
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
  const dealId = dealIdOf(tenant!.address, salt);
  const offerFor = async (i: number, generation: number, host: Wallet) => {
    const offer: StorageOffer = {
      dealId,
      shardIndex: i,
      generation,
      host: host.address,
      shardRoot: roots[i]!,
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
    return offerCalldata(offer, await signStorageOfferWithEthers(host, sdomain, offer));
  };
  const offers: OfferCalldata[] = [];
  for (let i = 0; i < SHARDS; i++) offers.push(await offerFor(i, 0, hosts[i]!));
  await gas("StorageMarket.openDeal (30 shards)", () => market.connect(tenant).openDeal(params, roots, offers));
  const start = clock;
  let records = [...(await market.queryFilter(market.filters.ShardsUpdated(dealId))).at(-1)!.args.records];
  const refresh = async () => {
    records = [...(await market.queryFilter(market.filters.ShardsUpdated(dealId))).at(-1)!.args.records];
  };
  const openPeriod = async (period: number, label: boolean) => {
    await gas(
      label ? "StorageMarket.openChallenge" : "",
      () => market.connect(keeper).openChallenge(dealId),
      start + period * DAY + 1,
    );
    for (let b = 0; b < CONFIG.seedDelay; b++) await run(() => speed.connect(keeper).pruneBids(V2, 2, 0n));
    await gas(label ? "StorageMarket.drawSeed" : "", () => market.connect(keeper).drawSeed(dealId));
  };
  const settleNow = async (label: string) => {
    const c = await market.challenge(dealId);
    await gas(label, () => market.connect(keeper).settle(dealId, records), Number(c.deadline) + 1);
    await refresh();
  };
  const batch = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, k) => ({
      shard: from + k,
      segment: shards[from + k]!.segment,
      proof: shards[from + k]!.proof,
    }));

  // Period 0: one single proof, then a batch of 28; shard 29 misses every period.
  await openPeriod(0, true);
  await gas("StorageMarket.submitProof", () =>
    market.connect(keeper).submitProof(dealId, 0, roots[0]!, rootPath(roots, 0), shards[0]!.segment, shards[0]!.proof),
  );
  await gas("StorageMarket.submitProofs (28)", () => market.connect(keeper).submitProofs(dealId, roots, batch(1, 29)));
  await settleNow("StorageMarket.settle (30 shards, 1 missed)");
  for (let period = 1; period < 3; period++) {
    await openPeriod(period, false);
    await run(() => market.connect(keeper).submitProofs(dealId, roots, batch(0, 29)));
    await settleNow(period === 2 ? "StorageMarket.settle (30 shards, 1 lost)" : "");
  }
  await gas("StorageMarket.claim (1 shard)", () => hosting.connect(keeper).claim(dealId, records, 1n << 5n));
  await refresh();
  await gas("StorageMarket.repairShard", () =>
    offerFor(29, 1, hosts[SHARDS]!).then((o) =>
      hosting.connect(tenant).repairShard(dealId, records, 29, roots[29]!, rootPath(roots, 29), o, TENANT_REPAIR),
    ),
  );
  await refresh();
  await gas("StorageMarket.exitShard", () =>
    offerFor(3, 1, hosts[SHARDS + 1]!).then((o) =>
      hosting.connect(hosts[3]!).exitShard(dealId, records, 3, roots[3]!, rootPath(roots, 3), o),
    ),
  );
  await refresh();
  for (let period = 3; period < 12; period++) {
    await openPeriod(period, false);
    await run(() => market.connect(keeper).submitProofs(dealId, roots, batch(0, 30)));
    await settleNow("");
  }
  await gas("StorageMarket.finalizeDeal (30 shards)", () => market.connect(keeper).finalizeDeal(dealId, records));

  // Speed.
  const pdomain = speedDomain({ chainId, verifyingContract: speedAddress });
  const receipt = async (who: typeof alice, bidId: bigint, seeder: string, bytes: bigint) =>
    packReceipt(await signReceiptWithEthers(who!, pdomain, { bidId, seeder, cumulativeBytes: bytes }));
  const price = UNIT / 100n;
  const expiry = BigInt(clock + 7 * DAY);
  await gas("SpeedMarket.openBid (new infohash)", () =>
    speed.connect(alice).openBid(V1, 1, price, 100n * UNIT, expiry, BigInt(DAY)),
  );
  await gas("SpeedMarket.openBid (infohash with bids)", () =>
    speed.connect(bob).openBid(V1, 1, price, 100n * UNIT, expiry, BigInt(DAY)),
  );
  await gas("SpeedMarket.topUp", () => speed.connect(alice).topUp(1n, 10n * UNIT));
  await gas("SpeedMarket.redeem (first receipt of a seeder)", async () =>
    speed.redeem(await receipt(alice, 1n, s1!.address, 10n * MIB)),
  );
  await gas("SpeedMarket.redeem (known seeder)", async () =>
    speed.redeem(await receipt(alice, 1n, s1!.address, 20n * MIB)),
  );
  const seeders = signers.slice(10, 20);
  for (const s of seeders) await run(async () => speed.redeem(await receipt(alice, 1n, s.address, MIB)));
  const many: PackedReceipt[] = [];
  for (const s of seeders) many.push(await receipt(alice, 1n, s.address, 2n * MIB));
  await gas("SpeedMarket.redeemBatch (10 receipts, one bid)", () => speed.redeemBatch(many));
  const terms = {
    seeder: s1!.address,
    relayer: relayer!.address,
    maxFee: UNIT,
    nonce: 1n,
    deadline: BigInt(clock + 30 * DAY),
  };
  const relayed = async (bytes: bigint) =>
    speed
      .connect(relayer)
      .redeemRelayed(
        await receipt(alice, 1n, s1!.address, bytes),
        packRelay(await signRelayFeeWithEthers(s1!, pdomain, terms), UNIT / 1000n),
      );
  await gas("SpeedMarket.redeemRelayed (first)", () => relayed(30n * MIB));
  await gas("SpeedMarket.redeemRelayed (known relayer)", () => relayed(40n * MIB));
  // A bid that runs dry, is topped up, and pays what it owed.
  await run(() => speed.connect(bob).openBid(V2, 2, price, price, expiry, BigInt(DAY)));
  await run(async () => speed.redeem(await receipt(bob, 3n, s1!.address, 5n * MIB)));
  await run(() => speed.connect(bob).topUp(3n, 10n * UNIT));
  await gas("SpeedMarket.payOwed", () => speed.payOwed(3n, s1!.address));
  await gas("SpeedMarket.claim (2 bids)", () => speed.claim(s1!.address, [1n, 3n]));
  await gas("SpeedMarket.claimRelayFees", () => speed.claimRelayFees(relayer!.address, [s1!.address]));
  await gas("SpeedMarket.revokeRelay", () => speed.connect(s1).revokeRelay(relayer!.address, 2n));
  await gas("SpeedMarket.closeBid (downloader)", () => speed.connect(alice).closeBid(1n));
  await gas("SpeedMarket.refundBid", () => speed.refundBid(1n), clock + DAY + 1);
  await gas(
    "SpeedMarket.closeBid (expired: close and refund)",
    () => speed.connect(keeper).closeBid(2n),
    Number(expiry) + DAY + 1,
  );
  await gas("SpeedMarket.pruneBids (2 closed)", () => speed.connect(keeper).pruneBids(V1, 1, 10n));
  await gas("SpeedMarket.setGraceBounds", () => speed.setGraceBounds(60n, BigInt(DAY)));

  // Ownership (the same in every Ownable2Step contract).
  await gas("EscrowVault.transferOwnership", () => vault.transferOwnership(nominee!.address));
  await gas("EscrowVault.acceptOwnership", () => vault.connect(nominee).acceptOwnership());

  await connection.close?.();
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
