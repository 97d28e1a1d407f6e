/**
 * Where `npm start` runs: the embedded devnode (default) or a TRON testnet, with one key and one
 * TronWebBackend per participant, and a clock that either travels (devnode, TRE RPC) or waits.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
  createTronWebBackend,
  type Deployment,
  type Hex20,
  type TronWebBackend,
  toHex20,
} from "../../sdk/src/index.js";
import { fileDeployments } from "../../sdk/src/node/index.js";
import { print } from "./output.js";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const lib = require("../../deploy/lib.cjs") as {
  deploymentsDir(): string;
  networkConfig(n: string): { fullHost: string };
};

/** One actor of the demo: its own key, its own TronWeb and backend. */
export interface Participant {
  role: string;
  privateKey: string;
  address: Hex20;
  base58: string;
  backend: TronWebBackend;
}

/** Chain time and blocks: moved on the devnode (TRE RPC), waited for on a real network. */
export interface Clock {
  /** True when time is moved (devnode), false when the demo waits for it. */
  readonly travels: boolean;
  now(): Promise<bigint>;
  /** Until the latest block's timestamp is at least `timestamp`. */
  advanceTo(timestamp: bigint): Promise<void>;
  /** Until `blocks` more blocks exist. */
  mine(blocks: number): Promise<void>;
}

/** How big the demo is. */
export interface Scale {
  dataShards: number;
  parityShards: number;
  /** Registered hosts: the deal's shards plus spares (one becomes the repairer). */
  hosts: number;
  periods: number;
  fileBytes: number;
}

export const FULL_SCALE: Scale = { dataShards: 10, parityShards: 20, hosts: 32, periods: 5, fileBytes: 512 * 1024 };
export const SMALL_SCALE: Scale = { dataShards: 2, parityShards: 2, hosts: 5, periods: 5, fileBytes: 64 * 1024 };

export interface DemoEnv {
  network: string;
  url: string;
  deployment: Deployment;
  /** Read-only backend for balances and reports. */
  reader: TronWebBackend;
  /** Owns TestBTT: mints the participants' BTT. */
  deployer: Participant;
  keeper: Participant;
  tenant: Participant;
  hosts: Participant[];
  downloader: Participant;
  seeders: [Participant, Participant];
  clock: Clock;
  scale: Scale;
}

/** Participants beyond the deployer (and keeper): tenant, hosts, downloader, two seeders. */
export const demoKeysNeeded = (scale: Scale) => 1 + scale.hosts + 3;

/** A one-line refusal (bad options, missing keys or files): printed as is, exit 1. */
export class DemoConfigError extends Error {}

const FEE_LIMIT = 2_000_000_000n; // 2,000 TRX: a cap, not a price; openDeal of 30 shards is the largest call

export function participant(role: string, privateKey: string, url: string, pollIntervalMs: number): Participant {
  const key = privateKey.replace(/^0x/, "");
  const backend = createTronWebBackend({ fullHost: url, privateKey: key, pollIntervalMs, feeLimit: FEE_LIMIT });
  const base58 = String((backend.tronWeb as unknown as { defaultAddress: { base58: string } }).defaultAddress.base58);
  return { role, privateKey: key, address: toHex20(base58), base58, backend };
}

async function rpc(url: string, method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(`${url}/tre`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`devnode ${method}: ${body.error.message}`);
  return body.result;
}

