/** Merkle trees and segment proofs from shard files (Node). */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { InvalidArgumentError } from "../errors.js";
import {
  buildTreeFromChunks,
  proofBlockRange,
  proveSegment,
  type SegmentProof,
  type ShardTree,
  type TreeOptions,
} from "../storage/merkle.js";

/** Builds the tree of a shard file, streaming it (files larger than memory are fine). */
export async function buildTreeFromFile(path: string, options: TreeOptions): Promise<ShardTree> {
  return buildTreeFromChunks(createReadStream(path, { highWaterMark: 1 << 20 }), options);
}

/** Reads the block `proveSegment` needs from the shard file and returns the proof. */
export async function proveSegmentFromFile(tree: ShardTree, path: string, index: number): Promise<SegmentProof> {
  const { start, end } = proofBlockRange(tree, index);
  const file = await open(path, "r");
  try {
    const block = new Uint8Array(end - start);
    let read = 0;
    while (read < block.length) {
      const { bytesRead } = await file.read(block, read, block.length - read, start + read);
      if (bytesRead === 0) throw new InvalidArgumentError(`${path} is shorter than the tree's shard`);
      read += bytesRead;
    }
    return proveSegment(tree, index, block);
  } finally {
    await file.close();
  }
}
