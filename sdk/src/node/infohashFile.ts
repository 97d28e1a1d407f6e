import { readFile } from "node:fs/promises";
import { type Infohash, type InfohashVersion, infohashFromTorrent } from "../speed/infohash.js";

/** Reads a .torrent file and returns its preferred infohash (v2 when it has one). */
export async function infohashFromTorrentFile(path: string, prefer: InfohashVersion = 2): Promise<Infohash> {
  return infohashFromTorrent(new Uint8Array(await readFile(path)), prefer);
}
