/**
 * `npm run deploy -- --network <development|nile|shasta|mainnet> [--reset] [--embedded] [--verbose]`
 *
 * Wraps `tronbox migrate` (migrations/*.js, deploy/lib.cjs):
 * 1. checks the configuration (network name, private key, mainnet BTT address, parameters) and
 *    stops with ONE line on stderr, before anything touches a network, when it is wrong;
 * 2. for `development`, checks that a devnode listens at DEVNODE_URL (default
 *    http://127.0.0.1:9090); with `--embedded` it starts one in this process if none does, and
 *    keeps serving it after the deployment (Ctrl-C stops it);
 * 3. makes sure TronBox has the pinned solc (scripts/tronbox-compiler.js), runs the migrations
 *    and prints a line per contract with the energy its deployment used, then a summary from
 *    deployments/<network>.json. TronBox's full output: `--verbose`, or the log file named on failure.
 *
 * `deploy()` and `ensureDevnode()` are exported for `npm start` and tests.
 */
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { ensureTronboxCompiler, TRONBOX } from "./tronbox-compiler.js";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const lib = require("../deploy/lib.cjs") as {
  networkConfig(network: string, o?: { requireKey?: boolean }): { fullHost: string; network: string };
  ConfigError: new (...a: unknown[]) => Error;
  registryPath(network: string): string;
  readRegistry(network: string): Registry | null;
  shown(file: string): string;
};

export interface ContractEntry {
  contractName: string;
  address: string;
  hex: string;
  evm: string;
  txId?: string;
  block?: number;
  energy?: number;
  fee?: number;
  createdBy?: string;
}

export interface Registry {
  network: string;
  chainId: number;
  contracts: Record<string, ContractEntry>;
  wiring: Record<string, { txId: string; block: number; energy: number }>;
  [key: string]: unknown;
}

export const DEFAULT_DEVNODE_URL = "http://127.0.0.1:9090";

/** Thrown for configuration mistakes: the CLI prints the message as its one line. */
export class DeployConfigError extends Error {}

/** Checks the configuration of `network` without touching any network. */
export function checkConfig(network: string): { fullHost: string } {
  try {
    return lib.networkConfig(network, { requireKey: true });
  } catch (e) {
    if (e instanceof lib.ConfigError) throw new DeployConfigError((e as Error).message);
    throw e;
  }
}

async function listening(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/wallet/getnowblock`, {
      method: "POST",
      body: "{}",
      signal: AbortSignal.timeout(2_000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Makes sure a devnode answers at `url`. With `embedded`, starts one in this process on the
 * URL's port when none does. Returns the running node's stop() (or null if one was already there).
 */
export async function ensureDevnode(
  url: string,
  embedded: boolean,
): Promise<{ url: string; stop: (() => Promise<void>) | null }> {
  if (await listening(url)) return { url, stop: null };
  if (!embedded) {
    throw new DeployConfigError(
      `No devnode at ${url}: start one with \`npm run devnode\` (or set DEVNODE_URL), or pass --embedded.`,
    );
  }
  const { startDevnode } = await import("../devnode/src/index.js");
  const { hostname, port } = new URL(url);
  const node = await startDevnode({ host: hostname, port: Number(port || 80) });
  return { url: node.url, stop: () => node.stop() };
}

export interface DeployOptions {
  network: string;
  reset?: boolean;
  /** Print TronBox's whole output instead of the progress lines. */
  verbose?: boolean;
  /** The devnode URL (development only). */
  url?: string;
  /** Extra environment for TronBox. */
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go (default: stdout). */
  print?: (line: string) => void;
}

