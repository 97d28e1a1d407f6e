/**
 * The bandwidth half of `npm start`: a downloader bids on a real .torrent (built here over the
 * demo file, SHA-1 piece hashes and all), two seeders serve verified pieces over several rounds
 * for signed cumulative receipts, one redeems each receipt as it comes and the other redeems them
 * in one batch, both claim, the bid is closed, the grace period passes and the rest is refunded.
 * The call sequences are those of test/sdk/speed-client-suite.ts.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { Server as TrackerServer } from "bittorrent-tracker";
import parseTorrent, { toTorrentFile } from "parse-torrent";
import WebTorrent, { type Torrent } from "webtorrent";
import type { Hex20 } from "../../sdk/src/address.js";
import {
  approveToken,
  bid,
  claim,
  closeBid,
  createSpeedClient,
  deposit,
  ensureMarketApproval,
  infohashFromTorrent,
  infohashToHex,
  MIB,
  openBid,
  parseBtt,
  privateKeySigner,
  redeem,
  refundBid,
} from "../../sdk/src/index.js";
import { ReceiptStore } from "../../sdk/src/node/net/receiptStore.js";
import { attachSpeed, type SpeedEvent, speedExtension } from "../../sdk/src/node/net/speedExtension.js";
import type { DemoEnv, Participant } from "./env.js";
import { btt, type Ledger, n, print } from "./output.js";
import { check, demoFile } from "./storage.js";

export const DOWNLOADER_DEPOSIT = parseBtt("40");
const PRICE_PER_MIB = parseBtt("20");
const BUDGET = parseBtt("30");
const PIECE_LENGTH = 16 * 1024;
/** The shared file: the demo file at full size, whatever the storage deal's scale. */
const TORRENT_BYTES = 512 * 1024;

export interface SpeedResult {
  bidId: bigint;
  infohash: string;
  paid: [bigint, bigint];
  refunded: bigint;
  budget: bigint;
  checks: string[];
  swarm: SwarmBytes;
}

/** A v1 .torrent of `data` (single file), built and bencoded with parse-torrent. */
export function makeTorrent(data: Uint8Array, name: string): Uint8Array {
  const hashes: Buffer[] = [];
  for (let i = 0; i < data.length; i += PIECE_LENGTH) {
    hashes.push(
      createHash("sha1")
        .update(data.subarray(i, i + PIECE_LENGTH))
        .digest(),
    );
  }
  return toTorrentFile({
    info: { name, length: data.length, "piece length": PIECE_LENGTH, pieces: Buffer.concat(hashes) },
    announce: ["udp://tracker.opentrackr.org:1337/announce"],
    createdBy: "bttkit npm start",
  });
}

/** What the swarm moved over BitTorrent. */
export interface SwarmBytes {
  /** Bytes each seeder uploaded (to every peer). */
  uploaded: [number, number];
  /** Bytes the paying downloader verified from each seeder and signed receipts for. */
  paidBytes: [bigint, bigint];
  /** Bytes the peer without the extension downloaded (from anyone, unpaid). */
  plain: number;
}

