// Issue 11 item 3: anyone repairs a lost shard to any host, with zero collateral; the host that
// lost the shard may repair it itself and collect half of its own slash as the repair bounty.
import { expect } from "chai";
import { rootPath } from "../../sdk/src/storage/merkle.js";
import {
  CONFIG,
  deployStorage,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proveShards,
  recordsOf,
  settle,
} from "../storage/fixtures.js";

async function loseShard0() {
  const s = await deployStorage();
  const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 6 });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  for (let p = 0; p < CONFIG.missesToLose; p++) {
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [1, 2, 3]);
    await settle(s, d.dealId);
  }
  return { s, d };
}

describe("attack: repair squatting", () => {
  it("ATTACK (pre-fix): a stranger repairs the lost shard to a zero-stake host with zero collateral", async () => {
    const { s, d } = await networkHelpers.loadFixture(loseShard0);
    const squatter = s.hosts[33]!;
    await s.registry.connect(squatter).requestUnbonding((await s.registry.stakeOf(squatter.address)).stake);
    expect(await s.registry.freeStakeOf(squatter.address)).to.equal(0n);
    const offer = await handoverOffer(s, d, 0, 1, squatter, { collateral: 0n });
    await s.hosting
      .connect(s.stranger)
      .repairShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), offer);
    const records = await recordsOf(s, d.dealId);
    expect(BigInt.asUintN(160, records[0]!)).to.equal(BigInt(squatter.address));
    expect(records[1]! >> 128n).to.equal(0n);
    console.log("      pre-fix: stranger repaired shard 0 to a host with 0 free stake at collateral 0");
  });

  it("ATTACK (pre-fix): the host that lost the shard repairs it itself and collects the bounty", async () => {
    const { s, d } = await networkHelpers.loadFixture(loseShard0);
    const loser = s.hosts[0]!;
    const bounty = await s.market.repairBounty(d.dealId, 0);
    expect(bounty).to.be.greaterThan(0n);
    const offer = await handoverOffer(s, d, 0, 1, loser);
    await s.hosting
      .connect(loser)
      .repairShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), offer);
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [0, 1, 2, 3]);
    await expect(settle(s, d.dealId))
      .to.emit(s.market, "RepairBountyPaid")
      .withArgs(d.dealId, 0, loser.address, bounty);
    console.log(`      pre-fix: the losing host repaired its own shard and was paid a bounty of ${bounty}`);
  });
});
