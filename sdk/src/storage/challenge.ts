// Challenge seeds and challenged segments, exactly as contracts/storage/StorageChallenges.sol:
//   seed  = keccak256(abi.encode(bytes32 blockhash(seedBlock), uint256 dealId, uint256 period))
//   index = uint256(keccak256(abi.encode(bytes32 seed, uint256 shard))) % segmentCount
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

/** The segment index shard `shard` must prove under `seed`. */
export function challengedSegment(seed: string, shard: number | bigint, segmentCount: number | bigint): bigint {
  const count = BigInt(segmentCount);
  if (count <= 0n) throw new InvalidArgumentError(`segmentCount must be positive: ${count}`);
  const data = new Uint8Array(64);
  data.set(fromHex(seed), 0);
  data.set(word(shard, "shard"), 32);
  return BigInt(toHex(keccak_256(data))) % count;
}
