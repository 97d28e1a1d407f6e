// Merkle trees and segment proofs over shards, byte-identical to contracts/libraries/SegmentProof.sol:
// - the shard is zero-padded to a multiple of `segmentSize` (a power of two, 32..65536) and cut
//   into `segmentCount` segments;
// - leaf_i = keccak256(0x00 ‖ segment_i); node = keccak256(0x01 ‖ left ‖ right);
// - the leaf level is padded to the next power of two with bytes32(0) (the literal zero);
//   depth = log2(nextPow2(segmentCount)); one segment: root = leaf_0;
// - a proof is the siblings from the leaf level up; bit l of the index says whether the node at
//   level l is a right child.
//
// Memory. Building a root keeps O(depth) state: a binary counter of pending left nodes.
// To answer challenges later without holding the whole tree, the builder also keeps every level
// from `cacheLevel` up (default 6): nodes over blocks of 2^cacheLevel segments. A proof then
// re-reads one block of the shard (2^cacheLevel segments: 16 KiB at 256-byte segments) and
// rebuilds the levels below `cacheLevel`. For a 1 GiB shard of 256-byte segments the cached
// levels take 2 MiB at cacheLevel 6 (32 MiB at 2, 0.5 MiB at 8): lower levels trade memory for
// shorter re-reads. cacheLevel 0 keeps the whole tree (2 × segmentCount × 32 bytes).

import { InvalidArgumentError } from "../errors.js";
import { MerkleHasher } from "./keccak.js";

export type Hex = `0x${string}`;

/** Bounds the contract enforces on segment sizes and counts. */
export const MIN_SEGMENT_SIZE = 32;
export const MAX_SEGMENT_SIZE = 65_536;
export const MAX_SEGMENT_COUNT = 2 ** 40;
export const DEFAULT_SEGMENT_SIZE = 256;
export const DEFAULT_CACHE_LEVEL = 6;

export interface TreeOptions {
  /** Bytes per segment, a power of two from 32 to 65536. */
  segmentSize: number;
  /** Lowest tree level kept in memory for proofs (0 = the whole tree). */
  cacheLevel?: number;
}

/** A built shard tree: its root and the cached upper levels needed for proofs. */
export interface ShardTree {
  readonly root: Hex;
  readonly shardSize: number;
  readonly segmentSize: number;
  readonly segmentCount: number;
  readonly depth: number;
  /** The lowest cached level (clamped to `depth`). */
  readonly cacheLevel: number;
  /** `levels[l - cacheLevel]` holds the nodes of level l (32 bytes each) over real data. */
  readonly levels: readonly Uint8Array[];
}

/** A segment and its Merkle path, ready for `submitProof`. */
export interface SegmentProof {
  readonly index: number;
  readonly segment: Uint8Array;
  readonly proof: Hex[];
}

/** ceil(log2(count)), 0 for a single leaf. */
export function depthOf(count: number): number {
  let depth = 0;
  while (2 ** depth < count) depth++;
  return depth;
}

/** Segments in a shard of `shardSize` bytes. */
export function segmentCountOf(shardSize: number, segmentSize: number): number {
  return Math.ceil(shardSize / segmentSize);
}

export function checkSegmentSize(segmentSize: number): void {
  if (
    !Number.isInteger(segmentSize) ||
    segmentSize < MIN_SEGMENT_SIZE ||
    segmentSize > MAX_SEGMENT_SIZE ||
    (segmentSize & (segmentSize - 1)) !== 0
  ) {
    throw new InvalidArgumentError(`Invalid segment size ${segmentSize}`, {
      details: "a power of two from 32 to 65536 bytes",
    });
  }
}

/** Hashes of all-zero subtrees: zero[0] = bytes32(0), zero[l+1] = node(zero[l], zero[l]). */
function zeroHashes(hasher: MerkleHasher, levels: number): Uint8Array {
  const zero = new Uint8Array(32 * (levels + 1));
  for (let l = 0; l < levels; l++) hasher.hashNode(zero, 32 * l, zero, 32 * l, zero, 32 * (l + 1));
  return zero;
}

