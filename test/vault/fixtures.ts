import { network } from "hardhat";

/** One connection per test file: Hardhat 3 gives each its own in-process chain. */
export const { ethers, networkHelpers } = await network.create();

export const UNIT = 10n ** 18n;

/** A vault over test BTT with an owner, a pauser, a market contract stand-in and funded users. */
export async function deployVaultFixture() {
  const [owner, pauser, alice, bob, carol, market, stranger] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
  const vaultAddress = await vault.getAddress();
  await vault.connect(owner).setPauser(pauser.address, true);
  await vault.connect(owner).setMarket(market.address, true);
  for (const user of [alice, bob, carol]) {
    await btt.connect(owner).mint(user.address, 1_000n * UNIT);
    await btt.connect(user).approve(vaultAddress, 2n ** 256n - 1n);
  }
  return { btt, vault, vaultAddress, owner, pauser, alice, bob, carol, market, stranger };
}