export async function runSpeed(env: DemoEnv, ledger: Ledger, workDir: string): Promise<SpeedResult> {
  const checks: string[] = [];
  const clientOf = (p: Participant) =>
    createSpeedClient({ backend: p.backend, deployment: env.deployment, timeoutMs: 120_000 });
  const [downloader, seederA, seederB, reader] = await Promise.all([
    clientOf(env.downloader),
    clientOf(env.seeders[0]),
    clientOf(env.seeders[1]),
    createSpeedClient({ backend: env.reader, deployment: env.deployment, timeoutMs: 120_000 }),
  ]);

  // The swarm: a bittorrent-tracker and webtorrent clients, all on loopback.
  const tracker = new TrackerServer({ udp: false, ws: false, stats: false });
  await new Promise<void>((resolve) => tracker.listen(0, "127.0.0.1", resolve));
  const announce = `http://127.0.0.1:${(tracker.http.address() as { port: number }).port}/announce`;
  const clients: WebTorrent[] = [];
  const client = () => {
    const c = new WebTorrent({ dht: false, lsd: false, utp: false, natUpnp: false, natPmp: false, webSeeds: false });
    clients.push(c);
    return c;
  };
  try {
    return await inSwarm();
  } finally {
    for (const c of clients) await new Promise<void>((resolve) => c.destroy(() => resolve()));
    await new Promise<void>((resolve) => tracker.close(() => resolve()));
  }

  async function inSwarm(): Promise<SpeedResult> {
    // The torrent: the demo file, seeded by both seeders (same bytes, same piece length: one infohash).
    const data = demoFile(TORRENT_BYTES);
    const seed = (who: string) =>
      new Promise<Torrent>((resolve) =>
        client().seed(
          Buffer.from(data),
          {
            name: "bttkit-demo-file.bin",
            pieceLength: PIECE_LENGTH,
            announce: [announce],
            path: path.join(workDir, who),
          },
          resolve,
        ),
      );
    const [seedA, seedB] = [await seed("seeder-a"), await seed("seeder-b")];
    check(seedA.infoHash === seedB.infoHash, "both seeders serve the same torrent");
    const torrent = seedA.torrentFile;
    const parsed = (await parseTorrent(torrent)) as { infoHash: string; pieces: string[]; length: number };
    const infohash = await infohashFromTorrent(torrent);
    check(infohashToHex(infohash) === parsed.infoHash, "the SDK's infohash is parse-torrent's");
    print(
      `  torrent: ${n(torrent.length)}-byte .torrent (webtorrent), ${parsed.pieces.length} pieces of ${n(PIECE_LENGTH)} bytes, ` +
        `infohash v1 ${parsed.infoHash}; tracker ${announce}`,
    );

    ledger.add("downloader: approve the vault, deposit BTT", [
      (await approveToken(downloader.vault, { amount: DOWNLOADER_DEPOSIT })).receipt,
      (await deposit(downloader.vault, { amount: DOWNLOADER_DEPOSIT })).receipt,
    ]);
    const approval = await ensureMarketApproval(downloader);
    if (approval.approval) ledger.add("downloader: approve the speed market", approval.approval.receipt);
    const expiry = (await env.clock.now()) + 7n * 86_400n;
    const opened = await openBid(downloader, { infohash: torrent, pricePerMiB: PRICE_PER_MIB, budget: BUDGET, expiry });
    ledger.add("downloader: openBid (.torrent bytes)", opened.receipt);
    const bidId = opened.bidId;
    check(opened.infohash.infohash === infohash.infohash, "the bid is on the torrent's infohash");
    print(`  bid #${bidId}: ${btt(PRICE_PER_MIB)} BTT per MiB, budget ${btt(BUDGET)} BTT, grace ${opened.grace} s`);

    // Each seeder speaks bttkit_speed: it checks the bid and every receipt, keeps the best on disk.
    const rejected: SpeedEvent[] = [];
    const stores = [
      await ReceiptStore.open(path.join(workDir, "seeder-a.receipts.json")),
      await ReceiptStore.open(path.join(workDir, "seeder-b.receipts.json")),
    ] as const;
    for (const [i, t] of [seedA, seedB].entries()) {
      attachSpeed(
        t,
        speedExtension({
          seeder: {
            client: [seederA, seederB][i]!,
            seeder: env.seeders[i]!.address,
            infohash: parsed.infoHash,
            store: stores[i]!,
            maxUnpaidBytes: BigInt(4 * PIECE_LENGTH),
          },
          onEvent: (e) => {
            if (e.kind === "rejected" || e.kind === "dropped") rejected.push(e);
          },
        }),
      );
    }
    // The downloader pays each seeder for the verified pieces it got from it.
    const paid = new Map<Hex20, bigint>();
    const pieceCount = parsed.pieces.length;
    const lastPiece = parsed.length - (pieceCount - 1) * PIECE_LENGTH;
    const paying = client().add(Buffer.from(torrent), { announce: [announce], path: path.join(workDir, "downloader") });
    attachSpeed(
      paying,
      speedExtension({
        downloader: {
          client: downloader,
          bidId,
          signer: privateKeySigner(env.downloader.privateKey),
          downloader: env.downloader.address,
          ledger: paid,
          pieceLength: (i) => (i === pieceCount - 1 ? lastPiece : PIECE_LENGTH),
        },
      }),
    );
    await new Promise<void>((resolve) => (paying.done ? resolve() : paying.once("done", () => resolve())));
    const got = new Uint8Array(await paying.files[0]!.arrayBuffer());
    check(createHash("sha256").update(got).digest("hex") === sha256(data), "the downloaded file is the seeded file");
    const owed = env.seeders.map((sd) => paid.get(sd.address) ?? 0n) as [bigint, bigint];
    for (
      let tries = 0;
      stores.some((st, i) => (st.best(bidId, env.seeders[i]!.address)?.cumulativeBytes ?? 0n) !== owed[i]);
      tries++
    ) {
      check(tries < 500, "each seeder received the downloader's last receipt");
      await new Promise((r) => setTimeout(r, 10));
    }
    check(owed[0] + owed[1] >= BigInt(data.length), "every verified piece came from a paying seeder and was paid for");
    check(rejected.length === 0, `no receipt was rejected (${rejected.length})`);
    print(
      `  paying downloader (webtorrent + bttkit_speed): ${pieceCount} pieces verified by the client; receipts signed as pieces ` +
        `verified: ${n(owed[0])} bytes to seeder A, ${n(owed[1])} to seeder B; each seeder checked and kept its best on disk`,
    );
    // A peer without the extension still gets the file: plain BitTorrent from the same swarm.
    const plain = client().add(Buffer.from(torrent), { announce: [announce], path: path.join(workDir, "plain") });
    await new Promise<void>((resolve) => (plain.done ? resolve() : plain.once("done", () => resolve())));
    const plainGot = new Uint8Array(await plain.files[0]!.arrayBuffer());
    check(sha256(plainGot) === sha256(data), "the peer without the extension got the file too");
    print(
      `  a peer without the extension downloaded the file too (${n(plain.downloaded)} bytes, plain BitTorrent, unpaid)`,
    );

    // Seeder A redeems its best receipt on its own; seeder B redeems through its store, in a batch.
    const receiptA = stores[0].best(bidId, env.seeders[0].address)!;
    const r = await redeem(seederA, { receipt: receiptA });
    ledger.add("seeder A: redeem (its best receipt)", r.receipt);
    const paidA = r.amount;
    const batch = await stores[1].redeem(seederB);
    for (const txId of batch.txIds)
      await ledger.addTxIds(`seeder B: redeemBatch (${batch.outcomes.length} receipt)`, env.reader, [txId]);
    check(
      batch.outcomes.every((o) => o.status === "redeemed"),
      "every receipt of seeder B's batch was redeemed",
    );
    const batched = { total: batch.total };
    print(
      `    seeder A redeemed its best receipt: ${btt(paidA)} BTT; seeder B redeemed its receipt store in one batch: ${btt(batched.total)} BTT`,
    );
    const worth = (bytes: bigint) => (bytes * PRICE_PER_MIB) / MIB;
    check(paidA === worth(owed[0]) && batched.total === worth(owed[1]), "receipts paid bytes x price per MiB");
    const swarm: SwarmBytes = {
      uploaded: [seedA.uploaded, seedB.uploaded],
      paidBytes: owed,
      plain: plain.downloaded,
    };

    const claims = await Promise.all([claim(seederA, { bidIds: [bidId] }), claim(seederB, { bidIds: [bidId] })]);
    ledger.add(
      "seeders: claim (to their vault balance)",
      claims.map((c) => c.receipt),
    );
    check(claims[0].amount === paidA && claims[1].amount === batched.total, "each seeder claimed what it redeemed");

    const closed = await closeBid(downloader, { bidId });
    ledger.add("downloader: closeBid", closed.receipt);
    await env.clock.advanceTo(closed.redeemableUntil + 1n);
    print(
      `  bid closed; grace passed (redeemable until ${new Date(Number(closed.redeemableUntil) * 1000).toISOString()}, chain time moved past it)`,
    );
    const refunded = await refundBid(downloader, { bidId });
    ledger.add("downloader: refundBid (after the grace)", refunded.receipt);
    const after = await bid(reader, { bidId });
    check(after?.status === "refunded", "the bid is refunded");
    check(refunded.refunded === BUDGET - paidA - batched.total, "refund = budget - what the seeders were paid");
    print(
      `  refund: ${btt(refunded.refunded)} BTT back to the downloader ` +
        `(budget ${btt(BUDGET)} - paid ${btt(paidA + batched.total)})`,
    );
    checks.push(
      `bid budget ${btt(BUDGET)} = paid ${btt(paidA)} + ${btt(batched.total)} + refunded ${btt(refunded.refunded)}`,
    );
    return {
      bidId,
      infohash: parsed.infoHash,
      paid: [paidA, batched.total],
      refunded: refunded.refunded,
      budget: BUDGET,
      checks,
      swarm,
    };
  }
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");
