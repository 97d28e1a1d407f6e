/** `bttkit bid open|close|list|show|refund|top-up`: the bandwidth market, as a downloader. */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { toBase58 } from "../../address.js";
import { InvalidArgumentError } from "../../errors.js";
import { type BidInfo, bid, closeBid, openBid, openBids, refundBid, topUp } from "../../speed/actions/index.js";
import { infohashToHex } from "../../speed/infohash.js";
import type { InfohashInput } from "../../speed/infohashInput.js";
import { formatBtt } from "../../units.js";
import type { CliContext } from "../context.js";
import { emit, note } from "../output.js";
import { parseBttArg, parseDuration, parseIntegerArg } from "../parse.js";

/** An infohash in hex, a magnet link, or the path of a .torrent file. */
export async function torrentTarget(target: string): Promise<InfohashInput> {
  if (target.startsWith("magnet:") || /^(0x)?([0-9a-fA-F]{40}|[0-9a-fA-F]{64})$/.test(target)) return target;
  if (!existsSync(target)) {
    throw new InvalidArgumentError(`Not an infohash, a magnet link or a .torrent file: ${JSON.stringify(target)}`);
  }
  return new Uint8Array(await readFile(target));
}

const iso = (seconds: bigint) => new Date(Number(seconds) * 1000).toISOString();

export function bidJson(b: BidInfo) {
  return {
    bidId: b.bidId,
    status: b.status,
    downloader: toBase58(b.downloader),
    pricePerMiB: formatBtt(b.pricePerMiB),
    remaining: formatBtt(b.remaining),
    expiry: b.expiry,
    redeemableUntil: b.redeemableUntil,
    version: b.version,
  };
}

export function registerBidCommands(program: Command, ctx: CliContext): void {
  const bidCommand = program.command("bid").description("bids on torrents (bandwidth market)");

  bidCommand
    .command("open")
    .description("open a bid: pay seeders per MiB they serve you, from a budget held in the vault")
    .argument("<torrent>", "infohash (40 or 64 hex), magnet link, or .torrent file")
    .requiredOption("--price <btt>", "BTT per MiB served", parseBttArg)
    .requiredOption("--budget <btt>", "BTT committed from your free vault balance", parseBttArg)
    .requiredOption("--expiry <duration>", "how long the bid stays open, e.g. 12h, 7d", parseDuration)
    .option(
      "--grace <duration>",
      "time seeders keep to redeem after close or expiry (default: the market's minimum)",
      parseDuration,
    )
    .option("--v1", "bid on the v1 (btih) infohash of a hybrid magnet or torrent (default v2)")
    .option("--no-approve-market", "fail instead of approving the market in the vault")
    .action(
      async (
        target: string,
        options: {
          price: bigint;
          budget: bigint;
          expiry: bigint;
          grace?: bigint;
          v1?: boolean;
          approveMarket: boolean;
        },
      ) => {
        const infohash = await torrentTarget(target);
        const client = await ctx.speed();
        const expiry = (await ctx.now()) + options.expiry;
        const result = await openBid(client, {
          infohash,
          prefer: options.v1 ? 1 : 2,
          pricePerMiB: options.price,
          budget: options.budget,
          expiry,
          ...(options.grace !== undefined ? { grace: options.grace } : {}),
          approveMarket: options.approveMarket,
        });
        if (result.approval) note(ctx, `approved the market in the vault (tx ${result.approval.txId})`);
        emit(
          ctx,
          {
            bidId: result.bidId,
            txId: result.txId,
            infohash: infohashToHex(result.infohash),
            version: result.infohash.version,
            pricePerMiB: formatBtt(options.price),
            budget: formatBtt(options.budget),
            expiry,
            grace: result.grace,
            approvalTxId: result.approval?.txId,
          },
          () => [
            `opened bid ${result.bidId} (tx ${result.txId})`,
            `infohash   ${infohashToHex(result.infohash)} (v${result.infohash.version})`,
            `price      ${formatBtt(options.price)} BTT/MiB, budget ${formatBtt(options.budget)} BTT`,
            `expires    ${iso(expiry)}, grace ${result.grace} s`,
          ],
        );
      },
    );

  bidCommand
    .command("close")
    .description("close a bid; seeders keep its grace period to redeem, then `bid refund`")
    .argument("<id>", "bid id", parseIntegerArg)
    .action(async (bidId: bigint) => {
      const result = await closeBid(await ctx.speed(), { bidId });
      emit(
        ctx,
        { bidId, txId: result.txId, redeemableUntil: result.redeemableUntil, refunded: result.refunded },
        () => [
          `closed bid ${bidId} (tx ${result.txId})`,
          result.refunded !== undefined
            ? `refunded   ${formatBtt(result.refunded)} BTT`
            : `refundable after ${iso(result.redeemableUntil)}`,
        ],
      );
    });

  bidCommand
    .command("refund")
    .description("return what is left of a bid's budget after its grace period (anyone may call)")
    .argument("<id>", "bid id", parseIntegerArg)
    .action(async (bidId: bigint) => {
      const result = await refundBid(await ctx.speed(), { bidId });
      emit(ctx, { bidId, txId: result.txId, refunded: formatBtt(result.refunded) }, () => [
        `refunded ${formatBtt(result.refunded)} BTT of bid ${bidId} (tx ${result.txId})`,
      ]);
    });

  bidCommand
    .command("top-up")
    .description("add budget to an open bid of yours")
    .argument("<id>", "bid id", parseIntegerArg)
    .argument("<amount>", "BTT", parseBttArg)
    .action(async (bidId: bigint, amount: bigint) => {
      const result = await topUp(await ctx.speed(), { bidId, amount });
      emit(ctx, { bidId, txId: result.txId, remaining: formatBtt(result.remaining) }, () => [
        `topped up bid ${bidId}: ${formatBtt(result.remaining)} BTT left (tx ${result.txId})`,
      ]);
    });

  bidCommand
    .command("show")
    .description("one bid")
    .argument("<id>", "bid id", parseIntegerArg)
    .action(async (bidId: bigint) => {
      const info = await bid(await ctx.speed(), { bidId });
      if (!info) throw new InvalidArgumentError(`No bid ${bidId}`);
      const j = bidJson(info);
      emit(ctx, j, () => [
        `bid ${bidId}: ${info.status}`,
        `downloader ${j.downloader}`,
        `price      ${j.pricePerMiB} BTT/MiB, ${j.remaining} BTT left`,
        `expiry     ${iso(info.expiry)}, redeemable until ${iso(info.redeemableUntil)}`,
      ]);
    });

  bidCommand
    .command("list")
    .description("open bids on a torrent, best price first")
    .argument("<torrent>", "infohash (40 or 64 hex), magnet link, or .torrent file")
    .option("--v1", "list the v1 (btih) infohash's bids of a hybrid magnet or torrent (default v2)")
    .action(async (target: string, options: { v1?: boolean }) => {
      const result = await openBids(await ctx.speed(), {
        infohash: await torrentTarget(target),
        prefer: options.v1 ? 1 : 2,
      });
      emit(
        ctx,
        { infohash: infohashToHex(result.infohash), version: result.infohash.version, bids: result.bids.map(bidJson) },
        () =>
          result.bids.length === 0
            ? [`no open bids on ${infohashToHex(result.infohash)}`]
            : [
                "id      BTT/MiB          left BTT         expires",
                ...result.bids.map(
                  (b) =>
                    `${String(b.bidId).padEnd(7)} ${formatBtt(b.pricePerMiB).padEnd(16)} ${formatBtt(b.remaining).padEnd(16)} ${iso(b.expiry)}`,
                ),
              ],
      );
    });
}
