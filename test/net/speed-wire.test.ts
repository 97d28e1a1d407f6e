/**
 * Speed on the BitTorrent wire: the `bttkit_speed` BEP-10 extension between bittorrent-protocol
 * wires (the seeder's checks, one bad peer at a time) and between real webtorrent clients with a
 * bittorrent-tracker on loopback (pieces verified by the client, a peer without the extension
 * served plain BitTorrent), against a SpeedMarket deployed on Hardhat. The seeder's receipts
 * survive a restart (on disk) and are redeemed in one batch.
 */
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import Wire from "bittorrent-protocol";
import { Server as TrackerServer } from "bittorrent-tracker";
import { expect } from "chai";
import type { Signer } from "ethers";
import { after, before, describe, it } from "mocha";
import WebTorrent, { type Torrent } from "webtorrent";
import { makeTorrent } from "../../scripts/demo/speed.js";
import type { Hex20 } from "../../sdk/src/address.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import {
  decodeSpeedMessage,
  encodeSpeedMessage,
  SPEED_EXTENSION,
  type SpeedMessage,
} from "../../sdk/src/net/speedWire.js";
import { ReceiptStore } from "../../sdk/src/node/net/receiptStore.js";
import {
  attachSpeed,
  type SpeedEvent,
  type SpeedExtensionClass,
  speedExtension,
} from "../../sdk/src/node/net/speedExtension.js";
import {
  createSpeedClient,
  ensureMarketApproval,
  infohashFromTorrent,
  openBid,
  receiptWorth,
  type SpeedClient,
  signReceipt,
} from "../../sdk/src/speed/index.js";
import { approveToken, deposit } from "../../sdk/src/vault/index.js";
import { ethersEnv, type VaultEnv } from "../sdk/backend-env.js";
import { withSpeedMarket } from "../sdk/speed-env.js";

const PIECE = 16 * 1024;
const PRICE = 1_000_000n; // per MiB
const BUDGET = 10_000_000n;

