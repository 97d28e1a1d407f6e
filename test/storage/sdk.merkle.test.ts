import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { expect } from "chai";
import fc from "fast-check";
import { InvalidArgumentError } from "../../sdk/src/errors.js";
import { buildTreeFromFile, proveSegmentFromFile } from "../../sdk/src/node/merkleFiles.js";
import { challengedSegments, challengeSeed } from "../../sdk/src/storage/challenge.js";
import {
  buildTree,
  depthOf,
  proofBlockRange,
  proveSegment,
  rootPath,
  rootsCommitment,
  toHex,
  verifySegment,
} from "../../sdk/src/storage/merkle.js";

const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
};
const leaf = (seg: Uint8Array) => keccak_256(cat(Uint8Array.of(0), seg));
const node = (l: Uint8Array, r: Uint8Array) => keccak_256(cat(Uint8Array.of(1), l, r));

/** The spec, written as plainly as possible: the reference the fast builder must match. */
function referenceRoot(data: Uint8Array, segmentSize: number): string {
  const count = Math.max(1, Math.ceil(data.length / segmentSize));
  let level: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const seg = new Uint8Array(segmentSize);
    seg.set(data.subarray(i * segmentSize, (i + 1) * segmentSize));
    level.push(leaf(seg));
  }
  while (level.length < 2 ** depthOf(count)) level.push(new Uint8Array(32));
  while (level.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i < level.length; i += 2) next.push(node(level[i]!, level[i + 1]!));
    level = next;
  }
  return toHex(level[0]!);
}

function bytes(n: number, seed = 1): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 17 + (i >> 8) * 7) & 0xff);
}

describe("sdk/storage/merkle", () => {
  it("matches the reference tree for many sizes, chunkings and cache levels", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5_000 }),
        fc.constantFrom(32, 64, 256),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 700 }),
        (size, segmentSize, cacheLevel, chunk) => {
          const data = bytes(size, size);
          const expected = referenceRoot(data, segmentSize);
          const { ShardTreeBuilder } = awaitedModule;
          const b = new ShardTreeBuilder({ segmentSize, cacheLevel });
          for (let o = 0; o < data.length; o += chunk) b.update(data.subarray(o, o + chunk));
          const tree = b.finish();
          expect(tree.root).to.equal(expected);
          expect(tree.segmentCount).to.equal(Math.ceil(size / segmentSize));
          // Every proof verifies; each is rebuilt from one cached block.
          for (const index of [0, tree.segmentCount - 1, Math.floor(tree.segmentCount / 2)]) {
            const { start, end } = proofBlockRange(tree, index);
            const p = proveSegment(tree, index, data.subarray(start, end));
            expect(p.proof.length).to.equal(tree.depth);
            expect(verifySegment(tree.root, p.segment, index, p.proof, segmentSize, tree.segmentCount)).to.equal(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it("fuzz: a proof never verifies for a wrong segment, index or root", () => {
    const data = bytes(40 * 32);
    const tree = buildTree(data, { segmentSize: 32, cacheLevel: 0 });
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 39 }),
        fc.integer({ min: 0, max: 255 }),
        (i, j, bit) => {
          const p = proveSegment(tree, i, data.subarray(proofBlockRange(tree, i).start, proofBlockRange(tree, i).end));
          const bad = new Uint8Array(p.segment);
          bad[bit >> 3] = bad[bit >> 3]! ^ (1 << (bit & 7));
          expect(verifySegment(tree.root, bad, i, p.proof, 32, 40)).to.equal(false);
          if (j !== i) expect(verifySegment(tree.root, p.segment, j, p.proof, 32, 40)).to.equal(false);
          const otherRoot = `0x${(BigInt(tree.root) ^ (1n << BigInt(bit))).toString(16).padStart(64, "0")}`;
          expect(verifySegment(otherRoot, p.segment, i, p.proof, 32, 40)).to.equal(false);
          expect(verifySegment(tree.root, p.segment, i, p.proof.slice(1), 32, 40)).to.equal(false);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("single segment: root is the leaf, depth 0; empty shards and bad sizes are refused", () => {
    const seg = bytes(10);
    const tree = buildTree(seg, { segmentSize: 32 });
    const padded = new Uint8Array(32);
    padded.set(seg);
    expect(tree.root).to.equal(toHex(leaf(padded)));
    expect(tree.depth).to.equal(0);
    expect(() => buildTree(new Uint8Array(0), { segmentSize: 32 })).to.throw(InvalidArgumentError);
    expect(() => buildTree(seg, { segmentSize: 48 })).to.throw(InvalidArgumentError);
  });

  it("streams files and proves from the file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "bttkit-merkle-"));
    const file = path.join(dir, "shard");
    const data = bytes(100_003, 9);
    await writeFile(file, data);
    const tree = await buildTreeFromFile(file, { segmentSize: 256 });
    expect(tree.root).to.equal(referenceRoot(data, 256));
    const p = await proveSegmentFromFile(tree, file, 390);
    expect(verifySegment(tree.root, p.segment, 390, p.proof, 256, tree.segmentCount)).to.equal(true);
  });

  it("rootsCommitment and rootPath use the node rule with roots as leaves", () => {
    const roots = Array.from({ length: 5 }, (_, i) => toHex(keccak_256(Uint8Array.of(i))));
    const z = new Uint8Array(32);
    const r = roots.map((x) => Uint8Array.from(Buffer.from(x.slice(2), "hex")));
    const expected = node(node(node(r[0]!, r[1]!), node(r[2]!, r[3]!)), node(node(r[4]!, z), node(z, z)));
    expect(rootsCommitment(roots)).to.equal(toHex(expected));
    expect(rootPath(roots, 4)).to.deep.equal([
      toHex(z),
      toHex(node(z, z)),
      toHex(node(node(r[0]!, r[1]!), node(r[2]!, r[3]!))),
    ]);
    expect(rootsCommitment([roots[0]!])).to.equal(roots[0]);
  });
});

describe("sdk/storage/challenge", () => {
  it("seed = keccak256(abi.encode(blockhash, dealId, period)); index_j = keccak256(abi.encode(seed, shard, j)) % count", async () => {
    const { AbiCoder, keccak256 } = await import("ethers");
    const coder = AbiCoder.defaultAbiCoder();
    const h = `0x${"ab".repeat(32)}`;
    const seed = challengeSeed(h, 77n, 3);
    expect(seed).to.equal(keccak256(coder.encode(["bytes32", "uint256", "uint256"], [h, 77n, 3n])));
    const idx = (j: bigint) =>
      BigInt(keccak256(coder.encode(["bytes32", "uint256", "uint256"], [seed, 5n, j]))) % 1000n;
    expect(challengedSegments(seed, 5, 1000, 3)).to.deep.equal([idx(0n), idx(1n), idx(2n)]);
    expect(() => challengedSegments(seed, 5, 0, 1)).to.throw(InvalidArgumentError);
    expect(() => challengedSegments(seed, 5, 1000, 0)).to.throw(InvalidArgumentError);
  });
});

// fast-check properties run synchronously; load the builder class once up front.
const awaitedModule = await import("../../sdk/src/storage/merkle.js");
