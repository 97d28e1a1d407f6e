/**
 * Preparing a deal: erasure-code a file into shards, build each shard's Merkle tree, and commit to
 * the roots. No chain access: the result is what `requestOffer` and `openDeal` need, plus a JSON
 * manifest the hosts' agents read (roots, sizes, shard files).
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { InvalidArgumentError } from "../errors.js";
import { DEFAULT_DATA_SHARDS, DEFAULT_PARITY_SHARDS, encodeShards, erasureParameters } from "../storage/erasure.js";
import {
  buildTree,
  checkSegmentSize,
  DEFAULT_SEGMENT_SIZE,
  type Hex,
  rootsCommitment,
  type ShardTree,
} from "../storage/merkle.js";
import { DEFAULT_SEGMENTS_PER_PERIOD, dealIdOf, MAX_SEGMENTS_PER_PERIOD } from "../storage/offer.js";
import { defaultShardFileName, encodeFile } from "./erasureFiles.js";
import { buildTreeFromFile } from "./merkleFiles.js";

/** The market's shard limit per deal (a 64-bit proven mask). */
export const MAX_DEAL_SHARDS = 64;
/** Default period: one day. */
export const DEFAULT_PERIOD_LENGTH = 86_400;
export const MANIFEST_FORMAT = "bttkit-deal/1";
export const MANIFEST_FILE = "deal.json";

/** IStorageMarket.DealParams, as `openDeal` takes it. */
export interface DealParams {
  salt: Hex;
  shardSize: bigint;
  segmentSize: number;
  periods: number;
  periodLength: number;
  minShards: number;
  /** Segments asked of each shard per period (1 to 16). */
  segmentsPerPeriod: number;
}

export type PrepareDealProgress = (stage: "encode" | "hash", done: number, total: number) => void;

/** The file: its bytes, or its path (Node; with `outDir` it is streamed, never held whole). */
export type PrepareDealInput = Uint8Array | string;

export interface PrepareDealParameters {
  /** k: any k shards recover the file; the deal's `minShards`. Default 10. */
  dataShards?: number;
  /** m: parity shards. Default 20 (k + m at most 64). */
  parityShards?: number;
  /** Bytes per challenged segment, a power of two from 32 to 65536. Default 256. */
  segmentSize?: number;
  /** Paid periods. */
  periods: number;
  /** Seconds per period (at least the market's response window). Default one day. */
  periodLength?: number;
  /**
   * Segments asked of each shard per period, 1 to 16 (default 4, docs/DESIGN.md): a host keeping
   * a fraction f of its shard passes a period with probability f^k.
   */
  segmentsPerPeriod?: number;
  /** The deal's salt (`dealId = keccak256(tenant, salt)`); default random. */
  salt?: Hex;
  /** Write shard files (`shard-000.bin`, ...) and `deal.json` here. */
  outDir?: string;
  /** Lowest Merkle level kept in memory for proofs (merkle.ts); default 6. */
  cacheLevel?: number;
  onProgress?: PrepareDealProgress;
}

/** Everything needed to ask for offers and open the deal. */
export interface PreparedDeal {
  params: DealParams;
  /** Shard i's Merkle root. */
  roots: Hex[];
  /** The Merkle root over the shard roots the market stores. */
  rootsCommitment: Hex;
  trees: ShardTree[];
  /** The shards, when they were built in memory. */
  shards: Uint8Array[] | undefined;
  /** The shard files, when written (`outDir`). */
  shardPaths: string[] | undefined;
  /** `deal.json` in `outDir`, when written. */
  manifestPath: string | undefined;
  dataShards: number;
  parityShards: number;
  originalLength: number;
}

