// Issue 11 item 6: offers carry a 48-bit nonce but the registry keeps minNonce in 24 bits, so an
// offer signed with a nonce at or above 2**24 - 1 can never be cancelled.
import { expect } from "chai";
import { offerCalldata, signStorageOfferWithEthers } from "../../sdk/src/storage/offer.js";
import { deployStorage, networkHelpers, prepareDeal } from "../storage/fixtures.js";

describe("attack: an offer nonce the host cannot cancel", () => {
  it("ATTACK (pre-fix): an offer at nonce 2**24 survives every cancelOffers and opens a deal", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 2, minShards: 1, shardSize: 3_000, periods: 2 });
    const host = s.hosts[0]!;
    const nonce = 2n ** 24n;
    d.unsigned[0] = { ...d.unsigned[0]!, nonce };
    d.offers[0] = offerCalldata(d.unsigned[0]!, await signStorageOfferWithEthers(host, s.domain, d.unsigned[0]!));
    await expect(s.registry.connect(host).cancelOffers(nonce + 1n)).to.be.revertedWithCustomError(
      s.registry,
      "RegistryNonceNotIncreasing",
    );
    await s.registry.connect(host).cancelOffers(2n ** 24n - 1n); // the most it can cancel
    await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers)).to.emit(s.market, "DealOpened");
    console.log(
      "      pre-fix: cancelOffers(2**24 - 1) is the maximum; the offer at nonce 2**24 still opened the deal",
    );
  });
});
