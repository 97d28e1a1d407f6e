import { InvalidArgumentError } from "../errors.js";
import {
  type Infohash,
  type InfohashVersion,
  infohashFromHex,
  infohashFromMagnet,
  infohashFromTorrent,
} from "./infohash.js";

/**
 * Anything that names a torrent: an `Infohash` (`bytes32` + version), 40 or 64 hex digits, a
 * magnet link, or a .torrent file's bytes.
 */
export type InfohashInput = Infohash | string | Uint8Array;

const V1_LOW_BYTES = (1n << 96n) - 1n;

/** Checks an `Infohash` as SpeedMarket would: non-zero, version 1 or 2, v1 left-aligned. */
export function checkInfohash(value: Infohash): Infohash {
  const { infohash, version } = value;
  if (typeof infohash !== "string" || !/^0x[0-9a-fA-F]{64}$/.test(infohash)) {
    throw new InvalidArgumentError("infohash must be 32 bytes of 0x hex (a v1 infohash left-aligned)", {
      details: String(infohash),
    });
  }
  if (version !== 1 && version !== 2)
    throw new InvalidArgumentError(`infohash version must be 1 or 2, got ${String(version)}`);
  const word = BigInt(infohash);
  if (word === 0n) throw new InvalidArgumentError("infohash must not be zero");
  if (version === 1 && (word & V1_LOW_BYTES) !== 0n) {
    throw new InvalidArgumentError("A v1 infohash is 20 bytes left-aligned: its low 12 bytes must be zero", {
      details: infohash,
    });
  }
  return { infohash: infohash.toLowerCase() as `0x${string}`, version };
}

/**
 * Resolves an `InfohashInput` to the `Infohash` SpeedMarket takes. For a magnet link or a hybrid
 * .torrent, `prefer` picks the version (default 2, the v2 swarm). A 64-hex-digit string is v2
 * unless it is `{infohash, version: 1}`.
 */
export async function resolveInfohash(input: InfohashInput, prefer: InfohashVersion = 2): Promise<Infohash> {
  if (prefer !== 1 && prefer !== 2) throw new InvalidArgumentError(`prefer must be 1 or 2, got ${String(prefer)}`);
  if (input instanceof Uint8Array) return infohashFromTorrent(input, prefer);
  if (typeof input === "string") {
    if (input.startsWith("magnet:")) return infohashFromMagnet(input, prefer);
    return infohashFromHex(input);
  }
  if (typeof input === "object" && input !== null) return checkInfohash(input);
  throw new InvalidArgumentError("infohash must be an Infohash, hex, a magnet link or .torrent bytes", {
    details: String(input),
  });
}
