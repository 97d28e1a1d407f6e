import { expect } from "chai";
import { storageMarketDomain } from "../../sdk/src/storage/offer.js";
import {
  CONFIG,
  deployStorage,
  ethers,
  HOST_STAKE,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  recordsOf,
  type Storage,
  settle,
  UNBONDING_DELAY,
  UNIT,
} from "./fixtures.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** A second market on the same vault and registry, with some rules changed. */
async function withMarket(s: Storage, rules: Partial<typeof CONFIG>): Promise<Storage> {
  const vaultAddress = await s.vault.getAddress();
  const registryAddress = await s.registry.getAddress();
  const market = await ethers.deployContract("StorageMarket", [vaultAddress, registryAddress, { ...CONFIG, ...rules }]);
  const marketAddress = await market.getAddress();
  await s.vault.connect(s.owner).setMarket(marketAddress, true);
  await s.registry.connect(s.owner).setMarket(marketAddress, true);
  await s.vault.connect(s.tenant).setMarketApproval(marketAddress, true);
  const hosting = await ethers.getContractAt("IStorageHosting", marketAddress);
  const { chainId } = await ethers.provider.getNetwork();
  return { ...s, market, hosting, marketAddress, domain: storageMarketDomain(marketAddress, chainId) };
}

/** A 4-shard deal (minShards 2) of `periods` periods, opened. */
async function openDeal(s: Storage, periods: number, collateral = 10n * UNIT) {
  const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods, collateral });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  return d;
}

