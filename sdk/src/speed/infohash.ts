import { readFile } from "node:fs/promises";
import { sha256 } from "@noble/hashes/sha2.js";
import { hexlify } from "ethers";
import { decode as decodeMagnet } from "magnet-uri";
import parseTorrent from "parse-torrent";
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
  let parsed: { infoHash?: string; infoBuffer?: Uint8Array; info?: Record<string, unknown> };
  try {
    parsed = await parseTorrent(torrent);
  } catch (cause) {
    throw new InvalidArgumentError("Invalid .torrent file", { cause });
  }
  const found: Infohash[] = [];
  const info = parsed.info ?? {};
  const metaVersion = Number(info["meta version"] ?? 1);
  if (metaVersion === 2 && parsed.infoBuffer) found.push(infohashFromHex(hexlify(sha256(parsed.infoBuffer))));
  // A v2-only torrent has no `pieces`: its SHA-1 infohash names nothing in a v1 swarm.
  if (parsed.infoHash && (metaVersion !== 2 || info.pieces !== undefined)) found.push(infohashFromHex(parsed.infoHash));
  if (found.length === 0) throw new InvalidArgumentError("The .torrent file yields no infohash");
  return found;
}

/** The preferred infohash of a .torrent file's bytes: v2 when it has one, else v1. */
export async function infohashFromTorrent(torrent: Uint8Array, prefer: InfohashVersion = 2): Promise<Infohash> {
  const all = await infohashesFromTorrent(torrent);
  return all.find((h) => h.version === prefer) ?? (all[0] as Infohash);
}

/** Reads a .torrent file (the SDK's only file I/O) and returns its preferred infohash. */
export async function infohashFromTorrentFile(path: string, prefer: InfohashVersion = 2): Promise<Infohash> {
  return infohashFromTorrent(new Uint8Array(await readFile(path)), prefer);
}
