/**
 * A seeder's receipts on disk: the best (highest cumulative) receipt per (bid, seeder), written
 * atomically before the receipt is acknowledged, so a restart loses none; and what each has
 * redeemed, so `redeem` sends only receipts that pay more than the last redemption.
 */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { toHex20 } from "../../address.js";
import { MAX_BATCH_RECEIPTS, type RedeemOutcome, redeemBatch } from "../../speed/actions/redeemBatch.js";
import type { SpeedClient } from "../../speed/client.js";
import type { SignedReceipt } from "../../speed/receipt.js";
import { ReceiptBook, type ReceiptBookJson } from "../../speed/receiptBook.js";

interface StoreJson extends ReceiptBookJson {
  /** `bidId:seeder` -> cumulative bytes of the last redeemed receipt. */
  redeemed: Record<string, string>;
}

export interface ReceiptStoreRedeemReport {
  txIds: string[];
  total: bigint;
  outcomes: RedeemOutcome[];
}

const key = (bidId: bigint, seeder: string) => `${bidId}:${toHex20(seeder).toLowerCase()}`;

export class ReceiptStore {
  readonly file: string;
  private book = new ReceiptBook();
  private redeemed = new Map<string, bigint>();
  private writes: Promise<void> = Promise.resolve();

  private constructor(file: string) {
    this.file = file;
  }

  /** Opens (or creates) the store at `file`. */
  static async open(file: string): Promise<ReceiptStore> {
    const store = new ReceiptStore(file);
    await mkdir(path.dirname(file), { recursive: true });
    let json: StoreJson | undefined;
    try {
      json = JSON.parse(await readFile(file, "utf8")) as StoreJson;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    if (json) {
      store.book = ReceiptBook.fromJSON(json);
      store.redeemed = new Map(Object.entries(json.redeemed ?? {}).map(([k, v]) => [k, BigInt(v)]));
    }
    return store;
  }

  best(bidId: bigint, seeder: string): SignedReceipt | undefined {
    return this.book.get(bidId, seeder);
  }

  receipts(): SignedReceipt[] {
    return this.book.receipts();
  }

  /** Keeps `receipt` if it beats the one held, and resolves once it is on disk. Signatures are the caller's check. */
  async add(receipt: SignedReceipt): Promise<boolean> {
    if (!this.book.add(receipt)) return false;
    await this.persist();
    return true;
  }

  private persist(): Promise<void> {
    const json: StoreJson = {
      ...this.book.toJSON(),
      redeemed: Object.fromEntries([...this.redeemed].map(([k, v]) => [k, v.toString()])),
    };
    // Writes are serialised; each writes the whole (small) document and renames it into place.
    this.writes = this.writes.then(async () => {
      const tmp = `${this.file}.tmp`;
      await writeFile(tmp, JSON.stringify(json));
      await rename(tmp, this.file);
    });
    return this.writes;
  }

  /** Receipts that would pay more than their last redemption (optionally of one seeder). */
  unredeemed(seeder?: string): SignedReceipt[] {
    return this.book
      .receipts()
      .filter((r) => seeder === undefined || toHex20(r.seeder) === toHex20(seeder))
      .filter((r) => r.cumulativeBytes > (this.redeemed.get(key(r.bidId, r.seeder)) ?? 0n));
  }

  /** Redeems every unredeemed receipt of `client`'s seeder in batches of at most 500. */
  async redeem(client: SpeedClient): Promise<ReceiptStoreRedeemReport> {
    const seeder = await client.backend.account();
    const due = this.unredeemed(seeder ?? undefined);
    const report: ReceiptStoreRedeemReport = { txIds: [], total: 0n, outcomes: [] };
    for (let i = 0; i < due.length; i += MAX_BATCH_RECEIPTS) {
      const r = await redeemBatch(client, { receipts: due.slice(i, i + MAX_BATCH_RECEIPTS) });
      report.txIds.push(r.txId);
      report.total += r.total;
      report.outcomes.push(...r.outcomes);
      for (const o of r.outcomes) {
        // A receipt the market took, or one it will never take (not newer): either way done.
        if (o.status === "redeemed" || o.reason === "NotNewer") {
          this.redeemed.set(key(o.receipt.bidId, o.receipt.seeder), o.receipt.cumulativeBytes);
        }
      }
      await this.persist();
    }
    return report;
  }
}
