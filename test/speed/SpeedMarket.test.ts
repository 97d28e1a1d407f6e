import { anyValue } from "@nomicfoundation/hardhat-ethers-chai-matchers/withArgs";
import { expect } from "chai";
import { Signature } from "ethers";
import { network } from "hardhat";
import { TronWeb } from "tronweb";
import {
  amountPayable,
  packReceipt,
  signReceiptWithTronWeb,
  speedDomain,
  unpackRedemption,
} from "../../sdk/src/speed/receipt.js";
import { packRelay, signRelayFeeWithTronWeb } from "../../sdk/src/speed/relay.js";
import { DAY, deploySpeed, HOUR, MIB, receipt, redeemed, relay, UNIT, V1_HASH, V2_HASH } from "./fixtures.js";

const { ethers, networkHelpers } = await network.create("hardhat");
const { loadFixture, time } = networkHelpers;
const PRICE = UNIT / 100n; // 0.01 BTT per MiB
const BUDGET = 100n * UNIT;
/** Hardhat's default account #1 (alice), for TronWeb signing. */
const ALICE_KEY = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d";
const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

const base = () => deploySpeed(ethers);

/** Alice has bid 1 on a v1 infohash, 7 days, grace 1 day. */
async function bidFixture() {
  const f = await base();
  const expiry = BigInt(await time.latest()) + 7n * DAY;
  await f.market.connect(f.alice).openBid(V1_HASH, 1, PRICE, BUDGET, expiry, DAY);
  return { ...f, expiry, bidId: 1n };
}

