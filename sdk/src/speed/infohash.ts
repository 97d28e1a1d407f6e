import { sha1 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "@noble/hashes/utils.js";
import bencode from "bencode";
import { decode as decodeMagnet } from "magnet-uri";
import { InvalidArgumentError } from "../errors.js";

/** 1: a 20-byte SHA-1 infohash (BEP 3, `btih`); 2: a 32-byte SHA-256 infohash (BEP 52, `btmh`). */
export type InfohashVersion = 1 | 2;

/** An infohash as SpeedMarket takes it: `bytes32` (v1 left-aligned, zero-padded) plus its version. */
export interface Infohash {
  infohash: `0x${string}`;
  version: InfohashVersion;
}

/**
 * An infohash from hex: 40 hex digits are v1, 64 are v2. A v1 is left-aligned in 32 bytes, which
 * is why the version must travel with it: the contract keys its lists by both.
 */
export function infohashFromHex(hex: string): Infohash {
  const clean = hex.startsWith("0x") ? hex.slice(2) : hex;
  if (/^[0-9a-fA-F]{40}$/.test(clean)) return { infohash: `0x${clean.toLowerCase()}${"0".repeat(24)}`, version: 1 };
  if (/^[0-9a-fA-F]{64}$/.test(clean)) return { infohash: `0x${clean.toLowerCase()}`, version: 2 };
  throw new InvalidArgumentError(`Not a 20- or 32-byte infohash: ${hex}`);
}

/** The original 20 or 32 bytes of an infohash, as hex without `0x` (what magnet links carry). */
export function infohashToHex(value: Infohash): string {
  return value.version === 1 ? value.infohash.slice(2, 42) : value.infohash.slice(2);
}

/**
 * Every infohash of a magnet link: the v1 (`xt=urn:btih:`, hex or base32) and/or the v2
 * (`xt=urn:btmh:1220...`) one. A hybrid torrent's link has both; v2 comes first.
 */
export function infohashesFromMagnet(uri: string): Infohash[] {
  let parsed: { infoHash?: string; infoHashV2?: string };
  try {
    parsed = decodeMagnet(uri);
  } catch (cause) {
    throw new InvalidArgumentError("Invalid magnet link", { details: uri, cause });
  }
  const found: Infohash[] = [];
  if (parsed.infoHashV2) found.push(infohashFromHex(parsed.infoHashV2));
  if (parsed.infoHash) found.push(infohashFromHex(parsed.infoHash));
  if (found.length === 0)
    throw new InvalidArgumentError("The magnet link names no BitTorrent infohash", { details: uri });
  return found;
}

/** The preferred infohash of a magnet link: v2 when it has one, else v1. */
export function infohashFromMagnet(uri: string, prefer: InfohashVersion = 2): Infohash {
  const all = infohashesFromMagnet(uri);
  return all.find((h) => h.version === prefer) ?? (all[0] as Infohash);
}

/**
 * Every infohash of a .torrent file's bytes: v1 (SHA-1 of the bencoded info dictionary) unless
 * the torrent is v2-only, and v2 (SHA-256 of the same bytes) when its info has `meta version` 2.
 * v2 comes first.
 */
export async function infohashesFromTorrent(torrent: Uint8Array): Promise<Infohash[]> {
  let info: Record<string, unknown>;
  try {
    const decoded: unknown = bencode.decode(torrent);
    const candidate =
      typeof decoded === "object" && decoded !== null ? (decoded as { info?: unknown }).info : undefined;
    if (typeof candidate !== "object" || candidate === null || candidate instanceof Uint8Array) {
      throw new Error("no info dictionary");
    }
    info = candidate as Record<string, unknown>;
  } catch (cause) {
    throw new InvalidArgumentError("Invalid .torrent file", { cause });
  }
  // The infohash is the hash of the bencoded info dictionary (BEP 3, BEP 52).
  const infoBytes: Uint8Array = bencode.encode(info);
  const found: Infohash[] = [];
  const metaVersion = Number(info["meta version"] ?? 1);
  if (metaVersion === 2) found.push(infohashFromHex(bytesToHex(sha256(infoBytes))));
  // A v2-only torrent has no `pieces`: its SHA-1 infohash names nothing in a v1 swarm.
  if (metaVersion !== 2 || info.pieces !== undefined) found.push(infohashFromHex(bytesToHex(sha1(infoBytes))));
  return found;
}

/** The preferred infohash of a .torrent file's bytes: v2 when it has one, else v1. */
export async function infohashFromTorrent(torrent: Uint8Array, prefer: InfohashVersion = 2): Promise<Infohash> {
  const all = await infohashesFromTorrent(torrent);
  return all.find((h) => h.version === prefer) ?? (all[0] as Infohash);
}
