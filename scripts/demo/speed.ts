/**
 * The bandwidth half of `npm start`: a downloader bids on a real .torrent (built here over the
 * demo file, SHA-1 piece hashes and all), two seeders serve verified pieces over several rounds
 * for signed cumulative receipts, one redeems each receipt as it comes and the other redeems them
 * in one batch, both claim, the bid is closed, the grace period passes and the rest is refunded.
 * The call sequences are those of test/sdk/speed-client-suite.ts.
 */
import { createHash } from "node:crypto";
import parseTorrent, { toTorrentFile } from "parse-torrent";
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
  redeem,
  redeemBatch,
  refundBid,
  type SignedReceipt,
  signReceipt,
  type TronWebTypedDataSigner,
} from "../../sdk/src/index.js";
import type { DemoEnv, Participant } from "./env.js";
import { btt, type Ledger, n, print } from "./output.js";
import { check, demoFile } from "./storage.js";

export const DOWNLOADER_DEPOSIT = parseBtt("40");
const PRICE_PER_MIB = parseBtt("20");
const BUDGET = parseBtt("30");
const PIECE_LENGTH = 16 * 1024;
const ROUNDS = 4;
/** The shared file: the demo file at full size, whatever the storage deal's scale. */
const TORRENT_BYTES = 512 * 1024;

export interface SpeedResult {
  bidId: bigint;
  infohash: string;
  paid: [bigint, bigint];
  refunded: bigint;
  budget: bigint;
  checks: string[];
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

export async function runSpeed(env: DemoEnv, ledger: Ledger): Promise<SpeedResult> {
  const checks: string[] = [];
  const clientOf = (p: Participant) =>
    createSpeedClient({ backend: p.backend, deployment: env.deployment, timeoutMs: 120_000 });
  const [downloader, seederA, seederB, reader] = await Promise.all([
    clientOf(env.downloader),
    clientOf(env.seeders[0]),
    clientOf(env.seeders[1]),
    createSpeedClient({ backend: env.reader, deployment: env.deployment, timeoutMs: 120_000 }),
  ]);

  // The torrent: the demo file, shared over BitTorrent.
  const data = demoFile(TORRENT_BYTES);
  const torrent = makeTorrent(data, "bttkit-demo-file.bin");
  const parsed = (await parseTorrent(torrent)) as { infoHash: string; pieces: string[]; length: number };
  const infohash = await infohashFromTorrent(torrent);
  check(infohashToHex(infohash) === parsed.infoHash, "the SDK's infohash is parse-torrent's");
  print(
    `  torrent: ${n(torrent.length)}-byte .torrent, ${parsed.pieces.length} pieces of ${n(PIECE_LENGTH)} bytes, ` +
      `infohash v1 ${parsed.infoHash}`,
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

  // Rounds of transfer: each piece is checked against the torrent's SHA-1 before it counts.
  const served: [bigint, bigint] = [0n, 0n];
  const batch: SignedReceipt[] = [];
  const redeemedA: bigint[] = [];
  const signer = { tronWeb: env.downloader.backend.tronWeb as unknown as TronWebTypedDataSigner };
  const perRound = Math.ceil(parsed.pieces.length / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const got: [number, number] = [0, 0];
    const last = Math.min(parsed.pieces.length, (round + 1) * perRound);
    for (let piece = round * perRound; piece < last; piece++) {
      const bytes = data.subarray(piece * PIECE_LENGTH, (piece + 1) * PIECE_LENGTH);
      const ok = createHash("sha1").update(bytes).digest("hex") === parsed.pieces[piece];
      check(ok, `piece ${piece} matches the torrent's SHA-1`);
      const from = piece % 3 === 2 ? 1 : 0; // seeder A serves two pieces in three
      served[from] += BigInt(bytes.length);
      got[from]++;
    }
    const [receiptA, receiptB] = await Promise.all(
      [0, 1].map((s) =>
        signReceipt(downloader, { signer, bidId, seeder: env.seeders[s]!.base58, cumulativeBytes: served[s]! }),
      ),
    );
    const r = await redeem(seederA, { receipt: receiptA! });
    ledger.add("seeder A: redeem (one receipt per round)", r.receipt);
    redeemedA.push(r.amount);
    batch.push(receiptB!);
    print(
      `    round ${round + 1}: ${got[0]} + ${got[1]} pieces verified; receipts signed for ${n(served[0])} / ${n(served[1])} ` +
        `cumulative bytes; seeder A redeemed ${btt(r.amount)} BTT`,
    );
  }
  const batched = await redeemBatch(seederB, { receipts: batch });
  ledger.add(`seeder B: redeemBatch (${batch.length} receipts)`, batched.receipt);
  check(
    batched.outcomes.every((o) => o.status === "redeemed"),
    "every receipt of seeder B's batch was redeemed",
  );
  print(`    seeder B redeemed its ${batch.length} receipts in one batch: ${btt(batched.total)} BTT`);
  const worth = (bytes: bigint) => (bytes * PRICE_PER_MIB) / MIB;
  const paidA = redeemedA.reduce((a, b) => a + b, 0n);
  check(paidA === worth(served[0]) && batched.total === worth(served[1]), "receipts paid bytes x price per MiB");

  const claims = await Promise.all([claim(seederA, { bidIds: [bidId] }), claim(seederB, { bidIds: [bidId] })]);
  ledger.add(
    "seeders: claim (to their vault balance)",
    claims.map((c) => c.receipt),
  );
  check(claims[0].amount === paidA && claims[1].amount === batched.total, "each seeder claimed what it redeemed");

  const closed = await closeBid(downloader, { bidId });
  ledger.add("downloader: closeBid", closed.receipt);
  await env.clock.advanceTo(closed.redeemableUntil + 1n);
  print(`  bid closed; grace passed (redeemable until ${closed.redeemableUntil}, chain time moved past it)`);
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
  };
}
