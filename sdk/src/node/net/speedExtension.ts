/**
 * `bttkit_speed`: Speed's pay-per-piece over the BitTorrent wire, as a BEP-10 extension for
 * `bittorrent-protocol` wires (what webtorrent uses: `torrent.on("wire", w => w.use(ext))`).
 *
 * Downloader: on the extended handshake it names its bid; once the seeder accepts, every piece
 * that this wire delivered and that then verified (the torrent's hash check) raises the seeder's
 * cumulative receipt, which it signs (TIP-712, the on-chain format) and sends. It never signs for
 * bytes it did not receive on this wire, nor for a piece that did not verify.
 *
 * Seeder: it accepts a bid that is open, on this torrent and at its price; it counts the bytes it
 * sends per piece on the wire, and checks each receipt: signed by the bid's downloader, for the
 * agreed bid and this seeder, above the best receipt it holds, no more than it really sent on this
 * wire, within the bid's budget. Good receipts go to the `ReceiptStore` (on disk) before anything
 * else. When the pieces the peer announced (HAVE) are unpaid beyond `maxUnpaidBytes`, the peer is
 * choked until it pays; a peer that sends bad or malformed messages `maxStrikes` times is dropped.
 * Peers without the extension, or that never name a bid, get plain BitTorrent.
 */
import { type Hex20, toHex20 } from "../../address.js";
import { NetworkError } from "../../net/errors.js";
import { decodeSpeedMessage, encodeSpeedMessage, SPEED_EXTENSION, type SpeedMessage } from "../../net/speedWire.js";
import { openBids, bid as readBid } from "../../speed/actions/reads.js";
import { type ReceiptSigner, signReceipt } from "../../speed/actions/signReceipt.js";
import type { SpeedClient } from "../../speed/client.js";
import { infohashFromHex } from "../../speed/infohash.js";
import { receiptWorth, recoverReceiptSigner } from "../../speed/receipt.js";
import type { ReceiptStore } from "./receiptStore.js";

/** What the extension needs of a `bittorrent-protocol` Wire. */
export interface SpeedWire {
  extended(ext: string | number, payload: Uint8Array): void;
  choke(): void;
  unchoke(): void;
  piece(index: number, offset: number, buffer: Uint8Array): void;
  destroy(): void;
  amChoking: boolean;
  peerId?: string;
  remoteAddress?: string;
  on(event: string, listener: (...args: never[]) => void): unknown;
}

export type SpeedEvent =
  | { kind: "accepted"; peer: string; bidId: bigint }
  | { kind: "refused"; peer: string; bidId: bigint; reason: string }
  | { kind: "receipt"; peer: string; bidId: bigint; cumulativeBytes: bigint }
  | { kind: "rejected"; peer: string; reason: RejectReason; detail: string }
  | { kind: "choked"; peer: string; unpaid: bigint }
  | { kind: "unchoked"; peer: string }
  | { kind: "dropped"; peer: string; strikes: number }
  | { kind: "signed"; peer: string; seeder: Hex20; cumulativeBytes: bigint }
  | { kind: "nack"; peer: string; reason: string };

export type RejectReason =
  | "malformed"
  | "no-bid"
  | "other-bid"
  | "wrong-seeder"
  | "forged"
  | "replayed"
  | "over-claim"
  | "budget"
  | "unexpected";

export interface SeederConfig {
  /** Reads bids (any backend; the seeder's own address is `seeder`). */
  client: SpeedClient;
  seeder: string;
  /** The torrent this seeder serves: its infohash as BitTorrent shows it (40 or 64 hex digits). */
  infohash: string;
  store: ReceiptStore;
  /** Refuse bids paying less per MiB (default 1). */
  minPricePerMiB?: bigint;
  /** Unpaid bytes of announced pieces tolerated before choking (default 1 MiB). */
  maxUnpaidBytes?: bigint;
  /** Bad messages tolerated before the peer is dropped (default 3). */
  maxStrikes?: number;
}

export interface DownloaderConfig {
  client: SpeedClient;
  bidId: bigint;
  /** The bid's downloader key. */
  signer: ReceiptSigner;
  /** The downloader's address (to recognise its own receipts a seeder shows back). */
  downloader: string;
  /** Receipts signed so far per seeder (shared by every wire; keep it to resume). */
  ledger?: Map<Hex20, bigint>;
  /** Length of piece `index` (caps what one piece can be paid for). */
  pieceLength: (index: number) => number;
}

export interface SpeedExtensionConfig {
  seeder?: SeederConfig;
  downloader?: DownloaderConfig;
  onEvent?: (event: SpeedEvent) => void;
}

