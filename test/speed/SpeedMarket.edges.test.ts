// SpeedMarket branches and boundaries the main suite leaves out, found by `npm run coverage` and
// `npm run mutate`: views on unknown bids, the relay digest, a relayed receipt that pays nothing,
// the 96-bit cap per seeder and bid, fees accrued over several relayed redemptions, what a batch
// returns, and pruning at exactly maxSteps and exactly at expiry.
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

  describe("relay fees accrue", () => {
    it("two relayed redemptions under one authorisation book both fees; claimRelayFees pays their sum", async () => {
      const f = await loadFixture(bidFixture);
      const terms = { seeder: f.s1.address, relayer: f.relayer.address, maxFee: UNIT, nonce: 1n, deadline: f.expiry };
      const fees = [3n * 10n ** 14n, 5n * 10n ** 14n];
      for (const [i, fee] of fees.entries()) {
        const r = await receipt(f.alice, f.domain, 1n, f.s1.address, BigInt(i + 1) * MIB);
        await f.market.connect(f.relayer).redeemRelayed(r, await relay(f.s1, f.domain, terms, fee));
      }
      const account = await f.market.relayAccount(f.s1.address, f.relayer.address);
      expect([account.feeTaken, account.unclaimed]).to.deep.equal([fees[0]! + fees[1]!, fees[0]! + fees[1]!]);
      await expect(f.market.claimRelayFees(f.relayer.address, [f.s1.address]))
        .to.emit(f.market, "RelayFeesClaimed")
        .withArgs(f.relayer.address, fees[0]! + fees[1]!);
    });
  });

  describe("redeemBatch", () => {
    it("returns what the whole batch paid, across bids", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.bob).openBid(V2_HASH, 2, UNIT / 50n, 10n * UNIT, f.expiry, HOUR);
      const batch = [
        await receipt(f.alice, f.domain, 1n, f.s1.address, 2n * MIB),
        await receipt(f.alice, f.domain, 1n, f.s2.address, MIB),
        await receipt(f.bob, f.domain, 2n, f.s1.address, 3n * MIB),
      ];
      const total = 3n * (UNIT / 100n) + 3n * (UNIT / 50n);
      expect(await f.market.redeemBatch.staticCall(batch)).to.equal(total);
      await f.market.redeemBatch(batch);
      expect((await f.market.bid(1n)).remaining + (await f.market.bid(2n)).remaining).to.equal(20n * UNIT - total);
    });
  });

  describe("pruneBids", () => {
    it("unlinks at most maxSteps bids per call, and a bid exactly at its expiry counts as expired", async () => {
      const f = await loadFixture(bidFixture);
      const expiry = BigInt(await time.latest()) + HOUR;
      for (let i = 0; i < 4; i++) await f.market.connect(f.bob).openBid(V2_HASH, 2, 1n, UNIT, expiry, HOUR);
      // At exactly `expiry` the four new bids are expired (topUp refuses them too); bid 1 is open.
      await time.setNextBlockTimestamp(expiry);
      await expect(f.market.pruneBids(V2_HASH, 2, 3n))
        .to.emit(f.market, "BidsPruned")
        .withArgs(V2_HASH, 2, 3n);
      const [ids, next] = await f.market.openBids(V2_HASH, 2, 0n, 10n);
      expect([...ids, next]).to.deep.equal([1n, 0n]);
      // One expired bid is still linked (found by paging with steps left), and the next call takes it.
      await expect(f.market.pruneBids(V2_HASH, 2, 10n))
        .to.emit(f.market, "BidsPruned")
        .withArgs(V2_HASH, 2, 1n);
    });
  });

  describe("at exactly the expiry", () => {
    it("topUp reverts with SpeedBidNotOpen; anyone may close (the expired branch), redeemable until expiry + grace", async () => {
      const f = await loadFixture(bidFixture);
      await time.setNextBlockTimestamp(f.expiry);
      await expect(f.market.connect(f.alice).topUp(1n, UNIT))
        .to.be.revertedWithCustomError(f.market, "SpeedBidNotOpen")
        .withArgs(1n);
      // The failed call mined no block: the next one is at expiry too.
      await time.setNextBlockTimestamp(f.expiry);
      await expect(f.market.connect(f.stranger).closeBid(1n))
        .to.emit(f.market, "BidClosed")
        .withArgs(1n, f.stranger.address, f.expiry + HOUR);
    });
  });

  describe("limits, exactly", () => {
    it("refundBid at exactly the redemption deadline reverts with SpeedBidNotRefundable; one second later refunds", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.alice).closeBid(1n);
      const until = await f.market.redeemableUntil(1n);
      await time.setNextBlockTimestamp(until);
      await expect(f.market.refundBid(1n))
        .to.be.revertedWithCustomError(f.market, "SpeedBidNotRefundable")
        .withArgs(1n, until);
      await time.setNextBlockTimestamp(until + 1n);
      await expect(f.market.refundBid(1n)).to.emit(f.market, "BidRefunded");
    });

    it("openBid accepts a grace of exactly the maximum and the minimum; one beyond either reverts with SpeedInvalidGrace", async () => {
      const f = await loadFixture(bidFixture);
      const [min, max] = await f.market.graceBounds();
      for (const grace of [min, max]) await f.market.connect(f.bob).openBid(V2_HASH, 2, 1n, UNIT, f.expiry, grace);
      for (const grace of [min - 1n, max + 1n]) {
        await expect(f.market.connect(f.bob).openBid(V2_HASH, 2, 1n, UNIT, f.expiry, grace))
          .to.be.revertedWithCustomError(f.market, "SpeedInvalidGrace")
          .withArgs(grace, min, max);
      }
    });

    it("setGraceBounds accepts min = max = 600 and a max of 2**24 - 1; 2**24 reverts with SpeedInvalidGraceBounds", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.owner).setGraceBounds(600n, 600n);
      expect(await f.market.graceBounds()).to.deep.equal([600n, 600n]);
      await f.market.connect(f.owner).setGraceBounds(600n, (1n << 24n) - 1n);
      expect(await f.market.graceBounds()).to.deep.equal([600n, (1n << 24n) - 1n]);
      await expect(f.market.connect(f.owner).setGraceBounds(600n, 1n << 24n))
        .to.be.revertedWithCustomError(f.market, "SpeedInvalidGraceBounds")
        .withArgs(600n, 1n << 24n);
    });

    it("revokeRelay accepts nonce 2**32 - 1; 2**32 reverts with SpeedRelayNonceNotRaised", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.connect(f.s1).revokeRelay(f.relayer.address, 1n << 32n)).to.be.revertedWithCustomError(
        f.market,
        "SpeedRelayNonceNotRaised",
      );
      await f.market.connect(f.s1).revokeRelay(f.relayer.address, (1n << 32n) - 1n);
      expect((await f.market.relayAccount(f.s1.address, f.relayer.address)).nonce).to.equal((1n << 32n) - 1n);
    });

    it("packReceiptKey packs the largest bid id (2**40 - 1) and byte count (2**56 - 1)", async () => {
      const f = await loadFixture(bidFixture);
      const bidId = (1n << 40n) - 1n;
      const bytes = (1n << 56n) - 1n;
      const key = await f.market.packReceiptKey(bidId, f.s1.address, bytes);
      expect(key).to.equal((bidId << 216n) | (bytes << 160n) | BigInt(f.s1.address));
    });
  });

  describe("payOwed", () => {
    it("stores the earning word exactly: the recorded bytes, paid and unclaimed both raised by the payment", async () => {
      const f = await loadFixture(bidFixture);
      const price = UNIT / 100n;
      await f.market.connect(f.bob).openBid(V2_HASH, 2, price, price, f.expiry, HOUR);
      await f.market.redeem(await receipt(f.bob, f.domain, 2n, f.s1.address, 5n * MIB));
      await f.market.connect(f.bob).topUp(2n, UNIT);
      await expect(f.market.payOwed(2n, f.s1.address))
        .to.emit(f.market, "OwedPaid")
        .withArgs(2n, f.s1.address, 4n * price);
      const e = await f.market.earning(2n, f.s1.address);
      expect([e.cumulativeBytes, e.paid, e.unclaimed]).to.deep.equal([5n * MIB, 5n * price, 5n * price]);
      expect(await f.market.owed(2n, f.s1.address)).to.equal(0n);
    });
  });

  describe("reentrancy guards, behind a vault that calls back", () => {
    // The real vault never calls back; the guards are defence in depth. A hostile vault re-enters
    // `claim` from inside each guarded entry point's vault call: the guard refuses it.
    async function hostileVaultFixture() {
      const [owner, downloader, seeder] = await ethers.getSigners();
      const vault = await ethers.deployContract("MockReentrantVault");
      const market = await ethers.deployContract("SpeedMarket", [await vault.getAddress(), owner!.address, HOUR, DAY]);
      const expiry = BigInt(await time.latest()) + DAY;
      await market.connect(downloader).openBid(V2_HASH, 2, UNIT, UNIT, expiry, HOUR);
      const { chainId } = await ethers.provider.getNetwork();
      const { speedDomain } = await import("../../sdk/src/speed/receipt.js");
      const domain = speedDomain({ chainId, verifyingContract: await market.getAddress() });
      await market.redeem(await receipt(downloader!, domain, 1n, seeder!.address, MIB / 4n));
      const terms = { seeder: seeder!.address, relayer: owner!.address, maxFee: UNIT, nonce: 1n, deadline: expiry };
      await market.redeemRelayed(
        await receipt(downloader!, domain, 1n, seeder!.address, MIB / 2n),
        await relay(seeder!, domain, terms, 1n),
      );
      return { vault, market, owner: owner!, downloader: downloader!, seeder: seeder!, expiry };
    }

    const calls: [string, (x: Awaited<ReturnType<typeof hostileVaultFixture>>) => Promise<unknown>][] = [
      ["openBid", (x) => x.market.connect(x.downloader).openBid(V2_HASH, 2, UNIT, UNIT, x.expiry, HOUR)],
      ["topUp", (x) => x.market.connect(x.downloader).topUp(1n, UNIT)],
      ["claim", (x) => x.market.claim(x.seeder.address, [1n])],
      ["claimRelayFees", (x) => x.market.claimRelayFees(x.owner.address, [x.seeder.address])],
      [
        "closeBid (expired: refunds in the same call)",
        async (x) => {
          await time.increaseTo(x.expiry + HOUR + 1n);
          return x.market.closeBid(1n);
        },
      ],
      [
        "refundBid",
        async (x) => {
          await x.market.connect(x.downloader).closeBid(1n);
          await time.increase(HOUR + 1n);
          return x.market.refundBid(1n);
        },
      ],
    ];
    for (const [name, call] of calls) {
      it(`${name}: a call back into the market from the vault reverts with ReentrancyGuardReentrantCall`, async () => {
        const x = await loadFixture(hostileVaultFixture);
        await x.vault.arm(
          await x.market.getAddress(),
          x.market.interface.encodeFunctionData("claim", [x.seeder.address, [1n]]),
        );
        await expect(call(x)).to.be.revertedWithCustomError(x.market, "ReentrancyGuardReentrantCall");
      });
    }
  });
});
