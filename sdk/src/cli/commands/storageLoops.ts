/** `bttkit keeper` and `bttkit host-agent`: the storage market's long-running loops (or one pass with --once). */
import { type Command, Option } from "commander";
import { InvalidArgumentError } from "../../errors.js";
import { HostAgent, type HostAgentReport } from "../../node/hostAgent.js";
import { Keeper, type KeeperReport } from "../../storage/keeper.js";
import { formatBtt } from "../../units.js";
import type { CliContext } from "../context.js";
import { emit, note, toJson } from "../output.js";
import { parseDuration, parseIntegerArg } from "../parse.js";

const keeperLines = (r: KeeperReport) => [
  ...r.actions.map(
    (a) => `deal ${a.dealId}: ${a.kind}${a.period !== undefined ? ` (period ${a.period})` : ""} tx ${a.txId}`,
  ),
  ...r.waiting.map((w) => `deal ${w.dealId}: waiting, ${w.reason}`),
  ...r.ended.map((d) => `deal ${d}: ended`),
  ...r.errors.map((e) => `deal ${e.dealId}: error ${e.error.code}: ${e.error.shortMessage}`),
];

const agentLines = (r: HostAgentReport) => [
  ...r.proofs.map((p) => `deal ${p.dealId}: proved shards [${p.shards}] tx ${p.txId}`),
  ...r.claims.map((c) => `deal ${c.dealId}: claimed ${formatBtt(c.amount)} BTT tx ${c.txId}`),
  ...r.waiting.map((w) => `deal ${w.dealId}: ${w.reason}`),
  ...r.errors.map((e) => `deal ${e.dealId}: error ${e.error.code}: ${e.error.shortMessage}`),
];

/** Runs until SIGINT/SIGTERM, printing each report (one JSON document per line with --json). */
async function runLoop<R>(
  ctx: CliContext,
  loop: { start(o: { intervalMs: number; onReport: (r: R) => void }): void; stop(): Promise<void> },
  intervalMs: number,
  lines: (r: R) => string[],
): Promise<void> {
  await new Promise<void>((resolve) => {
    const finish = () => {
      void loop.stop().then(resolve);
    };
    process.once("SIGINT", finish);
    process.once("SIGTERM", finish);
    loop.start({
      intervalMs,
      onReport: (r) => {
        if (ctx.json) ctx.io.stdout.write(`${JSON.stringify(JSON.parse(toJson(r)))}\n`);
        else for (const line of lines(r)) ctx.io.stdout.write(`${line}\n`);
      },
    });
  });
}

function interval(value: bigint): number {
  const ms = Number(value) * 1000;
  if (ms < 1000 || ms > 600_000) throw new InvalidArgumentError("--interval must be from 1s to 10m");
  return ms;
}

export function registerStorageLoopCommands(program: Command, ctx: CliContext): void {
  program
    .command("keeper")
    .description("open challenges, draw seeds, settle periods and end deals, for the given deals or all")
    .option("--deal <id>", "a deal to keep (repeatable)", (v: string, prev: bigint[] = []) => [
      ...prev,
      parseIntegerArg(v),
    ])
    .option("--all", "keep every deal of the market (found from its events)", false)
    .addOption(new Option("--interval <duration>", "time between passes").argParser(parseDuration).default(15n, "15s"))
    .option("--once", "one pass, then exit", false)
    .action(async (o: { deal?: bigint[]; all: boolean; interval: bigint; once: boolean }) => {
      if (!o.all && (o.deal ?? []).length === 0)
        throw new InvalidArgumentError("Name deals with --deal <id>, or use --all");
      const keeper = new Keeper(await ctx.storage(), { deals: o.deal ?? [], watchAll: o.all });
      if (o.once) {
        const report = await keeper.tick();
        emit(ctx, report, () => keeperLines(report));
        return;
      }
      note(ctx, `keeper running every ${o.interval}s (Ctrl-C stops)`);
      await runLoop(ctx, keeper, interval(o.interval), keeperLines);
    });

  program
    .command("host-agent")
    .description("answer challenges from local shard files and claim earnings")
    .requiredOption("--shard-dir <dir>", "a folder with deal.json and shard files (or one such folder per deal)")
    .addOption(new Option("--interval <duration>", "time between passes").argParser(parseDuration).default(15n, "15s"))
    .option("--once", "one pass, then exit", false)
    .option("--no-claim", "never claim earnings")
    .action(async (o: { shardDir: string; interval: bigint; once: boolean; claim: boolean }) => {
      const agent = await HostAgent.fromShardDir(await ctx.storage(), o.shardDir, o.claim ? {} : { claim: false });
      if (agent.watching().length === 0) {
        throw new InvalidArgumentError(`No deal.json with a dealId in ${o.shardDir}`);
      }
      if (o.once) {
        const report = await agent.tick();
        emit(ctx, { ...report, claimed: agent.claimed }, () => agentLines(report));
        return;
      }
      note(ctx, `host agent serving ${agent.watching().length} deal(s) every ${o.interval}s (Ctrl-C stops)`);
      await runLoop(ctx, agent, interval(o.interval), agentLines);
    });
}
