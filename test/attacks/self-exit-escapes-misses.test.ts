// Issue 11 item 1: a host that stores nothing hands its shard to itself while a challenge is
// open; the "fresh host" grace then waived the period's miss, so it was never charged.
// Pre-fix (commit 9a47bc8) the attack went through: after 4 unproven periods host 0 still held
// the shard with missed=0, proofsMissed=0, dealsCompleted=4 and its stake untouched.
// Now: no handover to the leaving host or a host of another live shard, a leaver unproven in the
// open challenge is charged that miss, and the successor's collateral is at least the leaver's.
import { expect } from "chai";
import { rootPath } from "../../sdk/src/storage/merkle.js";
import { unpackShardRecords } from "../../sdk/src/storage/records.js";
import {
  CONFIG,
  currentOf,
  deployStorage,
  ethers,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proveShards,
  recordsOf,
  settle,
  UNIT,
} from "../storage/fixtures.js";

async function openDeal() {
  const s = await deployStorage();
  const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 4 });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  return { s, d };
}

describe("attack: self-exit escapes every miss", () => {
  it("a host cannot hand its shard to itself, nor to a host of another live shard", async () => {
    const { s, d } = await networkHelpers.loadFixture(openDeal);
    const cheat = s.hosts[0]!;
    await openAndDraw(s, d.dealId);
    const records = await recordsOf(s, d.dealId);
    for (const to of [cheat, s.hosts[1]!]) {
      const offer = await handoverOffer(s, d, 0, 1, to);
      await expect(s.hosting.connect(cheat).exitShard(d.dealId, records, 0, d.roots[0]!, rootPath(d.roots, 0), offer))
        .to.be.revertedWithCustomError(s.market, "StorageDuplicateHost")
        .withArgs(to.address);
    }
  });

  it("a leaver unproven in the open challenge is charged the miss; the successor's grace doesn't launder it", async () => {
    const { s, d } = await networkHelpers.loadFixture(openDeal);
    const cheat = s.hosts[0]!;
    const successor = s.hosts[10]!;
    const stake0 = (await s.registry.stakeOf(cheat.address)).stake;
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [1, 2, 3]);
    const cheap = await handoverOffer(s, d, 0, 1, successor, { collateral: 10n * UNIT - 1n });
    await expect(
      s.hosting
        .connect(cheat)
        .exitShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), cheap),
    )
      .to.be.revertedWithCustomError(s.market, "StorageCollateralTooLow")
      .withArgs(0, 10n * UNIT, 10n * UNIT - 1n);
    const offer = await handoverOffer(s, d, 0, 1, successor);
    await s.hosting
      .connect(cheat)
      .exitShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), offer);
    const track = await s.registry.trackRecordOf(cheat.address);
    const slash = (10n * UNIT * BigInt(CONFIG.slashBps)) / 10_000n;
    console.log(
      `      post-fix: leaver charged proofsMissed=${track.proofsMissed}, dealsLost=${track.dealsLost}, ` +
        `dealsCompleted=${track.dealsCompleted}, slashed ${stake0 - (await s.registry.stakeOf(cheat.address)).stake}`,
    );
    expect(track.proofsMissed).to.equal(1n);
    expect(track.dealsLost).to.equal(1n);
    expect(track.dealsCompleted).to.equal(0n);
    // Exactly one tenure ended, the leaver's.
    expect((await s.registry.trackRecordOf(ethers.ZeroAddress)).dealsLost).to.equal(0n);
    expect((await s.registry.stakeOf(cheat.address)).stake).to.equal(stake0 - slash);
    // The successor starts with the next period: this one is neither paid nor charged to it.
    await settle(s, d.dealId);
    const rec = unpackShardRecords(await currentOf(s, d.dealId))[0]!;
    expect(rec.host).to.equal(successor.address);
    expect(rec.start).to.equal(1);
    expect([rec.passed, rec.missed]).to.deep.equal([0, 0]);
  });

  it("a successor that leaves within the challenge it joined in answers for none of it", async () => {
    const { s, d } = await networkHelpers.loadFixture(openDeal);
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [0, 1, 2, 3]);
    const first = s.hosts[10]!;
    const exitTo = async (from: (typeof s.hosts)[number], to: (typeof s.hosts)[number], generation: number) =>
      s.hosting
        .connect(from)
        .exitShard(
          d.dealId,
          await recordsOf(s, d.dealId),
          0,
          d.roots[0]!,
          rootPath(d.roots, 0),
          await handoverOffer(s, d, 0, generation, to),
        );
    await exitTo(s.hosts[0]!, first, 1);
    await exitTo(first, s.hosts[11]!, 2);
    const track = await s.registry.trackRecordOf(first.address);
    expect([track.proofsPassed, track.proofsMissed, track.dealsCompleted]).to.deep.equal([0n, 0n, 1n]);
  });

  it("a leaver that proved the open challenge is paid for it, and leaves in good standing", async () => {
    const { s, d } = await networkHelpers.loadFixture(openDeal);
    const host = s.hosts[0]!;
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [0, 1, 2, 3]);
    const free0 = await s.vault.balanceOf(host.address);
    const offer = await handoverOffer(s, d, 0, 1, s.hosts[10]!);
    await s.hosting
      .connect(host)
      .exitShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), offer);
    const track = await s.registry.trackRecordOf(host.address);
    expect([track.proofsPassed, track.proofsMissed, track.dealsCompleted]).to.deep.equal([1n, 0n, 1n]);
    expect(await s.vault.balanceOf(host.address)).to.equal(free0 + UNIT); // one period, withheld part included
  });
});
