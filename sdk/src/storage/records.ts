// Shard records of a storage deal, packed as contracts/libraries/ShardRecords.sol packs them.
// The market stores keccak256 of the opening records (emitted once, in `ShardsUpdated`), which
// every call takes and which never change; `shardRecords(dealId, opening)` returns the current ones.
//   word 0: host (bits 0-159) | passed 160-175 | claimed 176-191 | missed 192-207 |
//           streak 208-215 | generation 216-231 | flags 232-239 | start 240-255
//   word 1: price per period (bits 0-127) | collateral 128-255
import { keccak_256 } from "@noble/hashes/sha3.js";
import { toHex20 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import { type Hex, toHex } from "./merkle.js";

export const SHARD_FLAG_LOST = 1;
export const SHARD_FLAG_BOUNTY = 2;

export interface ShardRecord {
  /** 0x 20-byte checksummed address. */
  host: string;
  passed: number;
  claimed: number;
  missed: number;
  streak: number;
  generation: number;
  flags: number;
  /** The first period of the tenure (a host joining mid-challenge starts with the next one). */
  start: number;
  price: bigint;
  collateral: bigint;
}

const MASK16 = 0xffffn;
const MASK8 = 0xffn;
const MASK128 = (1n << 128n) - 1n;

function field(value: number, bits: number, name: string): bigint {
  if (!Number.isInteger(value) || value < 0 || value >= 2 ** bits) {
    throw new InvalidArgumentError(`Shard record ${name} out of range: ${value}`);
  }
  return BigInt(value);
}

/** The two words of one record. */
export function packShardRecord(r: ShardRecord): [bigint, bigint] {
  if (r.price < 0n || r.price > MASK128 || r.collateral < 0n || r.collateral > MASK128) {
    throw new InvalidArgumentError("Shard record price or collateral out of 128-bit range");
  }
  const w0 =
    BigInt(toHex20(r.host)) |
    (field(r.passed, 16, "passed") << 160n) |
    (field(r.claimed, 16, "claimed") << 176n) |
    (field(r.missed, 16, "missed") << 192n) |
    (field(r.streak, 8, "streak") << 208n) |
    (field(r.generation, 16, "generation") << 216n) |
    (field(r.flags, 8, "flags") << 232n) |
    (field(r.start, 16, "start") << 240n);
  return [w0, r.price | (r.collateral << 128n)];
}

export function unpackShardRecord(w0: bigint, w1: bigint): ShardRecord {
  return {
    host: toHex20(`0x${(w0 & ((1n << 160n) - 1n)).toString(16).padStart(40, "0")}`),
    passed: Number((w0 >> 160n) & MASK16),
    claimed: Number((w0 >> 176n) & MASK16),
    missed: Number((w0 >> 192n) & MASK16),
    streak: Number((w0 >> 208n) & MASK8),
    generation: Number((w0 >> 216n) & MASK16),
    flags: Number((w0 >> 232n) & MASK8),
    start: Number((w0 >> 240n) & MASK16),
    price: w1 & MASK128,
    collateral: w1 >> 128n,
  };
}

/** The flat word list the market takes (two words per shard). */
export function packShardRecords(records: readonly ShardRecord[]): bigint[] {
  return records.flatMap(packShardRecord);
}

export function unpackShardRecords(words: readonly bigint[]): ShardRecord[] {
  if (words.length % 2 !== 0) throw new InvalidArgumentError("Shard records come in word pairs");
  const out: ShardRecord[] = [];
  for (let i = 0; i < words.length; i += 2) out.push(unpackShardRecord(words[i]!, words[i + 1]!));
  return out;
}

/** The commitment the market stores: keccak256 of the packed words. */
export function shardRecordsHash(words: readonly bigint[]): Hex {
  const data = new Uint8Array(32 * words.length);
  words.forEach((w, i) => {
    data.set(Buffer.from(w.toString(16).padStart(64, "0"), "hex"), 32 * i);
  });
  return toHex(keccak_256(data));
}
