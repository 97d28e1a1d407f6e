// Challenge seeds and challenged segments, exactly as contracts/storage/StorageChallenges.sol:
//   seed  = keccak256(abi.encode(bytes32 blockhash(seedBlock), uint256 dealId, uint256 period))
//   index_j = uint256(keccak256(abi.encode(bytes32 seed, uint256 shard, uint256 j))) % segmentCount
//   for j below the deal's segmentsPerPeriod
// A TRON block id begins with the block number, so the hash is never used alone (TRON.md).
import { keccak_256 } from "@noble/hashes/sha3.js";
import { InvalidArgumentError } from "../errors.js";
import { fromHex, type Hex, toHex } from "./merkle.js";

const U256_MAX = (1n << 256n) - 1n;

function word(value: bigint | number, name: string): Uint8Array {
  const v = BigInt(value);
  if (v < 0n || v > U256_MAX) throw new InvalidArgumentError(`${name} out of uint256 range: ${v}`);
  return fromHex(`0x${v.toString(16).padStart(64, "0")}`);
}

/** The seed of `period`'s challenge of `dealId`, from the seed block's hash (block id on TRON). */
export function challengeSeed(blockHash: string, dealId: bigint, period: bigint | number): Hex {
  const data = new Uint8Array(96);
  data.set(fromHex(blockHash), 0);
  data.set(word(dealId, "dealId"), 32);
  data.set(word(period, "period"), 64);
  return toHex(keccak_256(data));
}

/** The segment indices shard `shard` must prove under `seed`, in the order the proof lists them. */
export function challengedSegments(
  seed: string,
  shard: number | bigint,
  segmentCount: number | bigint,
  segmentsPerPeriod: number,
): bigint[] {
  const count = BigInt(segmentCount);
  if (count <= 0n) throw new InvalidArgumentError(`segmentCount must be positive: ${count}`);
  if (!Number.isInteger(segmentsPerPeriod) || segmentsPerPeriod < 1) {
    throw new InvalidArgumentError(`segmentsPerPeriod must be a positive integer: ${segmentsPerPeriod}`);
  }
  const data = new Uint8Array(96);
  data.set(fromHex(seed), 0);
  data.set(word(shard, "shard"), 32);
  return Array.from({ length: segmentsPerPeriod }, (_, j) => {
    data.set(word(j, "j"), 64);
    return BigInt(toHex(keccak_256(data))) % count;
  });
}
