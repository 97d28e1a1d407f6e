import { sha256 } from "@noble/hashes/sha2.js";
import { expect } from "chai";
import { encodeBase58, getAddress, hexlify } from "ethers";
import fc from "fast-check";
import { TronWeb } from "tronweb";
import { isTronAddress, toBase58, toHex20, toTronHex } from "../../sdk/src/address.js";
import { InvalidAddressError } from "../../sdk/src/errors.js";

// Mainnet contracts (TRON.md, tronscan): USDT and BTT.
const USDT = { base58: "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", hex20: "0xa614f803b6fd780986a42c78ec9c7f77e6ded13c" };
const BTT = { base58: "TAFjULxiVgT4qWk6UZwjqwZXTSaGaqnVp4", hex20: "0x032017411f4663b317fe77c257d28d5cd1b26e3d" };

/** base58check of arbitrary bytes, to build addresses with a valid checksum but a wrong prefix or length. */
function base58check(payload: Uint8Array): string {
  const checksum = sha256(sha256(payload)).slice(0, 4);
  const full = new Uint8Array(payload.length + 4);
  full.set(payload);
  full.set(checksum, payload.length);
  return encodeBase58(full);
}

describe("sdk/address", () => {
  describe("known vectors", () => {
    for (const [name, v] of Object.entries({ USDT, BTT })) {
      it(`converts mainnet ${name} between base58, 41-hex and 20-byte hex`, () => {
        expect(toHex20(v.base58)).to.equal(getAddress(v.hex20));
        expect(toTronHex(v.base58)).to.equal(`41${v.hex20.slice(2)}`);
        expect(toBase58(v.hex20)).to.equal(v.base58);
        expect(toBase58(`41${v.hex20.slice(2)}`)).to.equal(v.base58);
        expect(toBase58(v.hex20.slice(2))).to.equal(v.base58); // bare 40 hex digits
        expect(toBase58(v.hex20.toUpperCase().replace("0X", "0x"))).to.equal(v.base58);
        expect(isTronAddress(v.base58)).to.equal(true);
      });
    }

    it("agrees with TronWeb on BTT", () => {
      expect(TronWeb.address.toHex(BTT.base58)).to.equal(toTronHex(BTT.base58));
      expect(TronWeb.address.fromHex(toTronHex(BTT.base58))).to.equal(BTT.base58);
    });
  });

  describe("bad inputs throw InvalidAddressError", () => {
    const flipLast = (s: string) => s.slice(0, -1) + (s.endsWith("1") ? "2" : "1");
    const payload = (prefix: number, length = 20) => Uint8Array.from([prefix, ...new Uint8Array(length).fill(0xab)]);
    const cases: Record<string, unknown> = {
      "wrong checksum": flipLast(USDT.base58),
      "wrong checksum (one middle character)": `${USDT.base58.slice(0, 10)}${USDT.base58[10] === "a" ? "b" : "a"}${USDT.base58.slice(11)}`,
      "wrong prefix, valid checksum (0x42)": base58check(payload(0x42)),
      "wrong prefix, valid checksum (Ethereum-style 0x00)": base58check(payload(0x00)),
      "base58 of 21 payload bytes (too long), valid checksum": base58check(payload(0x41, 21)),
      "base58 of 19 payload bytes (too short), valid checksum": base58check(payload(0x41, 19)),
      "too short base58": USDT.base58.slice(0, -1),
      "too long base58": `${USDT.base58}1`,
      "base58 with a character outside the alphabet (0)": `${USDT.base58.slice(0, -1)}0`,
      "hex of 19 bytes": `0x${"ab".repeat(19)}`,
      "hex of 21 bytes with 0x": `0x41${"ab".repeat(20)}`,
      "41-hex of 22 bytes": `41${"ab".repeat(21)}`,
      "41-hex of 20.5 bytes (odd length)": `41${"ab".repeat(19)}a`,
      "non-hex digits": `0x${"zz".repeat(20)}`,
      "empty string": "",
      number: 42,
      null: null,
      undefined: undefined,
      object: { address: USDT.base58 },
    };
    for (const [name, input] of Object.entries(cases)) {
      it(name, () => {
        for (const fn of [toHex20, toTronHex, toBase58]) {
          expect(() => fn(input as string), fn.name)
            .to.throw(InvalidAddressError)
            .with.property("code", "INVALID_ADDRESS");
        }
        expect(isTronAddress(input as string)).to.equal(false);
      });
    }
  });

  it("reads 40 bare hex digits as a 20-byte address, even when they start with 41", () => {
    // So a 41-hex address that lost a byte is not caught: it is another valid address.
    expect(toHex20(`41${"ab".repeat(19)}`)).to.equal(getAddress(`0x41${"ab".repeat(19)}`));
  });

  describe("properties", () => {
    it("round-trips any 20 bytes through every form, agreeing with TronWeb", () => {
      fc.assert(
        fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (bytes) => {
          const hex20 = getAddress(hexlify(bytes));
          const base58 = toBase58(hex20);
          return (
            base58.startsWith("T") &&
            base58.length === 34 &&
            toHex20(base58) === hex20 &&
            toHex20(toTronHex(base58)) === hex20 &&
            TronWeb.address.fromHex(toTronHex(hex20)) === base58
          );
        }),
      );
    });
  });
});
