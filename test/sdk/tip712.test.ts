import { expect } from "chai";
import { AbiCoder, id, keccak256, type TypedDataDomain, TypedDataEncoder, verifyTypedData, Wallet } from "ethers";
import { TronWeb } from "tronweb";
import { toBase58 } from "../../sdk/src/address.js";
import { InvalidAddressError } from "../../sdk/src/errors.js";
import {
  signTypedDataWithEthers,
  signTypedDataWithPrivateKey,
  signTypedDataWithTronWeb,
  tip712Domain,
  tronChainId,
} from "../../sdk/src/tip712.js";

const PRIVATE_KEY = `0x${"4c".repeat(32)}`;
const USDT = "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t";

// Receipt(bidId, seeder, cumulativeBytes), the Speed market's signed message (DESIGN.md).
const types = {
  Receipt: [
    { name: "bidId", type: "uint256" },
    { name: "seeder", type: "address" },
    { name: "cumulativeBytes", type: "uint256" },
  ],
};

/** A TronWeb that never talks to a node: typed-data signing is offline. */
function offlineTronWeb(privateKey: string) {
  return new TronWeb({ fullHost: "http://127.0.0.1:9", privateKey: privateKey.replace(/^0x/, "") });
}

describe("sdk/tip712", () => {
  describe("tronChainId", () => {
    it("masks a 32-byte chain id to its low 4 bytes (0xdeadbeefcd8690dc -> Nile's 3448148188)", () => {
      expect(tronChainId(0xdeadbeefcd8690dcn)).to.equal(3448148188n);
      expect(tronChainId(0xdeadbeefcd8690dcn)).to.equal(0xcd8690dcn);
    });

    it("leaves the already-masked ids of mainnet, Nile and Shasta alone, bigint or number", () => {
      expect(tronChainId(728126428)).to.equal(728126428n);
      expect(tronChainId(0x2b6653dcn)).to.equal(728126428n);
      expect(tronChainId(3448148188)).to.equal(3448148188n);
      expect(tronChainId(2494104990n)).to.equal(2494104990n);
    });

    it("masks a full 32-byte genesis block id", () => {
      expect(tronChainId(BigInt(`0x${"00".repeat(28)}2b6653dc`) | (0xffn << 200n))).to.equal(728126428n);
    });
  });

  describe("tip712Domain", () => {
    it("uses the masked chain id and the 20-byte verifying contract (no 0x41), from any address form", () => {
      for (const form of [
        USDT,
        `41a614f803b6fd780986a42c78ec9c7f77e6ded13c`,
        "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c",
      ]) {
        const domain = tip712Domain({
          name: "bttkit",
          version: "1",
          chainId: 0xdeadbeefcd8690dcn,
          verifyingContract: form,
        });
        expect(domain).to.deep.equal({
          name: "bttkit",
          version: "1",
          chainId: 3448148188n,
          verifyingContract: "0xa614f803B6FD780986A42c78Ec9c7f77e6DeD13C",
        });
      }
    });

    it("hashes like TIP712.sol: keccak256(typehash, name, version, chainid & 0xffffffff, address)", () => {
      const domain = tip712Domain({
        name: "bttkit SpeedMarket",
        version: "1",
        chainId: 0xdeadbeefcd8690dcn,
        verifyingContract: USDT,
      });
      const expected = keccak256(
        AbiCoder.defaultAbiCoder().encode(
          ["bytes32", "bytes32", "bytes32", "uint256", "address"],
          [
            id("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
            id("bttkit SpeedMarket"),
            id("1"),
            3448148188n,
            "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c",
          ],
        ),
      );
      expect(TypedDataEncoder.hashDomain(domain)).to.equal(expected);
    });

    it("throws InvalidAddressError for a bad verifying contract", () => {
      expect(() =>
        tip712Domain({ name: "x", version: "1", chainId: 1, verifyingContract: `${USDT.slice(0, -1)}1` }),
      ).to.throw(InvalidAddressError);
    });
  });

  describe("signing", () => {
    const wallet = new Wallet(PRIVATE_KEY);
    const domain: TypedDataDomain = tip712Domain({
      name: "bttkit SpeedMarket",
      version: "1",
      chainId: 0xdeadbeefcd8690dcn,
      verifyingContract: USDT,
    });
    const value = { bidId: 7n, seeder: wallet.address, cumulativeBytes: 5n * 1024n * 1024n };

    it("gives byte-identical 65-byte r||s||v signatures from ethers, TronWeb and a raw key", async () => {
      const tronWeb = offlineTronWeb(PRIVATE_KEY);
      const byEthers = await signTypedDataWithEthers(wallet, domain, types, value);
      const byTronWeb = await signTypedDataWithTronWeb(tronWeb, domain, types, value);
      const byTronWebKey = await signTypedDataWithTronWeb(
        offlineTronWeb(`0x${"01".repeat(32)}`),
        domain,
        types,
        value,
        PRIVATE_KEY.slice(2),
      );
      const byKey = signTypedDataWithPrivateKey(PRIVATE_KEY, domain, types, value);
      expect(byEthers).to.match(/^0x[0-9a-f]{130}$/);
      expect(byTronWeb).to.equal(byEthers);
      expect(byTronWebKey).to.equal(byEthers);
      expect(byKey).to.equal(byEthers);
      expect(Number.parseInt(byEthers.slice(-2), 16)).to.be.oneOf([27, 28]);
    });

    it("recovers the signer with ethers (0x address) and TronWeb (base58 address)", async () => {
      const tronWeb = offlineTronWeb(PRIVATE_KEY);
      const signature = await signTypedDataWithEthers(wallet, domain, types, value);
      expect(verifyTypedData(domain, types, value, signature)).to.equal(wallet.address);
      expect(tronWeb.defaultAddress.base58).to.equal(toBase58(wallet.address));
      expect(
        await tronWeb.trx.verifyTypedData(domain as never, types, value as never, signature, toBase58(wallet.address)),
      ).to.equal(true);
    });

    it("signs the same whether TronWeb gets the seeder as 0x hex or base58 (addresses are 20 bytes)", async () => {
      const tronWeb = offlineTronWeb(PRIVATE_KEY);
      const hexForm = await signTypedDataWithTronWeb(tronWeb, domain, types, value);
      const base58Form = await signTypedDataWithTronWeb(tronWeb, domain, types, {
        ...value,
        seeder: toBase58(wallet.address),
      });
      expect(base58Form).to.equal(hexForm);
    });

    it("changes with the chain id: an unmasked chain id would sign another domain", async () => {
      const unmasked = { ...domain, chainId: 0xdeadbeefcd8690dcn };
      const a = await signTypedDataWithEthers(wallet, domain, types, value);
      const b = await signTypedDataWithEthers(wallet, unmasked, types, value);
      expect(a).to.not.equal(b);
    });
  });
});
