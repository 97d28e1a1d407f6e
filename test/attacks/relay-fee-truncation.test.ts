// Attack (issue 11, item 7): a relayer's unclaimed fees above 2**96 were lost. SpeedSlots booked
// them in 128 bits, but `RelayAccount.unclaimed` was a uint96, so `claimRelayFees` paid and
// cleared only the low 96 bits: the rest stayed in the market's pool, owned by no one. Before the
// fix, fees of 2 * (2**96 - 1) paid 2**96 - 2 and stranded 2**96. Now the field is a uint128 (the
// word's top 128 bits, as SpeedSlots reads it) and booking past 2**128 - 1 reverts.
import { expect } from "chai";
import { AbiCoder, keccak256 } from "ethers";
import { network } from "hardhat";
import { receipt, relay } from "../speed/fixtures.js";

const { ethers, networkHelpers } = await network.create();
const { loadFixture, time } = networkHelpers;

const MAX96 = 2n ** 96n - 1n;
const MAX_PRICE = 2n ** 72n - 1n;
/** Worth more than a full budget at the top price: 2**45 bytes * (2**72 - 1) / 2**20 > 2**96. */
const BYTES = 2n ** 45n;
/** A third, small budget. */
const SMALL = 10n ** 18n;
const V2 = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";

async function twoFullBids() {
  const [owner, downloader, seeder, relayer] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner!.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner!.address]);
  const vaultAddress = await vault.getAddress();
  const market = await ethers.deployContract("SpeedMarket", [vaultAddress, owner!.address, 3_600n, 86_400n]);
  const marketAddress = await market.getAddress();
  await vault.setMarket(marketAddress, true);
  const funds = 2n * MAX96 + SMALL;
  await btt.mint(downloader!.address, funds);
  await btt.connect(downloader!).approve(vaultAddress, funds);
  await vault.connect(downloader!).deposit(funds);
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
  it("fees of 2 * (2**96 - 1) are claimed in full; the pool empties", async () => {
    const f = await loadFixture(twoFullBids);
    await relayBoth(f);
    const fees = 2n * MAX96;
    expect(await f.vault.heldBy(f.marketAddress)).to.equal(fees);
    expect((await f.market.relayAccount(f.seeder.address, f.relayer.address)).unclaimed).to.equal(fees);
    await expect(f.market.claimRelayFees(f.relayer.address, [f.seeder.address]))
      .to.emit(f.market, "RelayFeesClaimed")
      .withArgs(f.relayer.address, fees);
    expect(await f.vault.balanceOf(f.relayer.address)).to.equal(fees);
    expect(await f.vault.heldBy(f.marketAddress)).to.equal(0n);
    expect((await f.market.relayAccount(f.seeder.address, f.relayer.address)).unclaimed).to.equal(0n);
  });

  it("refuses with SpeedRelayFeesOverflow a fee that would take unclaimed fees past 2**128 - 1", async () => {
    const f = await loadFixture(twoFullBids);
    await relayBoth(f);
    // 2**32 relayed full budgets would be needed to get near 2**128: write the account's word
    // (nonce 2, fee taken 2**96 - 1, unclaimed 2**128 - 1) in place, found by its value.
    const unclaimed = 2n ** 128n - 1n;
    const slot = await relaySlot(f, 2n | (MAX96 << 32n) | ((2n * MAX96) << 128n));
    await networkHelpers.setStorageAt(f.marketAddress, slot, 2n | (MAX96 << 32n) | (unclaimed << 128n));
    expect((await f.market.relayAccount(f.seeder.address, f.relayer.address)).unclaimed).to.equal(unclaimed);
    const expiry = BigInt(await time.latest()) + 86_400n;
    await f.market.connect(f.downloader).openBid(V2, 2, MAX_PRICE, SMALL, expiry, 3_600n);
    const deadline = BigInt(await time.latest()) + 3_600n;
    const terms = { seeder: f.seeder.address, relayer: f.relayer.address, maxFee: MAX96, nonce: 3n, deadline };
    const fee = 1n;
    await expect(
      f.market
        .connect(f.relayer)
        .redeemRelayed(
          await receipt(f.downloader, f.domain, 3n, f.seeder.address, BYTES),
          await relay(f.seeder, f.domain, terms, fee),
        ),
    )
      .to.be.revertedWithCustomError(f.market, "SpeedRelayFeesOverflow")
      .withArgs(unclaimed, fee);
    // One below, the same fee fills the field exactly.
    await networkHelpers.setStorageAt(f.marketAddress, slot, 2n | (MAX96 << 32n) | ((unclaimed - fee) << 128n));
    await f.market
      .connect(f.relayer)
      .redeemRelayed(
        await receipt(f.downloader, f.domain, 3n, f.seeder.address, BYTES),
        await relay(f.seeder, f.domain, terms, fee),
      );
    expect((await f.market.relayAccount(f.seeder.address, f.relayer.address)).unclaimed).to.equal(unclaimed);
  });
});

/** The storage slot of the seeder-relayer account, found by the word it holds. */
async function relaySlot(f: Awaited<ReturnType<typeof twoFullBids>>, word: bigint) {
  const abi = AbiCoder.defaultAbiCoder();
  for (let base = 0n; base < 32n; base++) {
    const inner = keccak256(abi.encode(["address", "uint256"], [f.seeder.address, base]));
    const slot = keccak256(abi.encode(["address", "bytes32"], [f.relayer.address, inner]));
    if (BigInt(await ethers.provider.getStorage(f.marketAddress, slot)) === word) return slot;
  }
  throw new Error("relay account slot not found");
}
