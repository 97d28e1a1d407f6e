// Attack (issue 11, item 2, vault side): the vault's owner retires a market
// (`vault.setMarket(market, false)`) while deals and bids are open. Retiring must stop new
// commitments only; everything already committed must still settle, finalize, exit, redeem,
// close, refund and claim.
//
// Before the fix every slash went from the registry's pool to the storage market through
// `transferHeld`, which refused a retired receiver: a `settle` that loses a shard, a `finalizeDeal`
// after any miss and an `exitShard` by a host with a miss all reverted `VaultNotMarket`, and the
// tenant's escrow (16 BTT in the first case) and the hosts' collateral stayed locked until the
// owner re-opened the market. Now the vault keeps a retired market's status: it takes no new
// commitments (`commit`) but still receives (`transferHeld`) and pays out what it holds.
// The Speed market moves value out only through `release`, which never checked the status: its
// cases pin that, and that `topUp` counts as a new commitment (refused, like `openBid`).
import { expect } from "chai";
import { speedDomain } from "../../sdk/src/speed/receipt.js";
import { receipt, relay } from "../speed/fixtures.js";
import {
  CONFIG,
  deployStorageWith,
  ethers,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  recordsOf,
  type Storage,
  settle,
  UNIT,
} from "../storage/fixtures.js";

const { loadFixture, time } = networkHelpers;
const COLLATERAL = 10n * UNIT;
/** One miss costs slashBps of the collateral. */
const MISS_SLASH = (COLLATERAL * BigInt(CONFIG.slashBps)) / 10_000n;

async function sixHosts() {
  return deployStorageWith(6);
}

/** A 4-shard deal (2 needed) over hosts 0-3, `periods` long. */
async function openDeal(s: Storage, periods: number) {
  const d = await prepareDeal(s, {
    shardCount: 4,
    minShards: 2,
    shardSize: 512,
    segmentSize: 256,
    periods,
    collateral: COLLATERAL,
  });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  return d;
}

async function retireStorage(s: Storage) {
  await s.vault.connect(s.owner).setMarket(s.marketAddress, false);
  expect(await s.vault.isMarket(s.marketAddress)).to.equal(false);
}

