// SpeedMarket branches the main suite leaves out (found by `npm run coverage`): views on unknown
// bids, the relay digest, a relayed receipt that pays nothing, and the 96-bit cap on what one
// seeder can be paid on one bid.
import { expect } from "chai";
import { TypedDataEncoder } from "ethers";
import { network } from "hardhat";
import { RELAY_FEE_TYPES } from "../../sdk/src/speed/relay.js";
import { DAY, deploySpeed, HOUR, MIB, receipt, relay, UNIT, V2_HASH } from "./fixtures.js";

const { ethers, networkHelpers } = await network.create("hardhat");
const { loadFixture, time } = networkHelpers;
const MASK_96 = (1n << 96n) - 1n;

async function bidFixture() {
  const f = await deploySpeed(ethers);
  const expiry = BigInt(await time.latest()) + 7n * DAY;
  await f.market.connect(f.alice).openBid(V2_HASH, 2, UNIT / 100n, 10n * UNIT, expiry, HOUR);
  return { ...f, expiry };
}

describe("SpeedMarket edges", () => {
  describe("views", () => {
    it("redeemableUntil reverts with SpeedUnknownBid for a bid that does not exist", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.redeemableUntil(9n))
        .to.be.revertedWithCustomError(f.market, "SpeedUnknownBid")
        .withArgs(9n);
    });

    it("relayDigest is the TIP-712 digest of RelayFee the SDK signs", async () => {
      const f = await loadFixture(bidFixture);
      const terms = {
        seeder: f.s1.address,
        relayer: f.relayer.address,
        maxFee: UNIT,
        nonce: 3n,
        deadline: 1_900_000_000n,
      };
      const digest = TypedDataEncoder.hash(f.domain, { RelayFee: [...RELAY_FEE_TYPES.RelayFee] }, terms);
      expect(
        await f.market.relayDigest(terms.seeder, terms.relayer, terms.maxFee, terms.nonce, terms.deadline),
      ).to.equal(digest);
    });
  });

  describe("redeemRelayed", () => {
    it("reverts with SpeedReceiptNotNewer for a receipt already redeemed, and charges no fee", async () => {
      const f = await loadFixture(bidFixture);
      const r = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
      await f.market.redeem(r);
      const terms = { seeder: f.s1.address, relayer: f.relayer.address, maxFee: UNIT, nonce: 1n, deadline: f.expiry };
      await expect(f.market.connect(f.relayer).redeemRelayed(r, await relay(f.s1, f.domain, terms, 1n)))
        .to.be.revertedWithCustomError(f.market, "SpeedReceiptNotNewer")
        .withArgs(1n, f.s1.address, MIB, MIB);
      expect((await f.market.relayAccount(f.s1.address, f.relayer.address)).feeTaken).to.equal(0n);
    });
  });

  describe("the 96-bit cap per seeder and bid", () => {
    it("pays at most 2**96 - 1 to one seeder on one bid; payOwed then reverts with SpeedNothingToPay", async () => {
      const f = await loadFixture(bidFixture);
      // A bid with the largest budget and price: one receipt is worth more than 2**96.
      await f.btt.connect(f.owner).mint(f.bob.address, 1n << 97n);
      await f.vault.connect(f.bob).deposit(1n << 96n);
      const expiry = BigInt(await time.latest()) + DAY;
      await f.market.connect(f.bob).openBid(V2_HASH, 2, (1n << 72n) - 1n, MASK_96, expiry, HOUR);
      const bidId = (await f.market.nextBidId()) - 1n;
      await f.market.redeem(await receipt(f.bob, f.domain, bidId, f.s2.address, 1n << 45n));
      const e = await f.market.earning(bidId, f.s2.address);
      expect(e.paid).to.equal(MASK_96);
      expect(await f.market.owed(bidId, f.s2.address)).to.be.greaterThan(0n);
      // More budget does not lift the cap: nothing can be paid past 96 bits.
      await f.market.connect(f.bob).topUp(bidId, 1n);
      await expect(f.market.payOwed(bidId, f.s2.address)).to.be.revertedWithCustomError(f.market, "SpeedNothingToPay");
      expect((await f.market.bid(bidId)).remaining).to.equal(1n);
    });
  });
});
