// Minimal types for the two untyped npm packages infohash.ts uses (only what it touches).
declare module "magnet-uri" {
  interface MagnetDecoded {
    infoHash?: string;
    infoHashV2?: string;
    [field: string]: unknown;
  }
  function decode(uri: string): MagnetDecoded;
  const magnet: { decode: typeof decode };
  export default magnet;
  export { decode };
}

declare module "parse-torrent" {
  interface ParsedTorrent {
    infoHash?: string;
    infoBuffer?: Uint8Array;
    info?: Record<string, unknown>;
    [field: string]: unknown;
  }
  export default function parseTorrent(torrentId: Uint8Array | string): Promise<ParsedTorrent>;
  export function toTorrentFile(parsed: Record<string, unknown>): Uint8Array;
}
