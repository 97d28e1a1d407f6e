// Issue 11 item 5: proofs are accepted for LOST shards, so a repairer that joins mid-challenge is
// credited a pass (and the repair bounty) for a proof it did not make.
import { expect } from "chai";
import { rootPath } from "../../sdk/src/storage/merkle.js";
import { unpackShardRecords } from "../../sdk/src/storage/records.js";
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

describe("attack: proof for a lost shard", () => {
  it("ATTACK (pre-fix): a proof of a LOST shard lands, then the repairer is credited pass and bounty", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 6 });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    for (let p = 0; p < CONFIG.missesToLose; p++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, [1, 2, 3]);
      await settle(s, d.dealId);
    }
    const seed = await openAndDraw(s, d.dealId);
    // Shard 0 is LOST, yet its proof is accepted.
    await proveShards(s, d, seed, [0, 1, 2, 3]);
    expect((await s.market.challenge(d.dealId)).provenMask & 1n).to.equal(1n);
    const repairer = s.hosts[12]!;
    const bounty = await s.market.repairBounty(d.dealId, 0);
    await s.hosting
      .connect(s.tenant)
      .repairShard(
        d.dealId,
        await recordsOf(s, d.dealId),
        0,
        d.roots[0]!,
        rootPath(d.roots, 0),
        await handoverOffer(s, d, 0, 1, repairer),
      );
    await expect(settle(s, d.dealId))
      .to.emit(s.market, "RepairBountyPaid")
      .withArgs(d.dealId, 0, repairer.address, bounty);
    expect(unpackShardRecords(await recordsOf(s, d.dealId))[0]!.passed).to.equal(1);
    console.log(`      pre-fix: the repairer never proved, yet passed=1 and was paid the bounty ${bounty}`);
  });
});
