// Attack (issue 11, item 10): `renounceOwnership`, inherited from OpenZeppelin's Ownable, was
// open on the vault and the Speed market. After a market is retired (or a pauser goes rogue),
// renouncing makes it permanent: no one can re-authorise the market, revoke the pauser or set
// grace bounds again. With the retirement freeze of item 2, the deal's escrow and the hosts'
// collateral were locked forever.
import { expect } from "chai";
import {
  deployStorageWith,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proveShards,
  recordsOf,
  settle,
} from "../storage/fixtures.js";

const { loadFixture } = networkHelpers;

async function sixHosts() {
  return deployStorageWith(6);
}

describe("attack: renouncing ownership makes a retirement permanent", () => {
  it("PoC: retire the storage market, renounce: the deal can never be finalized", async () => {
    const s = await loadFixture(sixHosts);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 1 });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
    await settle(s, d.dealId);
    await s.vault.connect(s.owner).setMarket(s.marketAddress, false);
    await s.vault.connect(s.owner).renounceOwnership();
    expect(await s.vault.owner()).to.equal("0x0000000000000000000000000000000000000000");
    await expect(s.vault.connect(s.owner).setMarket(s.marketAddress, true)).to.be.revertedWithCustomError(
      s.vault,
      "OwnableUnauthorizedAccount",
    );
    await expect(s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId))).to.be.revertedWithCustomError(
      s.vault,
      "VaultNotMarket",
    );
    console.log(`      locked for good: ${await s.vault.heldBy(s.marketAddress)} escrow`);
  });

  it("PoC: the Speed market's owner can renounce too", async () => {
    const s = await loadFixture(sixHosts);
    const { ethers } = await import("../storage/fixtures.js");
    const speed = await ethers.deployContract("SpeedMarket", [
      await s.vault.getAddress(),
      s.owner.address,
      3_600n,
      86_400n,
    ]);
    await speed.connect(s.owner).renounceOwnership();
    expect(await speed.owner()).to.equal("0x0000000000000000000000000000000000000000");
  });
});