/** The devnode's clock: `tre_increaseTime` then `tre_mine`, over its TRE JSON-RPC. */
export function treClock(url: string, reader: TronWebBackend): Clock {
  const now = async () => (await reader.getBlock()).timestamp;
  return {
    travels: true,
    now,
    async advanceTo(timestamp) {
      const current = await now();
      if (current < timestamp) await rpc(url, "tre_increaseTime", [Number(timestamp - current)]);
      await rpc(url, "tre_mine", [1]);
    },
    async mine(blocks) {
      await rpc(url, "tre_mine", [blocks]);
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A real network's clock: it waits (3 s blocks), saying so every minute. */
export function wallClock(reader: TronWebBackend): Clock {
  const now = async () => (await reader.getBlock()).timestamp;
  const head = async () => {
    const block = (await (
      reader.tronWeb as unknown as { trx: { getCurrentBlock(): Promise<unknown> } }
    ).trx.getCurrentBlock()) as {
      block_header: { raw_data: { number: number } };
    };
    return block.block_header.raw_data.number;
  };
  return {
    travels: false,
    now,
    async advanceTo(timestamp) {
      let said = 0;
      for (;;) {
        const current = await now();
        if (current >= timestamp) return;
        if (Date.now() - said > 60_000) {
          print(`    waiting for chain time: ${timestamp - current} s to go (real time on this network)`);
          said = Date.now();
        }
        await sleep(Math.min(15_000, Number(timestamp - current) * 1000 + 1_000));
      }
    },
    async mine(blocks) {
      const target = (await head()) + blocks;
      while ((await head()) < target) await sleep(3_000);
    },
  };
}

/** The devnode's accounts as participants: 0 deployer, 1 keeper, 2 tenant, 3.. hosts, then downloader and seeders. */
export function devnodeParticipants(url: string, keys: readonly string[], scale: Scale) {
  const p = (role: string, i: number) => participant(role, keys[i]!, url, 25);
  const hosts = Array.from({ length: scale.hosts }, (_, k) => p(`host ${k + 1}`, 3 + k));
  const after = 3 + scale.hosts;
  return {
    deployer: p("deployer", 0),
    keeper: p("keeper", 1),
    tenant: p("tenant", 2),
    hosts,
    downloader: p("downloader", after),
    seeders: [p("seeder A", after + 1), p("seeder B", after + 2)] as [Participant, Participant],
  };
}

export const devnodeAccountsNeeded = (scale: Scale) => 3 + scale.hosts + 3;

export function loadDeploymentFor(network: string): Promise<Deployment> {
  return fileDeployments(lib.deploymentsDir()).load(network);
}

/**
 * A testnet environment, or a `DemoConfigError` naming everything that is missing (checked before
 * any request is sent).
 */
export async function testnetEnv(network: string, scale: Scale, small: boolean): Promise<DemoEnv> {
  if (network === "mainnet") {
    throw new DemoConfigError(
      "npm start does not run on mainnet: the demo mints test BTT and burns real TRX. Use --network nile or shasta.",
    );
  }
  if (network !== "nile" && network !== "shasta") {
    throw new DemoConfigError(`Unknown network "${network}": use development (default), nile or shasta.`);
  }
  const dotenv = path.join(ROOT, ".env");
  if (existsSync(dotenv) && !process.env.BTTKIT_NO_DOTENV) process.loadEnvFile(dotenv);
  const keyVar = `PRIVATE_KEY_${network.toUpperCase()}`;
  const registry = path.join(lib.deploymentsDir(), `${network}.json`);
  const keysFile = process.env.BTTKIT_DEMO_KEYS;
  const needed = demoKeysNeeded(scale);
  const missing: string[] = [];
  const deployerKey = process.env[keyVar];
  if (!deployerKey) missing.push(`${keyVar} (the deployer's key: it owns TestBTT and runs the keeper)`);
  else if (!/^(0x)?[0-9a-fA-F]{64}$/.test(deployerKey)) missing.push(`a valid ${keyVar} (64 hex characters)`);
  if (!existsSync(registry))
    missing.push(`${path.relative(ROOT, registry)} (run npm run deploy -- --network ${network})`);
  let keys: string[] = [];
  if (!keysFile) {
    const hint = small ? "" : `; --small needs ${demoKeysNeeded(SMALL_SCALE)}`;
    missing.push(`BTTKIT_DEMO_KEYS (a file of ${needed} TRX-funded private keys, one a line${hint})`);
  } else if (!existsSync(keysFile)) {
    missing.push(`the BTTKIT_DEMO_KEYS file ${keysFile}`);
  } else {
    keys = readFileSync(keysFile, "utf8")
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== "" && !l.startsWith("#"));
    const bad = keys.findIndex((k) => !/^(0x)?[0-9a-fA-F]{64}$/.test(k));
    if (bad >= 0) missing.push(`a valid key on line ${bad + 1} of ${keysFile}`);
    else if (keys.length < needed)
      missing.push(`${needed - keys.length} more keys in ${keysFile} (${keys.length} of ${needed})`);
  }
  if (missing.length > 0) throw new DemoConfigError(`npm start -- --network ${network} needs ${missing.join(", ")}.`);
  const url = process.env[`${network.toUpperCase()}_URL`] ?? lib.networkConfig(network).fullHost;
  const deployment = await loadDeploymentFor(network);
  const p = (role: string, key: string) => participant(role, key, url, 1_000);
  const deployer = p("deployer", deployerKey!);
  const reader = createTronWebBackend({ fullHost: url, pollIntervalMs: 1_000 });
  const env: DemoEnv = {
    network,
    url,
    deployment,
    reader,
    deployer,
    keeper: deployer,
    tenant: p("tenant", keys[0]!),
    hosts: keys.slice(1, 1 + scale.hosts).map((k, i) => p(`host ${i + 1}`, k)),
    downloader: p("downloader", keys[1 + scale.hosts]!),
    seeders: [p("seeder A", keys[2 + scale.hosts]!), p("seeder B", keys[3 + scale.hosts]!)],
    clock: wallClock(reader),
    scale,
  };
  // Every participant pays its own energy: refuse before the first transaction if one can't.
  const everyone = [deployer, env.tenant, ...env.hosts, env.downloader, ...env.seeders];
  const trx = reader.tronWeb as unknown as { trx: { getBalance(a: string): Promise<number> } };
  const balances = await Promise.all(everyone.map((q) => trx.trx.getBalance(q.base58)));
  const poor = everyone.filter((_, i) => BigInt(balances[i] ?? 0) < MIN_TRX_SUN);
  if (poor.length > 0) {
    throw new DemoConfigError(
      `These ${network} accounts hold less than ${MIN_TRX_SUN / 1_000_000n} TRX for energy: ` +
        `${poor.map((q) => `${q.role} ${q.base58}`).join(", ")} (faucet: see README, "Nile or Shasta, step by step").`,
    );
  }
  return env;
}

/** TRX each testnet participant needs for the energy it burns (hosts: ~5 M energy over the demo). */
const MIN_TRX_SUN = 300_000_000n;
