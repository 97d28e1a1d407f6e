/**
 * The network commands: `bttkit host serve` (a host's HTTP service, and its agent proving from
 * what the service stored), `bttkit upload <file>` (store a file through the hosts' services),
 * `bttkit retrieve <record>` and `bttkit repair <record> --shard <i>` (over the network), with
 * progress bars on stderr.
 */
import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { MultiBar, Presets, type SingleBar } from "cli-progress";
import type { Command } from "commander";
import { toBase58 } from "../../address.js";
import { privateKeyMessageSigner } from "../../net/shardAuth.js";
import { HostAgent } from "../../node/hostAgent.js";
import { HostService } from "../../node/net/hostService.js";
import { type NetProgress, readStoredFile, repairOverNetwork, retrieveFile, storeFile } from "../../node/net/tenant.js";
import { formatBtt } from "../../units.js";
import type { CliContext } from "../context.js";
import { emit, note } from "../output.js";
import { parseBttArg, parseCountArg, parseDuration, parseIntegerArg } from "../parse.js";

/** One bar per shard (bytes), drawn on stderr unless `--json`. */
function shardBars(ctx: CliContext) {
  if (ctx.json) return { onProgress: (_p: NetProgress) => {}, stop: () => {} };
  const multi = new MultiBar(
    { stream: ctx.io.stderr, format: "{label} [{bar}] {percentage}% {value}/{total}", hideCursor: true },
    Presets.shades_classic,
  );
  const bars = new Map<string, SingleBar>();
  const bar = (label: string, total: number) => {
    let b = bars.get(label);
    if (!b) {
      b = multi.create(total, 0, { label });
      bars.set(label, b);
    }
    return b;
  };
  return {
    onProgress: (p: NetProgress) => {
      if (p.stage === "encode" || p.stage === "hash" || p.stage === "decode") {
        bar(p.stage === "hash" ? "hashing shards" : p.stage, p.total).update(p.done);
      } else if (p.stage === "upload" || p.stage === "download") {
        bar(`${p.stage} shard ${String(p.shard).padStart(2)}`, p.total).update(p.bytes);
      } else if (p.stage === "retry") {
        multi.log(`shard ${p.shard}: ${p.host} failed (${p.error.shortMessage}); trying another host\n`);
      }
    },
    stop: () => multi.stop(),
  };
}

