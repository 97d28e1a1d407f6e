import { expect } from "chai";
import { deployVaultFixture, ethers, networkHelpers, UNIT } from "./fixtures.js";

const { loadFixture, time } = networkHelpers;

async function fundedFixture() {
  const f = await deployVaultFixture();
  await f.vault.connect(f.alice).deposit(100n * UNIT);
  return f;
}

async function escrowFixture() {
  const f = await fundedFixture();
  const deadline = BigInt(await time.latest()) + 3600n;
  await f.vault.connect(f.alice).createEscrow(f.bob.address, f.carol.address, deadline, 40n * UNIT);
  return { ...f, deadline, escrowId: 1n };
}

async function marketFixture() {
  const f = await fundedFixture();
  await f.vault.connect(f.alice).setMarketApproval(f.market.address, true);
  await f.vault.connect(f.market).commit(f.alice.address, 30n * UNIT);
  return f;
}

describe("EscrowVault", () => {
  describe("constructor", () => {
    it("reverts with VaultZeroAddress when the token is the zero address", async () => {
      const [owner] = await ethers.getSigners();
      const factory = await ethers.getContractFactory("EscrowVault");
      await expect(factory.deploy(ethers.ZeroAddress, owner.address)).to.be.revertedWithCustomError(
        factory,
        "VaultZeroAddress",
      );
    });

    it("records the token and the owner", async () => {
      const { vault, btt, owner } = await loadFixture(deployVaultFixture);
      expect(await vault.token()).to.equal(await btt.getAddress());
      expect(await vault.owner()).to.equal(owner.address);
      expect(await vault.nextEscrowId()).to.equal(1n);
    });
  });

  describe("deposit", () => {
    it("pulls the tokens and credits the caller", async () => {
      const { vault, vaultAddress, btt, alice } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(alice).deposit(5n * UNIT))
        .to.emit(vault, "Deposited")
        .withArgs(alice.address, alice.address, 5n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(5n * UNIT);
      expect(await btt.balanceOf(vaultAddress)).to.equal(5n * UNIT);
      expect(await btt.balanceOf(alice.address)).to.equal(995n * UNIT);
    });

    it("reverts with VaultZeroAmount when the amount is zero", async () => {
      const { vault, alice } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(alice).deposit(0n)).to.be.revertedWithCustomError(vault, "VaultZeroAmount");
    });

    it("bubbles the token's own error when the allowance is too small", async () => {
      const { vault, btt, stranger, owner } = await loadFixture(deployVaultFixture);
      await btt.connect(owner).mint(stranger.address, UNIT);
      await expect(vault.connect(stranger).deposit(UNIT))
        .to.be.revertedWithCustomError(btt, "ERC20InsufficientAllowance")
        .withArgs(await vault.getAddress(), 0n, UNIT);
    });

    it("still accepts deposits while paused, since a deposit commits nothing", async () => {
      const { vault, pauser, alice } = await loadFixture(deployVaultFixture);
      await vault.connect(pauser).pause();
      await vault.connect(alice).deposit(UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(UNIT);
    });
  });

  describe("depositFor", () => {
    it("pulls from the caller and credits the named account", async () => {
      const { vault, alice, bob } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(alice).depositFor(bob.address, 7n * UNIT))
        .to.emit(vault, "Deposited")
        .withArgs(bob.address, alice.address, 7n * UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(7n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(0n);
    });

    it("reverts with VaultZeroAddress when the account is the zero address", async () => {
      const { vault, alice } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(alice).depositFor(ethers.ZeroAddress, UNIT)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
    });
  });

  describe("withdraw", () => {
    it("sends the free balance back to the caller", async () => {
      const { vault, btt, alice } = await loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdraw(60n * UNIT))
        .to.emit(vault, "Withdrawn")
        .withArgs(alice.address, alice.address, 60n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(40n * UNIT);
      expect(await btt.balanceOf(alice.address)).to.equal(960n * UNIT);
    });

    it("reverts with VaultInsufficientBalance when asking for more than the free balance", async () => {
      const { vault, alice } = await loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdraw(101n * UNIT))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientBalance")
        .withArgs(alice.address, 100n * UNIT, 101n * UNIT);
    });

    it("reverts with VaultZeroAmount when the amount is zero", async () => {
      const { vault, alice } = await loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdraw(0n)).to.be.revertedWithCustomError(vault, "VaultZeroAmount");
    });

    it("works while paused (invariant 6: free balances can always be withdrawn)", async () => {
      const { vault, pauser, alice } = await loadFixture(fundedFixture);
      await vault.connect(pauser).pause();
      await vault.connect(alice).withdraw(100n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(0n);
    });
  });

  describe("withdrawTo", () => {
    it("sends the caller's free balance to another wallet", async () => {
      const { vault, btt, alice, stranger } = await loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdrawTo(stranger.address, 10n * UNIT))
        .to.emit(vault, "Withdrawn")
        .withArgs(alice.address, stranger.address, 10n * UNIT);
      expect(await btt.balanceOf(stranger.address)).to.equal(10n * UNIT);
    });

    it("reverts with VaultZeroAddress when sending to the zero address", async () => {
      const { vault, alice } = await loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdrawTo(ethers.ZeroAddress, UNIT)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
    });

    it("reverts with VaultSelfTransfer when sending to the vault itself", async () => {
      const { vault, vaultAddress, alice } = await loadFixture(fundedFixture);
      await expect(vault.connect(alice).withdrawTo(vaultAddress, UNIT)).to.be.revertedWithCustomError(
        vault,
        "VaultSelfTransfer",
      );
    });
  });

  describe("setMarketApproval", () => {
    it("records and revokes the approval", async () => {
      const { vault, alice, market } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(alice).setMarketApproval(market.address, true))
        .to.emit(vault, "MarketApprovalSet")
        .withArgs(alice.address, market.address, true);
      expect(await vault.isMarketApproved(alice.address, market.address)).to.equal(true);
      await vault.connect(alice).setMarketApproval(market.address, false);
      expect(await vault.isMarketApproved(alice.address, market.address)).to.equal(false);
    });

    it("reverts with VaultZeroAddress for the zero market", async () => {
      const { vault, alice } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(alice).setMarketApproval(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
    });
  });

  describe("createEscrow", () => {
    it("moves the amount from the payer's balance into a new escrow", async () => {
      const { vault, alice, bob, carol } = await loadFixture(fundedFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(vault.connect(alice).createEscrow(bob.address, carol.address, deadline, 40n * UNIT))
        .to.emit(vault, "EscrowCreated")
        .withArgs(1n, alice.address, bob.address, carol.address, ethers.ZeroAddress, deadline, 40n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(60n * UNIT);
      const e = await vault.escrow(1n);
      expect([e.payer, e.payee, e.arbiter, e.operator, e.deadline, e.amount]).to.deep.equal([
        alice.address,
        bob.address,
        carol.address,
        ethers.ZeroAddress,
        deadline,
        40n * UNIT,
      ]);
      expect(await vault.nextEscrowId()).to.equal(2n);
    });

    it("reverts with VaultInsufficientBalance when the payer lacks the amount", async () => {
      const { vault, alice, bob } = await loadFixture(fundedFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, 101n * UNIT))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientBalance")
        .withArgs(alice.address, 100n * UNIT, 101n * UNIT);
    });

    it("reverts with VaultZeroAmount for an empty escrow", async () => {
      const { vault, alice, bob } = await loadFixture(fundedFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(
        vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, 0n),
      ).to.be.revertedWithCustomError(vault, "VaultZeroAmount");
    });

    it("reverts with VaultZeroAddress when the payee is the zero address, and keeps the balance", async () => {
      const { vault, alice } = await loadFixture(fundedFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(
        vault.connect(alice).createEscrow(ethers.ZeroAddress, ethers.ZeroAddress, deadline, UNIT),
      ).to.be.revertedWithCustomError(vault, "VaultZeroAddress");
      expect(await vault.balanceOf(alice.address)).to.equal(100n * UNIT);
    });

    it("reverts with VaultEscrowDeadlineInPast when the deadline is not in the future", async () => {
      const { vault, alice, bob } = await loadFixture(fundedFixture);
      const now = BigInt(await time.latest());
      await expect(vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, now, UNIT))
        .to.be.revertedWithCustomError(vault, "VaultEscrowDeadlineInPast")
        .withArgs(now);
    });

    it("reverts with EnforcedPause while paused", async () => {
      const { vault, pauser, alice, bob } = await loadFixture(fundedFixture);
      await vault.connect(pauser).pause();
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(
        vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, UNIT),
      ).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });
  });

  describe("releaseEscrow", () => {
    it("lets the payer release part, then the rest, and deletes the emptied escrow", async () => {
      const { vault, alice, bob, escrowId } = await loadFixture(escrowFixture);
      await expect(vault.connect(alice).releaseEscrow(escrowId, 15n * UNIT))
        .to.emit(vault, "EscrowReleased")
        .withArgs(escrowId, bob.address, 15n * UNIT);
      expect((await vault.escrow(escrowId)).amount).to.equal(25n * UNIT);
      await vault.connect(alice).releaseEscrow(escrowId, 25n * UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(40n * UNIT);
      expect((await vault.escrow(escrowId)).payer).to.equal(ethers.ZeroAddress);
      await expect(vault.connect(alice).releaseEscrow(escrowId, 1n))
        .to.be.revertedWithCustomError(vault, "VaultEscrowNotFound")
        .withArgs(escrowId);
    });

    it("works while paused", async () => {
      const { vault, pauser, alice, bob, escrowId } = await loadFixture(escrowFixture);
      await vault.connect(pauser).pause();
      await vault.connect(alice).releaseEscrow(escrowId, UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(UNIT);
    });

    it("reverts with VaultEscrowUnauthorized for the payee, the arbiter and strangers", async () => {
      const { vault, bob, carol, stranger, escrowId } = await loadFixture(escrowFixture);
      for (const caller of [bob, carol, stranger]) {
        await expect(vault.connect(caller).releaseEscrow(escrowId, UNIT))
          .to.be.revertedWithCustomError(vault, "VaultEscrowUnauthorized")
          .withArgs(escrowId, caller.address);
      }
    });

    it("reverts with VaultEscrowInsufficient when releasing more than is left", async () => {
      const { vault, alice, escrowId } = await loadFixture(escrowFixture);
      await expect(vault.connect(alice).releaseEscrow(escrowId, 41n * UNIT))
        .to.be.revertedWithCustomError(vault, "VaultEscrowInsufficient")
        .withArgs(escrowId, 40n * UNIT, 41n * UNIT);
    });

    it("reverts with VaultZeroAmount when releasing nothing", async () => {
      const { vault, alice, escrowId } = await loadFixture(escrowFixture);
      await expect(vault.connect(alice).releaseEscrow(escrowId, 0n)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAmount",
      );
    });

    it("reverts with VaultEscrowNotFound for an id never created", async () => {
      const { vault, alice } = await loadFixture(escrowFixture);
      await expect(vault.connect(alice).releaseEscrow(99n, 1n))
        .to.be.revertedWithCustomError(vault, "VaultEscrowNotFound")
        .withArgs(99n);
    });
  });

  describe("reclaimEscrow", () => {
    it("returns what is left to the payer after the deadline", async () => {
      const { vault, alice, escrowId, deadline } = await loadFixture(escrowFixture);
      await vault.connect(alice).releaseEscrow(escrowId, 10n * UNIT);
      await time.increaseTo(deadline + 1n);
      await expect(vault.connect(alice).reclaimEscrow(escrowId))
        .to.emit(vault, "EscrowReclaimed")
        .withArgs(escrowId, alice.address, 30n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(90n * UNIT);
      expect((await vault.escrow(escrowId)).amount).to.equal(0n);
    });

    it("reverts with VaultEscrowNotExpired up to and including the deadline", async () => {
      const { vault, alice, escrowId, deadline } = await loadFixture(escrowFixture);
      await time.setNextBlockTimestamp(deadline);
      await expect(vault.connect(alice).reclaimEscrow(escrowId))
        .to.be.revertedWithCustomError(vault, "VaultEscrowNotExpired")
        .withArgs(escrowId, deadline);
    });

    it("reverts with VaultEscrowUnauthorized for anyone but the payer", async () => {
      const { vault, bob, escrowId, deadline } = await loadFixture(escrowFixture);
      await time.increaseTo(deadline + 1n);
      await expect(vault.connect(bob).reclaimEscrow(escrowId))
        .to.be.revertedWithCustomError(vault, "VaultEscrowUnauthorized")
        .withArgs(escrowId, bob.address);
    });
  });

  describe("resolveEscrow", () => {
    it("splits what is left between payee and payer", async () => {
      const { vault, alice, bob, carol, escrowId } = await loadFixture(escrowFixture);
      await expect(vault.connect(carol).resolveEscrow(escrowId, 25n * UNIT))
        .to.emit(vault, "EscrowResolved")
        .withArgs(escrowId, 25n * UNIT, 15n * UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(25n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(75n * UNIT);
      expect((await vault.escrow(escrowId)).amount).to.equal(0n);
    });

    it("reverts with VaultEscrowUnauthorized for anyone but the arbiter", async () => {
      const { vault, alice, bob, escrowId } = await loadFixture(escrowFixture);
      for (const caller of [alice, bob]) {
        await expect(vault.connect(caller).resolveEscrow(escrowId, 0n))
          .to.be.revertedWithCustomError(vault, "VaultEscrowUnauthorized")
          .withArgs(escrowId, caller.address);
      }
    });

    it("reverts with VaultEscrowUnauthorized when the escrow has no arbiter, even for the zero address", async () => {
      const { vault, alice, bob } = await loadFixture(fundedFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, UNIT);
      await expect(vault.connect(alice).resolveEscrow(1n, 0n))
        .to.be.revertedWithCustomError(vault, "VaultEscrowUnauthorized")
        .withArgs(1n, alice.address);
    });

    it("reverts with VaultEscrowInsufficient when the payee's part exceeds what is left", async () => {
      const { vault, carol, escrowId } = await loadFixture(escrowFixture);
      await expect(vault.connect(carol).resolveEscrow(escrowId, 41n * UNIT))
        .to.be.revertedWithCustomError(vault, "VaultEscrowInsufficient")
        .withArgs(escrowId, 40n * UNIT, 41n * UNIT);
    });
  });

  describe("commit", () => {
    it("moves an approving user's balance into the market's pool", async () => {
      const { vault, alice, market } = await loadFixture(fundedFixture);
      await vault.connect(alice).setMarketApproval(market.address, true);
      await expect(vault.connect(market).commit(alice.address, 30n * UNIT))
        .to.emit(vault, "Committed")
        .withArgs(market.address, alice.address, 30n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(30n * UNIT);
      expect(await vault.balanceOf(alice.address)).to.equal(70n * UNIT);
    });

    it("reverts with VaultNotMarket for a caller that is not an authorised market", async () => {
      const { vault, alice, stranger } = await loadFixture(fundedFixture);
      await vault.connect(alice).setMarketApproval(stranger.address, true);
      await expect(vault.connect(stranger).commit(alice.address, UNIT))
        .to.be.revertedWithCustomError(vault, "VaultNotMarket")
        .withArgs(stranger.address);
    });

    it("reverts with VaultMarketNotApproved when the user did not approve the market", async () => {
      const { vault, alice, market } = await loadFixture(fundedFixture);
      await expect(vault.connect(market).commit(alice.address, UNIT))
        .to.be.revertedWithCustomError(vault, "VaultMarketNotApproved")
        .withArgs(alice.address, market.address);
    });

    it("reverts with VaultInsufficientBalance beyond the free balance", async () => {
      const { vault, alice, market } = await loadFixture(marketFixture);
      await expect(vault.connect(market).commit(alice.address, 71n * UNIT))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientBalance")
        .withArgs(alice.address, 70n * UNIT, 71n * UNIT);
    });

    it("reverts with EnforcedPause while paused, and after the market is retired with VaultNotMarket", async () => {
      const { vault, owner, pauser, alice, market } = await loadFixture(marketFixture);
      await vault.connect(pauser).pause();
      await expect(vault.connect(market).commit(alice.address, UNIT)).to.be.revertedWithCustomError(
        vault,
        "EnforcedPause",
      );
      await vault.connect(pauser).unpause();
      await vault.connect(owner).setMarket(market.address, false);
      await expect(vault.connect(market).commit(alice.address, UNIT))
        .to.be.revertedWithCustomError(vault, "VaultNotMarket")
        .withArgs(market.address);
    });
  });

  describe("release", () => {
    it("pays out of the pool into a free balance, without any token transfer", async () => {
      const { vault, btt, vaultAddress, market, bob } = await loadFixture(marketFixture);
      const before = await btt.balanceOf(vaultAddress);
      const tx = vault.connect(market).release(bob.address, 12n * UNIT);
      await expect(tx)
        .to.emit(vault, "Released")
        .withArgs(market.address, bob.address, 12n * UNIT);
      await expect(tx).to.not.emit(btt, "Transfer");
      expect(await vault.balanceOf(bob.address)).to.equal(12n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(18n * UNIT);
      expect(await btt.balanceOf(vaultAddress)).to.equal(before);
    });

    it("keeps working while paused and after the market is retired, so nothing gets stuck", async () => {
      const { vault, owner, pauser, market, bob } = await loadFixture(marketFixture);
      await vault.connect(pauser).pause();
      await vault.connect(owner).setMarket(market.address, false);
      await vault.connect(market).release(bob.address, 30n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(0n);
      expect(await vault.balanceOf(bob.address)).to.equal(30n * UNIT);
    });

    it("reverts with VaultInsufficientHeld beyond the pool, for markets and strangers alike", async () => {
      const { vault, market, stranger, bob } = await loadFixture(marketFixture);
      await expect(vault.connect(market).release(bob.address, 31n * UNIT))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientHeld")
        .withArgs(market.address, 30n * UNIT, 31n * UNIT);
      await expect(vault.connect(stranger).release(bob.address, 1n))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientHeld")
        .withArgs(stranger.address, 0n, 1n);
    });

    it("reverts with VaultZeroAddress and VaultZeroAmount on empty arguments", async () => {
      const { vault, market, bob } = await loadFixture(marketFixture);
      await expect(vault.connect(market).release(ethers.ZeroAddress, 1n)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
      await expect(vault.connect(market).release(bob.address, 0n)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAmount",
      );
    });
  });

  describe("releaseBatch", () => {
    it("pays several recipients out of the pool", async () => {
      const { vault, market, alice, bob, carol } = await loadFixture(marketFixture);
      await vault.connect(market).releaseBatch([bob.address, carol.address, alice.address], [UNIT, 2n * UNIT, 0n]);
      expect(await vault.balanceOf(bob.address)).to.equal(UNIT);
      expect(await vault.balanceOf(carol.address)).to.equal(2n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(27n * UNIT);
    });

    it("reverts with VaultInsufficientHeld when the total exceeds the pool", async () => {
      const { vault, market, bob, carol } = await loadFixture(marketFixture);
      await expect(vault.connect(market).releaseBatch([bob.address, carol.address], [20n * UNIT, 11n * UNIT]))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientHeld")
        .withArgs(market.address, 30n * UNIT, 31n * UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(0n);
    });

    it("reverts with VaultLengthMismatch, VaultZeroAddress and VaultZeroAmount on bad arrays", async () => {
      const { vault, market, bob } = await loadFixture(marketFixture);
      await expect(vault.connect(market).releaseBatch([bob.address], []))
        .to.be.revertedWithCustomError(vault, "VaultLengthMismatch")
        .withArgs(1n, 0n);
      await expect(vault.connect(market).releaseBatch([ethers.ZeroAddress], [1n])).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
      await expect(vault.connect(market).releaseBatch([], [])).to.be.revertedWithCustomError(vault, "VaultZeroAmount");
    });
  });

  describe("transferHeld", () => {
    it("moves pool value to another active market", async () => {
      const { vault, owner, market, stranger } = await loadFixture(marketFixture);
      await vault.connect(owner).setMarket(stranger.address, true);
      await expect(vault.connect(market).transferHeld(stranger.address, 5n * UNIT))
        .to.emit(vault, "HeldTransferred")
        .withArgs(market.address, stranger.address, 5n * UNIT);
      expect(await vault.heldBy(stranger.address)).to.equal(5n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(25n * UNIT);
    });

    it("reverts with VaultNotMarket when the receiver was never authorised, even if retired by the owner", async () => {
      const { vault, owner, market, stranger } = await loadFixture(marketFixture);
      await vault.connect(owner).setMarket(stranger.address, false);
      await expect(vault.connect(market).transferHeld(stranger.address, UNIT))
        .to.be.revertedWithCustomError(vault, "VaultNotMarket")
        .withArgs(stranger.address);
    });

    it("still pays a retired market, also while paused: a retired market settles what it holds", async () => {
      const { vault, owner, pauser, market, stranger } = await loadFixture(marketFixture);
      await vault.connect(owner).setMarket(stranger.address, true);
      await vault.connect(owner).setMarket(stranger.address, false);
      await vault.connect(owner).setMarket(stranger.address, false);
      expect(await vault.isMarket(stranger.address)).to.equal(false);
      await vault.connect(pauser).pause();
      await vault.connect(market).transferHeld(stranger.address, 5n * UNIT);
      await vault.connect(owner).setMarket(market.address, false);
      await vault.connect(stranger).transferHeld(market.address, 2n * UNIT);
      expect(await vault.heldBy(stranger.address)).to.equal(3n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(27n * UNIT);
      // Re-authorised, it takes new commitments again.
      await vault.connect(owner).setMarket(stranger.address, true);
      expect(await vault.isMarket(stranger.address)).to.equal(true);
    });

    it("reverts with VaultInsufficientHeld beyond the sender's pool", async () => {
      const { vault, owner, market, stranger } = await loadFixture(marketFixture);
      await vault.connect(owner).setMarket(stranger.address, true);
      await expect(vault.connect(stranger).transferHeld(market.address, 1n))
        .to.be.revertedWithCustomError(vault, "VaultInsufficientHeld")
        .withArgs(stranger.address, 0n, 1n);
    });
  });

  describe("createEscrowFor", () => {
    it("funds an escrow from the market's pool with the market as operator, who may release it", async () => {
      const { vault, market, alice, bob } = await loadFixture(marketFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(
        vault.connect(market).createEscrowFor(alice.address, bob.address, ethers.ZeroAddress, deadline, 10n * UNIT),
      )
        .to.emit(vault, "EscrowCreated")
        .withArgs(1n, alice.address, bob.address, ethers.ZeroAddress, market.address, deadline, 10n * UNIT);
      expect(await vault.heldBy(market.address)).to.equal(20n * UNIT);
      await vault.connect(market).releaseEscrow(1n, 4n * UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(4n * UNIT);
      await vault.connect(alice).releaseEscrow(1n, 6n * UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(10n * UNIT);
    });

    it("reverts with VaultInsufficientHeld beyond what was committed through the market", async () => {
      const { vault, market, alice, bob } = await loadFixture(marketFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(
        vault.connect(market).createEscrowFor(alice.address, bob.address, ethers.ZeroAddress, deadline, 31n * UNIT),
      )
        .to.be.revertedWithCustomError(vault, "VaultInsufficientHeld")
        .withArgs(market.address, 30n * UNIT, 31n * UNIT);
    });

    it("reverts with VaultNotMarket for strangers and VaultZeroAddress for a zero payer", async () => {
      const { vault, market, stranger, alice, bob } = await loadFixture(marketFixture);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(
        vault.connect(stranger).createEscrowFor(alice.address, bob.address, ethers.ZeroAddress, deadline, 1n),
      )
        .to.be.revertedWithCustomError(vault, "VaultNotMarket")
        .withArgs(stranger.address);
      await expect(
        vault.connect(market).createEscrowFor(ethers.ZeroAddress, bob.address, ethers.ZeroAddress, deadline, 1n),
      ).to.be.revertedWithCustomError(vault, "VaultZeroAddress");
    });

    it("reverts with VaultAmountTooLarge above 128 bits, and keeps the balance", async () => {
      const { vault, btt, owner, alice, bob } = await loadFixture(fundedFixture);
      const huge = 2n ** 128n;
      await btt.connect(owner).mint(alice.address, huge);
      await vault.connect(alice).deposit(huge);
      const deadline = BigInt(await time.latest()) + 3600n;
      await expect(vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, huge))
        .to.be.revertedWithCustomError(vault, "VaultAmountTooLarge")
        .withArgs(huge);
      expect(await vault.balanceOf(alice.address)).to.equal(huge + 100n * UNIT);
    });
  });

  describe("administration", () => {
    it("lets only the owner authorise markets and pausers", async () => {
      const { vault, owner, stranger } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(stranger).setMarket(stranger.address, true))
        .to.be.revertedWithCustomError(vault, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await expect(vault.connect(stranger).setPauser(stranger.address, true))
        .to.be.revertedWithCustomError(vault, "OwnableUnauthorizedAccount")
        .withArgs(stranger.address);
      await expect(vault.connect(owner).setMarket(stranger.address, true))
        .to.emit(vault, "MarketSet")
        .withArgs(stranger.address, true);
      expect(await vault.isMarket(stranger.address)).to.equal(true);
      await expect(vault.connect(owner).setPauser(stranger.address, true))
        .to.emit(vault, "PauserSet")
        .withArgs(stranger.address, true);
      expect(await vault.isPauser(stranger.address)).to.equal(true);
    });

    it("reverts with VaultZeroAddress for zero markets and pausers", async () => {
      const { vault, owner } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(owner).setMarket(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
      await expect(vault.connect(owner).setPauser(ethers.ZeroAddress, true)).to.be.revertedWithCustomError(
        vault,
        "VaultZeroAddress",
      );
    });

    it("lets only pausers pause and unpause", async () => {
      const { vault, pauser, owner } = await loadFixture(deployVaultFixture);
      await expect(vault.connect(owner).pause())
        .to.be.revertedWithCustomError(vault, "VaultNotPauser")
        .withArgs(owner.address);
      await expect(vault.connect(pauser).pause()).to.emit(vault, "Paused").withArgs(pauser.address);
      expect(await vault.paused()).to.equal(true);
      await expect(vault.connect(owner).unpause())
        .to.be.revertedWithCustomError(vault, "VaultNotPauser")
        .withArgs(owner.address);
      await expect(vault.connect(pauser).unpause()).to.emit(vault, "Unpaused").withArgs(pauser.address);
    });

    it("hands ownership over in two steps", async () => {
      const { vault, owner, stranger } = await loadFixture(deployVaultFixture);
      await vault.connect(owner).transferOwnership(stranger.address);
      expect(await vault.owner()).to.equal(owner.address);
      await vault.connect(stranger).acceptOwnership();
      expect(await vault.owner()).to.equal(stranger.address);
    });
  });
});
