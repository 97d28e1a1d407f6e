// Attack (issue 11, item 9): `commit` added `uint248(amount)` to the market's pool without a
// bound. With a token whose supply passes 2**248, committing 2**248 + 5 debited the account
// 2**248 + 5 and credited the pool 5: 2**248 was destroyed (booked nowhere, held by the vault),
// and a pool passing 2**248 - 1 panicked. Now every addition to a pool (commit, transferHeld)
// is bounded first and refused with VaultHeldOverflow, leaving every balance as it was.
import { expect } from "chai";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();
const { loadFixture } = networkHelpers;
const MAX248 = 2n ** 248n - 1n;

async function hugeBalances() {
  const [owner, alice, market, other] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner!.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner!.address]);
  const vaultAddress = await vault.getAddress();
  for (const m of [market!, other!]) await vault.setMarket(m.address, true);
  const amount = 2n ** 249n;
  await btt.mint(alice!.address, amount);
  await btt.connect(alice!).approve(vaultAddress, amount);
  await vault.connect(alice!).deposit(amount);
  for (const m of [market!, other!]) await vault.connect(alice!).setMarketApproval(m.address, true);
  return { btt, vault, vaultAddress, alice: alice!, market: market!, other: other! };
}

describe("attack: uint248 casts of held amounts", () => {
  it("commit(2**248 + 5) reverts VaultHeldOverflow and debits nothing", async () => {
    const { vault, alice, market } = await loadFixture(hugeBalances);
    const free = await vault.balanceOf(alice.address);
    await expect(vault.connect(market).commit(alice.address, 2n ** 248n + 5n))
      .to.be.revertedWithCustomError(vault, "VaultHeldOverflow")
      .withArgs(market.address, 0n, 2n ** 248n + 5n);
    expect(await vault.balanceOf(alice.address)).to.equal(free);
    expect(await vault.heldBy(market.address)).to.equal(0n);
  });

  it("a pool may reach 2**248 - 1 exactly; one more by commit or transferHeld reverts VaultHeldOverflow", async () => {
    const { vault, alice, market, other } = await loadFixture(hugeBalances);
    await vault.connect(market).commit(alice.address, MAX248);
    expect(await vault.heldBy(market.address)).to.equal(MAX248);
    await vault.connect(other).commit(alice.address, 1n);
    await expect(vault.connect(other).transferHeld(market.address, 1n))
      .to.be.revertedWithCustomError(vault, "VaultHeldOverflow")
      .withArgs(market.address, MAX248, 1n);
    await expect(vault.connect(market).commit(alice.address, 1n))
      .to.be.revertedWithCustomError(vault, "VaultHeldOverflow")
      .withArgs(market.address, MAX248, 1n);
    expect(await vault.heldBy(other.address)).to.equal(1n);
    // Paid out, the pool takes transfers again.
    await vault.connect(market).release(alice.address, 1n);
    await vault.connect(other).transferHeld(market.address, 1n);
    expect(await vault.heldBy(market.address)).to.equal(MAX248);
  });
});
