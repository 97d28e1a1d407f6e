// Issue 11 item 1: a host that stores nothing hands its shard to itself while a challenge is
// open; the "fresh host" grace then waives the period's miss, so it is never charged.
import { expect } from "chai";
import { rootPath } from "../../sdk/src/storage/merkle.js";
import { unpackShardRecords } from "../../sdk/src/storage/records.js";
import {
  deployStorage,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proveShards,
  recordsOf,
  settle,
} from "../storage/fixtures.js";

describe("attack: self-exit escapes every miss", () => {
  it("ATTACK (pre-fix): host 0 never proves, exits to itself each period, is never charged", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 4 });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    const cheat = s.hosts[0]!;
    const stake0 = (await s.registry.stakeOf(cheat.address)).stake;
    for (let period = 0; period < 4; period++) {
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, [1, 2, 3]);
      const offer = await handoverOffer(s, d, 0, period + 1, cheat);
      await s.hosting
        .connect(cheat)
        .exitShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rootPath(d.roots, 0), offer);
      await settle(s, d.dealId);
    }
    const rec = unpackShardRecords(await recordsOf(s, d.dealId))[0]!;
    const track = await s.registry.trackRecordOf(cheat.address);
    console.log(
      `      pre-fix: host 0 after 4 unproven periods: host=${rec.host === cheat.address}, missed=${rec.missed}, ` +
        `proofsMissed=${track.proofsMissed}, dealsCompleted=${track.dealsCompleted}, stake ${stake0} -> ${(await s.registry.stakeOf(cheat.address)).stake}`,
    );
    expect(rec.host).to.equal(cheat.address);
    expect(rec.missed).to.equal(0);
    expect(track.proofsMissed).to.equal(0n);
    expect(track.dealsCompleted).to.equal(4n);
    expect((await s.registry.stakeOf(cheat.address)).stake).to.equal(stake0);
  });
});
