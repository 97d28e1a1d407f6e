import { expect } from "chai";
import { Wallet } from "ethers";
import parseTorrent, { toTorrentFile } from "parse-torrent";
import { TronWeb } from "tronweb";
import {
  infohashesFromMagnet,
  infohashesFromTorrent,
  infohashFromHex,
  infohashFromMagnet,
  infohashFromTorrent,
  infohashToHex,
} from "../../sdk/src/speed/infohash.js";
import {
  amountPayable,
  packReceiptKey,
  packRedemption,
  recoverReceiptSigner,
  signReceiptWithEthers,
  signReceiptWithTronWeb,
  speedDomain,
  unpackReceiptKey,
  unpackRedemption,
} from "../../sdk/src/speed/receipt.js";
import { ReceiptBook } from "../../sdk/src/speed/receiptBook.js";
import { packRelayTerms } from "../../sdk/src/speed/relay.js";
import { toCompactSignature } from "../../sdk/src/speed/signature.js";

const V1 = "c9e15763f722f23e98a29decdfae341b98d53056";
const V2 = "2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";
const domain = speedDomain({
  chainId: 0xcd8690dcn | (0xabn << 32n),
  verifyingContract: "0x5FbDB2315678afecb367f032d93F642f64180aa3",
});

describe("sdk/speed", () => {
  describe("infohash", () => {
    it("reads v1 (hex and base32) and v2 infohashes from magnet links", () => {
      expect(infohashFromMagnet(`magnet:?xt=urn:btih:${V1}`)).to.deep.equal({
        infohash: `0x${V1}${"0".repeat(24)}`,
        version: 1,
      });
      expect(infohashFromMagnet("magnet:?xt=urn:btih:ZHQVOY7XELZD5GFCTXWN7LRUDOMNKMCW").version).to.equal(1);
      expect(infohashFromMagnet(`magnet:?xt=urn:btmh:1220${V2}`)).to.deep.equal({ infohash: `0x${V2}`, version: 2 });
      const hybrid = `magnet:?xt=urn:btih:${V1}&xt=urn:btmh:1220${V2}`;
      expect(infohashesFromMagnet(hybrid).map((h) => h.version)).to.deep.equal([2, 1]);
      expect(infohashFromMagnet(hybrid, 1).version).to.equal(1);
      expect(() => infohashFromMagnet("magnet:?dn=nothing")).to.throw(/no BitTorrent infohash/);
      expect(infohashToHex(infohashFromHex(V1))).to.equal(V1);
      expect(() => infohashFromHex("abc")).to.throw();
    });

    it("reads the v1 infohash of a .torrent file, and the v2 one of a v2 torrent", async () => {
      const info = {
        name: new TextEncoder().encode("demo.bin"),
        length: 5,
        "piece length": 16384,
        pieces: new Uint8Array(20),
      };
      const bytes = toTorrentFile({ info });
      const parsed = await parseTorrent(bytes);
      expect(await infohashFromTorrent(bytes)).to.deep.equal(infohashFromHex(parsed.infoHash!));
      const v2info = { ...info, "meta version": 2, "file tree": {} };
      const hybrid = await infohashesFromTorrent(toTorrentFile({ info: v2info }));
      expect(hybrid.map((h) => h.version)).to.deep.equal([2, 1]);
    });
  });

  describe("receipts", () => {
    it("signs the same receipt with ethers and TronWeb, and recovers the downloader", async () => {
      const wallet = Wallet.createRandom();
      const tronWeb = new TronWeb({ fullHost: "http://127.0.0.1:1", privateKey: wallet.privateKey.slice(2) });
      const r = { bidId: 3n, seeder: TronWeb.address.fromHex("41" + "11".repeat(20)), cumulativeBytes: 123n };
      const a = await signReceiptWithEthers(wallet, domain, r);
      const b = await signReceiptWithTronWeb(tronWeb, domain, r);
      expect(a.signature).to.equal(b.signature);
      expect(recoverReceiptSigner(domain, a)).to.equal(wallet.address);
      expect(domain.chainId).to.equal(0xcd8690dcn);
    });

    it("packs keys losslessly, refuses out-of-range fields and malleable signatures", () => {
      const r = { bidId: (1n << 40n) - 1n, seeder: "0x" + "ab".repeat(20), cumulativeBytes: (1n << 56n) - 1n };
      expect(unpackReceiptKey(packReceiptKey(r))).to.deep.equal({
        ...r,
        seeder: "0x" + "aB".repeat(20) === r.seeder ? r.seeder : unpackReceiptKey(packReceiptKey(r)).seeder,
      });
      expect(() => packReceiptKey({ ...r, bidId: 1n << 40n })).to.throw(/Bid id/);
      expect(() => packReceiptKey({ ...r, cumulativeBytes: 1n << 56n })).to.throw(/Cumulative/);
      const highS = "0x" + "11".repeat(32) + "ff".repeat(32) + "1b";
      expect(() => toCompactSignature(highS)).to.throw(/Malleable/);
      expect(packRelayTerms({ seeder: r.seeder, relayer: r.seeder, maxFee: 7n, nonce: 2n, deadline: 9n }, 5n)).to.equal(
        (5n << 160n) | (7n << 64n) | (9n << 32n) | 2n,
      );
      // ReceiptRedeemed's word: the receipt key with the amount in the seeder's place.
      const paid = { bidId: r.bidId, cumulativeBytes: r.cumulativeBytes, amount: (1n << 96n) - 1n };
      expect(unpackRedemption(packRedemption(paid))).to.deep.equal(paid);
      expect(packRedemption({ ...paid, amount: 5n }) >> 160n).to.equal(packReceiptKey(r) >> 160n);
      expect(() => packRedemption({ ...paid, amount: 1n << 96n })).to.throw(/Amount/);
    });

    it("computes what a receipt pays like the contract: delta, budget cap, 96-bit cap", () => {
      const MIB = 1n << 20n;
      expect(amountPayable({ cumulativeBytes: 3n * MIB, pricePerMiB: 10n, paid: 10n, remaining: 100n })).to.equal(20n);
      expect(amountPayable({ cumulativeBytes: 3n * MIB, pricePerMiB: 10n, paid: 10n, remaining: 5n })).to.equal(5n);
      expect(amountPayable({ cumulativeBytes: MIB, pricePerMiB: 10n, paid: 10n, remaining: 5n })).to.equal(0n);
      expect(amountPayable({ cumulativeBytes: MIB - 1n, pricePerMiB: 1n, paid: 0n, remaining: 5n })).to.equal(0n);
    });
  });

  describe("ReceiptBook", () => {
    it("keeps the highest receipt per (bid, seeder), rejects lower ones and round-trips JSON", async () => {
      const wallet = Wallet.createRandom();
      const seeder = "0x" + "22".repeat(20);
      const book = new ReceiptBook();
      const r5 = await signReceiptWithEthers(wallet, domain, { bidId: 2n, seeder, cumulativeBytes: 5n });
      const r3 = await signReceiptWithEthers(wallet, domain, { bidId: 2n, seeder, cumulativeBytes: 3n });
      const other = await signReceiptWithEthers(wallet, domain, { bidId: 1n, seeder, cumulativeBytes: 1n });
      expect(book.add(r5)).to.equal(true);
      expect(book.add(r3)).to.equal(false);
      expect(book.add(r5)).to.equal(false);
      expect(() => book.addOrThrow(r3)).to.throw(/not above/);
      book.add(other);
      expect(book.receipts().map((r) => r.bidId)).to.deep.equal([1n, 2n]);
      const copy = ReceiptBook.fromJSON(JSON.parse(JSON.stringify(book)));
      expect(copy.get(2n, seeder)?.cumulativeBytes).to.equal(5n);
      expect(copy.toBatch()).to.deep.equal(book.toBatch());
      expect(copy.size).to.equal(2);
    });
  });
});
