// Issue 11 item 4: anyone may claim for any host; the claim rewrote the deal's records hash, so
// every in-flight settle, exitShard, repairShard or claim built on the old records reverted.
// Pre-fix (commit 9a47bc8), after a stranger's claim all four reverted StorageStaleRecords. Now
// calls take the opening records, which never change, and the state lives in storage: every pair
// of these calls, prepared against the same chain state, lands in both orders.
import { expect } from "chai";
import type { ContractTransactionResponse } from "ethers";
import { rootPath } from "../../sdk/src/storage/merkle.js";
import { TENANT_REPAIR } from "../../sdk/src/storage/offer.js";
import {
  CONFIG,
  deployStorage,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proveShards,
  recordsOf,
  type Storage,
} from "../storage/fixtures.js";

/** A deal where all four calls are valid at once: shard 0 lost, a challenge past its deadline. */
async function busyDeal() {
  const s = await deployStorage();
  const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 6 });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  const expire = async () => {
    const c = await s.market.challenge(d.dealId);
    await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
  };
  for (let p = 0; p < CONFIG.missesToLose; p++) {
    const seed = await openAndDraw(s, d.dealId);
    await proveShards(s, d, seed, [1, 2, 3]);
    await expire();
    await s.market.settle(d.dealId, await recordsOf(s, d.dealId));
  }
  const seed = await openAndDraw(s, d.dealId);
  await proveShards(s, d, seed, [1, 2, 3]);
  await expire();
  // Everyone prepares their transaction against this state.
  const records = await recordsOf(s, d.dealId);
  const exitOffer = await handoverOffer(s, d, 2, 1, s.hosts[20]!);
  const repairOffer = await handoverOffer(s, d, 0, 1, s.hosts[21]!);
  const calls: Record<string, (s: Storage) => Promise<ContractTransactionResponse>> = {
    settle: (x) => x.market.connect(x.keeper).settle(d.dealId, records),
    repairShard: (x) =>
      x.hosting
        .connect(x.tenant)
        .repairShard(d.dealId, records, 0, d.roots[0]!, rootPath(d.roots, 0), repairOffer, TENANT_REPAIR),
    exitShard: (x) =>
      x.hosting.connect(x.hosts[2]!).exitShard(d.dealId, records, 2, d.roots[2]!, rootPath(d.roots, 2), exitOffer),
    "claim (a stranger, for host 1)": (x) => x.hosting.connect(x.stranger).claim(d.dealId, records, 0b10n),
    "claim (host 3)": (x) => x.hosting.connect(x.hosts[3]!).claim(d.dealId, records, 0b1000n),
  };
  return { s, calls };
}

describe("attack: griefing by stale records", () => {
  it("every pair of settle, repairShard, exitShard and claim lands in both orders", async () => {
    const { s, calls } = await networkHelpers.loadFixture(busyDeal);
    const names = Object.keys(calls);
    let pairs = 0;
    for (const first of names) {
      for (const second of names) {
        if (first === second) continue;
        const snapshot = await networkHelpers.takeSnapshot();
        // A revert rejects the promise and fails the test with the reason.
        await (await calls[first]!(s)).wait();
        await (await calls[second]!(s)).wait();
        await snapshot.restore();
        pairs++;
      }
    }
    expect(pairs).to.equal(20);
    console.log(`      post-fix: ${pairs} ordered pairs, every second call still landed`);
  });
});
