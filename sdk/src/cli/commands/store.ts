/**
 * `bttkit store <file>`: erasure-code a file, hash its shards, pick hosts, collect their signed
 * offers and open the deal in one transaction. Offers: hosts sign them off-chain; in the devnode
 * or demo case the CLI signs for hosts whose private keys are in `--host-keys-env` (default
 * BTTKIT_HOST_KEYS, comma-separated). A host without a key there stops the command: ask it to
 * sign (`signOffer`) instead.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { SingleBar } from "cli-progress";
import { type Command, Option } from "commander";
import { type Hex20, toBase58, toHex20 } from "../../address.js";
import { InvalidArgumentError } from "../../errors.js";
import { dealManifest, prepareDeal } from "../../node/prepareDeal.js";
import { host, listHosts, openDeal, requestOffer, type SignedOffer, signOffer } from "../../storage/actions/index.js";
import { pickHosts } from "../../storage/scoring.js";
import { addressOfPrivateKey } from "../../tip712.js";
import { formatBtt } from "../../units.js";
import { setMarketApproval } from "../../vault/setMarketApproval.js";
import type { CliContext } from "../context.js";
import { emit, note } from "../output.js";
import { parseBttArg, parseCountArg, parseDuration } from "../parse.js";

const GIB = 1n << 30n;

interface StoreOptions {
  hosts: string;
  periods: number;
  periodLength: bigint;
  data: number;
  parity: number;
  segmentSize: number;
  price?: bigint;
  collateral?: bigint;
  out?: string;
  hostKeysEnv: string;
  region?: number;
}

function hostKeys(ctx: CliContext, name: string): Map<Hex20, string> {
  const keys = new Map<Hex20, string>();
  for (const raw of (ctx.io.env[name] ?? "").split(",")) {
    const key = raw.trim().replace(/^0x/, "");
    if (key === "") continue;
    if (!/^[0-9a-fA-F]{64}$/.test(key))
      throw new InvalidArgumentError(`${name} holds something that is not a private key`);
    keys.set(addressOfPrivateKey(key), `0x${key}`);
  }
  return keys;
}

export function registerStoreCommand(program: Command, ctx: CliContext): void {
  program
    .command("store")
    .description("shard a file, pick hosts, collect signed offers and open a storage deal")
    .argument("<file>", "the file to store")
    .requiredOption("--periods <n>", "paid periods", parseCountArg)
    .option("--hosts <auto|list>", "'auto' (scored from the registry) or comma-separated host addresses", "auto")
    .addOption(
      new Option("--period-length <duration>", "length of a period (e.g. 1h, 1d)")
        .argParser(parseDuration)
        .default(86_400n, "1d"),
    )
    .option("--data <k>", "data shards (any k recover the file)", parseCountArg, 10)
    .option("--parity <m>", "parity shards", parseCountArg, 20)
    .option("--segment-size <bytes>", "challenged segment size, a power of two from 32 to 65536", parseCountArg, 256)
    .option(
      "--price <btt>",
      "price per shard per period (default: each host's asking price for the shard's size)",
      parseBttArg,
    )
    .option("--collateral <btt>", "collateral per shard (default: the shard's whole price)", parseBttArg)
    .option("--region <code>", "prefer hosts in this region (auto)", parseCountArg)
    .option("--out <dir>", "where shard files and deal.json go (default <file>.shards)")
    .option(
      "--host-keys-env <VAR>",
      "variable holding comma-separated host keys the CLI may sign offers with",
      "BTTKIT_HOST_KEYS",
    )
    .action(async (file: string, o: StoreOptions) => {
      const client = await ctx.storage();
      const tenant = await ctx.account();
      if (!tenant) throw new InvalidArgumentError(`Set ${ctx.options.privateKeyEnv} to the tenant's private key`);
      const total = o.data + o.parity;
      const outDir = o.out ?? `${file}.shards`;
      const keys = hostKeys(ctx, o.hostKeysEnv);

      // 1. Shard and hash, with progress.
      const bar = ctx.json
        ? undefined
        : new SingleBar({ stream: ctx.io.stderr, format: "{stage} [{bar}] {value}/{total}" });
      let stage = "";
      const prepared = await prepareDeal(file, {
        dataShards: o.data,
        parityShards: o.parity,
        segmentSize: o.segmentSize,
        periods: o.periods,
        periodLength: Number(o.periodLength),
        outDir,
        onProgress: (s, done, all) => {
          if (s !== stage) {
            bar?.stop();
            stage = s;
            bar?.start(all, 0, { stage: s === "encode" ? "sharding (bytes)" : "hashing (shards)" });
          }
          bar?.update(done);
        },
      });
      bar?.stop();

      // 2. Hosts.
      let chosen: Hex20[];
      if (o.hosts === "auto") {
        const hosts = await listHosts(client);
        const usable = keys.size > 0 ? hosts.filter((h) => keys.has(h.address)) : hosts;
        chosen = pickHosts(usable, {
          n: total,
          now: await ctx.now(),
          ...(o.region !== undefined ? { region: o.region } : {}),
        }).map((p) => toHex20(p.address));
      } else {
        chosen = o.hosts.split(",").map((a) => toHex20(a.trim()));
      }
      if (chosen.length !== total) {
        throw new InvalidArgumentError(
          `${total} hosts are needed, ${chosen.length} ${o.hosts === "auto" ? "are eligible" : "were given"}`,
        );
      }

      // 3. Offers, signed by the hosts (here: with the keys the CLI holds).
      const offers: SignedOffer[] = [];
      const signBar = ctx.json
        ? undefined
        : new SingleBar({ stream: ctx.io.stderr, format: "offers [{bar}] {value}/{total}" });
      signBar?.start(total, 0);
      try {
        for (const [i, address] of chosen.entries()) {
          const key = keys.get(address);
          if (!key) {
            throw new InvalidArgumentError(`No key for host ${toBase58(address)} in ${o.hostKeysEnv}`, {
              details:
                "the CLI signs offers only for hosts whose keys it holds (devnode and demos); otherwise collect the host's signed offer",
            });
          }
          const profile = (await host(client, { address })).profile;
          const asked = (profile.pricePerGiBPerPeriod * prepared.params.shardSize + GIB - 1n) / GIB;
          const price = o.price ?? (asked > 0n ? asked : 1n);
          const collateral = o.collateral ?? price * BigInt(o.periods);
          const offer = await requestOffer(client, { deal: prepared, shard: i, host: address, price, collateral });
          offers.push(await signOffer(client, { offer, signer: { privateKey: key } }));
          signBar?.update(i + 1);
        }
      } finally {
        signBar?.stop();
      }

      // 4. Open.
      if (!(await client.vault.vault.read.isMarketApproved([tenant, client.market.address]))) {
        note(ctx, "approving the storage market to commit your vault balance");
        await setMarketApproval(client.vault, { market: client.market.address, approved: true });
      }
      const result = await openDeal(client, { deal: prepared, offers });
      const manifest = dealManifest(prepared, { dealId: result.dealId });
      const manifestPath = path.join(outDir, "deal.json");
      await writeFile(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
      emit(
        ctx,
        {
          dealId: result.dealId,
          txId: result.txId,
          escrow: formatBtt(result.escrow),
          hosts: chosen.map((a) => toBase58(a)),
          manifest: manifestPath,
          shardFiles: prepared.shardPaths,
        },
        () => [
          `opened deal ${result.dealId} (tx ${result.txId})`,
          `  ${total} shards on ${chosen.length} hosts, ${formatBtt(result.escrow)} BTT in escrow`,
          `  shards and manifest in ${outDir}: give each host its shard file and deal.json`,
        ],
      );
    });
}
