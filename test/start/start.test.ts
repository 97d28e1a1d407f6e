/**
 * `npm start` as a user runs it: a child process that boots the embedded devnode, deploys with the
 * TronBox migrations and runs the storage and bandwidth lifecycle, exiting 0 with the report; and
 * `--network nile` without keys, refused in one line with exit code 1. The child works in its
 * own deployments directory, and is killed (its whole process group) if it overruns.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { expect } from "chai";

const require = createRequire(import.meta.url);
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const TSX = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
const RUN_TIMEOUT_MS = 240_000;

interface Result {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The environment of a user with no keys and no .env, writing deployments to `dir`. */
function userEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BTTKIT_NO_DOTENV: "1", BTTKIT_DEPLOYMENTS_DIR: dir };
  for (const k of Object.keys(env)) {
    if (k.startsWith("PRIVATE_KEY_") || k === "BTTKIT_DEMO_KEYS" || k === "DEVNODE_URL" || k === "FEE_LIMIT_TRX") {
      delete env[k];
    }
  }
  return env;
}

/** Runs a command in its own process group; on timeout the whole group gets SIGTERM, then SIGKILL. */
function run(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs = RUN_TIMEOUT_MS): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(command, args, {
      cwd: ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => {
      stdout += d;
    });
    child.stderr!.on("data", (d) => {
      stderr += d;
    });
    const kill = (signal: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, signal);
      } catch {
        // already gone
      }
    };
    const timer = setTimeout(() => {
      kill("SIGTERM");
      setTimeout(() => kill("SIGKILL"), 5_000).unref();
    }, timeoutMs);
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout: stripVTControlCharacters(stdout), stderr: stripVTControlCharacters(stderr) });
    });
  });
}

/** `npm start -- <args>` through the npm that runs these tests (npm_execpath), else the one on PATH. */
function npmStart(args: string[], env: NodeJS.ProcessEnv): Promise<Result> {
  const npmCli = process.env.npm_execpath;
  const extra = args.length > 0 ? ["--", ...args] : [];
  if (npmCli && /npm-cli\.js$/.test(npmCli)) return run(process.execPath, [npmCli, "start", ...extra], env);
  return run("npm", ["start", ...extra], env);
}

/** What a script prints on stderr, without npm's own notices. */
const ownLines = (stderr: string) =>
  stderr.split("\n").filter((l) => l.trim() !== "" && !/^npm (warn|notice|error|WARN|ERR!)/.test(l));

describe("npm start", function () {
  this.timeout(RUN_TIMEOUT_MS + 30_000);
  let dir: string;

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), "bttkit-start-test-"));
  });
  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("deploys on an embedded devnode, runs the storage and bandwidth lifecycle, reconciles and exits 0", async () => {
    const r = await npmStart([], userEnv(dir));
    const context = `exit ${r.code} ${r.signal ?? ""}\n--- stdout (tail)\n${r.stdout.slice(-3_000)}\n--- stderr\n${r.stderr}`;
    expect(r.code, context).to.equal(0);
    expect(ownLines(r.stderr), context).to.deep.equal([]);
    const out = r.stdout;
    // Deployment through the TronBox migrations, one line per contract with its energy.
    for (const name of ["TestBTT", "EscrowVault", "HostRegistry", "StorageMarket", "SpeedMarket"]) {
      expect(out).to.match(new RegExp(`${name}: deployed at T\\w{33} .*energy [\\d,]+`));
    }
    // Storage: 30 shards, a host that goes dark, loses its shard, is slashed; the repair.
    expect(out).to.match(/10 data \+ 20 parity shards/);
    expect(out).to.match(/period 0: .* 30\/30 shards proven/);
    expect(out).to.match(/period 3: .* 29\/30 shards proven .*shard 3 LOST, host \d+ slashed/);
    expect(out).to.match(/rebuilt shard 3 \(Merkle root matches\) and the whole file \(sha256 matches\)/);
    expect(out).to.match(/repaired: shard 3 -> host \d+ \(generation 1/);
    expect(out).to.match(/period 4: .* 30\/30 shards proven .*deal finalized/);
    // Bandwidth: single and batch redemptions, the refund after the grace.
    // Storage over HTTP: 32 host services, the file stored through them and retrieved back.
    expect(out).to.match(/serves HTTP on 127\.0\.0\.1 \(32 services\)/);
    expect(out).to.match(/upload 30 shards over HTTP\s+[\d,]+ bytes to 30 host services/);
    expect(out).to.match(/its service stops serving/);
    expect(out).to.match(/retrieved the file from shards [\d,]+ over HTTP .*sha256 \w+… matches/);
    // Bandwidth over BitTorrent: webtorrent clients and the bttkit_speed extension.
    expect(out).to.match(/paying downloader \(webtorrent \+ bttkit_speed\): 32 pieces verified/);
    expect(out).to.match(/a peer without the extension downloaded the file too/);
    expect(out).to.match(/seeder B redeemed its receipt store in one batch/);
    expect(out).to.match(/refund: [\d.]+ BTT back to the downloader/);
    expect(out).to.match(/HTTP \(storage\): [\d,]+ bytes of shards uploaded/);
    expect(out).to.match(/BitTorrent \(bandwidth\): seeders uploaded [\d,]+ \+ [\d,]+ bytes/);
    // The report: per-step energy and fees, balances, reconciled books.
    expect(out).to.match(/tenant: openDeal \(30 shards, 30 signatures\)\s+1\s+[\d,]+\s+[\d,]+/);
    expect(out).to.match(/tenant: repairShard .*\s+1\s+[\d,]+\s+[\d,]+/);
    expect(out).to.match(/seeder B: redeemBatch \(\d+ receipts?\)\s+1\s+[\d,]+/);
    expect(out).to.match(/host \d+ \(failed\)/);
    expect(out).to.match(/host \d+ \(repairer\)/);
    expect(out).to.match(/tenant \+ hosts net change 0 BTT/);
    expect(out).to.match(/downloader \+ seeders net change 0 BTT/);
    expect(out).to.match(/reconciled: vault balance == internal accounts/);
    expect(out).to.match(/every check passed/);
    // The embedded devnode is gone with the process.
    const url = /devnode: embedded, (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
    expect(url, "the devnode's URL is printed").to.be.a("string");
    const stillUp = await fetch(`${url}/wallet/getnowblock`, {
      method: "POST",
      signal: AbortSignal.timeout(2_000),
    }).then(
      () => true,
      () => false,
    );
    expect(stillUp, "the devnode stopped").to.equal(false);
  });

  it("--network nile without keys or a deployment: one line saying what is missing, exit 1", async () => {
    const r = await run(process.execPath, [TSX, "scripts/start.ts", "--network", "nile"], userEnv(dir), 60_000);
    expect(r.code).to.equal(1);
    expect(r.stdout.trim()).to.equal("");
    const lines = ownLines(r.stderr);
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.match(/^npm start -- --network nile needs PRIVATE_KEY_NILE .*nile\.json .*BTTKIT_DEMO_KEYS/);
  });
});
