/** `bttkit deal show <id>`: a storage deal, its challenge and its shard records. */
import type { Command } from "commander";
import { toBase58 } from "../../address.js";
import { PreflightError } from "../../errors.js";
import { challenge, deal, shardRecords } from "../../storage/actions/index.js";
import { SHARD_FLAG_LOST } from "../../storage/records.js";
import { formatBtt } from "../../units.js";
import type { CliContext } from "../context.js";
import { emit } from "../output.js";
import { parseIntegerArg } from "../parse.js";

const STATUS = ["none", "active", "completed", "lost"];
const STATE = ["idle", "awaiting seed", "open"];

export function registerDealCommands(program: Command, ctx: CliContext): void {
  const dealCommand = program.command("deal").description("storage deals");
  dealCommand
    .command("show")
    .description("a deal, its current challenge and its shard records")
    .argument("<dealId>", "the deal id", parseIntegerArg)
    .action(async (dealId: bigint) => {
      const client = await ctx.storage();
      const info = await deal(client, { dealId });
      if (!info) throw new PreflightError("deal-not-found", `No deal ${dealId}`);
      const [c, records] = await Promise.all([challenge(client, { dealId }), shardRecords(client, { dealId })]);
      const shards = records.map((r, i) => ({
        shard: i,
        host: toBase58(r.host),
        lost: (r.flags & SHARD_FLAG_LOST) !== 0,
        passed: r.passed,
        missed: r.missed,
        claimed: r.claimed,
        generation: r.generation,
        price: formatBtt(r.price),
        collateral: formatBtt(r.collateral),
      }));
      emit(
        ctx,
        { dealId, ...info, tenant: toBase58(info.tenant), status: STATUS[info.status], challenge: c, shards },
        () => [
          `deal ${dealId}: ${STATUS[info.status]}, tenant ${toBase58(info.tenant)}`,
          `  ${info.shardCount} shards (any ${info.minShards} recover), ${info.shardSize} bytes each, ${info.segmentCount} segments of ${info.segmentSize}`,
          `  periods ${info.settledPeriods}/${info.periods} settled, ${info.periodLength} s each; escrow ${formatBtt(info.escrow)} BTT`,
          `  challenge: ${STATE[c.state]}${c.state === 2 ? `, due by ${c.deadline}, proven mask ${c.provenMask}` : ""}`,
          ...shards.map(
            (s) =>
              `  shard ${s.shard}: ${s.host}${s.lost ? " LOST" : ""} passed ${s.passed} missed ${s.missed} gen ${s.generation} ${s.price} BTT/period`,
          ),
        ],
      );
    });
}
