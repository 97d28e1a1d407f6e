// Attack (issue 11, item 10): the owner could set `minGrace` to 0. A downloader then opened a bid
// with no grace period, took a seeder's data against signed receipts, closed the bid and refunded
// it one second later: the seeder's receipt for 5 BTT could no longer be redeemed. Now grace
// bounds start at 600 seconds (constructor and setGraceBounds), so every bid gives a seeder at
// least 10 minutes after a close; bounds changed later apply to new bids only.
import { expect } from "chai";
import { network } from "hardhat";
import { DAY, deploySpeed, HOUR, MIB, receipt, UNIT, V2_HASH } from "../speed/fixtures.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

async function speed() {
  return deploySpeed(ethers);
}

const MIN_GRACE = 600n;

describe("attack: a zero grace period cancels a seeder's signed receipts", () => {
  it("grace bounds below 600 s are refused, in the constructor and in setGraceBounds", async () => {
    const f = await loadFixture(speed);
    for (const min of [0n, 1n, MIN_GRACE - 1n]) {
      await expect(f.market.connect(f.owner).setGraceBounds(min, DAY))
        .to.be.revertedWithCustomError(f.market, "SpeedInvalidGraceBounds")
        .withArgs(min, DAY);
      await expect(ethers.deployContract("SpeedMarket", [f.vaultAddress, f.owner.address, min, DAY]))
        .to.be.revertedWithCustomError(f.market, "SpeedInvalidGraceBounds")
        .withArgs(min, DAY);
    }
    await f.market.connect(f.owner).setGraceBounds(MIN_GRACE, DAY);
    const expiry = BigInt(await time.latest()) + DAY;
    await expect(f.market.connect(f.alice).openBid(V2_HASH, 2, UNIT, 10n * UNIT, expiry, 0n))
      .to.be.revertedWithCustomError(f.market, "SpeedInvalidGrace")
      .withArgs(0n, MIN_GRACE, DAY);
  });

  it("with the shortest grace, a seeder still redeems for 600 s after a close; the refund waits", async () => {
    const f = await loadFixture(speed);
    await f.market.connect(f.owner).setGraceBounds(MIN_GRACE, DAY);
    const expiry = BigInt(await time.latest()) + DAY;
    await f.market.connect(f.alice).openBid(V2_HASH, 2, UNIT, 10n * UNIT, expiry, MIN_GRACE);
    const r = await receipt(f.alice, f.domain, 1n, f.s1.address, 5n * MIB);
    await f.market.connect(f.alice).closeBid(1n);
    const until = await f.market.redeemableUntil(1n);
    await expect(f.market.connect(f.alice).refundBid(1n))
      .to.be.revertedWithCustomError(f.market, "SpeedBidNotRefundable")
      .withArgs(1n, until);
    await time.increaseTo(until - 1n);
    await f.market.redeem(r);
    await f.market.refundBid(1n);
    expect(await f.market.owed(1n, f.s1.address)).to.equal(0n);
    expect((await f.market.earning(1n, f.s1.address)).unclaimed).to.equal(5n * UNIT);
  });

  it("raising minGrace later leaves open bids' grace as signed", async () => {
    const f = await loadFixture(speed);
    const expiry = BigInt(await time.latest()) + DAY;
    await f.market.connect(f.alice).openBid(V2_HASH, 2, UNIT, 10n * UNIT, expiry, HOUR);
    await f.market.connect(f.owner).setGraceBounds(2n * HOUR, DAY);
    expect((await f.market.bid(1n)).grace).to.equal(HOUR);
  });
});
