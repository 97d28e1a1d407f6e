// Issue 11 item 2 (registry side): `registry.setMarket(storage, false)` freezes the market's open
// deals: every call that ends a tenure or locks a successor's collateral reverts.
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

describe("attack: retiring the market in the registry freezes its open deals", () => {
  it("ATTACK (pre-fix): after setMarket(market, false) settle-with-loss, exit and finalize revert", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: CONFIG.missesToLose });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    for (let p = 0; p < CONFIG.missesToLose - 1; p++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, [1, 2, 3]);
      await settle(s, d.dealId);
    }
    await s.registry.setMarket(s.marketAddress, false);
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [1, 2, 3]);
    // Shard 0's third miss loses it: the tenure end reaches the registry and reverts.
    await expect(settle(s, d.dealId))
      .to.be.revertedWithCustomError(s.registry, "RegistryNotMarket")
      .withArgs(s.marketAddress);
    const offer = await handoverOffer(s, d, 1, 1, s.hosts[10]!);
    await expect(
      s.hosting
        .connect(s.hosts[1]!)
        .exitShard(d.dealId, await recordsOf(s, d.dealId), 1, d.roots[1]!, rootPath(d.roots, 1), offer),
    ).to.be.revertedWithCustomError(s.registry, "RegistryNotMarket");
    console.log("      pre-fix: settle (loss) and exitShard revert RegistryNotMarket; the deal is frozen");
  });
});
