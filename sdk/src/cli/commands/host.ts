/** `bttkit host register|stake|unstake|withdraw|info|list`: storage hosts in the HostRegistry. */
import type { Command } from "commander";
import { toBase58 } from "../../address.js";
import {
  host,
  listHosts,
  registerHost,
  requestUnstake,
  stake,
  updateHost,
  withdrawStake,
} from "../../storage/actions/index.js";
import { pickHosts } from "../../storage/scoring.js";
import { formatBtt } from "../../units.js";
import { setMarketApproval } from "../../vault/setMarketApproval.js";
import type { CliContext } from "../context.js";
import { emit, note } from "../output.js";
import { parseBttArg, parseCountArg, parseIntegerArg } from "../parse.js";

export function registerHostCommands(program: Command, ctx: CliContext): void {
  const hostCommand = program.command("host").description("storage hosts: profile, stake, track record");

  hostCommand
    .command("register")
    .description("register the signing account as a storage host, or update its profile")
    .requiredOption("--capacity <bytes>", "bytes offered", parseIntegerArg)
    .requiredOption("--price <btt>", "asking price per GiB per period, in BTT", parseBttArg)
    .option("--region <code>", "ISO 3166-1 numeric country code", parseCountArg)
    .option("--endpoint <peer>", "peer id or multiaddr the shards are served at", "")
    .action(async (o: { capacity: bigint; price: bigint; region?: number; endpoint: string }) => {
      const client = await ctx.storage();
      const me = await ctx.account();
      const registered = me ? (await host(client, { address: me })).stake.registered : false;
      const profile = {
        capacity: o.capacity,
        pricePerGiBPerPeriod: o.price,
        region: o.region ?? 0,
        endpoint: o.endpoint,
      };
      const result = registered ? await updateHost(client, profile) : await registerHost(client, profile);
      emit(ctx, { txId: result.txId, updated: registered }, () => [
        `${registered ? "updated" : "registered"} host ${me ? toBase58(me) : ""} (tx ${result.txId})`,
      ]);
    });

  hostCommand
    .command("stake")
    .description("commit free vault balance as stake (approves the registry first if needed)")
    .argument("<amount>", "BTT", parseBttArg)
    .action(async (amount: bigint) => {
      const client = await ctx.storage();
      const me = await ctx.account();
      if (me && !(await client.vault.vault.read.isMarketApproved([me, client.registry.address]))) {
        note(ctx, "approving the registry to commit your vault balance");
        await setMarketApproval(client.vault, { market: client.registry.address, approved: true });
      }
      const result = await stake(client, { amount });
      emit(ctx, { txId: result.txId, staked: formatBtt(amount) }, () => [
        `staked ${formatBtt(amount)} BTT (tx ${result.txId})`,
      ]);
    });

  hostCommand
    .command("unstake")
    .description("start unbonding free stake")
    .argument("<amount>", "BTT", parseBttArg)
    .action(async (amount: bigint) => {
      const result = await requestUnstake(await ctx.storage(), { amount });
      emit(ctx, { txId: result.txId, unbonding: formatBtt(amount), readyAt: result.readyAt }, () => [
        `unbonding ${formatBtt(amount)} BTT, withdrawable after ${new Date(Number(result.readyAt) * 1000).toISOString()}`,
      ]);
    });

  hostCommand
    .command("withdraw")
    .description("after unbonding, move the stake back to your free vault balance")
    .action(async () => {
      const result = await withdrawStake(await ctx.storage());
      emit(ctx, { txId: result.txId, withdrawn: formatBtt(result.withdrawn) }, () => [
        `withdrew ${formatBtt(result.withdrawn)} BTT of stake to the vault (tx ${result.txId})`,
      ]);
    });

  hostCommand
    .command("info")
    .description("a host's profile, stake and track record")
    .argument("[address]", "the host (default: the signing account)")
    .action(async (address?: string) => {
      const info = await host(await ctx.storage(), address ? { address: address as `T${string}` } : {});
      emit(ctx, { ...info, address: toBase58(info.address) }, () => [
        `host ${toBase58(info.address)}${info.stake.registered ? "" : " (not registered)"}`,
        `  region ${info.profile.region}, capacity ${info.profile.capacity} bytes, ${formatBtt(info.profile.pricePerGiBPerPeriod)} BTT/GiB/period, ${info.profile.endpoint}`,
        `  stake ${formatBtt(info.stake.stake)} BTT (free ${formatBtt(info.freeStake)}, locked ${formatBtt(info.stake.locked)}, unbonding ${formatBtt(info.stake.unbonding)})`,
        `  proofs ${info.trackRecord.proofsPassed} passed / ${info.trackRecord.proofsMissed} missed, deals ${info.trackRecord.dealsCompleted} completed / ${info.trackRecord.dealsLost} lost`,
      ]);
    });

  hostCommand
    .command("list")
    .description("registered hosts, scored from their track record, price, stake and region (best first)")
    .option("--region <code>", "prefer this region", parseCountArg)
    .option("--max-price <btt>", "leave out hosts asking more per GiB per period", parseBttArg)
    .option("-n, --count <n>", "how many to pick (distinct, regions spread)", parseCountArg)
    .action(async (o: { region?: number; maxPrice?: bigint; count?: number }) => {
      const hosts = await listHosts(await ctx.storage());
      const picked = pickHosts(hosts, {
        n: o.count ?? hosts.length + 1,
        now: await ctx.now(),
        ...(o.region !== undefined ? { region: o.region } : {}),
        ...(o.maxPrice !== undefined ? { maxPrice: o.maxPrice } : {}),
      });
      const rows = picked.map((p) => ({
        address: toBase58(p.address),
        score: Number(p.score.toFixed(4)),
        region: p.region,
        price: formatBtt(p.host.profile.pricePerGiBPerPeriod),
        freeStake: formatBtt(p.host.freeStake),
      }));
      emit(ctx, rows, () =>
        rows.map(
          (r) => `${r.address}  score ${r.score}  region ${r.region}  ${r.price} BTT/GiB  free stake ${r.freeStake}`,
        ),
      );
    });
}
