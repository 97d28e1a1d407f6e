// Property E3 (test/PROPERTIES.md) across the markets: no owner or pauser action makes value
// already committed unable to settle, finalize, exit, redeem, close, refund, claim or withdraw.
// Each case takes an action mid-deal and mid-bid, then runs everything to the end and withdraws
// every free balance. The vault's own handler (EscrowVault.invariants.t.sol) checks the same at
// random; test/attacks covers retirement alone, renouncing and the grace floor.
import { expect } from "chai";
import { speedDomain } from "../../sdk/src/speed/receipt.js";
import { receipt } from "../speed/fixtures.js";
import {
  CONFIG,
  deployStorageWith,
  ethers,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  recordsOf,
  settle,
  UNIT,
} from "../storage/fixtures.js";

const { loadFixture, time } = networkHelpers;
const V2 = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";
const MIB = 1n << 20n;
const PRICE = UNIT / 100n;

/** Six staked hosts, a Speed market, a 4-shard deal over hosts 0-3 and a bid, both under way. */
async function underWay() {
  const s = await deployStorageWith(6);
  const [, , , , downloader, seeder] = await ethers.getSigners();
  const vaultAddress = await s.vault.getAddress();
  const speed = await ethers.deployContract("SpeedMarket", [vaultAddress, s.owner.address, 3_600n, 86_400n]);
  const speedAddress = await speed.getAddress();
  await s.vault.setMarket(speedAddress, true);
  await s.btt.mint(downloader!.address, 100n * UNIT);
  await s.btt.connect(downloader!).approve(vaultAddress, 100n * UNIT);
  await s.vault.connect(downloader!).deposit(100n * UNIT);
  await s.vault.connect(downloader!).setMarketApproval(speedAddress, true);
  await speed.connect(downloader!).openBid(V2, 2, PRICE, 10n * UNIT, BigInt(await time.latest()) + 86_400n, 3_600n);
  const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 4 });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  // Shard 3 never proves; shard 2's host will exit after one period.
  await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
  await settle(s, d.dealId);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = speedDomain({ chainId, verifyingContract: speedAddress });
  return { s, d, speed, speedAddress, domain, downloader: downloader!, seeder: seeder! };
}

type Setup = Awaited<ReturnType<typeof underWay>>;

/** Runs the deal and the bid to their end and withdraws every free balance. */
async function finishEverything(x: Setup) {
  const { s, d, speed, domain, downloader, seeder } = x;
  // The bid: redeem, claim, close, refund after the grace.
  await speed.redeem(await receipt(downloader, domain, 1n, seeder.address, 100n * MIB));
  await speed.claim(seeder.address, [1n]);
  await speed.connect(downloader).closeBid(1n);
  await time.increase(3_601);
  await speed.refundBid(1n);
  // The deal: host 2 exits to host 4; shard 3 is lost on its third miss; the deal finalizes.
  const offer = await handoverOffer(s, d, 2, 1, s.hosts[4]!);
  await s.hosting
    .connect(s.hosts[2]!)
    .exitShard(d.dealId, await recordsOf(s, d.dealId), 2, d.roots[2]!, proofFor(d, ethers.ZeroHash, 2).rootPath, offer);
  for (let period = 1; period < 4; period++) {
    await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
    await settle(s, d.dealId);
  }
  await s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId));
  expect(await s.vault.heldBy(s.marketAddress)).to.equal(0n);
  expect(await s.vault.heldBy(x.speedAddress)).to.equal(0n);
  expect(await s.vault.heldBy(await s.registry.getAddress())).to.equal(
    6n * 500n * UNIT - BigInt(CONFIG.missesToLose) * ((10n * UNIT * BigInt(CONFIG.slashBps)) / 10_000n),
  );
  for (const who of [s.tenant, downloader, seeder, ...s.hosts]) {
    const free = await s.vault.balanceOf(who.address);
    if (free !== 0n) await s.vault.connect(who).withdraw(free);
    expect(await s.vault.balanceOf(who.address)).to.equal(0n);
  }
}

describe("owner actions never strand committed value (E3)", () => {
  it("pausing the vault mid-deal and mid-bid", async () => {
    const x = await loadFixture(underWay);
    await x.s.vault.connect(x.s.owner).pause();
    await finishEverything(x);
    expect(await x.s.vault.paused()).to.equal(true);
  });

  it("retiring both markets and pausing", async () => {
    const x = await loadFixture(underWay);
    await x.s.vault.connect(x.s.owner).setMarket(x.s.marketAddress, false);
    await x.s.vault.connect(x.s.owner).setMarket(x.speedAddress, false);
    await x.s.vault.connect(x.s.owner).pause();
    await finishEverything(x);
  });

  it("changing the grace bounds and handing ownership over mid-bid", async () => {
    const x = await loadFixture(underWay);
    await x.speed.connect(x.s.owner).setGraceBounds(7_200n, 86_400n);
    await x.speed.connect(x.s.owner).transferOwnership(x.s.keeper.address);
    await x.speed.connect(x.s.keeper).acceptOwnership();
    await x.s.vault.connect(x.s.owner).transferOwnership(x.s.keeper.address);
    await x.s.vault.connect(x.s.keeper).acceptOwnership();
    // The open bid keeps the grace it was opened with.
    expect((await x.speed.bid(1n)).grace).to.equal(3_600n);
    await finishEverything(x);
  });
});
