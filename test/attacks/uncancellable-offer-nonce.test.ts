// Issue 11 item 6: offers carried a 48-bit nonce but the registry kept minNonce in 24 bits, so an
// offer signed with a nonce at or above 2**24 - 1 could never be cancelled. Pre-fix (commit
// 9a47bc8) cancelOffers(2**24 - 1) was the maximum and an offer at nonce 2**24 still opened a
// deal. Now nonces are 24-bit everywhere (typed data, calldata, registry) and cancelOffers goes
// up to 2**24, which cancels every one.
import { expect } from "chai";
import { InvalidArgumentError } from "../../sdk/src/errors.js";
import { MAX_OFFER_NONCE, offerCalldata, signStorageOfferWithEthers } from "../../sdk/src/storage/offer.js";
import { deployStorage, networkHelpers, prepareDeal } from "../storage/fixtures.js";

describe("attack: an offer nonce the host cannot cancel", () => {
  it("the largest nonce an offer can carry is cancellable; wider ones are refused everywhere", async () => {
    const s = await networkHelpers.loadFixture(deployStorage);
    const d = await prepareDeal(s, { shardCount: 2, minShards: 1, shardSize: 3_000, periods: 2 });
    const host = s.hosts[0]!;
    const wide = { ...d.unsigned[0]!, nonce: MAX_OFFER_NONCE + 1n };
    const sig = await signStorageOfferWithEthers(host, s.domain, { ...wide, nonce: 0n });
    expect(() => offerCalldata(wide, sig)).to.throw(InvalidArgumentError);
    // Raw calldata with bits above the 24-bit nonce is refused by the market.
    const forged = { ...d.offers[0]!, hostExpiryNonce: d.offers[0]!.hostExpiryNonce | (1n << 232n) };
    await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, [forged, d.offers[1]!]))
      .to.be.revertedWithCustomError(s.market, "StorageInvalidNonce")
      .withArgs(1n << 24n);
    // The largest nonce, signed and then cancelled.
    d.unsigned[0] = { ...d.unsigned[0]!, nonce: MAX_OFFER_NONCE };
    d.offers[0] = offerCalldata(d.unsigned[0]!, await signStorageOfferWithEthers(host, s.domain, d.unsigned[0]!));
    await expect(s.registry.connect(host).cancelOffers(2n ** 24n + 1n)).to.be.revertedWithCustomError(
      s.registry,
      "RegistryNonceNotIncreasing",
    );
    await s.registry.connect(host).cancelOffers(2n ** 24n);
    await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers))
      .to.be.revertedWithCustomError(s.registry, "RegistryOfferCancelled")
      .withArgs(host.address, MAX_OFFER_NONCE, 2n ** 24n);
    console.log(
      "      post-fix: nonce 2**24 - 1 cancelled by cancelOffers(2**24); wider nonces refused by SDK and market",
    );
  });
});
