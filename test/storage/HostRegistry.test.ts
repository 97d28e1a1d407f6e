import { expect } from "chai";
import { ethers, networkHelpers, UNBONDING_DELAY, UNIT } from "./fixtures.js";

const PROFILE = { capacity: 1n << 40n, pricePerGiBPerPeriod: UNIT, region: 276, endpoint: "/dns/host/tcp/4001" };

async function deployRegistry() {
  const [owner, host, other, market, stranger] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
  const vaultAddress = await vault.getAddress();
  const registry = await ethers.deployContract("HostRegistry", [vaultAddress, owner.address, UNBONDING_DELAY]);
  const registryAddress = await registry.getAddress();
  await vault.setMarket(registryAddress, true);
  await vault.setMarket(market.address, true); // the market stand-in receives slashes
  await vault.setPauser(owner.address, true);
  await registry.setMarket(market.address, true);
  for (const h of [host, other]) {
    await btt.mint(h.address, 1_000n * UNIT);
    await btt.connect(h).approve(vaultAddress, ethers.MaxUint256);
    await vault.connect(h).deposit(1_000n * UNIT);
    await vault.connect(h).setMarketApproval(registryAddress, true);
  }
  await registry.connect(host).setProfile(PROFILE);
  await registry.connect(host).stake(100n * UNIT);
  return { owner, host, other, market, stranger, btt, vault, registry, registryAddress };
}

const tenure = (host: string, unlock: bigint, slash: bigint, completed = true) => ({
  host,
  unlock,
  slash,
  passed: 5n,
  missed: 1n,
  completed,
});

