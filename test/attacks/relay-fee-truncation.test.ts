// Attack (issue 11, item 7): a relayer's unclaimed fees above 2**96 are lost. SpeedSlots books
// them in 128 bits, but `RelayAccount.unclaimed` was a uint96, so `claimRelayFees` paid and
// cleared only the low 96 bits: the rest stayed in the market's pool, owned by no one.
import { expect } from "chai";
import { network } from "hardhat";
import { receipt, relay } from "../speed/fixtures.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const MAX96 = 2n ** 96n - 1n;
const MAX_PRICE = 2n ** 72n - 1n;
/** Worth more than a full budget at the top price: 2**45 bytes * (2**72 - 1) / 2**20 > 2**96. */
const BYTES = 2n ** 45n;
const V2 = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";

async function twoFullBids() {
  const [owner, downloader, seeder, relayer] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner!.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner!.address]);
  const vaultAddress = await vault.getAddress();
  const market = await ethers.deployContract("SpeedMarket", [vaultAddress, owner!.address, 3_600n, 86_400n]);
  const marketAddress = await market.getAddress();
  await vault.setMarket(marketAddress, true);
  await btt.mint(downloader!.address, 2n * MAX96);
  await btt.connect(downloader!).approve(vaultAddress, 2n * MAX96);
  await vault.connect(downloader!).deposit(2n * MAX96);
  await vault.connect(downloader!).setMarketApproval(marketAddress, true);
  const expiry = BigInt(await time.latest()) + 86_400n;
  for (let i = 0; i < 2; i++) await market.connect(downloader!).openBid(V2, 2, MAX_PRICE, MAX96, expiry, 3_600n);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = { name: "bttkit SpeedMarket", version: "1", chainId, verifyingContract: marketAddress };
  return { vault, market, marketAddress, downloader: downloader!, seeder: seeder!, relayer: relayer!, domain };
}

/** The relayer redeems both bids' full budgets under two nonces, taking each payment as its fee. */
async function relayBoth(f: Awaited<ReturnType<typeof twoFullBids>>) {
  const deadline = BigInt(await time.latest()) + 3_600n;
  for (const bidId of [1n, 2n]) {
    const terms = { seeder: f.seeder.address, relayer: f.relayer.address, maxFee: MAX96, nonce: bidId, deadline };
    await f.market
      .connect(f.relayer)
      .redeemRelayed(
        await receipt(f.downloader, f.domain, bidId, f.seeder.address, BYTES),
        await relay(f.seeder, f.domain, terms, MAX96),
      );
  }
}

describe("attack: relay fees above 2**96 are truncated", () => {
  it("PoC: fees of 2 * (2**96 - 1) are booked; claimRelayFees pays 2**96 - 2 and strands 2**96", async () => {
    const f = await loadFixture(twoFullBids);
    await relayBoth(f);
    const fees = 2n * MAX96;
    expect(await f.vault.heldBy(f.marketAddress)).to.equal(fees);
    await f.market.claimRelayFees(f.relayer.address, [f.seeder.address]);
    const paid = await f.vault.balanceOf(f.relayer.address);
    const stranded = await f.vault.heldBy(f.marketAddress);
    console.log(`      booked ${fees}, paid ${paid}, stranded ${stranded}`);
    expect(paid).to.equal(fees % 2n ** 96n);
    expect(stranded).to.equal(2n ** 96n);
    // The view says nothing is owed, and a second claim finds nothing to pay.
    expect((await f.market.relayAccount(f.seeder.address, f.relayer.address)).unclaimed).to.equal(0n);
    await expect(f.market.claimRelayFees(f.relayer.address, [f.seeder.address])).to.be.revertedWithCustomError(
      f.market,
      "SpeedNothingToPay",
    );
  });
});