describe("attack: retiring a market freezes what it committed", () => {
  describe("the storage market, retired in the vault mid-deal", () => {
    it("a settle that loses a shard still slashes its host and pays the tenant", async () => {
      const s = await loadFixture(sixHosts);
      const d = await openDeal(s, 4);
      // Shard 3 never proves: its third miss (missesToLose = 3) loses it.
      for (let period = 0; period < CONFIG.missesToLose - 1; period++) {
        await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
        await settle(s, d.dealId);
      }
      await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
      await retireStorage(s);
      const loser = s.hosts[3]!.address;
      const before = await s.registry.stakeOf(loser);
      const tenantFree = await s.vault.balanceOf(s.tenant.address);
      await settle(s, d.dealId);
      const after = await s.registry.stakeOf(loser);
      const slash = BigInt(CONFIG.missesToLose) * MISS_SLASH;
      expect(before.stake - after.stake).to.equal(slash);
      expect(after.locked).to.equal(before.locked - COLLATERAL);
      // The retired market took in the slash: half pays the tenant, half funds the repair.
      expect(await s.market.repairBounty(d.dealId, 3)).to.equal(slash / 2n);
      expect((await s.vault.balanceOf(s.tenant.address)) - tenantFree).to.equal(slash / 2n);
    });

    it("finalizeDeal after misses still ends every tenure and returns what is left", async () => {
      const s = await loadFixture(sixHosts);
      const d = await openDeal(s, 2);
      for (let period = 0; period < 2; period++) {
        await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
        await settle(s, d.dealId);
      }
      await retireStorage(s);
      await s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId));
      for (const h of s.hosts.slice(0, 4)) expect((await s.registry.stakeOf(h.address)).locked).to.equal(0n);
      // Shard 3's two misses were slashed; nothing of the deal is left in the retired pool.
      const stake3 = await s.registry.stakeOf(s.hosts[3]!.address);
      expect(stake3.stake).to.equal((await s.registry.stakeOf(s.hosts[0]!.address)).stake - 2n * MISS_SLASH);
      expect(await s.vault.heldBy(s.marketAddress)).to.equal(0n);
    });

    it("a host with a miss can still exit, handing its shard on", async () => {
      const s = await loadFixture(sixHosts);
      const d = await openDeal(s, 4);
      await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
      await settle(s, d.dealId);
      await retireStorage(s);
      const offer = await handoverOffer(s, d, 3, 1, s.hosts[4]!);
      const rootPath = proofFor(d, ethers.ZeroHash, 3).rootPath;
      await s.hosting
        .connect(s.hosts[3]!)
        .exitShard(d.dealId, await recordsOf(s, d.dealId), 3, d.roots[3]!, rootPath, offer);
      expect((await s.registry.stakeOf(s.hosts[3]!.address)).locked).to.equal(0n);
      expect((await s.registry.stakeOf(s.hosts[4]!.address)).locked).to.equal(COLLATERAL);
    });

    it("refuses new deals while retired", async () => {
      const s = await loadFixture(sixHosts);
      await retireStorage(s);
      const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 2 });
      await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers))
        .to.be.revertedWithCustomError(s.vault, "VaultNotMarket")
        .withArgs(s.marketAddress);
    });
  });

  describe("the Speed market, retired in the vault mid-bid", () => {
    const V2 = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";
    const MIB = 1n << 20n;
    const PRICE = UNIT / 100n;

    async function speedBid() {
      const [owner, downloader, seeder, relayer] = await ethers.getSigners();
      const btt = await ethers.deployContract("TestBTT", [owner!.address]);
      const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner!.address]);
      const vaultAddress = await vault.getAddress();
      const market = await ethers.deployContract("SpeedMarket", [vaultAddress, owner!.address, 3_600n, 86_400n]);
      const marketAddress = await market.getAddress();
      await vault.setMarket(marketAddress, true);
      await btt.mint(downloader!.address, 1_000n * UNIT);
      await btt.connect(downloader!).approve(vaultAddress, 1_000n * UNIT);
      await vault.connect(downloader!).deposit(1_000n * UNIT);
      await vault.connect(downloader!).setMarketApproval(marketAddress, true);
      const expiry = BigInt(await time.latest()) + 86_400n;
      await market.connect(downloader!).openBid(V2, 2, PRICE, 100n * UNIT, expiry, 3_600n);
      await market.connect(downloader!).openBid(V2, 2, PRICE, 100n * UNIT, expiry, 3_600n);
      const { chainId } = await ethers.provider.getNetwork();
      const domain = speedDomain({ chainId, verifyingContract: marketAddress });
      await vault.setMarket(marketAddress, false);
      return {
        vault,
        market,
        marketAddress,
        owner: owner!,
        downloader: downloader!,
        seeder: seeder!,
        relayer: relayer!,
        domain,
        expiry,
      };
    }

    it("redeem, redeemBatch, redeemRelayed, claim and claimRelayFees still pay", async () => {
      const { vault, market, downloader, seeder, relayer, domain } = await loadFixture(speedBid);
      await market.redeem(await receipt(downloader, domain, 1n, seeder.address, 10n * MIB));
      await market.redeemBatch([await receipt(downloader, domain, 2n, seeder.address, 10n * MIB)]);
      const deadline = BigInt(await time.latest()) + 600n;
      const r = await receipt(downloader, domain, 1n, seeder.address, 20n * MIB);
      const auth = await relay(
        seeder,
        domain,
        { seeder: seeder.address, relayer: relayer.address, maxFee: PRICE, nonce: 1n, deadline },
        PRICE,
      );
      await market.connect(relayer).redeemRelayed(r, auth);
      await market.claim(seeder.address, [1n, 2n]);
      await market.claimRelayFees(relayer.address, [seeder.address]);
      expect(await vault.balanceOf(seeder.address)).to.equal(30n * PRICE - PRICE);
      expect(await vault.balanceOf(relayer.address)).to.equal(PRICE);
    });

    it("closeBid and refundBid still return the budget", async () => {
      const { vault, market, downloader } = await loadFixture(speedBid);
      const free = await vault.balanceOf(downloader.address);
      await market.connect(downloader).closeBid(1n);
      await time.increase(3_601);
      await market.refundBid(1n);
      // Bid 2 expires and is closed and refunded in one call after its grace.
      await time.increase(86_400);
      await market.closeBid(2n);
      expect(await vault.balanceOf(downloader.address)).to.equal(free + 200n * UNIT);
      expect(await vault.heldBy(await market.getAddress())).to.equal(0n);
    });

    it("refuses topUp and openBid: both commit new value", async () => {
      const { vault, market, marketAddress, downloader, expiry } = await loadFixture(speedBid);
      await expect(market.connect(downloader).topUp(1n, UNIT))
        .to.be.revertedWithCustomError(vault, "VaultNotMarket")
        .withArgs(marketAddress);
      await expect(market.connect(downloader).openBid(V2, 2, PRICE, UNIT, expiry, 3_600n))
        .to.be.revertedWithCustomError(vault, "VaultNotMarket")
        .withArgs(marketAddress);
    });
  });
});
