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

import { readFileSync } from "node:fs";
import { mkdir, open } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
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
    // The package's own sync loader uses __dirname, which its ESM build doesn't have.
    const require = createRequire(import.meta.url);
    wasmBytes = readFileSync(require.resolve("@digitaldefiance/reed-solomon-erasure.wasm/wasm"));
  }
  return ReedSolomonErasure.fromBytes(wasmBytes);
}

function run(kind: "encode" | "reconstruct", call: (rs: ReedSolomonErasure) => number): void {
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

function positiveInteger(name: string, value: number): void {
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
    run("encode", (rs) => rs.encode(buffer, dataShards, parityShards));
    for (let j = dataShards; j < total; j++) shards[j]!.set(buffer.subarray(j * width, (j + 1) * width), offset);
  }
  return { shards, shardSize, originalLength: data.length, dataShards, parityShards };
}

type MaybeShard = Uint8Array | undefined | null;

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
    if (!dataComplete) run("reconstruct", (rs) => rs.reconstruct(buffer, dataShards, parityShards, present));
    run("encode", (rs) => rs.encode(buffer, dataShards, parityShards));
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
    if (!dataComplete) run("reconstruct", (rs) => rs.reconstruct(buffer, dataShards, parityShards, present));
    copyDataColumns(buffer, width, offset, shardSize, dataShards, out);
  }
  return out;
}

function checkLength(originalLength: number, shardSize: number, dataShards: number): void {
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

// ---------------------------------------------------------------------------------------------
// Files (Node): stream in stripes, memory bounded by (dataShards + parityShards) * stripeSize * 2
// ---------------------------------------------------------------------------------------------

export interface EncodeFileOptions extends EncodeOptions {
  /** Name of shard i's file inside the output directory. Default `shard-000.bin`, ... */
  shardFileName?: (index: number) => string;
  /** Called after each stripe with the shard bytes written so far and the shard size. */
  onProgress?: (done: number, total: number) => void;
}

export interface EncodedFile {
  /** Paths of the shard files, index i holding shard i. */
  shardPaths: string[];
  shardSize: number;
  originalLength: number;
  dataShards: number;
  parityShards: number;
}

/** Default shard file name: `shard-007.bin`. */
export function defaultShardFileName(index: number): string {
  return `shard-${index.toString().padStart(3, "0")}.bin`;
}

/**
 * Encodes the file at `inputPath` into shard files in `outputDir` (created if missing), reading
 * and writing in stripes. The shard files are byte-identical to `encodeShards(readFile(input))`.
 */
export async function encodeFile(
  inputPath: string,
  outputDir: string,
  options: EncodeFileOptions = {},
): Promise<EncodedFile> {
  const { dataShards, parityShards } = erasureParameters(options);
  const stripeSize = options.stripeSize ?? DEFAULT_STRIPE_SIZE;
  positiveInteger("stripeSize", stripeSize);
  const nameOf = options.shardFileName ?? defaultShardFileName;
  const total = dataShards + parityShards;
  await mkdir(outputDir, { recursive: true });
  const input = await open(inputPath, "r");
  const shardPaths = Array.from({ length: total }, (_, i) => path.join(outputDir, nameOf(i)));
  const outputs: Awaited<ReturnType<typeof open>>[] = [];
  try {
    const originalLength = (await input.stat()).size;
    if (!Number.isSafeInteger(originalLength)) throw new InvalidArgumentError(`${inputPath} is too large`);
    const shardSize = shardSizeFor(originalLength, dataShards, options.shardSizeMultiple ?? 1);
    for (const shardPath of shardPaths) outputs.push(await open(shardPath, "w"));
    for (let offset = 0; offset < shardSize; offset += stripeSize) {
      const width = Math.min(stripeSize, shardSize - offset);
      const buffer = new Uint8Array(width * total);
      for (let j = 0; j < dataShards; j++) {
        const start = j * shardSize + offset;
        const n = Math.max(0, Math.min(width, originalLength - start));
        let read = 0;
        while (read < n) {
          const { bytesRead } = await input.read(buffer, j * width + read, n - read, start + read);
          if (bytesRead === 0) throw new ShardSizeMismatchError(`${inputPath} shrank while being encoded`);
          read += bytesRead;
        }
      }
      run("encode", (rs) => rs.encode(buffer, dataShards, parityShards));
      await Promise.all(outputs.map((fh, j) => fh.write(buffer, j * width, width, offset)));
      options.onProgress?.(offset + width, shardSize);
    }
    return { shardPaths, shardSize, originalLength, dataShards, parityShards };
  } finally {
    await input.close();
    await Promise.all(outputs.map((fh) => fh.close()));
  }
}

export interface RecoverFileOptions extends RecoverOptions {
  onProgress?: (done: number, total: number) => void;
}

/**
 * Rebuilds the original file at `outputPath` from any `dataShards` shard files. `shardPaths[i]`
 * is shard i's file, or undefined/null when lost. Streams in stripes.
 */
export async function recoverFile(
  shardPaths: readonly (string | undefined | null)[],
  outputPath: string,
  options: RecoverFileOptions,
): Promise<void> {
  const { dataShards, parityShards } = erasureParameters(options);
  const total = dataShards + parityShards;
  if (!Array.isArray(shardPaths) || shardPaths.length !== total) {
    throw new InvalidArgumentError(`expected ${total} shard paths (undefined for a lost shard)`);
  }
  const present = shardPaths.map((p) => typeof p === "string");
  const count = present.filter(Boolean).length;
  if (count < dataShards) throw new TooFewShardsError(count, dataShards);
  const stripeSize = options.stripeSize ?? DEFAULT_STRIPE_SIZE;
  positiveInteger("stripeSize", stripeSize);
  const inputs = new Map<number, Awaited<ReturnType<typeof open>>>();
  let output: Awaited<ReturnType<typeof open>> | undefined;
  try {
    let shardSize: number | undefined;
    for (let i = 0; i < total; i++) {
      const p = shardPaths[i];
      if (typeof p !== "string") continue;
      const fh = await open(p, "r");
      inputs.set(i, fh);
      const size = (await fh.stat()).size;
      if (shardSize === undefined) shardSize = size;
      else if (size !== shardSize)
        throw new ShardSizeMismatchError(`shard ${i} (${p}) has ${size} bytes, the others ${shardSize}`);
    }
    if (!shardSize) throw new ShardSizeMismatchError("shard files are empty");
    const { originalLength } = options;
    checkLength(originalLength, shardSize, dataShards);
    output = await open(outputPath, "w");
    const dataComplete = present.slice(0, dataShards).every(Boolean);
    for (let offset = 0; offset < shardSize; offset += stripeSize) {
      const width = Math.min(stripeSize, shardSize - offset);
      const buffer = new Uint8Array(width * total);
      for (const [j, fh] of inputs) {
        let read = 0;
        while (read < width) {
          const { bytesRead } = await fh.read(buffer, j * width + read, width - read, offset + read);
          if (bytesRead === 0) throw new ShardSizeMismatchError(`shard ${j} shrank while being read`);
          read += bytesRead;
        }
      }
      if (!dataComplete) run("reconstruct", (rs) => rs.reconstruct(buffer, dataShards, parityShards, present));
      for (let j = 0; j < dataShards; j++) {
        const start = j * shardSize + offset;
        if (start >= originalLength) break;
        const n = Math.min(width, originalLength - start);
        await output.write(buffer, j * width, n, start);
      }
      options.onProgress?.(offset + width, shardSize);
    }
    await output.truncate(originalLength);
  } finally {
    await Promise.all([...inputs.values()].map((fh) => fh.close()));
    await output?.close();
  }
}