describe("StorageMarket coverage gaps", () => {
  describe("HostRegistry", () => {
    it("stake reverts with RegistryAmountTooLarge when the bonded stake would pass 2^112 - 1", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const host = s.hosts[0]!;
      const amount = 2n ** 112n - HOST_STAKE; // bonded would be exactly 2^112
      await expect(s.registry.connect(host).stake(amount))
        .to.be.revertedWithCustomError(s.registry, "RegistryAmountTooLarge")
        .withArgs(2n ** 112n);
      expect((await s.registry.stakeOf(host.address)).stake).to.equal(HOST_STAKE);
    });

    it("lockCollateral accepts a zero collateral and locks nothing", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await openDeal(s, 1, 0n);
      expect((await s.market.deal(d.dealId)).status).to.equal(1);
      for (const host of s.hosts.slice(0, 4)) {
        const info = await s.registry.stakeOf(host.address);
        expect(info.locked).to.equal(0n);
        expect(info.stake).to.equal(HOST_STAKE);
      }
    });

    it("endTenures with nothing to unlock updates the track record without CollateralReleased", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await openDeal(s, 1, 0n);
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, range(4));
      await settle(s, d.dealId);
      const tx = await s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId));
      await expect(tx).to.emit(s.registry, "TrackRecordUpdated").withArgs(s.hosts[0]!.address, 1, 0, true);
      await expect(tx).not.to.emit(s.registry, "CollateralReleased");
      expect((await s.registry.stakeOf(s.hosts[0]!.address)).stake).to.equal(HOST_STAKE);
    });

    it("views: vault(), unbondingDelay(), isMarket()", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      expect(await s.registry.vault()).to.equal(await s.vault.getAddress());
      expect(await s.registry.unbondingDelay()).to.equal(UNBONDING_DELAY);
      expect(await s.registry.isMarket(s.marketAddress)).to.equal(true);
      expect(await s.registry.isMarket(s.stranger.address)).to.equal(false);
    });
  });

  describe("StorageChallenges", () => {
    it("openChallenge reverts with StorageNoPeriodsLeft once every period is settled", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await openDeal(s, 1);
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, range(4));
      await settle(s, d.dealId);
      expect((await s.market.deal(d.dealId)).status).to.equal(1);
      await expect(s.market.openChallenge(d.dealId))
        .to.be.revertedWithCustomError(s.market, "StorageNoPeriodsLeft")
        .withArgs(d.dealId);
    });

    it("submitProofs reverts with StorageShardOutOfRange for a shard past the deal's shards", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await openDeal(s, 2);
      const seed = await openAndDraw(s, d.dealId);
      const p = proofFor(d, seed, 0);
      const batch = [
        { shard: 0, segment: p.segment, proof: p.proof },
        { shard: 4, segment: p.segment, proof: p.proof },
      ];
      await expect(s.market.submitProofs(d.dealId, d.roots, batch))
        .to.be.revertedWithCustomError(s.market, "StorageShardOutOfRange")
        .withArgs(4, 4);
      expect((await s.market.challenge(d.dealId)).provenMask).to.equal(0n);
    });

    it("challengedSegments reverts with StorageWrongChallengeState before the seed and StorageShardOutOfRange after", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await openDeal(s, 2);
      await expect(s.market.challengedSegments(d.dealId, 0))
        .to.be.revertedWithCustomError(s.market, "StorageWrongChallengeState")
        .withArgs(d.dealId, 0);
      await s.market.openChallenge(d.dealId);
      await expect(s.market.challengedSegments(d.dealId, 0))
        .to.be.revertedWithCustomError(s.market, "StorageWrongChallengeState")
        .withArgs(d.dealId, 1);
      await networkHelpers.mine(CONFIG.seedDelay);
      await s.market.drawSeed(d.dealId);
      const seed = (await s.market.challenge(d.dealId)).seed;
      expect(await s.market.challengedSegments(d.dealId, 3)).to.deep.equal(proofFor(d, seed, 3).indices);
      await expect(s.market.challengedSegments(d.dealId, 4))
        .to.be.revertedWithCustomError(s.market, "StorageShardOutOfRange")
        .withArgs(4, 4);
    });
  });

  describe("StorageMarket", () => {
    it("openDeal reverts with StorageAmountTooLarge when the escrow passes 2^128 - 1", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await prepareDeal(s, { shardCount: 1, minShards: 1, periods: 2, price: 2n ** 127n });
      const tenant = await s.vault.balanceOf(s.tenant.address);
      await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers))
        .to.be.revertedWithCustomError(s.market, "StorageAmountTooLarge")
        .withArgs(2n ** 128n);
      expect(await s.vault.balanceOf(s.tenant.address)).to.equal(tenant);
    });

    it("views: vault(), registry(), config()", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      expect(await s.market.vault()).to.equal(await s.vault.getAddress());
      expect(await s.market.registry()).to.equal(await s.registry.getAddress());
      const c = await s.market.config();
      expect({
        responseWindow: Number(c.responseWindow),
        seedDelay: Number(c.seedDelay),
        missesToLose: Number(c.missesToLose),
        withheldBps: Number(c.withheldBps),
        slashBps: Number(c.slashBps),
        tenantSlashBps: Number(c.tenantSlashBps),
      }).to.deep.equal(CONFIG);
    });
  });

  describe("StorageMarketBase", () => {
    it("caps a tenure's slash at its collateral", async () => {
      const s = await withMarket(await networkHelpers.loadFixture(deployStorage), { slashBps: 6_000 });
      const d = await openDeal(s, 2);
      for (let p = 0; p < 2; p++) {
        const seed = await openAndDraw(s, d.dealId);
        await proveShards(s, d, seed, [0, 1, 2]); // shard 3 misses twice: 2 × 60% of 10 BTT
        await settle(s, d.dealId);
      }
      const host = s.hosts[3]!.address;
      await expect(s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId)))
        .to.emit(s.registry, "CollateralReleased")
        .withArgs(host, s.marketAddress, 10n * UNIT, 10n * UNIT);
      const info = await s.registry.stakeOf(host);
      expect(info.stake).to.equal(HOST_STAKE - 10n * UNIT);
      expect(info.locked).to.equal(0n);
    });

    it("_releaseBatch makes no vault call when every payout is zero", async () => {
      const s = await withMarket(await networkHelpers.loadFixture(deployStorage), { withheldBps: 0 });
      const d = await openDeal(s, 1);
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, range(4));
      await settle(s, d.dealId);
      await s.hosting.claim(d.dealId, await recordsOf(s, d.dealId), 0b1111n);
      expect((await s.market.deal(d.dealId)).escrow).to.equal(0n);
      const tenant = await s.vault.balanceOf(s.tenant.address);
      const tx = await s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId));
      await expect(tx).to.emit(s.market, "DealEnded").withArgs(d.dealId, false, 0n);
      await expect(tx).not.to.emit(s.vault, "Released");
      expect(await s.vault.balanceOf(s.tenant.address)).to.equal(tenant);
      expect(await s.vault.heldBy(s.marketAddress)).to.equal(0n);
    });
  });
});
