// Attack (issue 11, item 10): `renounceOwnership`, inherited from OpenZeppelin's Ownable, was
// open on the vault and the Speed market. After a market was retired (or a pauser went rogue),
// renouncing made it permanent: no one could re-authorise the market, revoke the pauser or set
// grace bounds again. With the retirement freeze of item 2, the deal's escrow (4 BTT) and the
// hosts' collateral were locked forever. Now both contracts refuse to renounce
// (OwnershipNotRenounceable, PermanentOwnable) and a retired market settles anyway.
import { expect } from "chai";
import {
  deployStorageWith,
  ethers,
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
  it("the vault refuses renounceOwnership; a retired storage market's deal still finalizes", async () => {
    const s = await loadFixture(sixHosts);
    const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 1 });
    await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
    await proveShards(s, d, await openAndDraw(s, d.dealId), [0, 1, 2]);
    await settle(s, d.dealId);
    await s.vault.connect(s.owner).setMarket(s.marketAddress, false);
    await expect(s.vault.connect(s.owner).renounceOwnership()).to.be.revertedWithCustomError(
      s.vault,
      "OwnershipNotRenounceable",
    );
    expect(await s.vault.owner()).to.equal(s.owner.address);
    await s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId));
    expect(await s.vault.heldBy(s.marketAddress)).to.equal(0n);
    // The owner can still hand over, in two steps.
    await s.vault.connect(s.owner).transferOwnership(s.keeper.address);
    await s.vault.connect(s.keeper).acceptOwnership();
    expect(await s.vault.owner()).to.equal(s.keeper.address);
  });

  it("the Speed market refuses renounceOwnership", async () => {
    const s = await loadFixture(sixHosts);
    const speed = await ethers.deployContract("SpeedMarket", [
      await s.vault.getAddress(),
      s.owner.address,
      3_600n,
      86_400n,
    ]);
    for (const caller of [s.owner, s.stranger]) {
      await expect(speed.connect(caller).renounceOwnership()).to.be.revertedWithCustomError(
        speed,
        "OwnershipNotRenounceable",
      );
    }
    expect(await speed.owner()).to.equal(s.owner.address);
  });
});
