/** Erasure coding of files on disk (Node): streams in stripes, memory bounded by (k + m) * stripeSize * 2. */
import { mkdir, open } from "node:fs/promises";
import path from "node:path";
import { InvalidArgumentError, ShardSizeMismatchError, TooFewShardsError } from "../errors.js";
import {
  checkLength,
  DEFAULT_STRIPE_SIZE,
  type EncodeOptions,
  erasureParameters,
  positiveInteger,
  type RecoverOptions,
  runCodec,
  shardSizeFor,
} from "../storage/erasure.js";

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
      runCodec("encode", (rs) => rs.encode(buffer, dataShards, parityShards));
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
      if (!dataComplete) runCodec("reconstruct", (rs) => rs.reconstruct(buffer, dataShards, parityShards, present));
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
