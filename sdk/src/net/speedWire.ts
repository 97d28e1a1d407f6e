/**
 * Messages of `bttkit_speed`, the BEP-10 extension through which a downloader pays seeders per
 * verified piece. Each is a bencoded dictionary; numbers that may exceed 2^53 are decimal strings,
 * signatures 0x hex. Pure: encode and decode only; a malformed message is a `NetworkError`
 * (`peer`), which the seeder counts against the peer.
 *
 *   pay      downloader -> seeder   "I pay for this torrent on bid `bid`"
 *   accept   seeder -> downloader   bid checked; `held` is the best receipt it holds (with `sig`)
 *   refuse   seeder -> downloader   bid not usable here (`reason`)
 *   receipt  downloader -> seeder   a signed cumulative receipt (TIP-712, the on-chain format)
 *   nack     seeder -> downloader   the receipt was rejected (`reason`)
 */
import bencode from "bencode";
import { type Hex20, toHex20 } from "../address.js";
import { NetworkError } from "./errors.js";

/** The extension's name in the BEP-10 handshake's `m` dictionary. */
export const SPEED_EXTENSION = "bttkit_speed";
/** Larger messages are malformed (a receipt is about 250 bytes). */
export const MAX_SPEED_MESSAGE = 1_024;

export type SpeedMessage =
  | { type: "pay"; bidId: bigint }
  | { type: "accept"; bidId: bigint; seeder: Hex20; held: bigint; signature: string | undefined }
  | { type: "refuse"; bidId: bigint; reason: string }
  | { type: "receipt"; bidId: bigint; seeder: Hex20; cumulativeBytes: bigint; signature: string }
  | { type: "nack"; bidId: bigint; cumulativeBytes: bigint; reason: string };

const TYPES = ["pay", "accept", "refuse", "receipt", "nack"] as const;

export function encodeSpeedMessage(m: SpeedMessage): Uint8Array {
  const d: Record<string, string | number> = { t: TYPES.indexOf(m.type), bid: m.bidId.toString() };
  if (m.type === "accept") {
    d.seeder = m.seeder;
    d.held = m.held.toString();
    if (m.signature) d.sig = m.signature;
  } else if (m.type === "refuse") d.reason = m.reason;
  else if (m.type === "receipt") {
    d.seeder = m.seeder;
    d.cum = m.cumulativeBytes.toString();
    d.sig = m.signature;
  } else if (m.type === "nack") {
    d.cum = m.cumulativeBytes.toString();
    d.reason = m.reason;
  }
  return bencode.encode(d);
}

const malformed = (why: string) => new NetworkError("peer", `malformed ${SPEED_EXTENSION} message: ${why}`);
const text = new TextDecoder("utf-8", { fatal: true });

function str(d: Record<string, unknown>, k: string, pattern: RegExp): string {
  const v = d[k];
  if (!(v instanceof Uint8Array)) throw malformed(`${k} is missing`);
  let s: string;
  try {
    s = text.decode(v);
  } catch {
    throw malformed(`${k} is not text`);
  }
  if (!pattern.test(s)) throw malformed(`${k} is out of shape`);
  return s;
}

const DEC = /^\d{1,20}$/;
const ADDR = /^0x[0-9a-fA-F]{40}$/;
const SIG = /^0x[0-9a-fA-F]{130}$/;
const REASON = /^[\x20-\x7e]{0,200}$/;

export function decodeSpeedMessage(buf: Uint8Array): SpeedMessage {
  if (!(buf instanceof Uint8Array) || buf.length === 0 || buf.length > MAX_SPEED_MESSAGE) throw malformed("size");
  let d: unknown;
  try {
    d = bencode.decode(buf);
  } catch {
    throw malformed("not bencode");
  }
  if (typeof d !== "object" || d === null || Array.isArray(d) || d instanceof Uint8Array) {
    throw malformed("not a dictionary");
  }
  const dict = d as Record<string, unknown>;
  const type = typeof dict.t === "number" ? TYPES[dict.t] : undefined;
  if (!type) throw malformed("unknown type");
  const bidId = BigInt(str(dict, "bid", DEC));
  switch (type) {
    case "pay":
      return { type, bidId };
    case "accept":
      return {
        type,
        bidId,
        seeder: toHex20(str(dict, "seeder", ADDR)),
        held: BigInt(str(dict, "held", DEC)),
        signature: dict.sig === undefined ? undefined : str(dict, "sig", SIG),
      };
    case "refuse":
      return { type, bidId, reason: str(dict, "reason", REASON) };
    case "receipt":
      return {
        type,
        bidId,
        seeder: toHex20(str(dict, "seeder", ADDR)),
        cumulativeBytes: BigInt(str(dict, "cum", DEC)),
        signature: str(dict, "sig", SIG),
      };
    default:
      return { type, bidId, cumulativeBytes: BigInt(str(dict, "cum", DEC)), reason: str(dict, "reason", REASON) };
  }
}
