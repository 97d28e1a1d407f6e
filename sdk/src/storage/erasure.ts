/**
 * Reed-Solomon erasure coding of files into shards (DESIGN.md: 10 data + 20 parity by default).
 *
 * Library: `@digitaldefiance/reed-solomon-erasure.wasm`, the Rust `reed-solomon-erasure` crate
 * (GF(2^8), systematic Vandermonde matrix, as in klauspost/reedsolomon and BTFS) compiled to
 * WebAssembly and shipped inside the npm package: no native build, no download at install time.
 *
 * Layout (stable: Merkle roots are committed on chain over these bytes):
 * - `shardSize = ceil(originalLength / dataShards)`, rounded up to `shardSizeMultiple`, at least 1.
 * - Data shard j is bytes `[j * shardSize, (j + 1) * shardSize)` of the file, zero-padded.
 * - Parity shards follow, indices `dataShards .. dataShards + parityShards - 1`.
 * Reed-Solomon works byte column by byte column, so the code processes shards in column stripes:
 * the WebAssembly memory stays at about `(dataShards + parityShards) * stripeSize` bytes, and the
 * file helpers stream with that bound too. The in-memory functions hold the input plus all
 * shards: about `(1 + (k + m) / k)` times the file (4x for 10 + 20).
 *
 * Limits of the library: at least 1 data and 1 parity shard, at most 256 shards in all.
 * (The library panics instead of returning an error on bad parameters; they are checked here first.)
 */

import { ReedSolomonErasure } from "@digitaldefiance/reed-solomon-erasure.wasm";
import { InvalidArgumentError, ShardSizeMismatchError, TooFewShardsError } from "../errors.js";

export const DEFAULT_DATA_SHARDS = 10;
export const DEFAULT_PARITY_SHARDS = 20;
/** GF(2^8): at most 256 shards in all. */
export const MAX_TOTAL_SHARDS = 256;
/** Bytes of each shard processed per call into WebAssembly (and per file read/write). */
export const DEFAULT_STRIPE_SIZE = 256 * 1024;

export interface ErasureParameters {
  /** k: shards that carry the data; any k shards recover it. Default 10. */
  dataShards?: number;
  /** m: parity shards; up to m shards may be lost. Default 20. */
  parityShards?: number;
}

export interface EncodeOptions extends ErasureParameters {
  /** Round the shard size up to a multiple of this (e.g. the Merkle segment size). Default 1. */
  shardSizeMultiple?: number;
  /** Bytes of each shard per WebAssembly call. Default 256 KiB. */
  stripeSize?: number;
}

export interface EncodedShards {
  /** `dataShards + parityShards` shards of `shardSize` bytes: data first, then parity. */
  shards: Uint8Array[];
  shardSize: number;
  originalLength: number;
  dataShards: number;
  parityShards: number;
}

export interface RecoverOptions {
  dataShards: number;
  parityShards: number;
  /** The file's length in bytes, as returned by `encodeShards` (the padding is cut off). */
  originalLength: number;
  stripeSize?: number;
}

let wasmBytes: BufferSource | Uint8Array | undefined;

/**
 * Uses `wasm` (the bytes of `reed_solomon_erasure_bg.wasm`) as the codec. Only needed where the
 * package's file can't be read from disk (a browser bundle); Node loads it on first use.
 */
export function initErasure(wasm: BufferSource | Uint8Array): void {
  ReedSolomonErasure.fromBytes(wasm); // fail early on bad bytes
  wasmBytes = wasm;
}

/**
 * A fresh codec instance for each call. The wasm build's allocator (wee_alloc) corrupts its heap
 * when one instance serves several calls of different shapes (a second `reconstruct` traps with
 * "memory access out of bounds" or returns wrong bytes): a new instance costs about half a
 * millisecond, and each call processes a whole stripe, so the cost is negligible.
 */
function codec(): ReedSolomonErasure {
  if (!wasmBytes) {
    // Node: read the package's .wasm file through the built-in module loader, so that no
    // `node:` import reaches a browser bundle. Elsewhere the caller hands the bytes over.
    const fs = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process?.getBuiltinModule?.(
      "node:fs",
    ) as typeof import("node:fs") | undefined;
    if (!fs) {
      throw new InvalidArgumentError(
        "Reed-Solomon needs its WebAssembly: call initErasure(bytes of reed_solomon_erasure_bg.wasm) first",
      );
    }
    wasmBytes = fs.readFileSync(new URL(import.meta.resolve("@digitaldefiance/reed-solomon-erasure.wasm/wasm")));
  }
  return ReedSolomonErasure.fromBytes(wasmBytes);
}

