/** TRON-shaped blocks: the id is the 8-byte big-endian number followed by 24 bytes of hash. */
import { sha256 } from "@noble/hashes/sha2.js";
import { bytesToHex } from "./encoding.js";

export interface BlockRecord {
  number: number;
  timestamp: number;
  blockID: string;
  parentHash: string;
  txTrieRoot: string;
  txIDs: string[];
}

export const WITNESS_HEX = "410000000000000000000000000000000000000000";

export function makeBlock(number: number, timestamp: number, parentHash: string, txIDs: string[]): BlockRecord {
  const txTrieRoot = bytesToHex(sha256(Buffer.from(txIDs.join(""), "hex")));
  const header = new TextEncoder().encode(JSON.stringify({ number, timestamp, parentHash, txTrieRoot }));
  const id = sha256(header);
  new DataView(id.buffer, id.byteOffset).setBigUint64(0, BigInt(number));
  return { number, timestamp, blockID: bytesToHex(id), parentHash, txTrieRoot, txIDs };
}

/** java-tron's JSON for a block; `transactions` only when asked for detail and non-empty. */
export function renderBlock(b: BlockRecord, transactions?: unknown[]): Record<string, unknown> {
  return {
    blockID: b.blockID,
    block_header: {
      raw_data: {
        // java-tron omits number 0 and timestamp 0; the devnode always writes them (TronWeb reads both).
        number: b.number,
        txTrieRoot: b.txTrieRoot,
        witness_address: WITNESS_HEX,
        parentHash: b.parentHash,
        version: 31,
        timestamp: b.timestamp,
      },
      witness_signature: "",
    },
    ...(transactions?.length ? { transactions } : {}),
  };
}