/** The per-wire counters, for reports. */
export interface SpeedWireStats {
  peer: string;
  bidId: bigint | undefined;
  /** Seeder: piece bytes sent since the bid was agreed; credited by accepted receipts. */
  sent: bigint;
  credited: bigint;
  /** Downloader: bytes received on this wire in verified pieces, and signed for. */
  verified: bigint;
  signed: bigint;
  choked: boolean;
  strikes: number;
}

export interface SpeedExtensionClass {
  new (wire: SpeedWire): SpeedExtensionInstance;
  prototype: { name: string };
  /** Every live instance (one per wire that used the extension). */
  readonly instances: Set<SpeedExtensionInstance>;
  /** Tells every downloader instance that piece `index` verified (webtorrent: `torrent.on("verified")`). */
  pieceVerified(index: number): void;
}

export interface SpeedExtensionInstance {
  readonly stats: SpeedWireStats;
  onExtendedHandshake(handshake: { m?: Record<string, unknown> }): void;
  onMessage(buf: Uint8Array): void;
  pieceVerified(index: number): void;
}

/**
 * The extension class for `wire.use(...)`, for a seeder, a downloader, or a client that is both.
 * Each wire gets its own instance; `pieceVerified` must be fed from the torrent's verification.
 */
export function speedExtension(config: SpeedExtensionConfig): SpeedExtensionClass {
  const instances = new Set<SpeedExtensionInstance>();
  const ledger = config.downloader?.ledger ?? new Map<Hex20, bigint>();
  const emit = (e: SpeedEvent) => config.onEvent?.(e);

  class BttkitSpeed implements SpeedExtensionInstance {
    static readonly instances = instances;
    static pieceVerified(index: number): void {
      for (const i of instances) i.pieceVerified(index);
    }
    declare name: string;
    readonly stats: SpeedWireStats;
    private readonly wire: SpeedWire;
    private queue: Promise<void> = Promise.resolve();
    private peerSpeaks = false;
    // Seeder state.
    private agreed: { bidId: bigint; downloader: Hex20; price: bigint } | undefined;
    private readonly sentPerPiece = new Map<number, number>();
    private readonly announced = new Set<number>();
    private due = 0n;
    private holding = false;
    // Downloader state.
    private seederOfPeer: Hex20 | undefined;
    private readonly receivedPerPiece = new Map<number, number>();
    /** Verified bytes from this wire not yet in a receipt. */
    private unpaid = 0n;

    constructor(wire: SpeedWire) {
      this.wire = wire;
      this.stats = {
        peer: wire.remoteAddress ?? wire.peerId ?? "peer",
        bidId: undefined,
        sent: 0n,
        credited: 0n,
        verified: 0n,
        signed: 0n,
        choked: false,
        strikes: 0,
      };
      instances.add(this);
      wire.on("close", () => instances.delete(this));
      if (config.seeder) {
        // Count what is really sent, per piece; a choked paying peer stays choked until it pays.
        const send = wire.piece.bind(wire);
        wire.piece = (index, offset, buffer) => {
          this.sentPerPiece.set(index, (this.sentPerPiece.get(index) ?? 0) + buffer.length);
          this.stats.sent += BigInt(buffer.length);
          send(index, offset, buffer);
        };
        const unchoke = wire.unchoke.bind(wire);
        wire.unchoke = () => {
          if (!this.holding) unchoke();
        };
        wire.on("have", ((index: number) => this.onHave(index)) as never);
      }
      if (config.downloader) {
        wire.on("piece", ((index: number, _offset: number, buffer: Uint8Array) => {
          this.receivedPerPiece.set(index, (this.receivedPerPiece.get(index) ?? 0) + buffer.length);
        }) as never);
      }
    }

    private send(m: SpeedMessage): void {
      try {
        this.wire.extended(SPEED_EXTENSION, encodeSpeedMessage(m));
      } catch {
        // The peer went away or never spoke the extension.
      }
    }

    onExtendedHandshake(handshake: { m?: Record<string, unknown> }): void {
      this.peerSpeaks = typeof handshake?.m === "object" && handshake.m !== null && SPEED_EXTENSION in handshake.m;
      if (this.peerSpeaks && config.downloader) this.send({ type: "pay", bidId: config.downloader.bidId });
    }

    onMessage(buf: Uint8Array): void {
      this.queue = this.queue.then(() => this.handle(buf)).catch(() => {});
    }

    private async handle(buf: Uint8Array): Promise<void> {
      let m: SpeedMessage;
      try {
        m = decodeSpeedMessage(buf);
      } catch (error) {
        return this.strike("malformed", error instanceof NetworkError ? error.shortMessage : "undecodable");
      }
      if (m.type === "pay" && config.seeder) return this.onPay(m.bidId, config.seeder);
      if (m.type === "receipt" && config.seeder) return this.onReceipt(m, config.seeder);
      if (m.type === "accept" && config.downloader) return this.onAccept(m, config.downloader);
      if (m.type === "refuse" && config.downloader) {
        return emit({ kind: "refused", peer: this.stats.peer, bidId: m.bidId, reason: m.reason });
      }
      if (m.type === "nack" && config.downloader)
        return emit({ kind: "nack", peer: this.stats.peer, reason: m.reason });
      return this.strike("unexpected", `a ${m.type} message this side does not take`);
    }

    private strike(reason: RejectReason, detail: string): void {
      this.stats.strikes++;
      emit({ kind: "rejected", peer: this.stats.peer, reason, detail });
      if (this.stats.strikes >= (config.seeder?.maxStrikes ?? 3)) {
        emit({ kind: "dropped", peer: this.stats.peer, strikes: this.stats.strikes });
        this.wire.destroy();
      }
    }

    // --- seeder ---------------------------------------------------------------------------

    private async onPay(bidId: bigint, s: SeederConfig): Promise<void> {
      const refuse = (reason: string) => {
        this.send({ type: "refuse", bidId, reason });
        emit({ kind: "refused", peer: this.stats.peer, bidId, reason });
      };
      if (this.agreed) return refuse(`bid ${this.agreed.bidId} is already agreed on this wire`);
      const b = bidId > 0n && bidId < 1n << 40n ? await readBid(s.client, { bidId }) : undefined;
      if (!b || b.status !== "open") return refuse(`bid ${bidId} is not open`);
      if (b.pricePerMiB < (s.minPricePerMiB ?? 1n)) return refuse(`bid ${bidId} pays ${b.pricePerMiB} per MiB`);
      const open = await openBids(s.client, { infohash: infohashFromHex(s.infohash) });
      if (!open.bids.some((x) => x.bidId === bidId)) return refuse(`bid ${bidId} is not on this torrent`);
      this.agreed = { bidId, downloader: toHex20(b.downloader), price: b.pricePerMiB };
      this.stats.bidId = bidId;
      const held = s.store.best(bidId, s.seeder);
      this.send({
        type: "accept",
        bidId,
        seeder: toHex20(s.seeder),
        held: held?.cumulativeBytes ?? 0n,
        signature: held?.signature,
      });
      emit({ kind: "accepted", peer: this.stats.peer, bidId });
    }

    private onHave(index: number): void {
      if (this.announced.has(index)) return;
      this.announced.add(index);
      this.due += BigInt(this.sentPerPiece.get(index) ?? 0);
      this.enforce();
    }

    /** Chokes while announced pieces are unpaid beyond the threshold; lets go once paid. */
    private enforce(): void {
      if (!this.agreed) return; // no bid named: plain BitTorrent
      const unpaid = this.due - this.stats.credited;
      const limit = config.seeder?.maxUnpaidBytes ?? 1n << 20n;
      if (!this.holding && unpaid > limit) {
        this.holding = true;
        this.stats.choked = true;
        this.wire.choke();
        emit({ kind: "choked", peer: this.stats.peer, unpaid });
      } else if (this.holding && unpaid <= limit) {
        this.holding = false;
        this.stats.choked = false;
        this.wire.unchoke();
        emit({ kind: "unchoked", peer: this.stats.peer });
      }
    }

    private async onReceipt(m: Extract<SpeedMessage, { type: "receipt" }>, s: SeederConfig): Promise<void> {
      const nack = (reason: RejectReason, detail: string) => {
        this.send({ type: "nack", bidId: m.bidId, cumulativeBytes: m.cumulativeBytes, reason });
        this.strike(reason, detail);
      };
      const a = this.agreed;
      if (!a) return nack("no-bid", "a receipt before any bid was agreed");
      if (m.bidId !== a.bidId) return nack("other-bid", `receipt for bid ${m.bidId}, agreed ${a.bidId}`);
      if (m.seeder !== toHex20(s.seeder)) return nack("wrong-seeder", `receipt for ${m.seeder}`);
      let signer: Hex20 | undefined;
      try {
        signer = recoverReceiptSigner(s.client.domain, { ...m });
      } catch {
        signer = undefined;
      }
      if (signer !== a.downloader) return nack("forged", `signed by ${signer ?? "nobody"}, not the downloader`);
      const held = s.store.best(a.bidId, s.seeder)?.cumulativeBytes ?? 0n;
      if (m.cumulativeBytes <= held) return nack("replayed", `${m.cumulativeBytes} bytes, ${held} already held`);
      const step = m.cumulativeBytes - held;
      const unpaidSent = this.stats.sent - this.stats.credited;
      if (step > unpaidSent) {
        return nack("over-claim", `claims ${step} more bytes, ${unpaidSent} sent and unpaid on this wire`);
      }
      const [b, earning] = await Promise.all([
        readBid(s.client, { bidId: a.bidId }),
        s.client.market.read.earning([a.bidId, toHex20(s.seeder)]),
      ]);
      if (!b || (b.status !== "open" && b.status !== "closed")) return nack("budget", `bid ${a.bidId} is ${b?.status}`);
      if (receiptWorth(m.cumulativeBytes, a.price) > earning.paid + b.remaining) {
        // Not the peer's fault alone (other seeders drew on the budget): no strike, but no more bytes.
        this.send({ type: "nack", bidId: m.bidId, cumulativeBytes: m.cumulativeBytes, reason: "budget" });
        emit({ kind: "rejected", peer: this.stats.peer, reason: "budget", detail: "the bid's budget is spent" });
        this.holding = true;
        this.stats.choked = true;
        this.wire.choke();
        return;
      }
      await s.store.add({
        bidId: m.bidId,
        seeder: m.seeder,
        cumulativeBytes: m.cumulativeBytes,
        signature: m.signature,
      });
      this.stats.credited += step;
      emit({ kind: "receipt", peer: this.stats.peer, bidId: a.bidId, cumulativeBytes: m.cumulativeBytes });
      this.enforce();
    }

    // --- downloader -----------------------------------------------------------------------

    private async onAccept(m: Extract<SpeedMessage, { type: "accept" }>, d: DownloaderConfig): Promise<void> {
      if (m.bidId !== d.bidId || this.seederOfPeer) return;
      const mine = ledger.get(m.seeder) ?? 0n;
      // A seeder that shows a receipt this downloader signed (lost from its ledger) resumes from it.
      if (m.held > mine && m.signature) {
        try {
          const signer = recoverReceiptSigner(d.client.domain, {
            bidId: d.bidId,
            seeder: m.seeder,
            cumulativeBytes: m.held,
            signature: m.signature,
          });
          if (signer === toHex20(d.downloader)) ledger.set(m.seeder, m.held);
        } catch {
          // Not ours: ignore the claim.
        }
      }
      this.seederOfPeer = m.seeder;
      this.stats.bidId = d.bidId;
      emit({ kind: "accepted", peer: this.stats.peer, bidId: d.bidId });
      this.pay();
    }

    pieceVerified(index: number): void {
      const d = config.downloader;
      const got = this.receivedPerPiece.get(index);
      if (!d || got === undefined) return;
      this.receivedPerPiece.delete(index);
      // Never more than the piece is long, whatever arrived twice.
      const bytes = BigInt(Math.min(got, d.pieceLength(index)));
      this.stats.verified += bytes;
      this.unpaid += bytes;
      this.pay();
    }

    /** Once the seeder accepted: one receipt covering every verified byte not yet signed for. */
    private pay(): void {
      const d = config.downloader;
      const seeder = this.seederOfPeer;
      if (!d || !seeder || this.unpaid === 0n) return;
      const cumulativeBytes = (ledger.get(seeder) ?? 0n) + this.unpaid;
      this.unpaid = 0n;
      ledger.set(seeder, cumulativeBytes);
      this.queue = this.queue
        .then(async () => {
          // Sign the latest total only: a receipt covers every byte before it.
          if ((ledger.get(seeder) ?? 0n) !== cumulativeBytes) return;
          const r = await signReceipt(d.client, { signer: d.signer, bidId: d.bidId, seeder, cumulativeBytes });
          this.send({ type: "receipt", bidId: d.bidId, seeder, cumulativeBytes, signature: r.signature });
          this.stats.signed = cumulativeBytes;
          emit({ kind: "signed", peer: this.stats.peer, seeder, cumulativeBytes });
        })
        .catch(() => {});
    }
  }
  BttkitSpeed.prototype.name = SPEED_EXTENSION;
  return BttkitSpeed as unknown as SpeedExtensionClass;
}

/** What `attachSpeed` needs of a webtorrent torrent. */
export interface SpeedTorrent {
  // biome-ignore lint/suspicious/noExplicitAny: webtorrent's torrents are untyped EventEmitters
  on(event: string, listener: (...args: any[]) => void): unknown;
}

/**
 * Uses `ext` on every wire of a webtorrent torrent (before the handshake, as webtorrent emits
 * `wire`) and feeds it the torrent's verified pieces.
 */
export function attachSpeed(torrent: SpeedTorrent, ext: SpeedExtensionClass): void {
  torrent.on("wire", (wire: { use(e: unknown): void }) => wire.use(ext));
  torrent.on("verified", (index: number) => ext.pieceVerified(index));
}