/** @internal Runs one codec call; shared with the file helpers (node/erasureFiles.ts). */
export function runCodec(kind: "encode" | "reconstruct", call: (rs: ReedSolomonErasure) => number): void {
  let result: number;
  try {
    result = call(codec());
  } catch (error) {
    throw new InvalidArgumentError(`Reed-Solomon ${kind} trapped`, { cause: error });
  }
  if (result === ReedSolomonErasure.RESULT_OK) return;
  // Unreachable when parameters are checked first; kept so a library change fails loudly.
  throw new InvalidArgumentError(`Reed-Solomon ${kind} failed: ${ReedSolomonErasure.getResultMessage(result)}`);
}

/** @internal */
export function positiveInteger(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${name} must be a positive integer, got ${String(value)}`);
  }
}

/** Checks k and m against the library's limits; returns them with defaults applied. */
export function erasureParameters(params: ErasureParameters = {}): { dataShards: number; parityShards: number } {
  const dataShards = params.dataShards ?? DEFAULT_DATA_SHARDS;
  const parityShards = params.parityShards ?? DEFAULT_PARITY_SHARDS;
  positiveInteger("dataShards", dataShards);
  positiveInteger("parityShards", parityShards);
  if (dataShards + parityShards > MAX_TOTAL_SHARDS) {
    throw new InvalidArgumentError(
      `dataShards + parityShards must be at most ${MAX_TOTAL_SHARDS}, got ${dataShards} + ${parityShards}`,
    );
  }
  return { dataShards, parityShards };
}

/** The shard size `encodeShards` uses for a file of `originalLength` bytes. */
export function shardSizeFor(originalLength: number, dataShards: number, shardSizeMultiple = 1): number {
  if (!Number.isSafeInteger(originalLength) || originalLength < 0) {
    throw new InvalidArgumentError(`originalLength must be a non-negative integer, got ${String(originalLength)}`);
  }
  positiveInteger("dataShards", dataShards);
  positiveInteger("shardSizeMultiple", shardSizeMultiple);
  const raw = Math.max(1, Math.ceil(originalLength / dataShards));
  return Math.ceil(raw / shardSizeMultiple) * shardSizeMultiple;
}

/**
 * Splits `data` into `dataShards` data shards and computes `parityShards` parity shards.
 * Any `dataShards` of the returned shards recover `data` (see `recoverData`).
 */
export function encodeShards(data: Uint8Array, options: EncodeOptions = {}): EncodedShards {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError("data must be a Uint8Array");
  const { dataShards, parityShards } = erasureParameters(options);
  const stripeSize = options.stripeSize ?? DEFAULT_STRIPE_SIZE;
  positiveInteger("stripeSize", stripeSize);
  const total = dataShards + parityShards;
  const shardSize = shardSizeFor(data.length, dataShards, options.shardSizeMultiple ?? 1);
  const shards: Uint8Array[] = [];
  for (let j = 0; j < total; j++) {
    const shard = new Uint8Array(shardSize);
    if (j < dataShards)
      shard.set(data.subarray(Math.min(j * shardSize, data.length), Math.min((j + 1) * shardSize, data.length)));
    shards.push(shard);
  }
  for (let offset = 0; offset < shardSize; offset += stripeSize) {
    const width = Math.min(stripeSize, shardSize - offset);
    const buffer = new Uint8Array(width * total);
    for (let j = 0; j < dataShards; j++) buffer.set(shards[j]!.subarray(offset, offset + width), j * width);
    runCodec("encode", (rs) => rs.encode(buffer, dataShards, parityShards));
    for (let j = dataShards; j < total; j++) shards[j]!.set(buffer.subarray(j * width, (j + 1) * width), offset);
  }
  return { shards, shardSize, originalLength: data.length, dataShards, parityShards };
}

export type MaybeShard = Uint8Array | undefined | null;

/** Checks a shard list for recovery; returns the shard size and which shards are present. */
function checkShards(
  shards: readonly MaybeShard[],
  dataShards: number,
  parityShards: number,
): { shardSize: number; present: boolean[] } {
  const total = dataShards + parityShards;
  if (!Array.isArray(shards) || shards.length !== total) {
    throw new InvalidArgumentError(
      `expected ${total} shard slots (dataShards + parityShards, undefined for a lost shard), got ${Array.isArray(shards) ? shards.length : typeof shards}`,
    );
  }
  const present = shards.map((shard) => shard !== undefined && shard !== null);
  const count = present.filter(Boolean).length;
  if (count < dataShards) throw new TooFewShardsError(count, dataShards);
  let shardSize: number | undefined;
  shards.forEach((shard, i) => {
    if (shard === undefined || shard === null) return;
    if (!(shard instanceof Uint8Array)) throw new InvalidArgumentError(`shard ${i} is not a Uint8Array`);
    if (shardSize === undefined) shardSize = shard.length;
    else if (shard.length !== shardSize) {
      throw new ShardSizeMismatchError(`shard ${i} has ${shard.length} bytes, the others ${shardSize}`);
    }
  });
  if (!shardSize) throw new ShardSizeMismatchError("shards are empty");
  return { shardSize, present };
}

/**
 * Rebuilds every shard, data and parity, from any `dataShards` of them: what a repair sends to a
 * new host. `shards[i]` is shard i, or undefined/null when lost.
 */
export function reconstructShards(
  shards: readonly MaybeShard[],
  options: ErasureParameters & { stripeSize?: number },
): Uint8Array[] {
  const { dataShards, parityShards } = erasureParameters(options);
  const { shardSize, present } = checkShards(shards, dataShards, parityShards);
  const stripeSize = options.stripeSize ?? DEFAULT_STRIPE_SIZE;
  positiveInteger("stripeSize", stripeSize);
  const total = dataShards + parityShards;
  const out = shards.map((shard) => (shard ? shard.slice() : new Uint8Array(shardSize)));
  if (present.every(Boolean)) return out;
  const dataComplete = present.slice(0, dataShards).every(Boolean);
  for (let offset = 0; offset < shardSize; offset += stripeSize) {
    const width = Math.min(stripeSize, shardSize - offset);
    const buffer = new Uint8Array(width * total);
    for (let j = 0; j < total; j++) if (present[j]) buffer.set(out[j]!.subarray(offset, offset + width), j * width);
    if (!dataComplete) runCodec("reconstruct", (rs) => rs.reconstruct(buffer, dataShards, parityShards, present));
    runCodec("encode", (rs) => rs.encode(buffer, dataShards, parityShards));
    for (let j = 0; j < total; j++) if (!present[j]) out[j]!.set(buffer.subarray(j * width, (j + 1) * width), offset);
  }
  return out;
}

/**
 * Recovers the original bytes from any `dataShards` of the shards `encodeShards` made.
 * `shards[i]` is shard i, or undefined/null when lost. Throws `TooFewShardsError` below
 * `dataShards` shards, `ShardSizeMismatchError` when sizes differ or can't hold `originalLength`.
 */
export function recoverData(shards: readonly MaybeShard[], options: RecoverOptions): Uint8Array {
  const { dataShards, parityShards } = erasureParameters(options);
  const { shardSize, present } = checkShards(shards, dataShards, parityShards);
  const { originalLength } = options;
  checkLength(originalLength, shardSize, dataShards);
  const stripeSize = options.stripeSize ?? DEFAULT_STRIPE_SIZE;
  positiveInteger("stripeSize", stripeSize);
  const total = dataShards + parityShards;
  const out = new Uint8Array(originalLength);
  const dataComplete = present.slice(0, dataShards).every(Boolean);
  for (let offset = 0; offset < shardSize; offset += stripeSize) {
    const width = Math.min(stripeSize, shardSize - offset);
    const buffer = new Uint8Array(width * total);
    for (let j = 0; j < total; j++) if (present[j]) buffer.set(shards[j]!.subarray(offset, offset + width), j * width);
    if (!dataComplete) runCodec("reconstruct", (rs) => rs.reconstruct(buffer, dataShards, parityShards, present));
    copyDataColumns(buffer, width, offset, shardSize, dataShards, out);
  }
  return out;
}

/** @internal */
export function checkLength(originalLength: number, shardSize: number, dataShards: number): void {
  if (!Number.isSafeInteger(originalLength) || originalLength < 0) {
    throw new InvalidArgumentError(`originalLength must be a non-negative integer, got ${String(originalLength)}`);
  }
  if (originalLength > shardSize * dataShards) {
    throw new ShardSizeMismatchError(
      `shards of ${shardSize} bytes can't hold ${originalLength} bytes in ${dataShards} data shards`,
    );
  }
}

/** Copies the data columns of a stripe to their place in the file (data shard j starts at j * shardSize). */
function copyDataColumns(
  buffer: Uint8Array,
  width: number,
  offset: number,
  shardSize: number,
  dataShards: number,
  out: Uint8Array,
): void {
  for (let j = 0; j < dataShards; j++) {
    const start = j * shardSize + offset;
    if (start >= out.length) break;
    const n = Math.min(width, out.length - start);
    out.set(buffer.subarray(j * width, j * width + n), start);
  }
}
