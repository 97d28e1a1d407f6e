// Issue 11 item 2 (registry side): `registry.setMarket(storage, false)` froze the market's open
// deals. Pre-fix (commit 9a47bc8) a settle that lost a shard and every exitShard reverted
// RegistryNotMarket. Now unwiring retires the market: no new deals, but open deals settle,
// exit, repair and finalize.
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
  tenantRepair,
} from "../storage/fixtures.js";

describe("attack: retiring the market in the registry freezes its open deals", () => {
  it("after setMarket(market, false) open deals lose, exit, repair and finalize; new deals are refused", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const periods = CONFIG.missesToLose + 1;
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    for (let p = 0; p < CONFIG.missesToLose - 1; p++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, [1, 2, 3]);
      await settle(s, d.dealId);
    }
    await s.registry.setMarket(s.marketAddress, false);
    expect(await s.registry.isMarket(s.marketAddress)).to.equal(false);
    expect(await s.registry.isRetiredMarket(s.marketAddress)).to.equal(true);
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [1, 2, 3]);
    await expect(settle(s, d.dealId)).to.emit(s.market, "ShardLost"); // the tenure ends in the registry
    await tenantRepair(s, d, 0, await handoverOffer(s, d, 0, 1, s.hosts[11]!));
    const offer = await handoverOffer(s, d, 1, 1, s.hosts[10]!);
    await s.hosting
      .connect(s.hosts[1]!)
      .exitShard(d.dealId, await recordsOf(s, d.dealId), 1, d.roots[1]!, rootPath(d.roots, 1), offer);
    const last = await openAndDraw(s, d.dealId);
    await proveShards(s, d, last, [2, 3]);
    await settle(s, d.dealId);
    await expect(s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId))).to.emit(s.market, "DealEnded");
    expect(await s.vault.heldBy(s.marketAddress)).to.equal(0n);
    // New commitments stop.
    const next = await prepareDeal(s, { shardCount: 2, minShards: 1, shardSize: 3_000, periods: 2, hostOffset: 20 });
    await expect(s.market.connect(s.tenant).openDeal(next.params, next.roots, next.offers))
      .to.be.revertedWithCustomError(s.registry, "RegistryNotMarket")
      .withArgs(s.marketAddress);
    console.log("      post-fix: loss, repair, exit and finalize went through on a retired market; openDeal refused");
  });
});
