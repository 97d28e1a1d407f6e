// Attack (issue 11, item 8): a token that charges its transfer fee to the SENDER. The recipient
// gets exactly the amount, so a push that checks only the recipient's gain passes, but each
// withdrawal took amount + fee out of the vault: the vault fell below its books and the last
// user could not withdraw (before the fix: after Alice withdrew 1,000,000, 990,000 tokens were
// left for Bob's 1,000,000). Now `TokenTransfers.push` also checks that the vault's own balance
// fell by exactly the amount, and `pull` that the depositor's fell by exactly the amount: such a
// token is refused at deposit, and if its fee appears later, withdrawals revert (nothing is paid
// out of another's share) until it goes away.
import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const AMOUNT = 1_000_000n;

/** Alice and Bob deposit AMOUNT each while the token charges nothing; then its 1% fee starts. */
async function senderFeeVault() {
  const [owner, alice, bob] = await ethers.getSigners();
  const token = await ethers.deployContract("MockSenderFeeToken");
  const vault = await ethers.deployContract("EscrowVault", [await token.getAddress(), owner!.address]);
  const vaultAddress = await vault.getAddress();
  await token.setFeeBps(0);
  for (const user of [alice!, bob!]) {
    await token.mint(user.address, 3n * AMOUNT);
    await token.connect(user).approve(vaultAddress, 3n * AMOUNT);
    await vault.connect(user).deposit(AMOUNT);
  }
  await token.setFeeBps(100);
  return { token, vault, vaultAddress, alice: alice!, bob: bob! };
}

describe("attack: a sender-side-fee token drains the vault below its books", () => {
  it("a deposit that costs the depositor more than the amount is refused (TokenPullOvercharged)", async () => {
    const { token, vault, alice } = await loadFixture(senderFeeVault);
    await expect(vault.connect(alice).deposit(AMOUNT))
      .to.be.revertedWithCustomError(vault, "TokenPullOvercharged")
      .withArgs(await token.getAddress(), alice.address, AMOUNT, AMOUNT + AMOUNT / 100n);
    expect(await vault.balanceOf(alice.address)).to.equal(AMOUNT);
  });

  it("a withdrawal that would take amount + fee reverts TokenPushOvercharged; books and tokens stay equal", async () => {
    const { token, vault, vaultAddress, alice, bob } = await loadFixture(senderFeeVault);
    await expect(vault.connect(alice).withdraw(AMOUNT))
      .to.be.revertedWithCustomError(vault, "TokenPushOvercharged")
      .withArgs(await token.getAddress(), AMOUNT, AMOUNT + AMOUNT / 100n);
    expect(await token.balanceOf(vaultAddress)).to.equal(2n * AMOUNT);
    expect((await vault.balanceOf(alice.address)) + (await vault.balanceOf(bob.address))).to.equal(2n * AMOUNT);
  });

  it("withdrawals work again, in full for everyone, once the token stops charging", async () => {
    const { token, vault, vaultAddress, alice, bob } = await loadFixture(senderFeeVault);
    await token.setFeeBps(0);
    await vault.connect(alice).withdraw(AMOUNT);
    await vault.connect(bob).withdraw(AMOUNT);
    expect(await token.balanceOf(vaultAddress)).to.equal(0n);
    expect(await token.balanceOf(bob.address)).to.equal(3n * AMOUNT);
  });
});
