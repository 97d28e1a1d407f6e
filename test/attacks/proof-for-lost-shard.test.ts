// Issue 11 item 5: proofs were accepted for LOST shards, so a repairer that joined mid-challenge
// was credited a pass (and the repair bounty) for a proof it did not make. Pre-fix (commit
// 9a47bc8) the repairer never proved, yet had passed=1 and was paid the 1.5 BTT bounty. Now a
// proof counts only for the shard's current live host and generation.
import { expect } from "chai";
import { unpackShardRecords } from "../../sdk/src/storage/records.js";
import {
  CONFIG,
  currentOf,
  deployStorage,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  settle,
  tenantRepair,
} from "../storage/fixtures.js";

describe("attack: proof for a lost shard", () => {
  it("a LOST shard's proof is refused; a mid-challenge repairer is neither credited nor paid the bounty", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 6 });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    for (let p = 0; p < CONFIG.missesToLose; p++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, [1, 2, 3]);
      await settle(s, d.dealId);
    }
    const seed = await openAndDraw(s, d.dealId);
    const p0 = proofFor(d, seed, 0);
    await expect(s.market.submitProof(d.dealId, 0, p0.root, p0.rootPath, p0.segment, p0.proof))
      .to.be.revertedWithCustomError(s.market, "StorageWrongShardState")
      .withArgs(0, true);
    await expect(
      s.market.submitProofs(d.dealId, d.roots, [{ shard: 0, segment: p0.segment, proof: p0.proof }]),
    ).to.be.revertedWithCustomError(s.market, "StorageWrongShardState");
    await proveShards(s, d, seed, [1, 2, 3]);
    const repairer = s.hosts[12]!;
    await tenantRepair(s, d, 0, await handoverOffer(s, d, 0, 1, repairer));
    // The repairer joined after the challenge opened: its tenure starts with the next period.
    await expect(s.market.submitProof(d.dealId, 0, p0.root, p0.rootPath, p0.segment, p0.proof))
      .to.be.revertedWithCustomError(s.market, "StorageShardNotDue")
      .withArgs(0);
    await expect(settle(s, d.dealId)).not.to.emit(s.market, "RepairBountyPaid");
    const rec = unpackShardRecords(await currentOf(s, d.dealId))[0]!;
    expect([rec.passed, rec.missed]).to.deep.equal([0, 0]);
    // Its own proof in its first period earns the pass and the bounty.
    const next = await openAndDraw(s, d.dealId);
    await proveShards(s, d, next, [0, 1, 2, 3]);
    await expect(settle(s, d.dealId)).to.emit(s.market, "RepairBountyPaid");
    console.log(
      "      post-fix: the lost shard's proof and the newcomer's early proof were refused; bounty only after its own proof",
    );
  });
});