describe("HostRegistry", () => {
  describe("constructor", () => {
    it("reverts with RegistryZeroAddress for a zero vault and RegistryInvalidUnbondingDelay for 0 or > 365 days", async () => {
      const { owner, registry, vault } = await networkHelpers.loadFixture(deployRegistry);
      const f = await ethers.getContractFactory("HostRegistry");
      await expect(f.deploy(ethers.ZeroAddress, owner.address, 1n)).to.be.revertedWithCustomError(
        registry,
        "RegistryZeroAddress",
      );
      for (const d of [0n, 366n * 86_400n]) {
        await expect(f.deploy(await vault.getAddress(), owner.address, d))
          .to.be.revertedWithCustomError(registry, "RegistryInvalidUnbondingDelay")
          .withArgs(d);
      }
    });
  });

  describe("setProfile", () => {
    it("registers on first call (ProfileSet firstTime, registeredAt) and updates later", async () => {
      const { registry, other } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(other).setProfile(PROFILE))
        .to.emit(registry, "ProfileSet")
        .withArgs(
          other.address,
          PROFILE.capacity,
          PROFILE.pricePerGiBPerPeriod,
          PROFILE.region,
          PROFILE.endpoint,
          true,
        );
      const at = (await registry.trackRecordOf(other.address)).registeredAt;
      expect(at).to.be.greaterThan(0n);
      await networkHelpers.time.increase(100);
      await expect(registry.connect(other).setProfile({ ...PROFILE, endpoint: "x" }))
        .to.emit(registry, "ProfileSet")
        .withArgs(other.address, PROFILE.capacity, PROFILE.pricePerGiBPerPeriod, PROFILE.region, "x", false);
      expect((await registry.trackRecordOf(other.address)).registeredAt).to.equal(at);
      expect((await registry.profileOf(other.address)).endpoint).to.equal("x");
      expect((await registry.stakeOf(other.address)).registered).to.equal(true);
    });

    it("reverts with RegistryEndpointTooLong above 256 bytes", async () => {
      const { registry, other } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(other).setProfile({ ...PROFILE, endpoint: "a".repeat(257) }))
        .to.be.revertedWithCustomError(registry, "RegistryEndpointTooLong")
        .withArgs(257, 256);
      await registry.connect(other).setProfile({ ...PROFILE, endpoint: "a".repeat(256) });
      expect((await registry.profileOf(other.address)).endpoint).to.have.length(256);
    });
  });

  describe("stake", () => {
    it("commits the host's free vault balance into the registry's pool", async () => {
      const { registry, vault, host, registryAddress } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(host).stake(5n * UNIT))
        .to.emit(registry, "Staked")
        .withArgs(host.address, 5n * UNIT);
      expect((await registry.stakeOf(host.address)).stake).to.equal(105n * UNIT);
      expect(await vault.heldBy(registryAddress)).to.equal(105n * UNIT);
      expect(await vault.balanceOf(host.address)).to.equal(895n * UNIT);
    });

    it("reverts with RegistryNotRegistered, RegistryZeroAmount, and the vault's pause error", async () => {
      const { registry, vault, host, other, owner } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(other).stake(UNIT))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(other.address);
      await expect(registry.connect(host).stake(0n)).to.be.revertedWithCustomError(registry, "RegistryZeroAmount");
      await vault.connect(owner).pause();
      await expect(registry.connect(host).stake(UNIT)).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });
  });

  describe("unbonding", () => {
    it("moves free stake to unbonding, then to the vault after the delay", async () => {
      const { registry, vault, host } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(host).requestUnbonding(40n * UNIT);
      const info = await registry.stakeOf(host.address);
      expect([info.stake, info.unbonding]).to.deep.equal([100n * UNIT, 40n * UNIT]);
      expect(await registry.freeStakeOf(host.address)).to.equal(60n * UNIT);
      await expect(registry.connect(host).withdrawUnbonded())
        .to.be.revertedWithCustomError(registry, "RegistryUnbondingNotReady")
        .withArgs(host.address, info.unbondingReadyAt);
      await networkHelpers.time.increaseTo(info.unbondingReadyAt);
      await expect(registry.connect(host).withdrawUnbonded())
        .to.emit(registry, "Unstaked")
        .withArgs(host.address, 40n * UNIT);
      expect(await vault.balanceOf(host.address)).to.equal(940n * UNIT);
      expect((await registry.stakeOf(host.address)).stake).to.equal(60n * UNIT);
    });

    it("withdraws while the vault is paused", async () => {
      const { registry, vault, host, owner } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(host).requestUnbonding(10n * UNIT);
      await vault.connect(owner).pause();
      await networkHelpers.time.increase(UNBONDING_DELAY);
      await registry.connect(host).withdrawUnbonded();
      expect(await vault.balanceOf(host.address)).to.equal(910n * UNIT);
    });

    it("cancelUnbonding returns the amount to free stake; a new request restarts the delay", async () => {
      const { registry, host } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(host).requestUnbonding(10n * UNIT);
      await expect(registry.connect(host).cancelUnbonding())
        .to.emit(registry, "UnbondingCancelled")
        .withArgs(host.address, 10n * UNIT);
      expect(await registry.freeStakeOf(host.address)).to.equal(100n * UNIT);
      await expect(registry.connect(host).cancelUnbonding()).to.be.revertedWithCustomError(
        registry,
        "RegistryNothingUnbonding",
      );
      await expect(registry.connect(host).withdrawUnbonded()).to.be.revertedWithCustomError(
        registry,
        "RegistryNothingUnbonding",
      );
    });

    it("reverts with RegistryInsufficientFreeStake for locked stake and RegistryZeroAmount for 0", async () => {
      const { registry, host, market } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(market).lockCollateral([host.address], [70n * UNIT], [0n]);
      await expect(registry.connect(host).requestUnbonding(31n * UNIT))
        .to.be.revertedWithCustomError(registry, "RegistryInsufficientFreeStake")
        .withArgs(host.address, 30n * UNIT, 31n * UNIT);
      await expect(registry.connect(host).requestUnbonding(0n)).to.be.revertedWithCustomError(
        registry,
        "RegistryZeroAmount",
      );
    });
  });

  describe("cancelOffers", () => {
    it("raises minNonce; lockCollateral then refuses lower nonces with RegistryOfferCancelled", async () => {
      const { registry, host, market } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(host).cancelOffers(5n))
        .to.emit(registry, "OffersCancelled")
        .withArgs(host.address, 5n);
      await expect(registry.connect(market).lockCollateral([host.address], [UNIT], [4n]))
        .to.be.revertedWithCustomError(registry, "RegistryOfferCancelled")
        .withArgs(host.address, 4n, 5n);
      await registry.connect(market).lockCollateral([host.address], [UNIT], [5n]);
      await expect(registry.connect(host).cancelOffers(5n))
        .to.be.revertedWithCustomError(registry, "RegistryNonceNotIncreasing")
        .withArgs(5n, 5n);
    });
  });

  describe("lockCollateral / endTenures", () => {
    it("reverts with RegistryNotMarket for anyone but a wired market", async () => {
      const { registry, host, stranger } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(stranger).lockCollateral([host.address], [UNIT], [0n]))
        .to.be.revertedWithCustomError(registry, "RegistryNotMarket")
        .withArgs(stranger.address);
      await expect(registry.connect(stranger).endTenures([])).to.be.revertedWithCustomError(
        registry,
        "RegistryNotMarket",
      );
    });

    it("reverts with RegistryLengthMismatch, RegistryNotRegistered, RegistryInsufficientFreeStake", async () => {
      const { registry, host, other, market } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(market).lockCollateral([host.address], [], [])).to.be.revertedWithCustomError(
        registry,
        "RegistryLengthMismatch",
      );
      await expect(registry.connect(market).lockCollateral([other.address], [0n], [0n]))
        .to.be.revertedWithCustomError(registry, "RegistryNotRegistered")
        .withArgs(other.address);
      await expect(registry.connect(market).lockCollateral([host.address], [101n * UNIT], [0n]))
        .to.be.revertedWithCustomError(registry, "RegistryInsufficientFreeStake")
        .withArgs(host.address, 100n * UNIT, 101n * UNIT);
      // Exactly the free stake can be locked.
      await registry.connect(market).lockCollateral([host.address], [100n * UNIT], [0n]);
      expect(await registry.freeStakeOf(host.address)).to.equal(0n);
    });

    it("unlocks, slashes into the market's pool and folds the track record", async () => {
      const { registry, vault, host, market } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(market).lockCollateral([host.address], [50n * UNIT], [0n]);
      await expect(registry.connect(market).endTenures([tenure(host.address, 50n * UNIT, 7n * UNIT, false)]))
        .to.emit(registry, "CollateralReleased")
        .withArgs(host.address, market.address, 50n * UNIT, 7n * UNIT)
        .and.to.emit(registry, "TrackRecordUpdated")
        .withArgs(host.address, 5n, 1n, false);
      const info = await registry.stakeOf(host.address);
      expect([info.stake, info.locked]).to.deep.equal([93n * UNIT, 0n]);
      expect(await vault.heldBy(market.address)).to.equal(7n * UNIT);
      const t = await registry.trackRecordOf(host.address);
      expect([t.proofsPassed, t.proofsMissed, t.dealsCompleted, t.dealsLost]).to.deep.equal([5n, 1n, 0n, 1n]);
    });

    it("reverts with RegistrySlashExceedsUnlock and RegistryInsufficientLocked; nothing moves", async () => {
      const { registry, host, market } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(market).lockCollateral([host.address], [10n * UNIT], [0n]);
      await expect(registry.connect(market).endTenures([tenure(host.address, UNIT, 2n * UNIT)]))
        .to.be.revertedWithCustomError(registry, "RegistrySlashExceedsUnlock")
        .withArgs(UNIT, 2n * UNIT);
      await expect(registry.connect(market).endTenures([tenure(host.address, 11n * UNIT, 0n)]))
        .to.be.revertedWithCustomError(registry, "RegistryInsufficientLocked")
        .withArgs(host.address, 10n * UNIT, 11n * UNIT);
      expect((await registry.stakeOf(host.address)).locked).to.equal(10n * UNIT);
    });
  });

  describe("retiring a market", () => {
    it("a retired market ends tenures and locks successors but opens nothing; an unwired one does neither", async () => {
      const { registry, host, market, owner, stranger } = await networkHelpers.loadFixture(deployRegistry);
      await registry.connect(market).lockCollateral([host.address], [10n * UNIT], [0n]);
      // Unwiring an address that was never wired leaves it unwired (not retired).
      await registry.connect(owner).setMarket(stranger.address, false);
      expect(await registry.isRetiredMarket(stranger.address)).to.equal(false);
      await expect(registry.connect(stranger).lockSuccessor(host.address, UNIT, 0n))
        .to.be.revertedWithCustomError(registry, "RegistryNotMarket")
        .withArgs(stranger.address);
      await registry.connect(owner).setMarket(market.address, false);
      expect([await registry.isMarket(market.address), await registry.isRetiredMarket(market.address)]).to.deep.equal([
        false,
        true,
      ]);
      await expect(registry.connect(market).lockCollateral([host.address], [UNIT], [0n]))
        .to.be.revertedWithCustomError(registry, "RegistryNotMarket")
        .withArgs(market.address);
      await registry.connect(market).lockSuccessor(host.address, UNIT, 0n);
      await registry.connect(market).endTenures([tenure(host.address, 11n * UNIT, 0n)]);
      expect((await registry.stakeOf(host.address)).locked).to.equal(0n);
      // Wiring it again makes it active.
      await registry.connect(owner).setMarket(market.address, true);
      expect([await registry.isMarket(market.address), await registry.isRetiredMarket(market.address)]).to.deep.equal([
        true,
        false,
      ]);
    });
  });

  describe("reentrancy guards, behind a vault that calls back", () => {
    // The real vault never calls back and both entry points write before they call it; the guards
    // are defence in depth. A hostile vault re-enters the registry from inside its vault call.
    it("stake and withdrawUnbonded refuse a re-entrant call from the vault", async () => {
      const [owner, host] = await ethers.getSigners();
      const vault = await ethers.deployContract("MockReentrantVault");
      const registry = await ethers.deployContract("HostRegistry", [
        await vault.getAddress(),
        owner!.address,
        UNBONDING_DELAY,
      ]);
      await registry.connect(host!).setProfile(PROFILE);
      await registry.connect(host!).stake(10n * UNIT);
      await registry.connect(host!).requestUnbonding(UNIT);
      await networkHelpers.time.increase(UNBONDING_DELAY);
      const target = await registry.getAddress();
      for (const [name, call] of [
        ["stake", () => registry.connect(host!).stake(UNIT)],
        ["withdrawUnbonded", () => registry.connect(host!).withdrawUnbonded()],
      ] as const) {
        await vault.arm(target, registry.interface.encodeFunctionData("withdrawUnbonded"));
        await expect(call(), name).to.be.revertedWithCustomError(registry, "ReentrancyGuardReentrantCall");
      }
    });
  });

  describe("administration", () => {
    it("only the owner wires markets (Ownable2Step)", async () => {
      const { registry, stranger, owner } = await networkHelpers.loadFixture(deployRegistry);
      await expect(registry.connect(stranger).setMarket(stranger.address, true)).to.be.revertedWithCustomError(
        registry,
        "OwnableUnauthorizedAccount",
      );
      await expect(registry.connect(owner).setMarket(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        registry,
        "RegistryZeroAddress",
      );
      await registry.connect(owner).transferOwnership(stranger.address);
      expect(await registry.owner()).to.equal(owner.address);
      await registry.connect(stranger).acceptOwnership();
      expect(await registry.owner()).to.equal(stranger.address);
    });
  });
});
