import { expect } from "chai";
import { ethers, networkHelpers } from "./fixtures.js";

const { loadFixture } = networkHelpers;
const AMOUNT = 1_000_000n;

async function hostileFixture() {
  const [owner, alice, bob] = await ethers.getSigners();
  const deployVault = async (token: { getAddress(): Promise<string> }) =>
    ethers.deployContract("EscrowVault", [await token.getAddress(), owner.address]);
  const usdt = await ethers.deployContract("MockUSDTLike");
  const fee = await ethers.deployContract("MockFeeOnTransferToken");
  const reentrant = await ethers.deployContract("MockReentrantToken");
  const noReturn = await ethers.deployContract("MockNoReturnToken");
  const vaults = {
    usdt: await deployVault(usdt),
    fee: await deployVault(fee),
    reentrant: await deployVault(reentrant),
    noReturn: await deployVault(noReturn),
  };
  for (const [token, vault] of [
    [usdt, vaults.usdt],
    [fee, vaults.fee],
    [reentrant, vaults.reentrant],
    [noReturn, vaults.noReturn],
  ] as const) {
    await token.mint(alice.address, 10n * AMOUNT);
    await token.connect(alice).approve(await vault.getAddress(), 10n * AMOUNT);
  }
  return { owner, alice, bob, usdt, fee, reentrant, noReturn, vaults };
}

describe("EscrowVault with hostile tokens", () => {
  describe("a USDT-like token whose transfer returns false", () => {
    it("deposits, and withdraws although transfer returns false", async () => {
      const { usdt, vaults, alice, bob } = await loadFixture(hostileFixture);
      await vaults.usdt.connect(alice).deposit(AMOUNT);
      await vaults.usdt.connect(alice).withdrawTo(bob.address, AMOUNT / 4n);
      await vaults.usdt.connect(alice).withdraw(AMOUNT / 4n);
      expect(await usdt.balanceOf(bob.address)).to.equal(AMOUNT / 4n);
      expect(await usdt.balanceOf(alice.address)).to.equal(10n * AMOUNT - AMOUNT + AMOUNT / 4n);
      expect(await vaults.usdt.balanceOf(alice.address)).to.equal(AMOUNT / 2n);
      expect(await usdt.balanceOf(await vaults.usdt.getAddress())).to.equal(AMOUNT / 2n);
    });
  });

  describe("a fee-on-transfer token", () => {
    it("is refused at deposit with VaultFeeOnTransferToken, and nothing moves", async () => {
      const { fee, vaults, alice } = await loadFixture(hostileFixture);
      await expect(vaults.fee.connect(alice).deposit(AMOUNT))
        .to.be.revertedWithCustomError(vaults.fee, "VaultFeeOnTransferToken")
        .withArgs(AMOUNT, AMOUNT - AMOUNT / 100n);
      expect(await fee.balanceOf(alice.address)).to.equal(10n * AMOUNT);
      expect(await vaults.fee.balanceOf(alice.address)).to.equal(0n);
    });

    it("reverts a withdrawal with TokenPushShortfall when a fee appears after deposit, keeping the balance", async () => {
      const { fee, vaults, alice } = await loadFixture(hostileFixture);
      const vault = vaults.fee;
      await fee.setFeeBps(0);
      await vault.connect(alice).deposit(AMOUNT);
      await fee.setFeeBps(100);
      await expect(vault.connect(alice).withdraw(AMOUNT))
        .to.be.revertedWithCustomError(vault, "TokenPushShortfall")
        .withArgs(await fee.getAddress(), alice.address, AMOUNT, AMOUNT - AMOUNT / 100n);
      expect(await vault.balanceOf(alice.address)).to.equal(AMOUNT);
      expect(await fee.balanceOf(await vault.getAddress())).to.equal(AMOUNT);
    });
  });

  describe("a token that re-enters the vault on transfer", () => {
    it("cannot re-enter withdraw during a withdraw: the call reverts and balances stay", async () => {
      const { reentrant, vaults, alice } = await loadFixture(hostileFixture);
      const vault = vaults.reentrant;
      await vault.connect(alice).deposit(AMOUNT);
      await reentrant.arm(await vault.getAddress(), vault.interface.encodeFunctionData("withdraw", [1n]));
      await expect(vault.connect(alice).withdraw(AMOUNT / 2n)).to.be.revertedWithCustomError(
        vault,
        "ReentrancyGuardReentrantCall",
      );
      expect(await vault.balanceOf(alice.address)).to.equal(AMOUNT);
      expect(await reentrant.balanceOf(await vault.getAddress())).to.equal(AMOUNT);
    });

    it("cannot re-enter deposit during a deposit", async () => {
      const { reentrant, vaults, alice } = await loadFixture(hostileFixture);
      const vault = vaults.reentrant;
      await reentrant.arm(await vault.getAddress(), vault.interface.encodeFunctionData("deposit", [1n]));
      await expect(vault.connect(alice).deposit(AMOUNT)).to.be.revertedWithCustomError(
        vault,
        "ReentrancyGuardReentrantCall",
      );
      expect(await vault.balanceOf(alice.address)).to.equal(0n);
      expect(await reentrant.balanceOf(alice.address)).to.equal(10n * AMOUNT);
    });

    it("works normally once disarmed", async () => {
      const { reentrant, vaults, alice } = await loadFixture(hostileFixture);
      const vault = vaults.reentrant;
      await vault.connect(alice).deposit(AMOUNT);
      await vault.connect(alice).withdraw(AMOUNT);
      expect(await reentrant.balanceOf(alice.address)).to.equal(10n * AMOUNT);
    });
  });

  describe("a token with no return values", () => {
    it("deposits and withdraws", async () => {
      const { noReturn, vaults, alice } = await loadFixture(hostileFixture);
      await vaults.noReturn.connect(alice).deposit(AMOUNT);
      expect(await vaults.noReturn.balanceOf(alice.address)).to.equal(AMOUNT);
      await vaults.noReturn.connect(alice).withdraw(AMOUNT);
      expect(await noReturn.balanceOf(alice.address)).to.equal(10n * AMOUNT);
    });

    it("bubbles the token's error when the pull fails, and credits nothing", async () => {
      const { noReturn, vaults, alice } = await loadFixture(hostileFixture);
      await expect(vaults.noReturn.connect(alice).deposit(11n * AMOUNT)).to.be.revertedWithCustomError(
        noReturn,
        "NoReturnInsufficient",
      );
      expect(await vaults.noReturn.balanceOf(alice.address)).to.equal(0n);
    });
  });
});