/** Runs the migrations; resolves with the registry, rejects with the failure's one-line reason. */
export async function deploy(o: DeployOptions): Promise<Registry> {
  const print = o.print ?? ((l: string) => console.log(l));
  const env: NodeJS.ProcessEnv = { ...process.env, ...o.env };
  if (o.url) env.DEVNODE_URL = o.url;
  if (!ensureTronboxCompiler({ quiet: !o.verbose })) throw new Error("TronBox has no solc; see the message above.");
  const args = [TRONBOX, "migrate", "--network", o.network, ...(o.reset ? ["--reset"] : [])];
  const logFile = path.join(tmpdir(), `bttkit-deploy-${o.network}-${process.pid}.log`);
  const started = Date.now();
  const output: string[] = [];
  const code = await new Promise<number>((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
    let pending = "";
    const onData = (chunk: Buffer) => {
      const text = pending + chunk.toString("utf8");
      const lines = text.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) handle(line);
    };
    const handle = (line: string) => {
      output.push(line);
      const plain = stripVTControlCharacters(line);
      if (o.verbose) print(line);
      else if (plain.includes("[bttkit]")) print(plain.replace(/^\s*\[bttkit\] /, "  "));
      else if (
        /^Compiling your contracts|^> Compiled successfully|^> Everything is up to date|^ERROR|^Error/.test(plain)
      )
        print(plain);
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", reject);
    child.on("close", (c) => {
      if (pending) handle(pending);
      resolve(c ?? 1);
    });
  });
  writeFileSync(logFile, `${output.join("\n")}\n`);
  const registryFile = lib.shown(lib.registryPath(o.network));
  if (code !== 0) {
    const reason =
      output
        .map((l) => stripVTControlCharacters(l))
        .reverse()
        .find((l) => /^ERROR|^Error/.test(l)) ?? `tronbox migrate exited with code ${code}`;
    throw new Error(
      `${reason.replace(/^ERROR:\s*/, "")} (TronBox's output: ${logFile}; ${registryFile} lists what is deployed)`,
    );
  }
  const registry = lib.readRegistry(o.network);
  if (!registry) throw new Error(`tronbox migrate succeeded but wrote no ${registryFile}`);
  print(`done in ${((Date.now() - started) / 1000).toFixed(1)} s; ${registryFile}:`);
  const token = registry.token as { name: string; address: string; external: boolean } | null;
  if (token?.external) print(`  ${"BTT".padEnd(15)} ${token.address}  existing TRC-20`);
  for (const [name, c] of Object.entries(registry.contracts)) {
    const how = c.createdBy ? `created by ${c.createdBy}` : `energy ${(c.energy ?? 0).toLocaleString("en-US")}`;
    print(`  ${name.padEnd(15)} ${c.address}  ${how}`);
  }
  return registry;
}

export const DEPLOY_USAGE = `Usage: npm run deploy -- [--network <name>] [--reset] [--embedded] [--verbose]

Deploys bttkit with the TronBox migrations and records deployments/<network>.json.

Options:
  --network <name>  a network of deploy/networks.config.cjs (default: development, a local devnode
                    at $DEVNODE_URL or http://127.0.0.1:9090)
  --reset           redeploy every contract instead of reusing the recorded ones
  --embedded        development: start an in-process devnode when none answers
  --verbose         print every transaction
  -h, --help        show this help`;

function parseArgs(argv: string[]) {
  const o = { network: "development", reset: false, embedded: false, verbose: false, help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--network") o.network = argv[++i] ?? "";
    else if (a.startsWith("--network=")) o.network = a.slice("--network=".length);
    else if (a === "--reset") o.reset = true;
    else if (a === "--embedded") o.embedded = true;
    else if (a === "--verbose") o.verbose = true;
    else if (a === "--help" || a === "-h") o.help = true;
    else throw new DeployConfigError(`Unknown option "${a}": use --network <name> [--reset] [--embedded] [--verbose].`);
  }
  return o;
}

async function main() {
  // A local .env (git-ignored; see .env.example) fills in what the environment lacks.
  const dotenv = path.join(ROOT, ".env");
  if (existsSync(dotenv) && !process.env.BTTKIT_NO_DOTENV) process.loadEnvFile(dotenv);
  let stop: (() => Promise<void>) | null = null;
  try {
    const o = parseArgs(process.argv.slice(2));
    if (o.help) {
      console.log(DEPLOY_USAGE);
      return;
    }
    const { fullHost } = checkConfig(o.network);
    let url: string | undefined;
    if (o.network === "development") {
      const node = await ensureDevnode(process.env.DEVNODE_URL ?? DEFAULT_DEVNODE_URL, o.embedded);
      url = node.url;
      stop = node.stop;
      console.log(`Deploying bttkit to development (${url}${stop ? ", embedded devnode" : ""})`);
    } else {
      console.log(`Deploying bttkit to ${o.network} (${fullHost})`);
    }
    await deploy({ network: o.network, reset: o.reset, verbose: o.verbose, url });
    if (stop) {
      const s = stop;
      console.log(`The embedded devnode keeps running at ${url}; Ctrl-C stops it (and forgets its chain).`);
      const quit = () => void s().then(() => process.exit(0));
      process.once("SIGINT", quit);
      process.once("SIGTERM", quit);
      return;
    }
  } catch (e) {
    console.error(e instanceof DeployConfigError ? e.message : `Deployment failed: ${(e as Error).message}`);
    if (stop) await stop();
    process.exit(1);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