describe("SpeedMarket", () => {
  describe("openBid", () => {
    it("stores the bid, commits the budget and emits BidOpened", async () => {
      const f = await loadFixture(base);
      const expiry = BigInt(await time.latest()) + DAY;
      await expect(f.market.connect(f.alice).openBid(V1_HASH, 1, PRICE, BUDGET, expiry, HOUR))
        .to.emit(f.market, "BidOpened")
        .withArgs(1n, V1_HASH, f.alice.address, 1, PRICE, BUDGET, expiry, HOUR)
        .and.to.emit(f.vault, "Committed")
        .withArgs(f.marketAddress, f.alice.address, BUDGET);
      const b = await f.market.bid(1n);
      expect([
        b.downloader,
        b.pricePerMiB,
        b.grace,
        b.remaining,
        b.expiry,
        b.closedUntil,
        b.version,
        b.refunded,
        b.next,
      ]).to.deep.equal([f.alice.address, PRICE, HOUR, BUDGET, expiry, 0n, 1n, false, 0n]);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(1_000n * UNIT - BUDGET);
      expect(await f.vault.heldBy(f.marketAddress)).to.equal(BUDGET);
      expect(await f.market.nextBidId()).to.equal(2n);
    });

    it("keeps v1 and v2 infohashes with the same bytes in separate lists", async () => {
      const f = await loadFixture(base);
      const expiry = BigInt(await time.latest()) + DAY;
      await f.market.connect(f.alice).openBid(V1_HASH, 1, PRICE, UNIT, expiry, HOUR);
      await f.market.connect(f.bob).openBid(V1_HASH, 2, PRICE, UNIT, expiry, HOUR);
      await f.market.connect(f.carol).openBid(V1_HASH, 1, PRICE * 2n, UNIT, expiry, HOUR);
      expect((await f.market.openBids(V1_HASH, 1, 0n, 10n))[0]).to.deep.equal([3n, 1n]);
      expect((await f.market.openBids(V1_HASH, 2, 0n, 10n))[0]).to.deep.equal([2n]);
    });

    for (const [label, hash, version] of [
      ["a zero infohash", ethers.ZeroHash, 1],
      ["version 3", V2_HASH, 3],
      ["a v1 infohash with non-zero low bytes", V2_HASH, 1],
    ] as const) {
      it(`reverts with SpeedInvalidInfohash for ${label}`, async () => {
        const f = await loadFixture(base);
        const expiry = BigInt(await time.latest()) + DAY;
        await expect(f.market.connect(f.alice).openBid(hash, version, PRICE, UNIT, expiry, HOUR))
          .to.be.revertedWithCustomError(f.market, "SpeedInvalidInfohash")
          .withArgs(hash, version);
      });
    }

    it("reverts with SpeedInvalidPrice for zero or a price above 72 bits", async () => {
      const f = await loadFixture(base);
      const expiry = BigInt(await time.latest()) + DAY;
      for (const price of [0n, 1n << 72n]) {
        await expect(f.market.connect(f.alice).openBid(V2_HASH, 2, price, UNIT, expiry, HOUR))
          .to.be.revertedWithCustomError(f.market, "SpeedInvalidPrice")
          .withArgs(price);
      }
    });

    it("reverts with SpeedInvalidAmount for a zero budget or one above 96 bits", async () => {
      const f = await loadFixture(base);
      const expiry = BigInt(await time.latest()) + DAY;
      for (const budget of [0n, 1n << 96n]) {
        await expect(f.market.connect(f.alice).openBid(V2_HASH, 2, PRICE, budget, expiry, HOUR))
          .to.be.revertedWithCustomError(f.market, "SpeedInvalidAmount")
          .withArgs(budget);
      }
    });

    it("reverts with SpeedInvalidExpiry for a past expiry or one beyond 32 bits", async () => {
      const f = await loadFixture(base);
      const now = BigInt(await time.latest());
      for (const expiry of [now, 1n << 32n]) {
        await expect(f.market.connect(f.alice).openBid(V2_HASH, 2, PRICE, UNIT, expiry, HOUR))
          .to.be.revertedWithCustomError(f.market, "SpeedInvalidExpiry")
          .withArgs(expiry);
      }
    });

    it("reverts with SpeedInvalidGrace outside the owner's bounds", async () => {
      const f = await loadFixture(base);
      const expiry = BigInt(await time.latest()) + DAY;
      for (const grace of [HOUR - 1n, 30n * DAY + 1n]) {
        await expect(f.market.connect(f.alice).openBid(V2_HASH, 2, PRICE, UNIT, expiry, grace))
          .to.be.revertedWithCustomError(f.market, "SpeedInvalidGrace")
          .withArgs(grace, HOUR, 30n * DAY);
      }
    });

    it("reverts in the vault when the downloader has not approved the market, or while paused", async () => {
      const f = await loadFixture(base);
      const expiry = BigInt(await time.latest()) + DAY;
      await f.vault.connect(f.alice).setMarketApproval(f.marketAddress, false);
      await expect(
        f.market.connect(f.alice).openBid(V2_HASH, 2, PRICE, UNIT, expiry, HOUR),
      ).to.be.revertedWithCustomError(f.vault, "VaultMarketNotApproved");
      await f.vault.connect(f.owner).pause();
      await expect(
        f.market.connect(f.bob).openBid(V2_HASH, 2, PRICE, UNIT, expiry, HOUR),
      ).to.be.revertedWithCustomError(f.vault, "EnforcedPause");
    });
  });

  describe("topUp", () => {
    it("adds budget from the downloader and emits BidToppedUp", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.connect(f.alice).topUp(1n, UNIT))
        .to.emit(f.market, "BidToppedUp")
        .withArgs(1n, UNIT, BUDGET + UNIT);
      expect((await f.market.bid(1n)).remaining).to.equal(BUDGET + UNIT);
      expect(await f.vault.heldBy(f.marketAddress)).to.equal(BUDGET + UNIT);
    });

    it("reverts with SpeedNotDownloader for anyone else", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.connect(f.bob).topUp(1n, UNIT))
        .to.be.revertedWithCustomError(f.market, "SpeedNotDownloader")
        .withArgs(1n, f.bob.address);
    });

    it("reverts with SpeedBidNotOpen once closed or expired", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.alice).openBid(V1_HASH, 1, PRICE, UNIT, f.expiry, DAY);
      await f.market.connect(f.alice).closeBid(1n);
      await expect(f.market.connect(f.alice).topUp(1n, UNIT))
        .to.be.revertedWithCustomError(f.market, "SpeedBidNotOpen")
        .withArgs(1n);
      await time.increaseTo(f.expiry);
      await expect(f.market.connect(f.alice).topUp(2n, UNIT))
        .to.be.revertedWithCustomError(f.market, "SpeedBidNotOpen")
        .withArgs(2n);
    });

    it("reverts with SpeedInvalidAmount for zero, and SpeedUnknownBid for a missing bid", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.connect(f.alice).topUp(1n, 0n)).to.be.revertedWithCustomError(
        f.market,
        "SpeedInvalidAmount",
      );
      await expect(f.market.connect(f.alice).topUp(9n, UNIT))
        .to.be.revertedWithCustomError(f.market, "SpeedUnknownBid")
        .withArgs(9n);
    });
  });

  describe("closeBid and refundBid", () => {
    it("starts the grace period when the downloader closes; receipts stay redeemable in it", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.alice).closeBid(1n);
      const closedAt = BigInt(await time.latest());
      expect(await f.market.redeemableUntil(1n)).to.equal(closedAt + DAY);
      expect((await f.market.openBids(V1_HASH, 1, 0n, 10n))[0]).to.deep.equal([]);
      await expect(f.market.refundBid(1n))
        .to.be.revertedWithCustomError(f.market, "SpeedBidNotRefundable")
        .withArgs(1n, closedAt + DAY);
      const last = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
      await time.setNextBlockTimestamp(closedAt + DAY);
      await expect(f.market.redeem(last)).to.emit(f.market, "ReceiptRedeemed");
      await expect(f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, 2n * MIB)))
        .to.be.revertedWithCustomError(f.market, "SpeedBidNotRedeemable")
        .withArgs(1n, closedAt + DAY);
      await expect(f.market.connect(f.stranger).refundBid(1n))
        .to.emit(f.market, "BidRefunded")
        .withArgs(1n, f.alice.address, BUDGET - PRICE)
        .and.to.emit(f.vault, "Released")
        .withArgs(f.marketAddress, f.alice.address, BUDGET - PRICE);
      await expect(f.market.refundBid(1n)).to.be.revertedWithCustomError(f.market, "SpeedBidNotRefundable");
    });

    it("reverts with SpeedNotDownloader when anyone else closes an unexpired bid", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.connect(f.bob).closeBid(1n))
        .to.be.revertedWithCustomError(f.market, "SpeedNotDownloader")
        .withArgs(1n, f.bob.address);
    });

    it("lets anyone close an expired bid, keeping the grace from the expiry", async () => {
      const f = await loadFixture(bidFixture);
      await time.increaseTo(f.expiry);
      await expect(f.market.connect(f.bob).closeBid(1n))
        .to.emit(f.market, "BidClosed")
        .withArgs(1n, f.bob.address, f.expiry + DAY);
      await expect(f.market.connect(f.alice).closeBid(1n)).to.be.revertedWithCustomError(f.market, "SpeedBidNotOpen");
    });

    it("closes and refunds in one call once the grace after the expiry has passed", async () => {
      const f = await loadFixture(bidFixture);
      await time.increaseTo(f.expiry + DAY + 1n);
      await expect(f.market.connect(f.bob).closeBid(1n))
        .to.emit(f.market, "BidClosed")
        .and.to.emit(f.market, "BidRefunded")
        .withArgs(1n, f.alice.address, BUDGET);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(1_000n * UNIT);
      expect((await f.market.bid(1n)).refunded).to.equal(true);
    });

    it("refunds an expired bid that nobody closed, marking it closed", async () => {
      const f = await loadFixture(bidFixture);
      await time.increaseTo(f.expiry + DAY + 1n);
      await expect(f.market.refundBid(1n)).to.emit(f.market, "BidClosed").and.to.emit(f.market, "BidRefunded");
      expect((await f.market.bid(1n)).closedUntil).to.equal(f.expiry + DAY);
    });

    it("refunds nothing (no vault call) when the budget was spent", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, 100_000n * MIB));
      await time.increaseTo(f.expiry + DAY + 1n);
      await expect(f.market.refundBid(1n))
        .to.emit(f.market, "BidRefunded")
        .withArgs(1n, f.alice.address, 0n)
        .and.not.to.emit(f.vault, "Released");
    });
  });

  describe("redeem", () => {
    it("pays cumulativeBytes * price / 2^20 minus what was redeemed, into unclaimed earnings", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, 3n * MIB)))
        .to.emit(f.market, "ReceiptRedeemed")
        .withArgs(f.s1.address, redeemed(1n, 3n * MIB, 3n * PRICE));
      await expect(
        f.market.connect(f.stranger).redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, 5n * MIB + 1234n)),
      )
        .to.emit(f.market, "ReceiptRedeemed")
        .withArgs(f.s1.address, redeemed(1n, 5n * MIB + 1234n, ((5n * MIB + 1234n) * PRICE) / MIB - 3n * PRICE));
      const e = await f.market.earning(1n, f.s1.address);
      const paid = ((5n * MIB + 1234n) * PRICE) >> 20n;
      expect([e.cumulativeBytes, e.paid, e.unclaimed]).to.deep.equal([5n * MIB + 1234n, paid, paid]);
      expect((await f.market.bid(1n)).remaining).to.equal(BUDGET - paid);
    });

    it("caps a payment at the budget left, keeps the rest owed, and payOwed pays it after a top-up", async () => {
      const f = await loadFixture(bidFixture);
      const bytes = 12_000n * MIB; // worth 120 BTT against a 100 BTT budget
      await expect(f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, bytes)))
        .to.emit(f.market, "ReceiptRedeemed")
        .withArgs(f.s1.address, redeemed(1n, bytes, BUDGET));
      expect(await f.market.owed(1n, f.s1.address)).to.equal(20n * UNIT);
      // With the budget spent, a newer receipt is recorded but pays nothing.
      await expect(f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, bytes + MIB)))
        .to.emit(f.market, "ReceiptRedeemed")
        .withArgs(f.s1.address, redeemed(1n, bytes + MIB, 0n));
      await expect(f.market.payOwed(1n, f.s1.address)).to.be.revertedWithCustomError(f.market, "SpeedNothingToPay");
      await f.market.connect(f.alice).topUp(1n, 50n * UNIT);
      await expect(f.market.payOwed(1n, f.s1.address))
        .to.emit(f.market, "OwedPaid")
        .withArgs(1n, f.s1.address, 20n * UNIT + PRICE);
      expect(await f.market.owed(1n, f.s1.address)).to.equal(0n);
      expect((await f.market.bid(1n)).remaining).to.equal(30n * UNIT - PRICE);
    });

    it("reverts with SpeedUnknownBid for a bid that does not exist", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.redeem(await receipt(f.alice, f.domain, 7n, f.s1.address, MIB)))
        .to.be.revertedWithCustomError(f.market, "SpeedUnknownBid")
        .withArgs(7n);
    });

    it("reverts with SpeedZeroSeeder for a receipt naming the zero address", async () => {
      const f = await loadFixture(bidFixture);
      await expect(f.market.redeem(await receipt(f.alice, f.domain, 1n, ethers.ZeroAddress, MIB)))
        .to.be.revertedWithCustomError(f.market, "SpeedZeroSeeder")
        .withArgs(1n);
    });

    describe("replay matrix: a specific error and no payment", () => {
      async function expectNoPayment(
        f: Awaited<ReturnType<typeof bidFixture>>,
        tx: () => Promise<unknown>,
        error: string,
      ) {
        const held = await f.vault.heldBy(f.marketAddress);
        const before = await f.market.earning(1n, f.s1.address);
        const remaining = (await f.market.bid(1n)).remaining;
        await expect(tx()).to.be.revertedWithCustomError(f.market, error);
        expect(await f.market.earning(1n, f.s1.address)).to.deep.equal(before);
        expect((await f.market.bid(1n)).remaining).to.equal(remaining);
        expect(await f.vault.heldBy(f.marketAddress)).to.equal(held);
      }

      it("the same receipt twice: SpeedReceiptNotNewer", async () => {
        const f = await loadFixture(bidFixture);
        const r = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
        await f.market.redeem(r);
        await expectNoPayment(f, async () => f.market.redeem(r), "SpeedReceiptNotNewer");
        await expect(f.market.redeem(r))
          .to.be.revertedWithCustomError(f.market, "SpeedReceiptNotNewer")
          .withArgs(1n, f.s1.address, MIB, MIB);
        const older = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB - 1n);
        await expectNoPayment(f, async () => f.market.redeem(older), "SpeedReceiptNotNewer");
      });

      it("a receipt of another bid of the same downloader: SpeedWrongSigner", async () => {
        const f = await loadFixture(bidFixture);
        await f.market.connect(f.alice).openBid(V1_HASH, 1, PRICE, BUDGET, f.expiry, DAY);
        const other = await receipt(f.alice, f.domain, 2n, f.s1.address, MIB);
        const forged = { ...other, key: (1n << 216n) | (other.key & ((1n << 216n) - 1n)) };
        await expectNoPayment(f, async () => f.market.redeem(forged), "SpeedWrongSigner");
      });

      it("a receipt signed for another contract: SpeedWrongSigner", async () => {
        const f = await loadFixture(bidFixture);
        const domain = speedDomain({ chainId: f.chainId, verifyingContract: f.vaultAddress });
        await expectNoPayment(
          f,
          async () => f.market.redeem(await receipt(f.alice, domain, 1n, f.s1.address, MIB)),
          "SpeedWrongSigner",
        );
      });

      it("a receipt signed for another chain id: SpeedWrongSigner", async () => {
        const f = await loadFixture(bidFixture);
        const domain = speedDomain({ chainId: 728126428n, verifyingContract: f.marketAddress });
        await expectNoPayment(
          f,
          async () => f.market.redeem(await receipt(f.alice, domain, 1n, f.s1.address, MIB)),
          "SpeedWrongSigner",
        );
      });

      it("a receipt signed by someone other than the downloader: SpeedWrongSigner with the signer", async () => {
        const f = await loadFixture(bidFixture);
        const r = await receipt(f.bob, f.domain, 1n, f.s1.address, MIB);
        await expectNoPayment(f, async () => f.market.redeem(r), "SpeedWrongSigner");
        await expect(f.market.redeem(r))
          .to.be.revertedWithCustomError(f.market, "SpeedWrongSigner")
          .withArgs(1n, f.bob.address, f.alice.address);
      });

      it("a malleable (high-s) signature: SpeedMalleableSignature", async () => {
        const f = await loadFixture(bidFixture);
        const good = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
        // s in (n/2, 2^255): the only high-s values the compact form can carry.
        const highS = N / 2n + 1n;
        const bad = { ...good, vs: ethers.toBeHex(highS, 32) };
        await expectNoPayment(f, async () => f.market.redeem(bad), "SpeedMalleableSignature");
        // The high-s twin of a valid signature (n - s, flipped v) has bit 255 set in s, so it
        // cannot be encoded compactly: squeezed in, it recovers someone else.
        const sig = Signature.from(good.vs.length ? { r: good.r, yParityAndS: good.vs } : "0x");
        const twinS = N - BigInt(sig.s);
        const twinVs = ethers.toBeHex((twinS & ((1n << 255n) - 1n)) | (BigInt(1 - sig.yParity) << 255n), 32);
        await expectNoPayment(
          f,
          async () => f.market.redeem({ ...good, vs: twinVs }),
          twinS >= 1n << 255n ? "SpeedWrongSigner" : "SpeedMalleableSignature",
        );
      });

      it("a malformed signature (unrecoverable): SpeedWrongSigner with signer 0", async () => {
        const f = await loadFixture(bidFixture);
        const good = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
        await expect(f.market.redeem({ ...good, r: ethers.ZeroHash }))
          .to.be.revertedWithCustomError(f.market, "SpeedWrongSigner")
          .withArgs(1n, ethers.ZeroAddress, f.alice.address);
      });
    });

    it("verifies TronWeb-made and ethers-made signatures alike", async () => {
      const f = await loadFixture(bidFixture);
      const tronWeb = new TronWeb({ fullHost: "http://127.0.0.1:1", privateKey: ALICE_KEY });
      expect(tronWeb.address.fromPrivateKey(ALICE_KEY)).to.equal(
        TronWeb.address.fromHex(`41${f.alice.address.slice(2)}`),
      );
      const viaTron = await signReceiptWithTronWeb(tronWeb, f.domain, {
        bidId: 1n,
        seeder: TronWeb.address.fromHex(`41${f.s1.address.slice(2)}`),
        cumulativeBytes: MIB,
      });
      await expect(f.market.redeem(packReceipt(viaTron)))
        .to.emit(f.market, "ReceiptRedeemed")
        .withArgs(f.s1.address, redeemed(1n, MIB, PRICE));
      const viaEthers = await receipt(f.alice, f.domain, 1n, f.s1.address, 2n * MIB);
      await expect(f.market.redeem(viaEthers))
        .to.emit(f.market, "ReceiptRedeemed")
        .withArgs(f.s1.address, redeemed(1n, 2n * MIB, PRICE));
      // The same receipt signed both ways is the same signature (RFC 6979).
      const sameTron = await signReceiptWithTronWeb(tronWeb, f.domain, {
        bidId: 1n,
        seeder: f.s2.address,
        cumulativeBytes: MIB,
      });
      const sameEthers = packReceipt({
        bidId: 1n,
        seeder: f.s2.address,
        cumulativeBytes: MIB,
        signature: sameTron.signature,
      });
      expect(packReceipt(sameTron)).to.deep.equal(sameEthers);
      expect(await f.market.receiptDigest(1n, f.s2.address, MIB)).to.equal(
        ethers.TypedDataEncoder.hash(
          f.domain,
          {
            Receipt: [
              { name: "bidId", type: "uint256" },
              { name: "seeder", type: "address" },
              { name: "cumulativeBytes", type: "uint256" },
            ],
          },
          { bidId: 1n, seeder: f.s2.address, cumulativeBytes: MIB },
        ),
      );
    });
  });

  describe("redeemBatch", () => {
    it("pays the good receipts and reports each bad one with its reason", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.bob).openBid(V2_HASH, 2, PRICE * 2n, BUDGET, f.expiry, HOUR);
      await f.market.connect(f.carol).openBid(V2_HASH, 2, PRICE, BUDGET, f.expiry, HOUR);
      await f.market.connect(f.carol).closeBid(3n);
      await time.increase(HOUR + 1n);
      const good1 = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
      const batch = [
        good1,
        await receipt(f.alice, f.domain, 1n, f.s2.address, 2n * MIB),
        good1, // NotNewer
        await receipt(f.bob, f.domain, 1n, f.s3.address, MIB), // WrongSigner
        await receipt(f.bob, f.domain, 2n, f.s1.address, MIB),
        await receipt(f.carol, f.domain, 3n, f.s1.address, MIB), // NotRedeemable
        await receipt(f.alice, f.domain, 9n, f.s1.address, MIB), // UnknownBid
        { ...(await receipt(f.bob, f.domain, 2n, f.s2.address, MIB)), vs: ethers.toBeHex(N / 2n + 1n, 32) }, // Malleable
        await receipt(f.bob, f.domain, 2n, ethers.ZeroAddress, MIB), // ZeroSeeder
      ];
      const total = PRICE + 2n * PRICE + 2n * PRICE;
      expect(await f.market.redeemBatch.staticCall(batch)).to.equal(total);
      const tx = f.market.redeemBatch(batch);
      await expect(tx).to.emit(f.market, "ReceiptRejected").withArgs(1n, f.s1.address, MIB, 3);
      await expect(tx).to.emit(f.market, "ReceiptRejected").withArgs(1n, f.s3.address, MIB, 4);
      await expect(tx).to.emit(f.market, "ReceiptRejected").withArgs(3n, f.s1.address, MIB, 2);
      await expect(tx).to.emit(f.market, "ReceiptRejected").withArgs(9n, f.s1.address, MIB, 1);
      await expect(tx).to.emit(f.market, "ReceiptRejected").withArgs(2n, f.s2.address, MIB, 5);
      await expect(tx).to.emit(f.market, "ReceiptRejected").withArgs(2n, ethers.ZeroAddress, MIB, 6);
      // Every receipt is reported by one event, in order; a redemption's word unpacks to its receipt.
      const logs = (await (await tx).wait())!.logs.map((l) => f.market.interface.parseLog(l)!);
      const redeemed_ = "ReceiptRedeemed";
      const rejected = "ReceiptRejected";
      expect(logs.map((l) => l.name)).to.deep.equal([
        redeemed_,
        redeemed_,
        rejected,
        rejected,
        redeemed_,
        rejected,
        rejected,
        rejected,
        rejected,
      ]);
      const paid = logs
        .filter((l) => l.name === redeemed_)
        .map((l) => ({ seeder: l.args.seeder, ...unpackRedemption(l.args.redemption) }));
      expect(paid).to.deep.equal([
        { seeder: f.s1.address, bidId: 1n, cumulativeBytes: MIB, amount: PRICE },
        { seeder: f.s2.address, bidId: 1n, cumulativeBytes: 2n * MIB, amount: 2n * PRICE },
        { seeder: f.s1.address, bidId: 2n, cumulativeBytes: MIB, amount: 2n * PRICE },
      ]);
      // Indexers filter redemptions by seeder.
      const ofS1 = await f.market.queryFilter(f.market.filters.ReceiptRedeemed(f.s1.address));
      expect(ofS1.map((e) => unpackRedemption(f.market.interface.parseLog(e)!.args.redemption).bidId)).to.deep.equal([
        1n,
        2n,
      ]);
      expect((await f.market.bid(1n)).remaining).to.equal(BUDGET - 3n * PRICE);
      expect((await f.market.bid(2n)).remaining).to.equal(BUDGET - 2n * PRICE);
      expect(await f.vault.heldBy(f.marketAddress)).to.equal(3n * BUDGET);
    });

    it("handles several receipts of one seeder on one bid in order, and an empty batch", async () => {
      const f = await loadFixture(bidFixture);
      const batch = [1n, 2n, 3n].map((k) => receipt(f.alice, f.domain, 1n, f.s1.address, k * MIB));
      await f.market.redeemBatch(await Promise.all(batch));
      expect((await f.market.earning(1n, f.s1.address)).paid).to.equal(3n * PRICE);
      expect(await f.market.redeemBatch.staticCall([])).to.equal(0n);
    });

    it("records and reports exactly what single redemptions would, across interleaved bids and a spent budget", async () => {
      async function run(batched: boolean) {
        const f = await loadFixture(bidFixture);
        await f.market.connect(f.bob).openBid(V2_HASH, 2, PRICE * 3n, BUDGET, f.expiry, HOUR);
        const receipts = [
          await receipt(f.alice, f.domain, 1n, f.s1.address, 3n * MIB + 7n),
          await receipt(f.bob, f.domain, 2n, f.s1.address, MIB),
          await receipt(f.alice, f.domain, 1n, f.s2.address, 9_000n * MIB), // 90 of the 100 BTT
          await receipt(f.alice, f.domain, 1n, f.s1.address, 2_000n * MIB), // capped: the budget runs out
          await receipt(f.alice, f.domain, 1n, f.s2.address, 9_001n * MIB), // recorded, pays 0
          await receipt(f.bob, f.domain, 2n, f.s2.address, 5n * MIB),
          await receipt(f.bob, f.domain, 2n, f.s1.address, 4n * MIB),
        ];
        const txs = batched ? [await f.market.redeemBatch(receipts)] : [];
        if (!batched) for (const r of receipts) txs.push(await f.market.redeem(r));
        const words: bigint[] = [];
        for (const tx of txs) {
          for (const log of (await tx.wait())!.logs) {
            const e = f.market.interface.parseLog(log)!;
            expect(e.name).to.equal("ReceiptRedeemed");
            words.push(e.args.redemption, BigInt(e.args.seeder));
          }
        }
        const state: bigint[] = [];
        for (const bidId of [1n, 2n]) {
          state.push((await f.market.bid(bidId)).remaining);
          for (const s of [f.s1, f.s2]) state.push(...(await f.market.earning(bidId, s.address)));
        }
        return { words, state };
      }
      const single = await run(false);
      expect(await run(true)).to.deep.equal(single);
      expect(single.state[0]).to.equal(0n); // bid 1's budget is spent
      expect(unpackRedemption(single.words[8]!).amount).to.equal(0n); // and the last receipt on it paid 0
    });
  });

  describe("redeemRelayed", () => {
    async function relayFixture() {
      const f = await bidFixture();
      const deadline = BigInt(await time.latest()) + DAY;
      const terms = { seeder: f.s1.address, relayer: f.relayer.address, maxFee: PRICE, nonce: 1n, deadline };
      return { ...f, deadline, terms };
    }

    it("pays the seeder minus the fee and books the fee to the relayer", async () => {
      const f = await loadFixture(relayFixture);
      const fee = PRICE / 4n;
      await expect(
        f.market
          .connect(f.relayer)
          .redeemRelayed(
            await receipt(f.alice, f.domain, 1n, f.s1.address, 4n * MIB),
            await relay(f.s1, f.domain, f.terms, fee),
          ),
      )
        .to.emit(f.market, "ReceiptRelayed")
        .withArgs(1n, f.s1.address, f.relayer.address, 4n * MIB, 4n * PRICE, fee);
      expect((await f.market.earning(1n, f.s1.address)).unclaimed).to.equal(4n * PRICE - fee);
      const acc = await f.market.relayAccount(f.s1.address, f.relayer.address);
      expect([acc.nonce, acc.feeTaken, acc.unclaimed]).to.deep.equal([1n, fee, fee]);
      await expect(f.market.claimRelayFees(f.relayer.address, [f.s1.address]))
        .to.emit(f.market, "RelayFeesClaimed")
        .withArgs(f.relayer.address, fee);
      expect(await f.vault.balanceOf(f.relayer.address)).to.equal(fee);
    });

    it("caps the fee at what the receipt paid", async () => {
      const f = await loadFixture(relayFixture);
      const r = await f.market
        .connect(f.relayer)
        .redeemRelayed.staticCall(
          await receipt(f.alice, f.domain, 1n, f.s1.address, MIB / 2n),
          await relay(f.s1, f.domain, f.terms, PRICE),
        );
      expect(r).to.deep.equal([PRICE / 2n, PRICE / 2n]);
    });

    it("reverts with SpeedRelayFeeAboveCap when the fees under one nonce would pass maxFee; a new nonce starts afresh", async () => {
      const f = await loadFixture(relayFixture);
      await f.market
        .connect(f.relayer)
        .redeemRelayed(
          await receipt(f.alice, f.domain, 1n, f.s1.address, 4n * MIB),
          await relay(f.s1, f.domain, f.terms, (PRICE * 3n) / 4n),
        );
      const next = await receipt(f.alice, f.domain, 1n, f.s1.address, 8n * MIB);
      await expect(f.market.connect(f.relayer).redeemRelayed(next, await relay(f.s1, f.domain, f.terms, PRICE / 2n)))
        .to.be.revertedWithCustomError(f.market, "SpeedRelayFeeAboveCap")
        .withArgs(PRICE / 2n, (PRICE * 3n) / 4n, PRICE);
      await f.market
        .connect(f.relayer)
        .redeemRelayed(next, await relay(f.s1, f.domain, { ...f.terms, nonce: 2n }, PRICE / 2n));
      expect((await f.market.relayAccount(f.s1.address, f.relayer.address)).feeTaken).to.equal(PRICE / 2n);
      await expect(
        f.market
          .connect(f.relayer)
          .redeemRelayed(
            await receipt(f.alice, f.domain, 1n, f.s1.address, 9n * MIB),
            await relay(f.s1, f.domain, f.terms, 0n),
          ),
      )
        .to.be.revertedWithCustomError(f.market, "SpeedRelayNonceStale")
        .withArgs(1n, 2n);
    });

    it("reverts with SpeedRelayExpired after the deadline", async () => {
      const f = await loadFixture(relayFixture);
      const auth = await relay(f.s1, f.domain, f.terms, 1n);
      await time.increaseTo(f.deadline + 1n);
      await expect(
        f.market.connect(f.relayer).redeemRelayed(await receipt(f.alice, f.domain, 1n, f.s1.address, MIB), auth),
      )
        .to.be.revertedWithCustomError(f.market, "SpeedRelayExpired")
        .withArgs(f.deadline, anyValue);
      expect((await f.market.earning(1n, f.s1.address)).paid).to.equal(0n);
    });

    it("reverts with SpeedRelayWrongSigner when the authorisation is not the seeder's or is for another relayer", async () => {
      const f = await loadFixture(relayFixture);
      const r = await receipt(f.alice, f.domain, 1n, f.s1.address, MIB);
      await expect(
        f.market.connect(f.relayer).redeemRelayed(r, await relay(f.s2, f.domain, f.terms, 1n)),
      ).to.be.revertedWithCustomError(f.market, "SpeedRelayWrongSigner");
      await expect(
        f.market.connect(f.stranger).redeemRelayed(r, await relay(f.s1, f.domain, f.terms, 1n)),
      ).to.be.revertedWithCustomError(f.market, "SpeedRelayWrongSigner");
      const high = {
        ...(await relay(f.s1, f.domain, f.terms, 1n)),
        vs: ethers.toBeHex(N / 2n + 1n, 32) as `0x${string}`,
      };
      await expect(f.market.connect(f.relayer).redeemRelayed(r, high)).to.be.revertedWithCustomError(
        f.market,
        "SpeedMalleableSignature",
      );
    });

    it("revokeRelay spends the nonce: no fee under it, older ones stale", async () => {
      const f = await loadFixture(relayFixture);
      await expect(f.market.connect(f.s1).revokeRelay(f.relayer.address, 1n))
        .to.emit(f.market, "RelayRevoked")
        .withArgs(f.s1.address, f.relayer.address, 1n);
      await expect(
        f.market
          .connect(f.relayer)
          .redeemRelayed(
            await receipt(f.alice, f.domain, 1n, f.s1.address, MIB),
            await relay(f.s1, f.domain, f.terms, 1n),
          ),
      ).to.be.revertedWithCustomError(f.market, "SpeedRelayFeeAboveCap");
      await expect(f.market.connect(f.s1).revokeRelay(f.relayer.address, 1n))
        .to.be.revertedWithCustomError(f.market, "SpeedRelayNonceNotRaised")
        .withArgs(1n, 1n);
    });

    it("accepts an authorisation signed with TronWeb", async () => {
      const f = await loadFixture(relayFixture);
      // s1 is Hardhat's default account #5.
      const key = "8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
      const tronWeb = new TronWeb({ fullHost: "http://127.0.0.1:1", privateKey: key });
      const auth = packRelay(await signRelayFeeWithTronWeb(tronWeb, f.domain, f.terms), 5n);
      await expect(
        f.market.connect(f.relayer).redeemRelayed(await receipt(f.alice, f.domain, 1n, f.s1.address, MIB), auth),
      ).to.emit(f.market, "ReceiptRelayed");
    });
  });

  describe("claim", () => {
    it("moves a seeder's earnings on several bids to its vault balance; anyone may call", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.connect(f.bob).openBid(V1_HASH, 1, PRICE, BUDGET, f.expiry, DAY);
      await f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, MIB));
      await f.market.redeem(await receipt(f.bob, f.domain, 2n, f.s1.address, 2n * MIB));
      await expect(f.market.connect(f.stranger).claim(f.s1.address, [1n, 2n]))
        .to.emit(f.market, "EarningsClaimed")
        .withArgs(f.s1.address, 3n * PRICE)
        .and.to.emit(f.vault, "Released")
        .withArgs(f.marketAddress, f.s1.address, 3n * PRICE);
      expect(await f.vault.balanceOf(f.s1.address)).to.equal(3n * PRICE);
      expect((await f.market.earning(1n, f.s1.address)).paid).to.equal(PRICE);
      await expect(f.market.claim(f.s1.address, [1n, 2n])).to.be.revertedWithCustomError(f.market, "SpeedNothingToPay");
      await expect(f.market.claimRelayFees(f.s1.address, [f.s2.address])).to.be.revertedWithCustomError(
        f.market,
        "SpeedNothingToPay",
      );
    });

    it("keeps claimed earnings claimable after the bid is refunded", async () => {
      const f = await loadFixture(bidFixture);
      await f.market.redeem(await receipt(f.alice, f.domain, 1n, f.s1.address, MIB));
      await time.increaseTo(f.expiry + DAY + 1n);
      await f.market.refundBid(1n);
      await f.market.claim(f.s1.address, [1n]);
      expect(await f.vault.heldBy(f.marketAddress)).to.equal(0n);
      expect(await f.vault.balanceOf(f.alice.address)).to.equal(1_000n * UNIT - PRICE);
    });
  });

  describe("pruneBids and openBids", () => {
    it("pages open bids, skips closed and expired ones, and prunes them", async () => {
      const f = await loadFixture(base);
      const now = BigInt(await time.latest());
      for (let i = 0; i < 5; i++)
        await f.market
          .connect(f.alice)
          .openBid(V2_HASH, 2, PRICE + BigInt(i), UNIT, now + (i === 2 ? HOUR : DAY), HOUR);
      await f.market.connect(f.alice).closeBid(4n);
      await time.increase(HOUR);
      const [page1, cursor] = await f.market.openBids(V2_HASH, 2, 0n, 3n);
      expect(page1).to.deep.equal([5n]);
      expect(cursor).to.equal(2n);
      expect(await f.market.openBids(V2_HASH, 2, cursor, 3n)).to.deep.equal([[2n, 1n], 0n]);
      await expect(f.market.pruneBids(V2_HASH, 2, 10n))
        .to.emit(f.market, "BidsPruned")
        .withArgs(V2_HASH, 2, 2n);
      expect((await f.market.openBids(V2_HASH, 2, 0n, 10n))[0]).to.deep.equal([5n, 2n, 1n]);
      expect((await f.market.bid(5n)).next).to.equal(2n);
      await f.market.connect(f.alice).closeBid(5n);
      await f.market.pruneBids(V2_HASH, 2, 1n);
      expect((await f.market.openBids(V2_HASH, 2, 0n, 10n))[0]).to.deep.equal([2n, 1n]);
      await expect(f.market.pruneBids(V2_HASH, 2, 10n)).not.to.emit(f.market, "BidsPruned");
    });
  });

  describe("administration", () => {
    it("lets only the owner set grace bounds, and checks them", async () => {
      const f = await loadFixture(base);
      await expect(f.market.connect(f.alice).setGraceBounds(600n, DAY)).to.be.revertedWithCustomError(
        f.market,
        "OwnableUnauthorizedAccount",
      );
      await expect(f.market.connect(f.owner).setGraceBounds(600n, DAY))
        .to.emit(f.market, "GraceBoundsSet")
        .withArgs(600n, DAY);
      expect(await f.market.graceBounds()).to.deep.equal([600n, DAY]);
      // Below 10 minutes a close could cut a seeder's receipts off (test/attacks/zero-grace-refund).
      await expect(f.market.connect(f.owner).setGraceBounds(599n, DAY))
        .to.be.revertedWithCustomError(f.market, "SpeedInvalidGraceBounds")
        .withArgs(599n, DAY);
      await expect(f.market.connect(f.owner).setGraceBounds(DAY, HOUR)).to.be.revertedWithCustomError(
        f.market,
        "SpeedInvalidGraceBounds",
      );
      await expect(f.market.connect(f.owner).setGraceBounds(600n, 1n << 24n)).to.be.revertedWithCustomError(
        f.market,
        "SpeedInvalidGraceBounds",
      );
    });

    it("packs receipt keys as the SDK does and rejects fields that do not fit", async () => {
      const f = await loadFixture(base);
      const key = await f.market.packReceiptKey(5n, f.s1.address, 77n);
      expect(key).to.equal((await receipt(f.alice, f.domain, 5n, f.s1.address, 77n)).key);
      await expect(f.market.packReceiptKey(1n << 40n, f.s1.address, 1n)).to.be.revertedWithCustomError(
        f.market,
        "SpeedInvalidAmount",
      );
      await expect(f.market.packReceiptKey(1n, f.s1.address, 1n << 56n)).to.be.revertedWithCustomError(
        f.market,
        "SpeedInvalidAmount",
      );
      expect(amountPayable({ cumulativeBytes: MIB, pricePerMiB: PRICE, paid: 0n, remaining: UNIT })).to.equal(PRICE);
    });

    it("exposes the TIP-712 domain with the masked chain id", async () => {
      const f = await loadFixture(base);
      const d = await f.market.eip712Domain();
      expect([d.name, d.version, d.chainId, d.verifyingContract]).to.deep.equal([
        "bttkit SpeedMarket",
        "1",
        3448148188n,
        f.marketAddress,
      ]);
      expect(await f.market.vault()).to.equal(f.vaultAddress);
    });
  });
});
