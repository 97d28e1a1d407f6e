// Exact boundaries of the vault's checks, found by `npm run mutate` (each test kills a mutant the
// main suite let through): a deadline equal to the block time, an escrow of exactly 2**128 - 1, an
// arbiter awarding everything, a reclaim at the deadline and one second after it, who may release
// an operator's escrow, the pause on createEscrowFor, the guard on every token-moving call, and
// token calls that fail with no reason.
import { expect } from "chai";
import type { Contract } from "ethers";
import { deployVaultFixture, ethers, networkHelpers, UNIT } from "./fixtures.js";

const { loadFixture, time } = networkHelpers;
const U128_MAX = (1n << 128n) - 1n;

describe("EscrowVault boundaries", () => {
  it("createEscrow: a deadline equal to the block time reverts with VaultEscrowDeadlineInPast; one second later is accepted", async () => {
    const { vault, alice, bob } = await loadFixture(deployVaultFixture);
    await vault.connect(alice).deposit(10n * UNIT);
    const t = BigInt(await time.latest()) + 100n;
    await time.setNextBlockTimestamp(t);
    await expect(vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, t, UNIT))
      .to.be.revertedWithCustomError(vault, "VaultEscrowDeadlineInPast")
      .withArgs(t);
    await time.setNextBlockTimestamp(t + 10n);
    await expect(vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, t + 11n, UNIT)).to.emit(
      vault,
      "EscrowCreated",
    );
  });

  it("createEscrow: exactly 2**128 - 1 is accepted; 2**128 reverts with VaultAmountTooLarge", async () => {
    const { btt, vault, owner, alice, bob } = await loadFixture(deployVaultFixture);
    await btt.connect(owner).mint(alice.address, 1n << 129n);
    await vault.connect(alice).deposit(1n << 129n);
    const deadline = BigInt(await time.latest()) + 3_600n;
    await expect(vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, 1n << 128n))
      .to.be.revertedWithCustomError(vault, "VaultAmountTooLarge")
      .withArgs(1n << 128n);
    await vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, U128_MAX);
    expect((await vault.escrow(1n)).amount).to.equal(U128_MAX);
  });

  it("resolveEscrow: the arbiter may award everything to the payee (toPayee == remaining), which deletes the escrow", async () => {
    const { vault, alice, bob, carol } = await loadFixture(deployVaultFixture);
    await vault.connect(alice).deposit(10n * UNIT);
    const deadline = BigInt(await time.latest()) + 3_600n;
    await vault.connect(alice).createEscrow(bob.address, carol.address, deadline, 4n * UNIT);
    await expect(vault.connect(carol).resolveEscrow(1n, 4n * UNIT))
      .to.emit(vault, "EscrowResolved")
      .withArgs(1n, 4n * UNIT, 0n);
    expect(await vault.balanceOf(bob.address)).to.equal(4n * UNIT);
    expect((await vault.escrow(1n)).payer).to.equal(ethers.ZeroAddress);
  });

  it("releaseEscrow: releasing exactly what is left is accepted and deletes the escrow", async () => {
    const { vault, alice, bob } = await loadFixture(deployVaultFixture);
    await vault.connect(alice).deposit(10n * UNIT);
    const deadline = BigInt(await time.latest()) + 3_600n;
    await vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, 3n * UNIT);
    await vault.connect(alice).releaseEscrow(1n, 3n * UNIT);
    expect((await vault.escrow(1n)).payer).to.equal(ethers.ZeroAddress);
  });

  it("reclaimEscrow: at the deadline reverts with VaultEscrowNotExpired; one second after is accepted", async () => {
    const { vault, alice, bob } = await loadFixture(deployVaultFixture);
    await vault.connect(alice).deposit(10n * UNIT);
    const deadline = BigInt(await time.latest()) + 3_600n;
    await vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, UNIT);
    await time.setNextBlockTimestamp(deadline);
    await expect(vault.connect(alice).reclaimEscrow(1n)).to.be.revertedWithCustomError(vault, "VaultEscrowNotExpired");
    await time.setNextBlockTimestamp(deadline + 1n);
    await expect(vault.connect(alice).reclaimEscrow(1n))
      .to.emit(vault, "EscrowReclaimed")
      .withArgs(1n, alice.address, UNIT);
  });

  it("withdraw and commit: exactly the whole balance is accepted, one more reverts with VaultInsufficientBalance", async () => {
    const { vault, alice, market } = await loadFixture(deployVaultFixture);
    await vault.connect(alice).deposit(5n * UNIT);
    await vault.connect(alice).setMarketApproval(market.address, true);
    await expect(vault.connect(alice).withdraw(5n * UNIT + 1n)).to.be.revertedWithCustomError(
      vault,
      "VaultInsufficientBalance",
    );
    await vault.connect(market).commit(alice.address, 2n * UNIT);
    await vault.connect(alice).withdraw(3n * UNIT);
    expect(await vault.balanceOf(alice.address)).to.equal(0n);
    // The market's pool: exactly what it holds can be released, one more cannot.
    await expect(vault.connect(market).release(alice.address, 2n * UNIT + 1n)).to.be.revertedWithCustomError(
      vault,
      "VaultInsufficientHeld",
    );
    await vault.connect(market).release(alice.address, 2n * UNIT);
    expect(await vault.heldBy(market.address)).to.equal(0n);
  });

  describe("every token-moving entry point is guarded", () => {
    async function reentrantFixture() {
      const [owner, alice, bob] = await ethers.getSigners();
      const token = await ethers.deployContract("MockReentrantToken");
      const vault = await ethers.deployContract("EscrowVault", [await token.getAddress(), owner!.address]);
      await token.mint(alice!.address, 10n * UNIT);
      await token.connect(alice).approve(await vault.getAddress(), 10n * UNIT);
      await vault.connect(alice).deposit(5n * UNIT);
      return { token, vault, alice: alice!, bob: bob! };
    }

    for (const entry of ["deposit", "depositFor", "withdraw", "withdrawTo"] as const) {
      it(`${entry}: a token hook calling back into the vault reverts with ReentrancyGuardReentrantCall`, async () => {
        const { token, vault, alice, bob } = await loadFixture(reentrantFixture);
        await token.arm(await vault.getAddress(), vault.interface.encodeFunctionData("withdraw", [1n]));
        const call = {
          deposit: () => vault.connect(alice).deposit(UNIT),
          depositFor: () => vault.connect(alice).depositFor(bob.address, UNIT),
          withdraw: () => vault.connect(alice).withdraw(UNIT),
          withdrawTo: () => vault.connect(alice).withdrawTo(bob.address, UNIT),
        }[entry];
        await expect(call()).to.be.revertedWithCustomError(vault, "ReentrancyGuardReentrantCall");
        expect(await vault.balanceOf(alice.address)).to.equal(5n * UNIT);
      });
    }
  });

  describe("escrows funded by a market (operator escrows)", () => {
    it("releaseEscrow: the payer and the operator may release; anyone else gets VaultEscrowUnauthorized", async () => {
      const { vault, alice, bob, carol, market, stranger } = await loadFixture(deployVaultFixture);
      await vault.connect(alice).deposit(10n * UNIT);
      await vault.connect(alice).setMarketApproval(market.address, true);
      await vault.connect(market).commit(alice.address, 5n * UNIT);
      const deadline = BigInt(await time.latest()) + 3_600n;
      await vault.connect(market).createEscrowFor(alice.address, bob.address, carol.address, deadline, 3n * UNIT);
      for (const who of [stranger, bob, carol]) {
        await expect(vault.connect(who).releaseEscrow(1n, UNIT))
          .to.be.revertedWithCustomError(vault, "VaultEscrowUnauthorized")
          .withArgs(1n, who.address);
      }
      await vault.connect(market).releaseEscrow(1n, UNIT);
      await vault.connect(alice).releaseEscrow(1n, UNIT);
      expect(await vault.balanceOf(bob.address)).to.equal(2n * UNIT);
    });

    it("createEscrowFor works while paused and after the market is retired: it moves value already held", async () => {
      const { vault, owner, alice, bob, market, pauser } = await loadFixture(deployVaultFixture);
      await vault.connect(alice).deposit(10n * UNIT);
      await vault.connect(alice).setMarketApproval(market.address, true);
      await vault.connect(market).commit(alice.address, 5n * UNIT);
      await vault.connect(pauser).pause();
      await vault.connect(owner).setMarket(market.address, false);
      const deadline = BigInt(await time.latest()) + 3_600n;
      await vault.connect(market).createEscrowFor(alice.address, bob.address, ethers.ZeroAddress, deadline, UNIT);
      expect((await vault.escrow(1n)).amount).to.equal(UNIT);
      expect(await vault.heldBy(market.address)).to.equal(4n * UNIT);
      // A pause still stops the user's own escrows (new commitments).
      await expect(
        vault.connect(alice).createEscrow(bob.address, ethers.ZeroAddress, deadline, UNIT),
      ).to.be.revertedWithCustomError(vault, "EnforcedPause");
    });
  });

  describe("token calls that fail without a reason", () => {
    it("a transferFrom or transfer that reverts with no data reverts with TokenCallFailed(token), and nothing moves", async () => {
      const [owner, alice] = await ethers.getSigners();
      const token = (await ethers.deployContract("MockSilentToken")) as unknown as Contract;
      const vault = await ethers.deployContract("EscrowVault", [await token.getAddress(), owner!.address]);
      await token.mint(alice!.address, 10n * UNIT);
      await (token.connect(alice) as Contract).approve(await vault.getAddress(), 10n * UNIT);
      await vault.connect(alice).deposit(5n * UNIT);
      await token.setSilent(true);
      // TokenCallFailed is raised in TokenTransfers' assembly: decode it with the library's ABI.
      const lib = await ethers.getContractAt("TokenTransfers", await vault.getAddress());
      await expect(vault.connect(alice).deposit(UNIT))
        .to.be.revertedWithCustomError(lib, "TokenCallFailed")
        .withArgs(await token.getAddress());
      await expect(vault.connect(alice).withdraw(UNIT))
        .to.be.revertedWithCustomError(lib, "TokenCallFailed")
        .withArgs(await token.getAddress());
      expect(await vault.balanceOf(alice!.address)).to.equal(5n * UNIT);
    });

    it("a token address without code: deposit reverts with TokenCallFailed (balanceOf returns nothing)", async () => {
      const [owner, alice, notAToken] = await ethers.getSigners();
      const vault = await ethers.deployContract("EscrowVault", [notAToken!.address, owner!.address]);
      const lib = await ethers.getContractAt("TokenTransfers", await vault.getAddress());
      await expect(vault.connect(alice).deposit(UNIT))
        .to.be.revertedWithCustomError(lib, "TokenCallFailed")
        .withArgs(notAToken!.address);
    });
  });
});
