import { expect } from "chai";
import fc from "fast-check";
import { InvalidAmountError, InvalidArgumentError } from "../../sdk/src/errors.js";
import {
  BTT_UNIT,
  formatBtt,
  formatTrx,
  formatUnits,
  parseBtt,
  parseTrx,
  parseUnits,
  SUN_PER_TRX,
} from "../../sdk/src/units.js";

/** A canonical decimal string for `decimals`: no leading zeros, no trailing fractional zeros. */
const canonical = (decimals: number) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: 10n ** 40n }), fc.bigInt({ min: 0n, max: 10n ** BigInt(decimals) - 1n }))
    .map(([whole, frac]) => {
      const f = decimals === 0 ? "" : frac.toString().padStart(decimals, "0").replace(/0+$/, "");
      return f ? `${whole}.${f}` : `${whole}`;
    });

describe("sdk/units", () => {
  describe("parseBtt / formatBtt (18 decimals)", () => {
    it("parses the documented vectors", () => {
      expect(parseBtt("1.5")).to.equal(1_500_000_000_000_000_000n);
      expect(parseBtt("1")).to.equal(BTT_UNIT);
      expect(parseBtt("0")).to.equal(0n);
      expect(parseBtt("0.000000000000000001")).to.equal(1n);
      expect(parseBtt("1000000000000")).to.equal(10n ** 30n);
      expect(parseBtt(2n)).to.equal(2n * BTT_UNIT);
      expect(parseBtt(3)).to.equal(3n * BTT_UNIT);
      expect(parseBtt("007.50")).to.equal(7_500_000_000_000_000_000n);
    });

    it("formats without trailing zeros", () => {
      expect(formatBtt(1_500_000_000_000_000_000n)).to.equal("1.5");
      expect(formatBtt(BTT_UNIT)).to.equal("1");
      expect(formatBtt(0n)).to.equal("0");
      expect(formatBtt(1n)).to.equal("0.000000000000000001");
      expect(formatBtt(-1_500_000_000_000_000_000n)).to.equal("-1.5");
    });
  });

  describe("parseTrx / formatTrx (6 decimals, sun)", () => {
    it("converts TRX to sun and back", () => {
      expect(parseTrx("1.5")).to.equal(1_500_000n);
      expect(parseTrx("1")).to.equal(SUN_PER_TRX);
      expect(parseTrx("15000")).to.equal(15_000_000_000n); // the fee-limit ceiling
      expect(formatTrx(1n)).to.equal("0.000001");
      expect(formatTrx(15_000_000_000n)).to.equal("15000");
    });

    it("refuses a 7th significant decimal and accepts extra zeros exactly", () => {
      expect(() => parseTrx("0.0000001")).to.throw(InvalidAmountError, /Invalid amount/);
      expect(parseTrx("1.5000000")).to.equal(1_500_000n);
    });
  });

  describe("parseUnits", () => {
    it("throws InvalidAmountError (code INVALID_AMOUNT) for strings that are not plain decimals", () => {
      for (const bad of [
        "",
        " 1",
        "1 ",
        "1,5",
        "1.",
        ".5",
        "+1",
        "1e18",
        "0x10",
        "NaN",
        "Infinity",
        "1.2.3",
        "abc",
        "１",
      ]) {
        expect(() => parseUnits(bad, 18), bad)
          .to.throw(InvalidAmountError)
          .with.property("code", "INVALID_AMOUNT");
      }
    });

    it("throws InvalidAmountError for negatives in every input type", () => {
      for (const bad of ["-1", "-0.5", -1n, -1, -0]) {
        expect(() => parseUnits(bad, 18), String(bad)).to.throw(InvalidAmountError, /Invalid amount/);
      }
      expect(() => parseUnits("-1", 18)).to.throw(/negative/);
    });

    it("throws InvalidAmountError for NaN, infinities, fractional and unsafe numbers", () => {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, 0.1, 1.5, 2 ** 53]) {
        expect(() => parseUnits(bad, 18), String(bad)).to.throw(InvalidAmountError);
      }
      expect(() => parseUnits(1.5, 18)).to.throw(/pass the amount as a string/);
    });

    it("throws InvalidAmountError for non-amount types", () => {
      for (const bad of [null, undefined, {}, [], true]) {
        expect(() => parseUnits(bad as unknown as string, 18)).to.throw(InvalidAmountError);
      }
    });

    it("throws InvalidArgumentError for bad decimals", () => {
      for (const bad of [-1, 1.5, 256, Number.NaN]) {
        expect(() => parseUnits("1", bad)).to.throw(InvalidArgumentError);
        expect(() => formatUnits(1n, bad)).to.throw(InvalidArgumentError);
      }
    });

    it("handles 0 decimals", () => {
      expect(parseUnits("42", 0)).to.equal(42n);
      expect(parseUnits("42.000", 0)).to.equal(42n);
      expect(() => parseUnits("42.5", 0)).to.throw(InvalidAmountError);
      expect(formatUnits(42n, 0)).to.equal("42");
    });
  });

  describe("properties", () => {
    for (const decimals of [0, 6, 18]) {
      it(`format(parse(s)) === s for canonical decimal strings (${decimals} decimals)`, () => {
        fc.assert(fc.property(canonical(decimals), (s) => formatUnits(parseUnits(s, decimals), decimals) === s));
      });
    }

    it("parse(format(x)) === x for every non-negative bigint and any decimals", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }), fc.integer({ min: 0, max: 77 }), (x, d) => {
          return parseUnits(formatUnits(x, d), d) === x;
        }),
      );
    });

    it("formatting is monotonic in the amount", () => {
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (a, b) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a];
          return parseBtt(formatBtt(lo)) <= parseBtt(formatBtt(hi));
        }),
      );
    });
  });
});
