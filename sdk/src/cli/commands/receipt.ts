/** `bttkit receipt sign|redeem` and `bttkit claim`: receipts between downloaders and seeders. */
import { readFile, writeFile } from "node:fs/promises";
import { SingleBar } from "cli-progress";
import type { Command } from "commander";
import { toBase58 } from "../../address.js";
import { InvalidArgumentError } from "../../errors.js";
import { claim, type RedeemOutcome, redeemBatch, signReceipt } from "../../speed/actions/index.js";
import type { SignedReceipt } from "../../speed/receipt.js";
import { receiptsFromJson, receiptToJson } from "../../speed/receiptJson.js";
import { privateKeySigner } from "../../tip712.js";
import { formatBtt } from "../../units.js";
import type { CliContext } from "../context.js";
import { emit, note, toJson } from "../output.js";
import { parseCountArg, parseIntegerArg } from "../parse.js";

/** Reads receipts from JSON files: one receipt, an array, or a ReceiptBook's JSON per file. */
export async function readReceiptFiles(paths: readonly string[]): Promise<SignedReceipt[]> {
  const all: SignedReceipt[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (cause) {
      throw new InvalidArgumentError(`Could not read ${path}`, { cause });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new InvalidArgumentError(`${path} is not valid JSON`, { cause });
    }
    all.push(...receiptsFromJson(json, path));
  }
  return all;
}

export function registerReceiptCommands(program: Command, ctx: CliContext): void {
  const receiptCommand = program.command("receipt").description("signed byte receipts (bandwidth market)");

  receiptCommand
    .command("sign")
    .description("as a bid's downloader, sign a cumulative receipt for a seeder; prints the receipt JSON")
    .requiredOption("--bid <id>", "bid id", parseIntegerArg)
    .requiredOption("--seeder <address>", "the seeder who served the bytes")
    .requiredOption("--bytes <n>", "all bytes this seeder has served on this bid so far", parseIntegerArg)
    .option("--out <file>", "also write the receipt to this file")
    .action(async (options: { bid: bigint; seeder: string; bytes: bigint; out?: string }) => {
      const signer = privateKeySigner(ctx.requirePrivateKey()); // before any chain access
      const client = await ctx.speed();
      const signed = await signReceipt(client, {
        signer,
        bidId: options.bid,
        seeder: options.seeder,
        cumulativeBytes: options.bytes,
      });
      const json = receiptToJson(signed);
      if (options.out !== undefined) await writeFile(options.out, `${toJson(json)}\n`);
      // The receipt is the output, human or not.
      ctx.io.stdout.write(`${toJson(json)}\n`);
    });

  receiptCommand
    .command("redeem")
    .description("redeem signed receipts in batches (anyone may submit; the named seeder earns)")
    .argument("<files...>", "receipt JSON files (a receipt, an array of receipts, or a receipt book)")
    .option("--batch-size <n>", "receipts per transaction", parseCountArg, 100)
    .action(async (files: string[], options: { batchSize: number }) => {
      const receipts = await readReceiptFiles(files);
      if (receipts.length === 0) throw new InvalidArgumentError("The files hold no receipts");
      const client = await ctx.speed();
      const bar =
        !ctx.json && receipts.length > options.batchSize
          ? new SingleBar({ stream: ctx.io.stderr, format: "redeeming [{bar}] {value}/{total} receipts" })
          : undefined;
      bar?.start(receipts.length, 0);
      const outcomes: RedeemOutcome[] = [];
      const txIds: string[] = [];
      let total = 0n;
      try {
        for (let i = 0; i < receipts.length; i += options.batchSize) {
          const result = await redeemBatch(client, { receipts: receipts.slice(i, i + options.batchSize) });
          outcomes.push(...result.outcomes);
          txIds.push(result.txId);
          total += result.total;
          bar?.update(outcomes.length);
        }
      } finally {
        bar?.stop();
      }
      const redeemed = outcomes.filter((o) => o.status === "redeemed").length;
      emit(
        ctx,
        {
          redeemed,
          rejected: outcomes.length - redeemed,
          total: formatBtt(total),
          txIds,
          outcomes: outcomes.map((o) => ({
            bidId: o.receipt.bidId,
            seeder: toBase58(o.receipt.seeder),
            cumulativeBytes: o.receipt.cumulativeBytes,
            ...(o.status === "redeemed"
              ? { status: o.status, amount: formatBtt(o.amount) }
              : { status: o.status, reason: o.reason }),
          })),
        },
        () => [
          `redeemed ${redeemed} of ${outcomes.length} receipts for ${formatBtt(total)} BTT in ${txIds.length} transaction(s)`,
          ...outcomes
            .filter((o): o is Extract<RedeemOutcome, { status: "rejected" }> => o.status === "rejected")
            .map(
              (o) =>
                `  rejected: bid ${o.receipt.bidId} ${toBase58(o.receipt.seeder)} ${o.receipt.cumulativeBytes} bytes: ${o.reason}`,
            ),
        ],
      );
      if (redeemed === 0) {
        // Nothing was redeemed: a script must not take this for success.
        note(ctx, `error: no receipt was redeemed (all ${outcomes.length} rejected)`);
        ctx.exitCode = 1;
      }
    });

  program
    .command("claim")
    .description("as a seeder, move earnings on bids to your free vault balance")
    .argument("<bidIds...>", "bid ids", (value: string, previous: bigint[] = []) => [
      ...previous,
      parseIntegerArg(value),
    ])
    .option("--seeder <address>", "whose earnings (default: the signing account)")
    .action(async (bidIds: bigint[], options: { seeder?: string }) => {
      const result = await claim(await ctx.speed(), {
        bidIds,
        ...(options.seeder !== undefined ? { seeder: options.seeder as `T${string}` } : {}),
      });
      emit(ctx, { txId: result.txId, claimed: formatBtt(result.amount) }, () => [
        `claimed ${formatBtt(result.amount)} BTT into the vault (tx ${result.txId})`,
      ]);
    });
}
