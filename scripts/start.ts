/**
 * `npm start [-- --network <development|nile|shasta>] [--small]`: deploy bttkit and run a real
 * storage and bandwidth lifecycle through the SDK's TronWeb backend, then print a report.
 *
 * development (default): boots the embedded devnode in this process on a free port, deploys the
 * suite with the TronBox migrations (scripts/deploy.ts), and runs the lifecycle with one devnode
 * key and one TronWebBackend per participant: 32 hosts, a 10 + 20 shard deal over 5 daily periods
 * (chain time moved with the devnode's tre_increaseTime), a host that goes dark, is slashed and
 * replaced; a bid on a .torrent paid through signed receipts. The devnode always stops at the end.
 *
 * nile / shasta: the same lifecycle on the deployed suite (deployments/<network>.json), with the
 * deployer's key (PRIVATE_KEY_<NETWORK>: mints TestBTT, runs the keeper) and the participants'
 * keys from the file BTTKIT_DEMO_KEYS; nothing can be fast-forwarded, so it waits in real time.
 * `--small` runs a 2 + 2 shard deal with 5 hosts (8 keys instead of 36).
 *
 * Exit code 0 when every step and check passed; 1 with one line on stderr otherwise.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Devnode } from "../devnode/src/index.js";
import { BttkitError, parseBtt, writeAndWait } from "../sdk/src/index.js";
import { testBTTAbi } from "../sdk/src/testing.js";
import { books, printHoldings, type Snapshot, worth } from "./demo/balances.js";
import {
  DemoConfigError,
  type DemoEnv,
  devnodeAccountsNeeded,
  devnodeParticipants,
  FULL_SCALE,
  loadDeploymentFor,
  type Participant,
  type Scale,
  SMALL_SCALE,
  testnetEnv,
  treClock,
} from "./demo/env.js";
import { btt, delta, Ledger, n, print } from "./demo/output.js";
import { runSpeed } from "./demo/speed.js";
import { check, DemoCheckError, pool, runStorage } from "./demo/storage.js";

const USAGE = "usage: npm start [-- --network <development|nile|shasta>] [--small]";

function parseArgs(argv: string[]) {
  const o = { network: "development", small: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--network") o.network = argv[++i] ?? "";
    else if (a.startsWith("--network=")) o.network = a.slice("--network=".length);
    else if (a === "--small") o.small = true;
    else if (a === "--help" || a === "-h") o.help = true;
    else throw new DemoConfigError(`Unknown option "${a}". ${USAGE}`);
  }
  return o;
}

/** One line for any failure: the SDK's typed errors show their code. */
function oneLine(error: unknown): string {
  if (error instanceof DemoConfigError) return error.message;
  if (error instanceof BttkitError) return `npm start failed: ${error.shortMessage} [${error.code}]`;
  if (error instanceof DemoCheckError) return `npm start failed: ${error.message}`;
  const message = error instanceof Error ? error.message : String(error);
  return `npm start failed: ${message.split("\n")[0]}`;
}

let node: Devnode | undefined;
async function stopNode(): Promise<void> {
  const running = node;
  node = undefined;
  if (running) await running.stop();
}

async function devnodeEnv(scale: Scale): Promise<DemoEnv> {
  const { startDevnode } = await import("../devnode/src/index.js");
  const { deploy } = await import("./deploy.js");
  node = await startDevnode({ port: 0, accounts: devnodeAccountsNeeded(scale) });
  print(`devnode: embedded, ${node.url}, ${node.accounts.length} funded accounts (1,000,000 TRX each)`);
  print("deploying the suite with the TronBox migrations (energy per contract from its transaction info):");
  // A fresh chain: --reset, so the registry of an earlier run (other addresses) is not consulted.
  await deploy({ network: "development", url: node.url, reset: true, print: (line) => print(`  ${line}`) });
  const deployment = await loadDeploymentFor("development");
  const people = devnodeParticipants(
    node.url,
    node.accounts.map((a) => a.privateKey),
    scale,
  );
  const { createTronWebBackend } = await import("../sdk/src/index.js");
  const reader = createTronWebBackend({ fullHost: node.url, pollIntervalMs: 25 });
  return {
    network: "development",
    url: node.url,
    deployment,
    reader,
    ...people,
    clock: treClock(node.url, reader),
    scale,
  };
}