/** A growable byte list for one cached level. */
class ByteList {
  bytes = new Uint8Array(1024);
  length = 0;
  push(src: Uint8Array, offset: number): void {
    if (this.length + 32 > this.bytes.length) {
      const grown = new Uint8Array(this.bytes.length * 2);
      grown.set(this.bytes);
      this.bytes = grown;
    }
    this.bytes.set(src.subarray(offset, offset + 32), this.length);
    this.length += 32;
  }
  finish(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

const MAX_LEVELS = 41;

/** Builds a shard tree from chunks of any size, keeping O(depth) state plus the cached levels. */
export class ShardTreeBuilder {
  private readonly hasher: MerkleHasher;
  private readonly segmentSize: number;
  private readonly cacheLevel: number;
  private readonly pending = new Uint8Array(32 * (MAX_LEVELS + 1));
  private readonly has: boolean[] = new Array<boolean>(MAX_LEVELS + 1).fill(false);
  private readonly cur = new Uint8Array(32);
  private readonly cached: ByteList[] = [];
  private readonly partial: Uint8Array;
  private partialLength = 0;
  private leafCount = 0;
  private size = 0;
  private finished = false;

  constructor(options: TreeOptions) {
    checkSegmentSize(options.segmentSize);
    this.segmentSize = options.segmentSize;
    this.cacheLevel = options.cacheLevel ?? DEFAULT_CACHE_LEVEL;
    if (!Number.isInteger(this.cacheLevel) || this.cacheLevel < 0 || this.cacheLevel > MAX_LEVELS) {
      throw new InvalidArgumentError(`Invalid cache level ${this.cacheLevel}`);
    }
    this.hasher = new MerkleHasher(this.segmentSize);
    this.partial = new Uint8Array(this.segmentSize);
    for (let l = 0; l <= MAX_LEVELS; l++) this.cached.push(new ByteList());
  }

  /** Feeds the next bytes of the shard. */
  update(chunk: Uint8Array): this {
    if (this.finished) throw new InvalidArgumentError("ShardTreeBuilder already finished");
    const size = this.segmentSize;
    let offset = 0;
    this.size += chunk.length;
    if (this.partialLength > 0) {
      const take = Math.min(size - this.partialLength, chunk.length);
      this.partial.set(chunk.subarray(0, take), this.partialLength);
      this.partialLength += take;
      offset = take;
      if (this.partialLength < size) return this;
      this.addLeaf(this.partial, 0);
      this.partialLength = 0;
    }
    for (; offset + size <= chunk.length; offset += size) this.addLeaf(chunk, offset);
    if (offset < chunk.length) {
      this.partial.set(chunk.subarray(offset), 0);
      this.partialLength = chunk.length - offset;
    }
    return this;
  }

  /** Pads the last segment and the leaf level, and returns the tree. */
  finish(): ShardTree {
    if (this.finished) throw new InvalidArgumentError("ShardTreeBuilder already finished");
    this.finished = true;
    if (this.partialLength > 0) {
      this.partial.fill(0, this.partialLength);
      this.addLeaf(this.partial, 0);
    }
    if (this.leafCount === 0) throw new InvalidArgumentError("A shard can't be empty");
    const depth = depthOf(this.leafCount);
    const zero = zeroHashes(this.hasher, depth);
    // Every pending left node below the top gets an all-zero right sibling.
    for (let l = 0; l < depth; l++) {
      if (!this.has[l]) continue;
      this.has[l] = false;
      this.hasher.hashNode(this.pending, 32 * l, zero, 32 * l, this.cur, 0);
      this.insert(l + 1);
    }
    const cacheLevel = Math.min(this.cacheLevel, depth);
    const levels: Uint8Array[] = [];
    for (let l = cacheLevel; l <= depth; l++) levels.push(this.cached[l]!.finish());
    const top = this.pending.subarray(32 * depth, 32 * depth + 32);
    return {
      root: toHex(top),
      shardSize: this.size,
      segmentSize: this.segmentSize,
      segmentCount: this.leafCount,
      depth,
      cacheLevel,
      levels,
    };
  }

  private addLeaf(data: Uint8Array, offset: number): void {
    if (this.leafCount >= MAX_SEGMENT_COUNT) throw new InvalidArgumentError("More than 2^40 segments");
    this.hasher.hashLeaf(data, offset, this.cur, 0);
    this.leafCount++;
    this.insert(0);
  }

  /** Inserts `cur` as the next node of `level`, merging completed pairs upward. */
  private insert(level: number): void {
    let l = level;
    for (;;) {
      if (l >= this.cacheLevel) this.cached[l]!.push(this.cur, 0);
      if (!this.has[l]) break;
      this.hasher.hashNode(this.pending, 32 * l, this.cur, 0, this.cur, 0);
      this.has[l] = false;
      l++;
    }
    this.pending.set(this.cur, 32 * l);
    this.has[l] = true;
  }
}

/** Builds the tree of in-memory shard bytes. */
export function buildTree(data: Uint8Array, options: TreeOptions): ShardTree {
  return new ShardTreeBuilder(options).update(data).finish();
}

/** Builds the tree from a stream of chunks (e.g. a file read stream, or generated data). */
export async function buildTreeFromChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: TreeOptions,
): Promise<ShardTree> {
  const builder = new ShardTreeBuilder(options);
  for await (const chunk of chunks) builder.update(chunk);
  return builder.finish();
}

/** The first segment index and byte range of the block that `proveSegment` needs for `index`. */
export function proofBlockRange(tree: ShardTree, index: number): { start: number; end: number } {
  checkIndex(tree, index);
  const first = Math.floor(index / 2 ** tree.cacheLevel) * 2 ** tree.cacheLevel;
  const start = first * tree.segmentSize;
  return { start, end: Math.min(start + 2 ** tree.cacheLevel * tree.segmentSize, tree.shardSize) };
}

/**
 * The proof of segment `index`, from the cached levels and `block`: the shard's bytes in
 * `proofBlockRange(tree, index)` (shorter at the end of the shard; zero-padded here).
 */
export function proveSegment(tree: ShardTree, index: number, block: Uint8Array): SegmentProof {
  const { start, end } = proofBlockRange(tree, index);
  if (block.length !== end - start) {
    throw new InvalidArgumentError(`Proof block is ${block.length} bytes, expected ${end - start}`);
  }
  const hasher = new MerkleHasher(tree.segmentSize);
  const zero = zeroHashes(hasher, tree.depth);
  const width = 2 ** tree.cacheLevel;
  const first = start / tree.segmentSize;
  // Rebuild the block's subtree below cacheLevel (padding leaves past the shard are zero).
  let level = new Uint8Array(32 * width);
  for (let i = 0; i < width && first + i < tree.segmentCount; i++) {
    hasher.hashLeaf(block, i * tree.segmentSize, level, 32 * i);
  }
  const proof: Hex[] = [];
  let local = index - first;
  for (let l = 0, w = width; l < tree.cacheLevel; l++, w /= 2) {
    proof.push(toHex(level.subarray(32 * (local ^ 1), 32 * (local ^ 1) + 32)));
    const next = new Uint8Array(16 * w);
    for (let i = 0; i < w / 2; i++) hasher.hashNode(level, 64 * i, level, 64 * i + 32, next, 32 * i);
    level = next;
    local >>= 1;
  }
  for (let l = tree.cacheLevel; l < tree.depth; l++) {
    const sibling = Math.floor(index / 2 ** l) ^ 1;
    const nodes = tree.levels[l - tree.cacheLevel]!;
    const source = 32 * sibling < nodes.length ? nodes : zero;
    const at = 32 * sibling < nodes.length ? 32 * sibling : 32 * l;
    proof.push(toHex(source.subarray(at, at + 32)));
  }
  const segment = new Uint8Array(tree.segmentSize);
  segment.set(block.subarray((index - first) * tree.segmentSize, (index - first + 1) * tree.segmentSize));
  return { index, segment, proof };
}

/**
 * The answer to one challenge: the proofs of `indices` (challenge.ts `challengedSegments`), their
 * segments and paths each concatenated in that order, as `submitProof(s)` takes them.
 */
export async function proveSegments(
  indices: readonly (number | bigint)[],
  prove: (index: number) => SegmentProof | Promise<SegmentProof>,
): Promise<{ segment: Uint8Array; proof: Hex[] }> {
  const parts: SegmentProof[] = [];
  for (const index of indices) parts.push(await prove(Number(index)));
  const segment = new Uint8Array(parts.reduce((n, p) => n + p.segment.length, 0));
  let at = 0;
  for (const p of parts) {
    segment.set(p.segment, at);
    at += p.segment.length;
  }
  return { segment, proof: parts.flatMap((p) => p.proof) };
}

/** Checks a segment proof exactly as SegmentProof.verify does (false on any mismatch). */
export function verifySegment(
  root: string,
  segment: Uint8Array,
  index: number,
  proof: readonly string[],
  segmentSize: number,
  segmentCount: number,
): boolean {
  if (segment.length !== segmentSize || index < 0 || index >= segmentCount) return false;
  if (proof.length !== depthOf(segmentCount)) return false;
  const hasher = new MerkleHasher(segmentSize);
  const node = new Uint8Array(32);
  hasher.hashLeaf(segment, 0, node, 0);
  return foldPath(hasher, node, index, proof) === root.toLowerCase();
}

/** The deal's commitment to its shard roots: the same node rule, the roots as leaves. */
export function rootsCommitment(roots: readonly string[]): Hex {
  return rootsLevels(roots).at(-1)![0]!;
}

/** The path proving `roots[index]` against `rootsCommitment(roots)`. */
export function rootPath(roots: readonly string[], index: number): Hex[] {
  if (!Number.isInteger(index) || index < 0 || index >= roots.length) {
    throw new InvalidArgumentError(`Shard ${index} out of range for ${roots.length} roots`);
  }
  const levels = rootsLevels(roots);
  const path: Hex[] = [];
  for (let l = 0; l < levels.length - 1; l++) path.push(levels[l]![Math.floor(index / 2 ** l) ^ 1]!);
  return path;
}

function rootsLevels(roots: readonly string[]): Hex[][] {
  if (roots.length === 0) throw new InvalidArgumentError("No shard roots");
  const hasher = new MerkleHasher(32);
  const width = 2 ** depthOf(roots.length);
  let level: Hex[] = Array.from({ length: width }, (_, i) => normalize(roots[i] ?? ZERO));
  const levels = [level];
  const out = new Uint8Array(32);
  while (level.length > 1) {
    const next: Hex[] = [];
    for (let i = 0; i < level.length; i += 2) {
      hasher.hashNode(fromHex(level[i]!), 0, fromHex(level[i + 1]!), 0, out, 0);
      next.push(toHex(out));
    }
    level = next;
    levels.push(level);
  }
  return levels;
}

function foldPath(hasher: MerkleHasher, node: Uint8Array, index: number, path: readonly string[]): string {
  let i = index;
  for (const p of path) {
    const sibling = fromHex(p);
    if (i % 2 === 0) hasher.hashNode(node, 0, sibling, 0, node, 0);
    else hasher.hashNode(sibling, 0, node, 0, node, 0);
    i = Math.floor(i / 2);
  }
  return toHex(node);
}

function checkIndex(tree: ShardTree, index: number): void {
  if (!Number.isInteger(index) || index < 0 || index >= tree.segmentCount) {
    throw new InvalidArgumentError(`Segment ${index} out of range for ${tree.segmentCount} segments`);
  }
}

const ZERO: Hex = `0x${"00".repeat(32)}`;

function normalize(value: string): Hex {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value)) throw new InvalidArgumentError(`Not a 32-byte hex value: ${value}`);
  return value.toLowerCase() as Hex;
}

export function toHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

export function fromHex(value: string): Uint8Array {
  return new Uint8Array(Buffer.from(normalize(value).slice(2), "hex"));
}
