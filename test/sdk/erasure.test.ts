import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import fc from "fast-check";
import { InvalidArgumentError, ShardSizeMismatchError, TooFewShardsError } from "../../sdk/src/errors.js";
import { encodeFile, recoverFile } from "../../sdk/src/node/erasureFiles.js";
import { encodeShards, reconstructShards, recoverData, shardSizeFor } from "../../sdk/src/storage/erasure.js";

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString("hex");

/** k, m, data, and a set of at most m lost shard indices. */
const lossCase = fc
  .record({
    k: fc.integer({ min: 1, max: 12 }),
    m: fc.integer({ min: 1, max: 12 }),
    data: fc.uint8Array({ minLength: 0, maxLength: 3000 }),
    stripeSize: fc.integer({ min: 1, max: 700 }),
  })
  .chain(({ k, m, data, stripeSize }) =>
    fc
      .uniqueArray(fc.integer({ min: 0, max: k + m - 1 }), { maxLength: m })
      .map((lost) => ({ k, m, data, stripeSize, lost: new Set(lost) })),
  );

describe("sdk/storage/erasure", () => {
  describe("encodeShards", () => {
    it("makes 10 data + 20 parity shards by default, the data shards being the file's slices", () => {
      const data = Uint8Array.from({ length: 1001 }, (_, i) => i % 251);
      const encoded = encodeShards(data);
      expect(encoded.shards).to.have.length(30);
      expect(encoded.shardSize).to.equal(101);
      expect(encoded.originalLength).to.equal(1001);
      expect(encoded).to.include({ dataShards: 10, parityShards: 20 });
      for (const shard of encoded.shards) expect(shard).to.have.length(101);
      expect(hex(encoded.shards[0]!)).to.equal(hex(data.subarray(0, 101)));
      // The last data shard is zero-padded.
      expect(hex(encoded.shards[9]!)).to.equal(hex(data.subarray(909)) + "00".repeat(9));
    });

    it("pins the codec's output (GF(2^8), first parity row is the XOR of the data shards)", () => {
      const small = encodeShards(
        Uint8Array.from({ length: 12 }, (_, i) => i + 1),
        { dataShards: 3, parityShards: 2 },
      );
      expect(small.shards.map(hex)).to.deep.equal(["01020304", "05060708", "090a0b0c", "0d0e0f00", "11121354"]);
      const text = encodeShards(new TextEncoder().encode("bttkit erasure vector"), { dataShards: 4, parityShards: 4 });
      expect(text.shards.map(hex)).to.deep.equal([
        "6274746b6974",
        "206572617375",
        "726520766563",
        "746f72000000",
        "115bc50bd3f5",
        "d6102614d6a5",
        "1b920bd100d5",
        "98c2bcb27ae7",
      ]);
    });

    it("gives the same shards whatever the stripe size", () => {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 1, max: 300 }), (data, stripeSize) => {
          const a = encodeShards(data, { dataShards: 4, parityShards: 3 });
          const b = encodeShards(data, { dataShards: 4, parityShards: 3, stripeSize });
          return a.shards.every((s, i) => hex(s) === hex(b.shards[i]!));
        }),
        { numRuns: 50 },
      );
    });

    it("rounds the shard size up to shardSizeMultiple, and uses 1 byte shards for an empty file", () => {
      expect(encodeShards(new Uint8Array(1001), { shardSizeMultiple: 64 }).shardSize).to.equal(128);
      expect(shardSizeFor(0, 10)).to.equal(1);
      const empty = encodeShards(new Uint8Array(0));
      expect(empty.shardSize).to.equal(1);
      expect(recoverData(empty.shards, { dataShards: 10, parityShards: 20, originalLength: 0 })).to.have.length(0);
    });

    it("throws InvalidArgumentError for k or m below 1, k + m above 256, and non-integers", () => {
      const data = new Uint8Array(10);
      for (const params of [
        { dataShards: 0 },
        { parityShards: 0 },
        { dataShards: 200, parityShards: 57 },
        { dataShards: 1.5 },
        { parityShards: -1 },
        { stripeSize: 0 },
        { shardSizeMultiple: 0 },
      ]) {
        expect(() => encodeShards(data, params), JSON.stringify(params)).to.throw(InvalidArgumentError);
      }
      expect(encodeShards(data, { dataShards: 200, parityShards: 56 }).shards).to.have.length(256);
    });
  });

  describe("recoverData", () => {
    it("recovers the data from any k shards after losing up to m (property)", () => {
      fc.assert(
        fc.property(lossCase, ({ k, m, data, stripeSize, lost }) => {
          const encoded = encodeShards(data, { dataShards: k, parityShards: m, stripeSize });
          const damaged = encoded.shards.map((s, i) => (lost.has(i) ? undefined : s));
          const recovered = recoverData(damaged, {
            dataShards: k,
            parityShards: m,
            originalLength: data.length,
            stripeSize,
          });
          return hex(recovered) === hex(data);
        }),
        { numRuns: 150 },
      );
    });

    it("recovers with the default 10 + 20 from exactly 10 parity shards", () => {
      const data = Uint8Array.from({ length: 10_000 }, (_, i) => (i * 31) % 256);
      const encoded = encodeShards(data);
      const onlyParity = encoded.shards.map((s, i) => (i >= 20 ? s : undefined));
      expect(hex(recoverData(onlyParity, { dataShards: 10, parityShards: 20, originalLength: data.length }))).to.equal(
        hex(data),
      );
    });

    it("throws TooFewShardsError with k - 1 shards", () => {
      const encoded = encodeShards(new Uint8Array(100).fill(7), { dataShards: 4, parityShards: 2 });
      const damaged = encoded.shards.map((s, i) => (i < 3 ? s : undefined));
      expect(() => recoverData(damaged, { dataShards: 4, parityShards: 2, originalLength: 100 }))
        .to.throw(TooFewShardsError)
        .that.includes({ present: 3, required: 4, code: "TOO_FEW_SHARDS" });
    });

    it("throws ShardSizeMismatchError for shards of different sizes or too small for originalLength", () => {
      const encoded = encodeShards(new Uint8Array(100).fill(7), { dataShards: 4, parityShards: 2 });
      const shards: (Uint8Array | undefined)[] = [...encoded.shards];
      shards[1] = shards[1]!.subarray(1);
      expect(() => recoverData(shards, { dataShards: 4, parityShards: 2, originalLength: 100 })).to.throw(
        ShardSizeMismatchError,
      );
      expect(() => recoverData(encoded.shards, { dataShards: 4, parityShards: 2, originalLength: 101 })).to.throw(
        ShardSizeMismatchError,
      );
    });

    it("throws InvalidArgumentError for a shard list of the wrong length", () => {
      const encoded = encodeShards(new Uint8Array(10), { dataShards: 2, parityShards: 2 });
      expect(() =>
        recoverData(encoded.shards.slice(1), { dataShards: 2, parityShards: 2, originalLength: 10 }),
      ).to.throw(InvalidArgumentError);
    });
  });

  describe("reconstructShards", () => {
    it("rebuilds lost data and parity shards byte for byte (property)", () => {
      fc.assert(
        fc.property(lossCase, ({ k, m, data, stripeSize, lost }) => {
          const encoded = encodeShards(data, { dataShards: k, parityShards: m });
          const damaged = encoded.shards.map((s, i) => (lost.has(i) ? null : s));
          const rebuilt = reconstructShards(damaged, { dataShards: k, parityShards: m, stripeSize });
          return rebuilt.every((s, i) => hex(s) === hex(encoded.shards[i]!));
        }),
        { numRuns: 100 },
      );
    });
  });

  describe("encodeFile / recoverFile", () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(path.join(tmpdir(), "bttkit-erasure-"));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it("writes shard files identical to encodeShards and recovers the file from any k of them", async () => {
      const data = Uint8Array.from({ length: 123_457 }, (_, i) => (i * 7 + (i >> 8)) % 256);
      const input = path.join(dir, "input.bin");
      await writeFile(input, data);
      const progress: number[] = [];
      const encoded = await encodeFile(input, path.join(dir, "shards"), {
        dataShards: 10,
        parityShards: 20,
        stripeSize: 4096,
        onProgress: (done) => progress.push(done),
      });
      expect(encoded).to.include({ shardSize: 12_346, originalLength: 123_457, dataShards: 10, parityShards: 20 });
      expect(progress.at(-1)).to.equal(12_346);
      const inMemory = encodeShards(data);
      for (let i = 0; i < 30; i++) {
        expect(hex(await readFile(encoded.shardPaths[i]!)), `shard ${i}`).to.equal(hex(inMemory.shards[i]!));
      }
      // Lose 20 shards: keep 3 data and 7 parity.
      const keep = new Set([0, 4, 9, 10, 13, 17, 21, 25, 28, 29]);
      const paths = encoded.shardPaths.map((p, i) => (keep.has(i) ? p : undefined));
      const output = path.join(dir, "output.bin");
      await recoverFile(paths, output, {
        dataShards: 10,
        parityShards: 20,
        originalLength: data.length,
        stripeSize: 1000,
      });
      expect(hex(await readFile(output))).to.equal(hex(data));
    });

    it("round-trips an empty file", async () => {
      const input = path.join(dir, "empty.bin");
      await writeFile(input, new Uint8Array(0));
      const encoded = await encodeFile(input, path.join(dir, "empty-shards"), { dataShards: 2, parityShards: 1 });
      const output = path.join(dir, "empty-out.bin");
      await recoverFile([undefined, ...encoded.shardPaths.slice(1)], output, {
        dataShards: 2,
        parityShards: 1,
        originalLength: 0,
      });
      expect(await readFile(output)).to.have.length(0);
    });

    it("throws TooFewShardsError with k - 1 shard files", async () => {
      const input = path.join(dir, "few.bin");
      await writeFile(input, new Uint8Array(50).fill(1));
      const encoded = await encodeFile(input, path.join(dir, "few-shards"), { dataShards: 3, parityShards: 2 });
      const paths = encoded.shardPaths.map((p, i) => (i < 2 ? p : undefined));
      let error: unknown;
      try {
        await recoverFile(paths, path.join(dir, "few-out.bin"), { dataShards: 3, parityShards: 2, originalLength: 50 });
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(TooFewShardsError);
    });
  });
});
