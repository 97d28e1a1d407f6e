// Issue 11 item 4: anyone may claim for any host; the claim rewrites the deal's records hash, so
// every in-flight settle, exitShard, repairShard or claim built on the old records reverts.
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
} from "../storage/fixtures.js";

describe("attack: griefing by stale records", () => {
  it("ATTACK (pre-fix): a stranger's claim makes pending settle, exit, repair and claim revert", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 6 });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    for (let p = 0; p < CONFIG.missesToLose; p++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, [1, 2, 3]);
      const c = await s.market.challenge(d.dealId);
      await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
      await s.market.settle(d.dealId, await recordsOf(s, d.dealId));
    }
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [1, 2, 3]);
    const c = await s.market.challenge(d.dealId);
    await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
    // Everyone signs their transaction against the same records...
    const pending = await recordsOf(s, d.dealId);
    const exitOffer = await handoverOffer(s, d, 2, 1, s.hosts[20]!);
    const repairOffer = await handoverOffer(s, d, 0, 1, s.hosts[21]!);
    // ...and a stranger's claim for host 1 lands first.
    await s.hosting.connect(s.stranger).claim(d.dealId, pending, 0b10n);
    await expect(s.market.connect(s.keeper).settle(d.dealId, pending))
      .to.be.revertedWithCustomError(s.market, "StorageStaleRecords")
      .withArgs(d.dealId);
    await expect(
      s.hosting.connect(s.hosts[2]!).exitShard(d.dealId, pending, 2, d.roots[2]!, rootPath(d.roots, 2), exitOffer),
    ).to.be.revertedWithCustomError(s.market, "StorageStaleRecords");
    await expect(
      s.hosting.connect(s.tenant).repairShard(d.dealId, pending, 0, d.roots[0]!, rootPath(d.roots, 0), repairOffer),
    ).to.be.revertedWithCustomError(s.market, "StorageStaleRecords");
    await expect(s.hosting.connect(s.hosts[3]!).claim(d.dealId, pending, 0b1000n)).to.be.revertedWithCustomError(
      s.market,
      "StorageStaleRecords",
    );
    console.log(
      "      pre-fix: after a stranger's claim, settle, exitShard, repairShard and claim all revert StorageStaleRecords",
    );
  });
});
