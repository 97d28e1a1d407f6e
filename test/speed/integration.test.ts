// A whole Speed flow: several downloaders and seeders over time, top-ups, batched receipts from
// a ReceiptBook, a close with late receipts in the grace period, the refund and the claims.
import { expect } from "chai";
import { network } from "hardhat";
import { infohashFromMagnet } from "../../sdk/src/speed/infohash.js";
import { amountPayable, signReceiptWithEthers } from "../../sdk/src/speed/receipt.js";
import { ReceiptBook } from "../../sdk/src/speed/receiptBook.js";
import { DAY, deploySpeed, HOUR, MIB, UNIT } from "./fixtures.js";

const { ethers, networkHelpers } = await network.create("hardhat");
const { time } = networkHelpers;

describe("SpeedMarket integration", () => {
  it("runs a swarm: bids, receipts over time, top-ups, close, grace, refund and claims", async () => {
    const f = await deploySpeed(ethers);
    const { market, vault, alice, bob, carol, s1, s2, s3 } = f;
    const { infohash, version } = infohashFromMagnet(
      "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=demo",
    );
    const now = BigInt(await time.latest());
    const prices = [UNIT / 100n, UNIT / 50n, UNIT / 200n];
    const downloaders = [alice, bob, carol];
    for (let i = 0; i < 3; i++)
      await market
        .connect(downloaders[i]!)
        .openBid(infohash, version, prices[i]!, i === 1 ? UNIT : 2n * UNIT, now + 2n * DAY, 6n * HOUR);
    // Best price first, as the SDK shows them.
    const [ids] = await market.openBids(infohash, version, 0n, 10n);
    const bids = await Promise.all(ids.map(async (id) => ({ id, bid: await market.bid(id) })));
    bids.sort((a, b) => (a.bid.pricePerMiB > b.bid.pricePerMiB ? -1 : 1));
    expect(bids.map((b) => b.id)).to.deep.equal([2n, 1n, 3n]);

    const books = new Map([s1, s2, s3].map((s) => [s.address, new ReceiptBook()]));
    const served = new Map<string, bigint>();
    const seeders = [s1, s2, s3];
    // Six rounds: each seeder serves each downloader some MiB; downloaders sign cumulative receipts.
    for (let round = 1; round <= 6; round++) {
      for (let d = 0; d < 3; d++) {
        for (let s = 0; s < 3; s++) {
          const key = `${d}:${s}`;
          const total = (served.get(key) ?? 0n) + BigInt((round * 7 + d * 3 + s * 5) % 11) * MIB + 1000n;
          served.set(key, total);
          const signed = await signReceiptWithEthers(downloaders[d]!, f.domain, {
            bidId: BigInt(d + 1),
            seeder: seeders[s]!.address,
            cumulativeBytes: total,
          });
          expect(books.get(seeders[s]!.address)!.add(signed)).to.equal(true);
        }
      }
      // Seeders redeem every other round; s3 lets a relayer-free batch cover everyone.
      if (round % 2 === 0) {
        for (const s of seeders.slice(0, 2)) await market.connect(s).redeemBatch(books.get(s.address)!.toBatch());
      }
      if (round === 3) await market.connect(carol).topUp(3n, UNIT);
      await time.increase(4 * 3600);
    }
    // Alice closes; s3 redeems its last receipts inside the grace period.
    await market.connect(alice).closeBid(1n);
    await time.increase(3 * 3600);
    const late = ReceiptBook.fromJSON(JSON.parse(JSON.stringify(books.get(s3.address)!.toJSON())));
    await expect(market.redeemBatch(late.toBatch())).not.to.emit(market, "ReceiptRejected");
    // After the grace, receipts on bid 1 are refused and its remainder goes back to Alice.
    await time.increase(3 * 3600 + 1);
    const remaining1 = (await market.bid(1n)).remaining;
    const before = await vault.balanceOf(alice.address);
    await market.refundBid(1n);
    expect(await vault.balanceOf(alice.address)).to.equal(before + remaining1);

    // Every seeder's payment equals the SDK's calculation of its highest receipt.
    let owedTotal = 0n;
    for (let d = 0; d < 3; d++) {
      for (let s = 0; s < 3; s++) {
        const e = await market.earning(BigInt(d + 1), seeders[s]!.address);
        expect(e.cumulativeBytes).to.equal(served.get(`${d}:${s}`));
        owedTotal += await market.owed(BigInt(d + 1), seeders[s]!.address);
        expect(e.paid).to.equal(
          amountPayable({ cumulativeBytes: e.cumulativeBytes, pricePerMiB: prices[d]!, paid: 0n, remaining: e.paid }),
        );
      }
    }
    // Bob's pricey bid ran short: what it owes stays visible and is paid after a top-up.
    expect(owedTotal > 0n).to.equal(true);
    for (const s of seeders)
      if ((await market.owed(2n, s.address)) > 0n) {
        await market.connect(bob).topUp(2n, UNIT);
        await market.payOwed(2n, s.address);
      }
    for (const s of seeders) await market.claim(s.address, [1n, 2n, 3n]);
    // Expire and refund the rest; the market's pool is then empty.
    await time.increase(2 * 86400);
    await market.connect(s1).closeBid(2n);
    await market.connect(s1).closeBid(3n);
    expect(await vault.heldBy(f.marketAddress)).to.equal(0n);
  });
});