async function waitFor(what: string, ok: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A test-controlled peer speaking the extension: records what it receives, sends anything. */
function probe() {
  const received: SpeedMessage[] = [];
  class Probe {
    constructor(readonly wire: Wire) {}
    onExtendedHandshake() {}
    onMessage(buf: Uint8Array) {
      received.push(decodeSpeedMessage(buf));
    }
  }
  (Probe.prototype as unknown as { name: string }).name = SPEED_EXTENSION;
  return { Probe, received };
}

describe("network: Speed pays per piece over the BitTorrent wire", function () {
  this.timeout(120_000);
  let env: VaultEnv & { market: Hex20 };
  let dir: string;
  let downloader: SpeedClient;
  let seederClient: SpeedClient;
  let data: Uint8Array;
  let torrent: Uint8Array;
  let infohash: string;
  let bidId: bigint;
  let otherBid: bigint;
  const A = (i: number) => env.addresses[i] as Hex20;
  const signerOf = (i: number) => env.typedDataSigners[i] as Signer;

  before(async () => {
    env = await withSpeedMarket(await ethersEnv());
    dir = await mkdtemp(path.join(tmpdir(), "bttkit-speed-wire-"));
    const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
    downloader = await createSpeedClient({ backend: env.backends[1]!, deployment });
    seederClient = await createSpeedClient({ backend: env.backends[2]!, deployment });
    await env.mint(A(1), 100_000_000n);
    await approveToken(downloader.vault, { amount: 100_000_000n });
    await deposit(downloader.vault, { amount: 100_000_000n });
    await ensureMarketApproval(downloader);
    data = randomBytes(16 * PIECE);
    torrent = makeTorrent(data, "wire-test.bin");
    infohash = (await infohashFromTorrent(torrent)).infohash.slice(2, 42);
    const expiry = (await env.now()) + 86_400n;
    bidId = (await openBid(downloader, { infohash: torrent, pricePerMiB: PRICE, budget: BUDGET, expiry })).bidId;
    const other = makeTorrent(randomBytes(PIECE), "other.bin");
    otherBid = (await openBid(downloader, { infohash: other, pricePerMiB: PRICE, budget: BUDGET, expiry })).bidId;
  });
  after(async () => {
    await env?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const seederExt = async (file: string, events: SpeedEvent[], maxUnpaidBytes = BigInt(2 * PIECE)) => {
    const store = await ReceiptStore.open(file);
    const Ext = speedExtension({
      seeder: { client: seederClient, seeder: A(2), infohash, store, maxUnpaidBytes },
      onEvent: (e) => events.push(e),
    });
    return { Ext, store };
  };

  /** Two wires in a loop, handshaken: `a` the seeder (serves `data`), `b` the peer. */
  const pair = (SeederExt: SpeedExtensionClass, PeerExt: unknown) => {
    const a = new Wire();
    const b = new Wire();
    a.pipe(b).pipe(a);
    a.use(SeederExt);
    b.use(PeerExt);
    a.on("request", (index: number, offset: number, length: number, respond: (e: null, d: Uint8Array) => void) =>
      respond(null, data.subarray(index * PIECE + offset, index * PIECE + offset + length)),
    );
    a.on("interested", () => a.unchoke());
    const closed = new Promise<void>((resolve) => a.once("close", () => resolve()));
    b.on("handshake", (ih: string) => {
      b.handshake(ih, "b".repeat(40));
      b.interested();
    });
    const ready = new Promise<void>((resolve) =>
      b.on("extended", (ext: string | number) => ext === "handshake" && resolve()),
    );
    a.handshake(infohash, "a".repeat(40));
    const unchoked = new Promise<void>((resolve) => b.once("unchoke", () => resolve()));
    const fetch = async (index: number) => {
      await unchoked;
      return new Promise<Uint8Array>((resolve, reject) =>
        b.request(index, 0, PIECE, (err, block) => (err ? reject(err) : resolve(block))),
      );
    };
    return { a, b, fetch, closed, ready };
  };

  describe("between bittorrent-protocol wires", () => {
    it("an honest downloader pays each verified piece; the seeder stores the receipts and stays unchoked", async () => {
      const events: SpeedEvent[] = [];
      const { Ext, store } = await seederExt(path.join(dir, "honest.json"), events, BigInt(8 * PIECE));
      const downEvents: SpeedEvent[] = [];
      const Down = speedExtension({
        downloader: { client: downloader, bidId, signer: signerOf(1), downloader: A(1), pieceLength: () => PIECE },
        onEvent: (e) => downEvents.push(e),
      });
      const { a, b, fetch } = pair(Ext, Down);
      await waitFor("the bid accepted", () => downEvents.some((e) => e.kind === "accepted"));
      for (let i = 0; i < 6; i++) {
        const block = await fetch(i);
        expect(createHash("sha1").update(block).digest()).to.deep.equal(
          createHash("sha1")
            .update(data.subarray(i * PIECE, (i + 1) * PIECE))
            .digest(),
        );
        Down.pieceVerified(i);
        b.have(i);
      }
      await waitFor("6 pieces paid", () => store.best(bidId, A(2))?.cumulativeBytes === BigInt(6 * PIECE));
      expect(events.filter((e) => e.kind === "rejected")).to.deep.equal([]);
      expect(events.some((e) => e.kind === "choked")).to.equal(false);
      expect(a.amChoking).to.equal(false);
      a.destroy();
    });

    it("rejects forged, other-bid, over-claiming and replayed receipts, then drops the peer; serves others", async () => {
      const events: SpeedEvent[] = [];
      const { Ext, store } = await seederExt(path.join(dir, "bad.json"), events);
      const { Probe, received } = probe();
      const { b, fetch, closed, ready } = pair(Ext, Probe);
      await ready;
      const say = (m: SpeedMessage) => b.extended(SPEED_EXTENSION, encodeSpeedMessage(m));
      say({ type: "pay", bidId });
      await waitFor("accept", () => received.some((m) => m.type === "accept"));
      await fetch(0);
      const sign = (i: number, id: bigint, bytes: bigint) =>
        signReceipt(downloader, { signer: signerOf(i), bidId: id, seeder: A(2), cumulativeBytes: bytes });
      const send = (r: Awaited<ReturnType<typeof sign>>) =>
        say({
          type: "receipt",
          bidId: r.bidId,
          seeder: r.seeder as Hex20,
          cumulativeBytes: r.cumulativeBytes,
          signature: r.signature,
        });
      const good = await sign(1, bidId, BigInt(PIECE));
      send(await sign(4, bidId, BigInt(PIECE))); // signed by a stranger
      send(await sign(1, otherBid, BigInt(PIECE))); // another bid
      await waitFor("two nacks", () => received.filter((m) => m.type === "nack").length === 2);
      send(good);
      await waitFor("the good receipt stored", () => store.best(bidId, A(2))?.cumulativeBytes === BigInt(PIECE));
      send(good); // replayed
      await waitFor("the drop", () => events.some((e) => e.kind === "dropped"));
      await closed;
      const reasons = events.filter((e) => e.kind === "rejected").map((e) => (e as { reason: string }).reason);
      expect(reasons).to.deep.equal(["forged", "other-bid", "replayed"]);
      expect(store.best(bidId, A(2))?.cumulativeBytes).to.equal(BigInt(PIECE));

      // The same seeder (same extension class and store) keeps serving an honest peer.
      const Down = speedExtension({
        downloader: { client: downloader, bidId, signer: signerOf(1), downloader: A(1), pieceLength: () => PIECE },
      });
      const honest = pair(Ext, Down);
      await waitFor("accept", () => events.filter((e) => e.kind === "accepted").length === 2);
      await honest.fetch(1);
      Down.pieceVerified(1);
      await waitFor("paid on", () => store.best(bidId, A(2))?.cumulativeBytes === BigInt(2 * PIECE));
      honest.a.destroy();
    });

    it("an over-claiming receipt (more than was sent on the wire) is rejected", async () => {
      const events: SpeedEvent[] = [];
      const { Ext, store } = await seederExt(path.join(dir, "over.json"), events);
      const { Probe, received } = probe();
      const { a, b, fetch, ready } = pair(Ext, Probe);
      await ready;
      b.extended(SPEED_EXTENSION, encodeSpeedMessage({ type: "pay", bidId }));
      await waitFor("accept", () => received.some((m) => m.type === "accept"));
      await fetch(0);
      const r = await signReceipt(downloader, {
        signer: signerOf(1),
        bidId,
        seeder: A(2),
        cumulativeBytes: BigInt(3 * PIECE),
      });
      b.extended(
        SPEED_EXTENSION,
        encodeSpeedMessage({
          type: "receipt",
          bidId,
          seeder: A(2),
          cumulativeBytes: r.cumulativeBytes,
          signature: r.signature,
        }),
      );
      await waitFor("nack", () => received.some((m) => m.type === "nack"));
      expect((received.find((m) => m.type === "nack") as { reason: string }).reason).to.equal("over-claim");
      expect(store.best(bidId, A(2))).to.equal(undefined);
      a.destroy();
    });

    it("malformed messages count against the peer until it is dropped", async () => {
      const events: SpeedEvent[] = [];
      const { Ext } = await seederExt(path.join(dir, "malformed.json"), events);
      const { Probe } = probe();
      const { b, closed, ready } = pair(Ext, Probe);
      await ready;
      b.extended(SPEED_EXTENSION, new Uint8Array([1, 2, 3]));
      b.extended(SPEED_EXTENSION, new TextEncoder().encode("d1:ti9ee"));
      b.extended(SPEED_EXTENSION, new TextEncoder().encode("d3:bid3:abc1:ti0ee"));
      await closed;
      expect(events.filter((e) => e.kind === "rejected").map((e) => (e as { reason: string }).reason)).to.deep.equal([
        "malformed",
        "malformed",
        "malformed",
      ]);
    });

    it("a downloader that stops paying is choked past the threshold and unchoked once it pays", async () => {
      const events: SpeedEvent[] = [];
      const { Ext, store } = await seederExt(path.join(dir, "stops.json"), events, BigInt(2 * PIECE));
      const { Probe, received } = probe();
      const { a, b, fetch, ready } = pair(Ext, Probe);
      await ready;
      b.extended(SPEED_EXTENSION, encodeSpeedMessage({ type: "pay", bidId }));
      await waitFor("accept", () => received.some((m) => m.type === "accept"));
      for (let i = 0; i < 3; i++) {
        await fetch(i);
        b.have(i); // announced as verified, never paid
      }
      await waitFor("choke", () => events.some((e) => e.kind === "choked"));
      expect(a.amChoking).to.equal(true);
      a.unchoke(); // webtorrent's rechoke tries this: the hold wins
      expect(a.amChoking).to.equal(true);
      const r = await signReceipt(downloader, {
        signer: signerOf(1),
        bidId,
        seeder: A(2),
        cumulativeBytes: BigInt(3 * PIECE),
      });
      b.extended(
        SPEED_EXTENSION,
        encodeSpeedMessage({
          type: "receipt",
          bidId,
          seeder: A(2),
          cumulativeBytes: r.cumulativeBytes,
          signature: r.signature,
        }),
      );
      await waitFor("unchoke", () => events.some((e) => e.kind === "unchoked"));
      expect(a.amChoking).to.equal(false);
      expect(store.best(bidId, A(2))?.cumulativeBytes).to.equal(BigInt(3 * PIECE));
      a.destroy();
    });

    it("refuses a bid on another torrent", async () => {
      const events: SpeedEvent[] = [];
      const { Ext } = await seederExt(path.join(dir, "refuse.json"), events);
      const { Probe, received } = probe();
      const { a, b, ready } = pair(Ext, Probe);
      await ready;
      b.extended(SPEED_EXTENSION, encodeSpeedMessage({ type: "pay", bidId: otherBid }));
      await waitFor("refuse", () => received.some((m) => m.type === "refuse"));
      expect((received[0] as { reason: string }).reason).to.match(/not on this torrent/);
      a.destroy();
    });

    it("the receipt store survives a restart and redeems the best receipt in one batch", async () => {
      const file = path.join(dir, "honest.json");
      const reopened = await ReceiptStore.open(file);
      expect(reopened.best(bidId, A(2))?.cumulativeBytes).to.equal(BigInt(6 * PIECE));
      const report = await reopened.redeem(seederClient);
      expect(report.total).to.equal(receiptWorth(BigInt(6 * PIECE), PRICE));
      expect(report.txIds).to.have.length(1);
      expect((await ReceiptStore.open(file)).unredeemed()).to.deep.equal([]);
    });
  });

  describe("between webtorrent clients, with a tracker on loopback", () => {
    let tracker: TrackerServer;
    const clients: WebTorrent[] = [];
    const client = () => {
      const c = new WebTorrent({ dht: false, lsd: false, utp: false, natUpnp: false, natPmp: false, webSeeds: false });
      clients.push(c);
      return c;
    };
    after(async () => {
      for (const c of clients) await new Promise<void>((r) => c.destroy(() => r()));
      if (tracker) await new Promise<void>((r) => tracker.close(() => r()));
    });

    it("a paying webtorrent downloader and a plain one both get the file; the seeder holds receipts for its bytes", async () => {
      tracker = new TrackerServer({ udp: false, ws: false, stats: false });
      await new Promise<void>((r) => tracker.listen(0, "127.0.0.1", r));
      const port = (tracker.http.address() as { port: number }).port;
      const announce = `http://127.0.0.1:${port}/announce`;
      const events: SpeedEvent[] = [];
      const store = await ReceiptStore.open(path.join(dir, "webtorrent.json"));
      const seeder = client();
      const seeded = await new Promise<Torrent>((resolve) =>
        seeder.seed(
          Buffer.from(data),
          { name: "wire-test.bin", announce: [announce], pieceLength: PIECE, path: path.join(dir, "wt-seeder") },
          resolve,
        ),
      );
      const bytes = seeded.torrentFile;
      const expiry = (await env.now()) + 86_400n;
      const wbid = (await openBid(downloader, { infohash: bytes, pricePerMiB: PRICE, budget: BUDGET, expiry })).bidId;
      const SeedExt = speedExtension({
        seeder: {
          client: seederClient,
          seeder: A(2),
          infohash: seeded.infoHash,
          store,
          maxUnpaidBytes: BigInt(4 * PIECE),
        },
        onEvent: (e) => events.push(e),
      });
      attachSpeed(seeded, SeedExt);
      const ledger = new Map<Hex20, bigint>();
      const DownExt = speedExtension({
        downloader: {
          client: downloader,
          bidId: wbid,
          signer: signerOf(1),
          downloader: A(1),
          ledger,
          pieceLength: (i) => (i === 15 ? seeded.lastPieceLength : PIECE),
        },
        onEvent: (e) => events.push(e),
      });
      const paying = client().add(Buffer.from(bytes), { announce: [announce], path: path.join(dir, "wt-paying") });
      attachSpeed(paying, DownExt);
      const plain = client().add(Buffer.from(bytes), { announce: [announce], path: path.join(dir, "wt-plain") });
      await Promise.all(
        [paying, plain].map((t) => new Promise<void>((r) => (t.done ? r() : t.once("done", () => r())))),
      );
      for (const t of [paying, plain]) {
        const got = new Uint8Array(await t.files[0]!.arrayBuffer());
        expect(createHash("sha256").update(got).digest("hex")).to.equal(
          createHash("sha256").update(data).digest("hex"),
        );
      }
      // Every byte the paying client got from the seeder is paid for, nothing more.
      await waitFor(
        "the last receipt",
        () => ledger.has(A(2)) && store.best(wbid, A(2))?.cumulativeBytes === ledger.get(A(2)),
      ).catch((error: Error) => {
        throw new Error(
          `${error.message}: ${JSON.stringify(events, (_k, v) => (typeof v === "bigint" ? String(v) : v))} ledger ${ledger.get(A(2))}`,
        );
      });
      const paid = store.best(wbid, A(2))!.cumulativeBytes;
      expect(paid > 0n).to.equal(true);
      expect(paid <= BigInt(data.length)).to.equal(true);
      expect(events.filter((e) => e.kind === "rejected")).to.deep.equal([]);
      expect(events.filter((e) => e.kind === "accepted")).to.have.length(2); // the seeder and the downloader
      const report = await store.redeem(seederClient);
      expect(report.total).to.equal(receiptWorth(paid, PRICE));
    });
  });
});