function checkInteger(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

/**
 * Erasure-codes the file, builds the shard trees and the roots commitment. Rejects with
 * `InvalidArgumentError` on bad parameters (or an unreadable file).
 */
export async function prepareDeal(input: PrepareDealInput, parameters: PrepareDealParameters): Promise<PreparedDeal> {
  if (typeof parameters !== "object" || parameters === null) {
    throw new InvalidArgumentError("prepareDeal needs a parameters object");
  }
  if (!(input instanceof Uint8Array) && (typeof input !== "string" || input === "")) {
    throw new InvalidArgumentError("prepareDeal needs the file's bytes (Uint8Array) or its path");
  }
  const data = input instanceof Uint8Array ? input : undefined;
  const inputPath = typeof input === "string" ? input : undefined;
  const { outDir, onProgress } = parameters;
  if (outDir !== undefined && typeof outDir !== "string") throw new InvalidArgumentError("outDir must be a string");
  if (onProgress !== undefined && typeof onProgress !== "function") {
    throw new InvalidArgumentError("onProgress must be a function");
  }
  const { dataShards, parityShards } = erasureParameters({
    dataShards: parameters.dataShards ?? DEFAULT_DATA_SHARDS,
    parityShards: parameters.parityShards ?? DEFAULT_PARITY_SHARDS,
  });
  const total = dataShards + parityShards;
  if (total > MAX_DEAL_SHARDS) {
    throw new InvalidArgumentError(`A deal has at most ${MAX_DEAL_SHARDS} shards, got ${dataShards} + ${parityShards}`);
  }
  const segmentSize = parameters.segmentSize ?? DEFAULT_SEGMENT_SIZE;
  checkSegmentSize(segmentSize);
  const periods = checkInteger(parameters.periods, "periods", 1, 0xffff);
  const periodLength = checkInteger(parameters.periodLength ?? DEFAULT_PERIOD_LENGTH, "periodLength", 1, 0xffffffff);
  const segmentsPerPeriod = checkInteger(
    parameters.segmentsPerPeriod ?? DEFAULT_SEGMENTS_PER_PERIOD,
    "segmentsPerPeriod",
    1,
    MAX_SEGMENTS_PER_PERIOD,
  );
  const salt = (parameters.salt ?? `0x${randomBytes(32).toString("hex")}`) as Hex;
  if (typeof salt !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(salt)) {
    throw new InvalidArgumentError("salt must be 32 bytes of 0x hex");
  }
  const cacheLevel = parameters.cacheLevel;
  const treeOptions = { segmentSize, ...(cacheLevel !== undefined ? { cacheLevel } : {}) };

  let shards: Uint8Array[] | undefined;
  let shardPaths: string[] | undefined;
  let shardSize: number;
  let originalLength: number;
  const trees: ShardTree[] = [];
  const hashProgress = (i: number) => onProgress?.("hash", i, total);

  if (inputPath !== undefined && outDir !== undefined) {
    let encoded: Awaited<ReturnType<typeof encodeFile>>;
    try {
      encoded = await encodeFile(inputPath, outDir, {
        dataShards,
        parityShards,
        shardSizeMultiple: segmentSize,
        onProgress: (done, all) => onProgress?.("encode", done, all),
      });
    } catch (error) {
      if (error instanceof InvalidArgumentError) throw error;
      throw new InvalidArgumentError(`Could not encode ${inputPath}`, { cause: error });
    }
    ({ shardPaths, shardSize, originalLength } = encoded);
    for (let i = 0; i < total; i++) {
      trees.push(await buildTreeFromFile(shardPaths[i]!, treeOptions));
      hashProgress(i + 1);
    }
  } else {
    let bytes: Uint8Array;
    if (data !== undefined) bytes = data;
    else {
      try {
        bytes = new Uint8Array(await readFile(inputPath!));
      } catch (error) {
        throw new InvalidArgumentError(`Could not read ${inputPath}`, { cause: error });
      }
    }
    const encoded = encodeShards(bytes, { dataShards, parityShards, shardSizeMultiple: segmentSize });
    onProgress?.("encode", encoded.shardSize, encoded.shardSize);
    ({ shards, shardSize, originalLength } = encoded);
    for (let i = 0; i < total; i++) {
      trees.push(buildTree(shards[i]!, treeOptions));
      hashProgress(i + 1);
    }
    if (outDir !== undefined) {
      await mkdir(outDir, { recursive: true });
      shardPaths = shards.map((_, i) => path.join(outDir, defaultShardFileName(i)));
      await Promise.all(shards.map((s, i) => writeFile(shardPaths![i]!, s)));
    }
  }
  const roots = trees.map((t) => t.root);
  const prepared: PreparedDeal = {
    params: {
      salt,
      shardSize: BigInt(shardSize),
      segmentSize,
      periods,
      periodLength,
      minShards: dataShards,
      segmentsPerPeriod,
    },
    roots,
    rootsCommitment: rootsCommitment(roots),
    trees,
    shards,
    shardPaths,
    manifestPath: undefined,
    dataShards,
    parityShards,
    originalLength,
  };
  if (outDir !== undefined) {
    prepared.manifestPath = path.join(outDir, MANIFEST_FILE);
    await writeFile(prepared.manifestPath, `${JSON.stringify(dealManifest(prepared), null, 2)}\n`);
  }
  return prepared;
}

/** The deal id a prepared deal gets when `tenant` opens it. */
export function preparedDealId(prepared: Pick<PreparedDeal, "params">, tenant: string): bigint {
  return dealIdOf(tenant, prepared.params.salt);
}

/** `deal.json`: what a host agent needs to answer challenges (JSON-safe: bigints as strings). */
export interface DealManifest {
  format: typeof MANIFEST_FORMAT;
  /** Set once the tenant is known (`dealManifest(prepared, {tenant})`). */
  dealId?: string;
  salt: Hex;
  shardSize: string;
  segmentSize: number;
  periods: number;
  periodLength: number;
  minShards: number;
  /** Absent in manifests written before the field existed (the chain's `deal()` has it). */
  segmentsPerPeriod?: number;
  dataShards: number;
  parityShards: number;
  originalLength: number;
  roots: Hex[];
  rootsCommitment: Hex;
  /** Shard i's file name, relative to the manifest. */
  shardFiles: string[];
}

export function dealManifest(
  prepared: Omit<PreparedDeal, "trees" | "shards">,
  options: { tenant?: string; dealId?: bigint } = {},
): DealManifest {
  const dealId = options.dealId ?? (options.tenant ? preparedDealId(prepared, options.tenant) : undefined);
  const p = prepared.params;
  return {
    format: MANIFEST_FORMAT,
    ...(dealId !== undefined ? { dealId: dealId.toString() } : {}),
    salt: p.salt,
    shardSize: p.shardSize.toString(),
    segmentSize: p.segmentSize,
    periods: p.periods,
    periodLength: p.periodLength,
    minShards: p.minShards,
    segmentsPerPeriod: p.segmentsPerPeriod,
    dataShards: prepared.dataShards,
    parityShards: prepared.parityShards,
    originalLength: prepared.originalLength,
    roots: [...prepared.roots],
    rootsCommitment: prepared.rootsCommitment,
    shardFiles: prepared.roots.map((_, i) => defaultShardFileName(i)),
  };
}

/** Reads and checks a `deal.json`; `InvalidArgumentError` naming what is wrong. */
export async function readDealManifest(file: string): Promise<DealManifest> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch (error) {
    throw new InvalidArgumentError(`Could not read the deal manifest ${file}`, { cause: error });
  }
  const m = json as DealManifest;
  if (typeof m !== "object" || m === null || m.format !== MANIFEST_FORMAT) {
    throw new InvalidArgumentError(`${file} is not a ${MANIFEST_FORMAT} manifest`);
  }
  if (!Array.isArray(m.roots) || m.roots.some((r) => typeof r !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(r))) {
    throw new InvalidArgumentError(`${file}: roots must be 32-byte hex values`);
  }
  if (!Array.isArray(m.shardFiles) || m.shardFiles.length !== m.roots.length) {
    throw new InvalidArgumentError(`${file}: shardFiles must list one file per root`);
  }
  if (rootsCommitment(m.roots) !== m.rootsCommitment?.toLowerCase()) {
    throw new InvalidArgumentError(`${file}: rootsCommitment does not match the roots`);
  }
  if (m.dealId !== undefined && !/^\d+$/.test(m.dealId)) throw new InvalidArgumentError(`${file}: bad dealId`);
  checkSegmentSize(m.segmentSize);
  if (m.segmentsPerPeriod !== undefined)
    checkInteger(m.segmentsPerPeriod, "segmentsPerPeriod", 1, MAX_SEGMENTS_PER_PERIOD);
  return m;
}