export function registerNetCommands(program: Command, ctx: CliContext): void {
  const hostCommand = program.commands.find((c) => c.name() === "host") ?? program.command("host");
  hostCommand
    .command("serve")
    .description("run this host's HTTP service (terms, offers, shard upload and download) and its agent")
    .requiredOption("--dir <dir>", "where shards are kept")
    .option("--listen <host>", "interface to listen on", "127.0.0.1")
    .option("--port <n>", "port (the registered endpoint's)", parseCountArg)
    .option("--max-shard-size <bytes>", "largest shard accepted", parseIntegerArg)
    .option("--max-collateral <btt>", "most collateral locked for one shard", parseBttArg)
    .option("--offer-ttl <duration>", "how long an offer and an unopened upload last (default 1h)", parseDuration)
    .option("--no-prove", "do not run the host agent (proofs) beside the service")
    .action(
      async (o: {
        dir: string;
        listen: string;
        port?: number;
        maxShardSize?: bigint;
        maxCollateral?: bigint;
        offerTtl?: bigint;
        prove: boolean;
      }) => {
        const client = await ctx.storage();
        const service = new HostService({
          client,
          signer: { privateKey: ctx.requirePrivateKey() },
          dir: o.dir,
          listenHost: o.listen,
          ...(o.port !== undefined ? { port: o.port } : {}),
          ...(o.maxShardSize !== undefined ? { maxShardSize: o.maxShardSize } : {}),
          ...(o.maxCollateral !== undefined ? { maxCollateral: o.maxCollateral } : {}),
          offerTtl: Number(o.offerTtl ?? 3_600n),
        });
        const url = await service.start();
        note(ctx, `serving ${url} for host ${toBase58((await ctx.account())!)}; shards in ${o.dir}`);
        let agent: HostAgent | undefined;
        if (o.prove) {
          agent = await HostAgent.fromShardDir(client, service.store.dealsDir);
          agent.start({ intervalMs: 15_000 });
        }
        await new Promise<void>((resolve) => {
          process.once("SIGINT", () => resolve());
          process.once("SIGTERM", () => resolve());
        });
        await agent?.stop();
        await service.stop();
        emit(ctx, { stopped: url }, () => [`stopped ${url}`]);
      },
    );

  program
    .command("upload")
    .description("store a file through the hosts' services: shard, pick hosts, upload, open the deal")
    .argument("<file>", "the file to store")
    .requiredOption("--periods <n>", "paid periods", parseCountArg)
    .requiredOption("--collateral <btt>", "collateral each host locks", parseBttArg)
    .option("--period-length <duration>", "length of a period (default 1d)", parseDuration)
    .option("--data <k>", "data shards", parseCountArg, 10)
    .option("--parity <m>", "parity shards", parseCountArg, 20)
    .option("--segment-size <bytes>", "challenged segment size", parseCountArg, 256)
    .option("--max-price <btt>", "most per GiB per period", parseBttArg)
    .option("--region <code>", "prefer hosts in this region", parseCountArg)
    .option("--record <file>", "where to write the record retrieve and repair need (default <file>.bttkit.json)")
    .action(
      async (
        file: string,
        o: {
          periods: number;
          collateral: bigint;
          periodLength?: bigint;
          data: number;
          parity: number;
          segmentSize: number;
          maxPrice?: bigint;
          region?: number;
          record?: string;
        },
      ) => {
        const client = await ctx.storage();
        const bars = shardBars(ctx);
        let result: Awaited<ReturnType<typeof storeFile>>;
        try {
          result = await storeFile(client, {
            file,
            workDir: tmpdir(),
            periods: o.periods,
            periodLength: Number(o.periodLength ?? 86_400n),
            dataShards: o.data,
            parityShards: o.parity,
            segmentSize: o.segmentSize,
            collateral: o.collateral,
            ...(o.maxPrice !== undefined ? { maxPricePerGiBPerPeriod: o.maxPrice } : {}),
            ...(o.region !== undefined ? { region: o.region } : {}),
            onProgress: bars.onProgress,
          });
        } finally {
          bars.stop();
        }
        const recordPath = o.record ?? `${file}.bttkit.json`;
        await writeFile(recordPath, `${JSON.stringify(result.record, null, 2)}\n`);
        emit(
          ctx,
          { dealId: result.dealId, txId: result.txId, escrow: formatBtt(result.escrow), record: recordPath },
          () => [
            `opened deal ${result.dealId} (tx ${result.txId}), ${formatBtt(result.escrow)} BTT in escrow`,
            `  ${result.record.hosts.length} shards on ${result.record.hosts.length} hosts; ${result.retries.length} host(s) replaced`,
            `  record: ${recordPath} (keep it to retrieve and repair)`,
          ],
        );
      },
    );

  program
    .command("retrieve")
    .description("fetch any k verified shards from live hosts, decode the file and check its hash")
    .argument("<record>", "the record upload wrote")
    .requiredOption("--out <file>", "where to write the file")
    .action(async (recordPath: string, o: { out: string }) => {
      const client = await ctx.storage();
      const record = await readStoredFile(recordPath);
      const bars = shardBars(ctx);
      let got: Awaited<ReturnType<typeof retrieveFile>>;
      try {
        got = await retrieveFile(client, {
          record,
          signer: privateKeyMessageSigner(ctx.requirePrivateKey()),
          out: path.resolve(o.out),
          workDir: tmpdir(),
          onProgress: bars.onProgress,
        });
      } finally {
        bars.stop();
      }
      emit(ctx, { out: got.out, shards: got.shards, sha256: record.fileSha256 }, () => [
        `retrieved ${record.name} to ${got.out} from shards ${got.shards.join(",")} (sha256 ${record.fileSha256} checked)`,
      ]);
    });

  program
    .command("repair")
    .description("rebuild a lost shard from k shards fetched over the network and hand it to a new host")
    .argument("<record>", "the record upload wrote (updated in place)")
    .requiredOption("--shard <i>", "the lost shard", (v) => Number(parseIntegerArg(v)))
    .requiredOption("--collateral <btt>", "collateral the new host locks", parseBttArg)
    .action(async (recordPath: string, o: { shard: number; collateral: bigint }) => {
      const client = await ctx.storage();
      const record = await readStoredFile(recordPath);
      const bars = shardBars(ctx);
      let result: Awaited<ReturnType<typeof repairOverNetwork>>;
      try {
        result = await repairOverNetwork(client, {
          record,
          shard: o.shard,
          signer: privateKeyMessageSigner(ctx.requirePrivateKey()),
          workDir: tmpdir(),
          collateral: o.collateral,
          onProgress: bars.onProgress,
        });
      } finally {
        bars.stop();
      }
      await writeFile(recordPath, `${JSON.stringify(result.record, null, 2)}\n`);
      emit(ctx, { txId: result.txId, host: toBase58(result.host.address) }, () => [
        `shard ${o.shard} repaired onto ${toBase58(result.host.address)} (${result.host.profile.endpoint}), tx ${result.txId}`,
      ]);
    });
}
