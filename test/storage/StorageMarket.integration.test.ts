import { expect } from "chai";
import { encodeShards } from "../../sdk/src/storage/erasure.js";
import { SHARD_FLAG_LOST, unpackShardRecords } from "../../sdk/src/storage/records.js";
import {
  CONFIG,
  currentOf,
  deployStorage,
  ethers,
  HOST_STAKE,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  recordsOf,
  type Storage,
  settle,
  tenantRepair,
  UNIT,
} from "./fixtures.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

async function snapshotBalances(s: Storage) {
  const accounts = [s.tenant.address, ...s.hosts.map((h) => h.address)];
  const free = await Promise.all(accounts.map((a) => s.vault.balanceOf(a)));
  const stakes = await Promise.all(s.hosts.map((h) => s.registry.stakeOf(h.address)));
  return { free, stakes };
}

describe("StorageMarket: a whole deal", () => {
  it("file -> 30 shards -> deal -> challenges with failures -> slashes -> repair -> end, balances exact", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    // A file erasure-coded into 10 data + 20 parity shards (sdk/src/storage/erasure.ts).
    const file = new Uint8Array(40_000).map((_, i) => (i * 131 + 7) & 0xff);
    const encoded = encodeShards(file, { dataShards: 10, parityShards: 20 });
    const d = await prepareDeal(s, { shards: encoded.shards, periods: 6, price: UNIT, collateral: 10n * UNIT });
    const escrow = 30n * UNIT * 6n;
    const before = await snapshotBalances(s);
    const tenantFree0 = await s.vault.balanceOf(s.tenant.address);

    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    expect(await s.vault.balanceOf(s.tenant.address)).to.equal(tenantFree0 - escrow);
    expect(await s.vault.heldBy(await s.market.getAddress())).to.equal(escrow);
    for (let i = 0; i < 30; i++) expect((await s.registry.stakeOf(s.hosts[i]!.address)).locked).to.equal(10n * UNIT);

    // Periods 0-2: shards 0..2 never answer; shard 3 misses once then recovers. All others prove.
    const failing = new Set([0, 1, 2]);
    for (let period = 0; period < 3; period++) {
      const seed = await openAndDraw(s, d.dealId);
      const provers = range(30).filter((i) => !failing.has(i) && !(i === 3 && period === 0));
      await proveShards(s, d, seed, provers);
      await settle(s, d.dealId);
    }
    // Three consecutive misses (missesToLose = 3): shards 0..2 are lost; their hosts were slashed
    // 3 × 10% of 10 BTT = 3 BTT each, half to the tenant, half to the shard's repair bounty.
    const records = unpackShardRecords(await currentOf(s, d.dealId));
    for (const i of [0, 1, 2]) {
      expect(records[i]!.flags & SHARD_FLAG_LOST).to.equal(SHARD_FLAG_LOST);
      expect(await s.market.repairBounty(d.dealId, i)).to.equal((3n * UNIT) / 2n);
      const stake = await s.registry.stakeOf(s.hosts[i]!.address);
      expect(stake.stake).to.equal(HOST_STAKE - 3n * UNIT);
      expect(stake.locked).to.equal(0n);
      const track = await s.registry.trackRecordOf(s.hosts[i]!.address);
      expect([track.proofsPassed, track.proofsMissed, track.dealsLost]).to.deep.equal([0n, 3n, 1n]);
    }
    expect(records[3]!.missed).to.equal(1);
    expect(records[3]!.streak).to.equal(0);

    // Repair shards 0 and 1 onto hosts 30 and 31 (cheaper: 0.5 BTT per period).
    for (const [shard, host] of [
      [0, 30],
      [1, 31],
    ] as const) {
      const offer = await handoverOffer(s, d, shard, 1, s.hosts[host]!, { price: UNIT / 2n });
      await tenantRepair(s, d, shard, offer);
    }
    // Host 4 leaves gracefully, handing shard 4 to host 32.
    const exitOffer = await handoverOffer(s, d, 4, 1, s.hosts[32]!);
    const rp4 = proofFor(d, ethers.ZeroHash, 4).rootPath;
    await s.hosting
      .connect(s.hosts[4]!)
      .exitShard(d.dealId, await recordsOf(s, d.dealId), 4, d.roots[4]!, rp4, exitOffer);
    // Host 4 served 3 periods: paid 3 BTT in full (withheld part included) and unlocked.
    expect(await s.vault.balanceOf(s.hosts[4]!.address)).to.equal(before.free[5]! + 3n * UNIT);
    expect((await s.registry.stakeOf(s.hosts[4]!.address)).locked).to.equal(0n);

    // Periods 3-5: everyone live proves (shard 2 stays lost).
    for (let period = 3; period < 6; period++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(
        s,
        d,
        seed,
        range(30).filter((i) => i !== 2),
      );
      await settle(s, d.dealId);
      if (period === 3) {
        // The repairers earned the bounty with their first passed proof.
        expect(await s.market.repairBounty(d.dealId, 0)).to.equal(0n);
        expect(await s.vault.balanceOf(s.hosts[30]!.address)).to.equal(before.free[31]! + (3n * UNIT) / 2n);
      }
    }
    // A mid-deal claim by host 10 (6 passes × 0.8 BTT regular part).
    await s.hosting.claim(d.dealId, await recordsOf(s, d.dealId), 1n << 10n);
    expect(await s.vault.balanceOf(s.hosts[10]!.address)).to.equal(before.free[11]! + (6n * UNIT * 8n) / 10n);

    await s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId));
    const deal = await s.market.deal(d.dealId);
    expect(deal.status).to.equal(2);
    expect(deal.escrow).to.equal(0n);
    // Nothing stays in the market's pool.
    expect(await s.vault.heldBy(await s.market.getAddress())).to.equal(0n);

    // Every balance, exactly.
    const after = await snapshotBalances(s);
    const hostGain = (i: number) => after.free[i + 1]! - before.free[i + 1]!;
    for (let i = 5; i < 30; i++) {
      // Full deal: 6 periods × 1 BTT; shard 3 missed one: 5 BTT and a 1 BTT slash.
      const expected = i === 3 ? 5n * UNIT : 6n * UNIT;
      expect(hostGain(i), `host ${i}`).to.equal(expected);
      expect(after.stakes[i]!.locked).to.equal(0n);
      expect(after.stakes[i]!.stake).to.equal(HOST_STAKE);
    }
    expect(hostGain(3)).to.equal(5n * UNIT);
    expect(after.stakes[3]!.stake).to.equal(HOST_STAKE - UNIT);
    for (const i of [0, 1, 2]) expect(hostGain(i)).to.equal(0n);
    expect(hostGain(4)).to.equal(3n * UNIT);
    // Repairers: 3 periods × 0.5 BTT + 1.5 BTT bounty; exit replacement: 3 × 1 BTT.
    expect(hostGain(30)).to.equal((3n * UNIT) / 2n + (3n * UNIT) / 2n);
    expect(hostGain(31)).to.equal((3n * UNIT) / 2n + (3n * UNIT) / 2n);
    expect(hostGain(32)).to.equal(3n * UNIT);
    // Tenant: escrow back minus all host pay, plus slashes (3 × 1.5 tenant share + shard 2's unused
    // 1.5 bounty + shard 3's 1 BTT slash).
    const paidHosts = range(33).reduce((sum, i) => sum + (i === 33 ? 0n : hostGain(i)), 0n) - 2n * ((3n * UNIT) / 2n);
    const tenantGain = after.free[0]! - before.free[0]!;
    expect(tenantGain).to.equal(-paidHosts + 3n * ((3n * UNIT) / 2n) + (3n * UNIT) / 2n + UNIT);
    const track = await s.registry.trackRecordOf(s.hosts[10]!.address);
    expect([track.proofsPassed, track.proofsMissed, track.dealsCompleted]).to.deep.equal([6n, 0n, 1n]);
    void CONFIG;
  });
});
