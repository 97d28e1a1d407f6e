// Energy (gas) of the vault's entry points, next to a bare TRC-20 transferFrom and transfer
// measured in the same run. EVM gas includes the 21,000 base and calldata; on TRON, energy
// excludes both (calldata costs bandwidth instead), so these figures are upper bounds there.

import type { ContractTransactionResponse } from "ethers";
import { network } from "hardhat";

const { ethers, networkHelpers } = await network.create();
const UNIT = 10n ** 18n;

async function gasOf(tx: Promise<ContractTransactionResponse>): Promise<bigint> {
  const receipt = await (await tx).wait();
  if (receipt === null) throw new Error("no receipt");
  return receipt.gasUsed;
}

const [owner, alice, bob, market] = await ethers.getSigners();
const btt = await ethers.deployContract("TestBTT", [owner.address]);
const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
const vaultAddress = await vault.getAddress();
await vault.setMarket(market.address, true);
for (const user of [alice, bob]) {
  await btt.mint(user.address, 1_000_000n * UNIT);
}
// A finite allowance, so every transferFrom also rewrites it (the dearer, common case).
await btt.connect(alice).approve(vaultAddress, 500_000n * UNIT);
await btt.connect(bob).approve(alice.address, 500_000n * UNIT);
await btt.mint(owner.address, UNIT); // the recipient of the bare transfers already holds tokens

const rows: [string, bigint, string][] = [];
const row = (name: string, gas: bigint, target = "") => rows.push([name, gas, target]);

row(
  "bare TRC-20 transferFrom (repeat)",
  await gasOf(btt.connect(alice).transferFrom(bob.address, owner.address, UNIT)),
);
row(
  "bare TRC-20 transferFrom (repeat, 2nd)",
  await gasOf(btt.connect(alice).transferFrom(bob.address, owner.address, UNIT)),
);
row("bare TRC-20 transfer (to a holder)", await gasOf(btt.connect(bob).transfer(owner.address, UNIT)));
row("deposit (first)", await gasOf(vault.connect(alice).deposit(100n * UNIT)));
row("deposit (repeat, finite allowance)", await gasOf(vault.connect(alice).deposit(100n * UNIT)), "target <= 50,000");
await btt.connect(alice).approve(vaultAddress, ethers.MaxUint256);
row(
  "deposit (repeat, unlimited allowance)",
  await gasOf(vault.connect(alice).deposit(100n * UNIT)),
  "target <= 50,000",
);
row("depositFor (repeat credit)", await gasOf(vault.connect(alice).depositFor(alice.address, UNIT)));
row("withdraw (to an existing holder)", await gasOf(vault.connect(alice).withdraw(UNIT)), "target <= 45,000");
row("withdrawTo (to an existing holder)", await gasOf(vault.connect(alice).withdrawTo(owner.address, UNIT)));
const deadline = BigInt(await networkHelpers.time.latest()) + 3600n;
row("createEscrow", await gasOf(vault.connect(alice).createEscrow(bob.address, owner.address, deadline, 10n * UNIT)));
row("releaseEscrow (partial)", await gasOf(vault.connect(alice).releaseEscrow(1n, UNIT)));
await vault.connect(alice).createEscrow(bob.address, owner.address, deadline, 10n * UNIT);
row("resolveEscrow", await gasOf(vault.connect(owner).resolveEscrow(2n, 4n * UNIT)));
await networkHelpers.time.increaseTo(deadline + 1n);
row("reclaimEscrow", await gasOf(vault.connect(alice).reclaimEscrow(1n)));
await vault.connect(alice).setMarketApproval(market.address, true);
row("market commit (first into the pool)", await gasOf(vault.connect(market).commit(alice.address, 10n * UNIT)));
row("market commit (repeat)", await gasOf(vault.connect(market).commit(alice.address, 10n * UNIT)));
row("market release (internal move, no token transfer)", await gasOf(vault.connect(market).release(bob.address, UNIT)));

const width = Math.max(...rows.map(([name]) => name.length));
console.log("EscrowVault energy (EVM gasUsed incl. 21,000 base)\n");
for (const [name, gas, target] of rows) {
  console.log(`${name.padEnd(width)}  ${gas.toLocaleString("en-US").padStart(8)}  ${target}`);
}
