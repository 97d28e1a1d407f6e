// Issue 11 item 3: anyone could repair a lost shard to any host, with zero collateral, and the
// host that lost the shard could repair it itself and collect half of its own slash as bounty.
// Pre-fix (commit 9a47bc8) a stranger repaired shard 0 to a host with 0 free stake at collateral
// 0, and the losing host repaired its own shard and was paid a 1.5 BTT bounty. Now only the
// tenant or a party it authorised chooses; the successor locks at least the lost host's
// collateral and is neither the losing host nor a host of another live shard.
import { expect } from "chai";
import { rootPath } from "../../sdk/src/storage/merkle.js";
import { signRepairAuthorizationWithEthers, TENANT_REPAIR } from "../../sdk/src/storage/offer.js";
import {
  CONFIG,
  deployStorage,
  ethers,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proveShards,
  recordsOf,
  settle,
  tenantRepair,
  UNIT,
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
  it("a stranger cannot choose the repair host, nor can a party with an expired or forged authorisation", async () => {
    const { s, d } = await networkHelpers.loadFixture(loseShard0);
    const offer = await handoverOffer(s, d, 0, 1, s.hosts[33]!);
    const records = await recordsOf(s, d.dealId);
    const args = [d.dealId, records, 0, d.roots[0]!, rootPath(d.roots, 0), offer] as const;
    await expect(s.hosting.connect(s.stranger).repairShard(...args, TENANT_REPAIR))
      .to.be.revertedWithCustomError(s.market, "StorageNotRepairer")
      .withArgs(d.dealId, s.stranger.address);
    const now = BigInt((await ethers.provider.getBlock("latest"))!.timestamp);
    const expired = await signRepairAuthorizationWithEthers(s.tenant, s.domain, {
      dealId: d.dealId,
      repairer: s.keeper.address,
      expiry: now - 1n,
    });
    await expect(s.hosting.connect(s.keeper).repairShard(...args, expired)).to.be.revertedWithCustomError(
      s.market,
      "StorageNotRepairer",
    );
    const forKeeper = await signRepairAuthorizationWithEthers(s.tenant, s.domain, {
      dealId: d.dealId,
      repairer: s.keeper.address,
      expiry: now + 3_600n,
    });
    // Someone else's authorisation is not the stranger's.
    await expect(s.hosting.connect(s.stranger).repairShard(...args, forKeeper)).to.be.revertedWithCustomError(
      s.market,
      "StorageNotRepairer",
    );
    await expect(s.hosting.connect(s.keeper).repairShard(...args, forKeeper)).to.emit(s.market, "ShardReassigned");
  });

  it("the host that lost the shard cannot hand it over either (it would end its tenure twice)", async () => {
    const { s, d } = await networkHelpers.loadFixture(loseShard0);
    const offer = await handoverOffer(s, d, 0, 1, s.hosts[33]!);
    await expect(
      s.hosting
        .connect(s.hosts[0]!)
        .exitShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), offer),
    )
      .to.be.revertedWithCustomError(s.market, "StorageWrongShardState")
      .withArgs(0, true);
  });

  it("the successor locks at least the lost host's collateral", async () => {
    const { s, d } = await networkHelpers.loadFixture(loseShard0);
    const offer = await handoverOffer(s, d, 0, 1, s.hosts[33]!, { collateral: 0n });
    await expect(tenantRepair(s, d, 0, offer))
      .to.be.revertedWithCustomError(s.market, "StorageCollateralTooLow")
      .withArgs(0, 10n * UNIT, 0n);
  });

  it("neither the host that lost the shard nor a host of another live shard may take it", async () => {
    const { s, d } = await networkHelpers.loadFixture(loseShard0);
    for (const host of [s.hosts[0]!, s.hosts[2]!]) {
      await expect(tenantRepair(s, d, 0, await handoverOffer(s, d, 0, 1, host)))
        .to.be.revertedWithCustomError(s.market, "StorageDuplicateHost")
        .withArgs(host.address);
    }
    console.log("      post-fix: stranger, zero collateral, the losing host and a co-host are all refused");
  });
});
