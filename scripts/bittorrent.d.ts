// Minimal types for the untyped BitTorrent packages the network tests and the demo drive.
declare module "bittorrent-protocol" {
  import type { Duplex } from "node:stream";
  export default class Wire extends Duplex {
    constructor(type?: string | null, retries?: number, peEnabled?: boolean);
    amChoking: boolean;
    peerChoking: boolean;
    peerId: string;
    use(extension: unknown): void;
    handshake(infoHash: string, peerId: string, extensions?: Record<string, unknown>): void;
    extended(ext: string | number, payload: Uint8Array): void;
    interested(): void;
    unchoke(): void;
    choke(): void;
    have(index: number): void;
    request(index: number, offset: number, length: number, cb: (err: Error | null, block: Uint8Array) => void): void;
    piece(index: number, offset: number, buffer: Uint8Array): void;
  }
}

declare module "bittorrent-tracker" {
  export class Server {
    constructor(opts?: { udp?: boolean; http?: boolean; ws?: boolean; stats?: boolean; interval?: number });
    listen(port: number, hostname: string, cb: () => void): void;
    close(cb: () => void): void;
    http: import("node:http").Server;
  }
}

declare module "webtorrent" {
  import type { EventEmitter } from "node:events";
  export interface Torrent extends EventEmitter {
    infoHash: string;
    torrentFile: Uint8Array;
    pieceLength: number;
    lastPieceLength: number;
    pieces: unknown[];
    length: number;
    done: boolean;
    uploaded: number;
    downloaded: number;
    wires: { remoteAddress?: string; uploaded: number; downloaded: number }[];
    files: { getBuffer?: never; arrayBuffer(): Promise<ArrayBuffer> }[];
    destroy(cb?: () => void): void;
  }
  export default class WebTorrent extends EventEmitter {
    constructor(opts?: Record<string, unknown>);
    seed(input: Uint8Array | Buffer, opts: Record<string, unknown>, cb: (t: Torrent) => void): Torrent;
    add(id: Uint8Array | Buffer | string, opts: Record<string, unknown>, cb?: (t: Torrent) => void): Torrent;
    destroy(cb?: (err?: Error) => void): void;
  }
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