/** The deployer mints what each participant needs (TestBTT's owner), topping up on re-runs. */
async function mint(env: DemoEnv, ledger: Ledger): Promise<void> {
  const token = env.deployment.contracts.TestBTT;
  if (!token) throw new DemoConfigError(`The ${env.network} deployment has no TestBTT to mint from.`);
  const needs: [Participant, bigint][] = [
    [env.tenant, parseBtt("100")],
    ...env.hosts.map((h) => [h, parseBtt("200")] as [Participant, bigint]),
    [env.downloader, parseBtt("100")],
  ];
  const receipts = await pool(needs, 6, async ([p, amount]) => {
    const has = await env.reader.read({
      address: token.hex,
      abi: testBTTAbi,
      functionName: "balanceOf",
      args: [p.address],
    });
    if (has >= amount) return undefined;
    return writeAndWait(env.deployer.backend, {
      address: token.hex,
      abi: testBTTAbi,
      functionName: "mint",
      args: [p.address, amount - has],
    });
  });
  ledger.add("deployer: mint test BTT", receipts);
  print(
    `  minted test BTT to ${receipts.filter(Boolean).length} participants (tenant 100, hosts 200 each, downloader 100)`,
  );
}

async function main(): Promise<number> {
  const started = Date.now();
  const o = parseArgs(process.argv.slice(2));
  if (o.help) {
    print(USAGE);
    return 0;
  }
  const scale = o.small ? SMALL_SCALE : FULL_SCALE;
  const onDevnode = o.network === "development";
  // A testnet's configuration is checked (one line on failure) before anything is printed or sent.
  const env = onDevnode ? await devnodeEnv(scale) : await testnetEnv(o.network, scale, o.small);
  if (!onDevnode) {
    print(`network: ${o.network} (${env.url}), deployment ${env.deployment.contracts.StorageMarket?.address}`);
    print(
      `  keys: deployer ${env.deployer.base58} (mints, keeper), tenant, ${env.hosts.length} hosts, downloader, 2 seeders ` +
        "from BTTKIT_DEMO_KEYS; chain time can't be moved here, so periods and the grace are waited out",
    );
  }
  const ledger = new Ledger();
  const workDir = await mkdtemp(path.join(tmpdir(), "bttkit-start-"));
  try {
    const b = await books(env);
    const everyone = [env.deployer, env.keeper, env.tenant, ...env.hosts, env.downloader, ...env.seeders].filter(
      (p, i, all) => all.findIndex((q) => q.address === p.address) === i,
    );
    print("\nparticipants (each its own key and TronWebBackend):");
    print(
      `  tenant ${env.tenant.base58}, keeper ${env.keeper.base58}, ${env.hosts.length} hosts, downloader ` +
        `${env.downloader.base58}, seeders ${env.seeders.map((s) => s.base58).join(" ")}`,
    );
    await mint(env, ledger);
    const before = await b.snapshot(everyone);

    print(
      `\nstorage: a tenant stores a file on ${scale.dataShards + scale.parityShards} hosts, one host fails, its shard is repaired`,
    );
    const storage = await runStorage(env, ledger, workDir);

    print("\nbandwidth: a downloader pays two seeders through signed receipts");
    const speed = await runSpeed(env, ledger, path.join(workDir, "swarm"));

    // Balance checks before anyone withdraws.
    const mid = await b.snapshot(everyone);
    const gain = (p: Participant, s: Snapshot = mid) => worth(s.get(p.address)!) - worth(before.get(p.address)!);
    const storageNet = storage.storageParticipants.reduce((sum, p) => sum + gain(p), 0n);
    check(storageNet === 0n, `storage moved BTT only between tenant and hosts (net ${storageNet})`);
    check(
      gain(env.tenant) === -storage.hostPay + (storage.slashed - storage.bounty),
      "tenant paid the hosts' pay less its share of the slash",
    );
    for (const [p, expected] of storage.expectedGain) {
      check(gain(p) === expected, `${p.role} gained ${btt(gain(p))} BTT, the rules say ${btt(expected)}`);
    }
    const speedNet = gain(env.downloader) + gain(env.seeders[0]) + gain(env.seeders[1]);
    check(speedNet === 0n, `bandwidth moved BTT only between downloader and seeders (net ${speedNet})`);
    check(
      gain(env.seeders[0]) === speed.paid[0] && gain(env.seeders[1]) === speed.paid[1],
      "each seeder gained what its receipts paid",
    );

    // Cash out: the tenant, a normal host and seeder A withdraw their vault balances to their wallets.
    const withdrawals = [env.tenant, storage.normal, env.seeders[0]];
    const { createVaultClient, withdraw } = await import("../sdk/src/index.js");
    for (const p of withdrawals) {
      const vault = await createVaultClient({ backend: p.backend, deployment: env.deployment });
      const free = mid.get(p.address)!.free;
      if (free > 0n)
        ledger.add("withdraw vault balance to the wallet", (await withdraw(vault, { amount: free })).receipt);
    }
    const after = await b.snapshot(everyone);

    print("\n=== report ===");
    print("\ntransactions (energy and fee from each receipt):");
    ledger.printTable();

    print("\nbalances (BTT; 'change' counts wallet + vault + stake):");
    printHoldings(
      [
        { label: "tenant", p: env.tenant },
        { label: `${storage.failed.role} (failed)`, p: storage.failed },
        { label: `${storage.repairer.role} (repairer)`, p: storage.repairer },
        { label: `${storage.normal.role} (normal)`, p: storage.normal },
        { label: "downloader", p: env.downloader },
        { label: "seeder A (single redeems)", p: env.seeders[0] },
        { label: "seeder B (batch redeem)", p: env.seeders[1] },
      ],
      before,
      after,
    );

    print("\nstorage deal:");
    print(
      `  escrow ${btt(storage.escrow)} BTT; paid to hosts ${btt(storage.hostPay)}; refunded to the tenant at the end ${btt(storage.refund)}`,
    );
    print(
      `  shard ${storage.lostShard} lost by ${storage.failed.role}: slashed ${btt(storage.slashed)} BTT ` +
        `(tenant ${btt(storage.slashed - storage.bounty)}, repair bounty ${btt(storage.bounty)} -> ${storage.repairer.role})`,
    );
    print(
      `  repaired shard ${storage.lostShard} onto ${storage.repairer.role}, which proved it; ${storage.checks.join("; ")}`,
    );
    print(
      `  tenant's net cost ${btt(-gain(env.tenant))} = host pay ${btt(storage.hostPay)} - slash share ${btt(storage.slashed - storage.bounty)}; ` +
        `tenant + hosts net change ${delta(storageNet)} BTT`,
    );
    print("\nbytes over each protocol, and what they earned:");
    print(
      `  HTTP (storage): ${n(storage.http.uploaded)} bytes of shards uploaded to host services (store + repair), ` +
        `${n(storage.http.downloaded)} downloaded back (repair + retrieval); the hosts earned ${btt(storage.hostPay)} BTT ` +
        `for storing them (+ ${btt(storage.bounty)} repair bounty)`,
    );
    print(
      `  BitTorrent (bandwidth): seeders uploaded ${n(speed.swarm.uploaded[0])} + ${n(speed.swarm.uploaded[1])} bytes; ` +
        `${n(speed.swarm.paidBytes[0])} + ${n(speed.swarm.paidBytes[1])} verified bytes paid through bttkit_speed receipts, ` +
        `earning ${btt(speed.paid[0])} + ${btt(speed.paid[1])} BTT; the peer without the extension got ${n(speed.swarm.plain)} bytes unpaid`,
    );
    print("\nbandwidth bid:");
    print(`  bid #${speed.bidId} on ${speed.infohash}: ${speed.checks.join("; ")}`);
    print(
      `  refunded ${btt(speed.refunded)} BTT after the grace; downloader + seeders net change ${delta(speedNet)} BTT`,
    );

    const v = await b.vault(everyone);
    const owed = v.free + v.registry + v.storage + v.speed;
    print("\nvault books:");
    print(`  vault's BTT balance                 ${btt(v.tokenBalance, 18)}`);
    print(`  free balances of all participants   ${btt(v.free, 18)}`);
    print(`  + HostRegistry pool (host stakes)   ${btt(v.registry, 18)}   (sum of stakes ${btt(v.stakes)})`);
    print(`  + StorageMarket pool                ${btt(v.storage, 18)}`);
    print(`  + SpeedMarket pool                  ${btt(v.speed, 18)}`);
    print(`  = internal accounts                 ${btt(owed, 18)}`);
    if (onDevnode) {
      check(v.tokenBalance === owed, "the vault's BTT balance equals the sum of its internal accounts");
      check(v.registry === v.stakes, "the registry's pool equals the hosts' stakes");
      check(
        v.storage === 0n && v.speed === 0n,
        "both markets' pools are empty once the deal ended and the bid was refunded",
      );
      check(v.supply === v.wallets + v.tokenBalance, "every minted BTT is in a wallet or the vault");
      print(
        `  reconciled: vault balance == internal accounts; BTT supply ${btt(v.supply)} == wallets ${btt(v.wallets)} + vault`,
      );
    } else {
      print(`  (${o.network}'s vault is shared with other users: the books above cover the demo's accounts only)`);
    }
    const t = ledger.totals();
    print(
      `\ndone in ${((Date.now() - started) / 1000).toFixed(1)} s: ${t.txs} transactions, ${n(t.energy)} energy, ` +
        `${n(t.fee)} sun in fees; every check passed.`,
    );
    if (onDevnode)
      print(
        "time travel: the devnode's chain time was moved with tre_increaseTime (periods of a day, the bid's grace)",
      );
    return 0;
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

process.once("SIGINT", () => {
  console.error("interrupted: stopping the devnode");
  void stopNode().finally(() => process.exit(130));
});
process.once("SIGTERM", () => {
  void stopNode().finally(() => process.exit(143));
});

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error(oneLine(error));
  if (process.env.BTTKIT_DEBUG) console.error(error);
} finally {
  await stopNode();
}
process.exit(code);
