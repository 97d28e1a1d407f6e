// Keccak-256 for many small fixed-layout messages: Merkle leaves (0x00 ‖ segment) and nodes
// (0x01 ‖ left ‖ right). It drives @noble/hashes' own Keccak-f[1600] permutation (`keccakP`), so it
// is the same hash function as `keccak_256`, minus the per-call object, buffer and padding work
// that dominates when a tree hashes millions of 65- and 257-byte messages.
import { keccakP } from "@noble/hashes/sha3.js";

const RATE = 136;
const RATE_WORDS = RATE / 4;

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  // The state and staging buffers are read as little-endian 32-bit words, as keccakP expects.
  throw new Error("bttkit storage hashing needs a little-endian platform");
}

/**
 * Hashes messages of one fixed length `length` that the caller writes into `stage` (bytes
 * 0..length-1); the Keccak padding after them is written once, here.
 */
export class FixedKeccak {
  /** Write the message here (bytes 0..length-1), then call `digest`. */
  readonly stage: Uint8Array;
  private readonly stage32: Uint32Array;
  private readonly blocks: number;
  private readonly state = new Uint32Array(50);
  private readonly state8 = new Uint8Array(this.state.buffer);

  constructor(readonly length: number) {
    this.blocks = Math.floor(length / RATE) + 1;
    this.stage = new Uint8Array(this.blocks * RATE);
    this.stage32 = new Uint32Array(this.stage.buffer);
    this.stage[length] = 0x01;
    const last = this.stage.length - 1;
    this.stage[last] = (this.stage[last] ?? 0) | 0x80;
  }

  /** Hashes the staged message and writes the 32-byte digest to `out` at `outOffset`. */
  digest(out: Uint8Array, outOffset: number): void {
    const s = this.state;
    const m = this.stage32;
    s.fill(0);
    for (let b = 0, w = 0; b < this.blocks; b++) {
      for (let k = 0; k < RATE_WORDS; k++, w++) s[k] = (s[k] as number) ^ (m[w] as number);
      keccakP(s);
    }
    out.set(this.state8.subarray(0, 32), outOffset);
  }
}

/** keccak256(0x00 ‖ segment) and keccak256(0x01 ‖ left ‖ right), allocation-free. */
export class MerkleHasher {
  private readonly leaf: FixedKeccak;
  private readonly node = new FixedKeccak(65);

  constructor(readonly segmentSize: number) {
    this.leaf = new FixedKeccak(segmentSize + 1);
    this.node.stage[0] = 0x01;
  }

  /** Leaf hash of `segmentSize` bytes of `data` at `offset` (zero-filled past its end). */
  hashLeaf(data: Uint8Array, offset: number, out: Uint8Array, outOffset: number): void {
    const stage = this.leaf.stage;
    const available = Math.max(0, Math.min(this.segmentSize, data.length - offset));
    stage.set(data.subarray(offset, offset + available), 1);
    if (available < this.segmentSize) stage.fill(0, 1 + available, 1 + this.segmentSize);
    this.leaf.digest(out, outOffset);
  }

  /** Node hash of two 32-byte children. */
  hashNode(
    left: Uint8Array,
    leftOffset: number,
    right: Uint8Array,
    rightOffset: number,
    out: Uint8Array,
    outOffset: number,
  ): void {
    const stage = this.node.stage;
    stage.set(left.subarray(leftOffset, leftOffset + 32), 1);
    stage.set(right.subarray(rightOffset, rightOffset + 32), 33);
    this.node.digest(out, outOffset);
  }
}
