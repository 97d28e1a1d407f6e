import { toHex20 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import { type PackedReceipt, packReceipt, type SignedReceipt } from "./receipt.js";

/** The JSON form of a ReceiptBook: bigint fields as decimal strings. */
export interface ReceiptBookJson {
  version: 1;
  receipts: { bidId: string; seeder: string; cumulativeBytes: string; signature: string }[];
}

/**
 * Keeps the highest signed receipt per (bid, seeder), as a seeder (or its relayer) collects them
 * from downloaders. A receipt not above the one held is rejected: cumulative receipts make the
 * highest one worth all the others. The book does not check signatures: use
 * `recoverReceiptSigner` against the bid's downloader before adding what a peer sent.
 */
export class ReceiptBook {
  readonly #receipts = new Map<string, SignedReceipt>();

  static #key(bidId: bigint, seeder: string): string {
    return `${bidId}:${toHex20(seeder).toLowerCase()}`;
  }

  /** Adds `receipt` if it is above the one held for its (bid, seeder); returns whether it was. */
  add(receipt: SignedReceipt): boolean {
    const key = ReceiptBook.#key(receipt.bidId, receipt.seeder);
    const held = this.#receipts.get(key);
    if (held && held.cumulativeBytes >= receipt.cumulativeBytes) return false;
    this.#receipts.set(key, { ...receipt, seeder: toHex20(receipt.seeder) });
    return true;
  }

  /** Like `add`, but throws an InvalidArgumentError for a receipt not above the one held. */
  addOrThrow(receipt: SignedReceipt): void {
    if (!this.add(receipt)) {
      throw new InvalidArgumentError(
        `Receipt for bid ${receipt.bidId} and ${receipt.seeder} is not above the one held`,
        { details: `${receipt.cumulativeBytes} bytes` },
      );
    }
  }

  /** The highest receipt held for (bid, seeder), if any. */
  get(bidId: bigint, seeder: string): SignedReceipt | undefined {
    return this.#receipts.get(ReceiptBook.#key(bidId, seeder));
  }

  /** Forgets the receipt of (bid, seeder), e.g. once redeemed and the bid is refunded. */
  delete(bidId: bigint, seeder: string): boolean {
    return this.#receipts.delete(ReceiptBook.#key(bidId, seeder));
  }

  get size(): number {
    return this.#receipts.size;
  }

  /** All receipts held, ordered by bid id then seeder: the order `redeemBatch` is cheapest in. */
  receipts(): SignedReceipt[] {
    return [...this.#receipts.values()].sort((a, b) =>
      a.bidId === b.bidId ? (a.seeder.toLowerCase() < b.seeder.toLowerCase() ? -1 : 1) : a.bidId < b.bidId ? -1 : 1,
    );
  }

  /** The receipts in `redeemBatch` calldata form, grouped by bid. */
  toBatch(filter?: (receipt: SignedReceipt) => boolean): PackedReceipt[] {
    return this.receipts()
      .filter(filter ?? (() => true))
      .map(packReceipt);
  }

  toJSON(): ReceiptBookJson {
    return {
      version: 1,
      receipts: this.receipts().map((r) => ({
        bidId: r.bidId.toString(),
        seeder: r.seeder,
        cumulativeBytes: r.cumulativeBytes.toString(),
        signature: r.signature,
      })),
    };
  }

  static fromJSON(json: ReceiptBookJson): ReceiptBook {
    if (json.version !== 1) throw new InvalidArgumentError(`Unknown ReceiptBook version: ${String(json.version)}`);
    const book = new ReceiptBook();
    for (const r of json.receipts) {
      book.add({
        bidId: BigInt(r.bidId),
        seeder: r.seeder,
        cumulativeBytes: BigInt(r.cumulativeBytes),
        signature: r.signature,
      });
    }
    return book;
  }
}
