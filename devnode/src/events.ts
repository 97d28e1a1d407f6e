/**
 * Contract events, kept raw and decoded at query time against the ABIs the node knows (so an
 * ABI registered after the fact still decodes old events). Answers in TronGrid's v1 shape.
 */
import { type EventFragment, Interface, type LogDescription } from "ethers";
import { formatEventValue, toStandardAbi } from "./abi.js";
import { bytesToHex, type TronAddress } from "./encoding.js";
import type { ExecLog } from "./executor.js";

export interface StoredEvent {
  blockNumber: number;
  blockTimestamp: number;
  txID: string;
  /** Position of the log within its transaction. */
  eventIndex: number;
  contract: TronAddress;
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface EventQuery {
  contract?: TronAddress;
  txID?: string;
  blockNumber?: number;
  eventName?: string;
  minBlockTimestamp?: number;
  maxBlockTimestamp?: number;
  orderBy?: "block_timestamp,desc" | "block_timestamp,asc";
  limit: number;
  fingerprint?: string;
}

export class EventStore {
  private readonly events: StoredEvent[] = [];
  private readonly abis = new Map<string, Interface>();

  /** Known ABI for a contract (java-tron JSON, standard JSON array, or a JSON string of either). */
  setAbi(contract: TronAddress, abi: unknown): void {
    const entries = toStandardAbi(abi).filter((e) =>
      ["event", "error", "function", "constructor"].includes(e.type ?? ""),
    );
    try {
      this.abis.set(contract.hex, new Interface(entries as never));
    } catch {
      // An ABI ethers can't read (e.g. java-tron's tuple types without components): keep what parses.
      const ok = entries.filter((e) => {
        try {
          new Interface([e as never]);
          return true;
        } catch {
          return false;
        }
      });
      this.abis.set(contract.hex, new Interface(ok as never));
    }
  }

  hasAbi(contract: TronAddress): boolean {
    return this.abis.has(contract.hex);
  }

  add(block: { number: number; timestamp: number }, txID: string, logs: ExecLog[]): void {
    logs.forEach((log, i) => {
      this.events.push({
        blockNumber: block.number,
        blockTimestamp: block.timestamp,
        txID,
        eventIndex: i,
        contract: log.address,
        topics: log.topics,
        data: log.data,
      });
    });
  }

  /** Decodes with the emitter's ABI first, then any known ABI with the same event signature. */
  private decode(e: StoredEvent): LogDescription | null {
    const log = { topics: e.topics.map((t) => `0x${bytesToHex(t)}`), data: `0x${bytesToHex(e.data)}` };
    const own = this.abis.get(e.contract.hex);
    const candidates = own ? [own, ...this.abis.values()] : [...this.abis.values()];
    for (const iface of candidates) {
      try {
        const parsed = iface.parseLog(log);
        if (parsed) return parsed;
      } catch {
        // not this ABI
      }
    }
    return null;
  }

  private render(e: StoredEvent, d: LogDescription): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    const resultType: Record<string, string> = {};
    d.fragment.inputs.forEach((input, i) => {
      const v = formatEventValue(input.type, d.args[i]);
      result[String(i)] = v;
      if (input.name) {
        result[input.name] = v;
        resultType[input.name] = input.type;
      }
    });
    return {
      block_number: e.blockNumber,
      block_timestamp: e.blockTimestamp,
      caller_contract_address: e.contract.base58,
      contract_address: e.contract.base58,
      event_index: e.eventIndex,
      event_name: d.name,
      result,
      result_type: resultType,
      event: eventSignature(d.fragment),
      transaction_id: e.txID,
    };
  }

  query(q: EventQuery): { data: Record<string, unknown>[]; fingerprint?: string } {
    const desc = q.orderBy !== "block_timestamp,asc"; // TronGrid's default order is newest first
    const from = q.fingerprint === undefined ? undefined : decodeFingerprint(q.fingerprint);
    const page: Record<string, unknown>[] = [];
    let fingerprint: string | undefined;
    const n = this.events.length;
    for (let k = 0; k < n; k++) {
      const seq = desc ? n - 1 - k : k;
      if (from !== undefined && (desc ? seq > from : seq < from)) continue;
      const e = this.events[seq];
      if (q.contract && !e.contract.equals(q.contract)) continue;
      if (q.txID && e.txID !== q.txID) continue;
      if (q.blockNumber !== undefined && e.blockNumber !== q.blockNumber) continue;
      if (q.minBlockTimestamp !== undefined && e.blockTimestamp < q.minBlockTimestamp) continue;
      if (q.maxBlockTimestamp !== undefined && e.blockTimestamp > q.maxBlockTimestamp) continue;
      const d = this.decode(e);
      if (!d || (q.eventName && d.name !== q.eventName)) continue;
      if (page.length === q.limit) {
        // The cursor names the next event's position in the log, so new events don't shift pages.
        fingerprint = encodeFingerprint(seq);
        break;
      }
      page.push(this.render(e, d));
    }
    return { data: page, fingerprint };
  }
}

/** Paging cursor: opaque to clients, as TronGrid's is. */
function encodeFingerprint(seq: number): string {
  return Buffer.from(`seq:${seq}`).toString("base64url");
}

export class BadFingerprintError extends Error {}

function decodeFingerprint(f: string): number {
  const m = /^seq:(\d{1,9})$/.exec(Buffer.from(f, "base64url").toString());
  if (!m) throw new BadFingerprintError("invalid fingerprint");
  return Number(m[1]);
}

/** "Transfer(address indexed from, address indexed to, uint256 value)", as TronGrid writes it. */
function eventSignature(f: EventFragment): string {
  const params = f.inputs.map(
    (p) => `${p.format("sighash")}${p.indexed ? " indexed" : ""}${p.name ? ` ${p.name}` : ""}`,
  );
  return `${f.name}(${params.join(", ")})`;
}
