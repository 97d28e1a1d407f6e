/**
 * The `bttkit` CLI as a user runs it: a spawned process (sdk/src/cli/main.ts under tsx) against a
 * devnode, with deployments/<network>.json written by the test into its working directory, the
 * key in an environment variable. Checks real output, exit codes and --json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { type Hex20, toBase58 } from "../../sdk/src/address.js";
import { BTT_UNIT } from "../../sdk/src/units.js";
import { jsonOf, type ProcessResult, runNode } from "../helpers/process.js";
import { tronEnv } from "./backend-env.js";
import { type SpeedEnv, withSpeedMarket } from "./speed-env.js";

const CLI = fileURLToPath(new URL("../../sdk/src/cli/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const NETWORK = "devtest";
const MAGNET = "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=ubuntu";

describe("bttkit CLI (spawned, against a devnode)", function () {
  this.timeout(240_000);
  let env: SpeedEnv;
  let dir: string;
  let keys: string[];
  let A: { downloader: Hex20; seeder: Hex20; other: Hex20 };

  /** Runs `bttkit <args>` as account `as` (its key in BTTKIT_PRIVATE_KEY), or with no key. */
  const bttkit = (args: string[], as?: number, extraEnv: Record<string, string> = {}): Promise<ProcessResult> => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
    delete childEnv.BTTKIT_PRIVATE_KEY;
    if (as !== undefined) childEnv.BTTKIT_PRIVATE_KEY = keys[as];
    return runNode(["--import", TSX, CLI, "--network", NETWORK, "--node", env.nodeUrl as string, ...args], {
      cwd: dir,
      env: childEnv,
      timeoutMs: 60_000,
    });
  };
  const json = jsonOf;

  before(async () => {
    env = await withSpeedMarket(await tronEnv());
    keys = env.privateKeys as string[];
    A = { downloader: env.addresses[1]!, seeder: env.addresses[2]!, other: env.addresses[3]! };
    await env.mint(A.downloader, 1_000n * BTT_UNIT);
    dir = mkdtempSync(join(tmpdir(), "bttkit-cli-"));
    mkdirSync(join(dir, "deployments"));
    writeFileSync(
      join(dir, "deployments", `${NETWORK}.json`),
      JSON.stringify({ ...env.deploymentFile, network: NETWORK }, null, 2),
    );
  });
  after(async () => {
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exits 2 on a usage error: a missing required option or an unknown command", async () => {
    const missing = await bttkit(["bid", "open", MAGNET, "--budget", "1", "--expiry", "1h"]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.contain("--price");
    const unknown = await bttkit(["frobnicate", "--json"]);
    expect(unknown.code).to.equal(2);
    expect(json(unknown).error.code).to.equal("USAGE");
  });

  it("balance prints the wallet and vault balances; --private-key-env names the key's variable", async () => {
    const run = await bttkit(["balance"], 1);
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.contain(toBase58(A.downloader));
    expect(run.stdout).to.match(/wallet\s+1000 BTT/);
    const other = await bttkit(["--private-key-env", "MY_KEY", "--json", "balance"], undefined, {
      MY_KEY: keys[1] as string,
    });
    expect(other.code, other.stderr).to.equal(0);
    expect(json(other)).to.include({ account: toBase58(A.downloader), wallet: "1000", vault: "0" });
  });

  it("deposit approves and deposits; withdraw beyond the balance exits 1 with a typed error", async () => {
    const run = await bttkit(["--json", "deposit", "100"], 1);
    expect(run.code, run.stderr).to.equal(0);
    expect(json(run)).to.include({ credited: "100", vault: "100" });
    const tooMuch = await bttkit(["--json", "withdraw", "100.5"], 1);
    expect(tooMuch.code).to.equal(1);
    expect(json(tooMuch).error).to.include({ code: "PREFLIGHT_FAILED", check: "vault-balance" });
    const human = await bttkit(["withdraw", "100.5"], 1);
    expect(human.code).to.equal(1);
    expect(human.stderr).to.match(/^error PREFLIGHT_FAILED: Vault balance too low/);
  });

  it("without a key, a write exits 1 and names the variable to set", async () => {
    const run = await bttkit(["--json", "receipt", "sign", "--bid", "1", "--seeder", A.seeder, "--bytes", "1"]);
    expect(run.code).to.equal(1);
    expect(json(run).error.code).to.equal("INVALID_ARGUMENT");
    expect(json(run).error.message).to.contain("BTTKIT_PRIVATE_KEY");
  });

  it("bid open, bid list: opens bids on a magnet link and lists them best price first", async () => {
    const open = await bttkit(
      ["--json", "bid", "open", MAGNET, "--price", "0.5", "--budget", "50", "--expiry", "2h"],
      1,
    );
    expect(open.code, open.stderr).to.equal(0);
    expect(json(open)).to.include({ bidId: "1", version: 1, pricePerMiB: "0.5", budget: "50", grace: "3600" });
    expect(json(open).approvalTxId).to.be.a("string");
    const second = await bttkit(
      ["bid", "open", "c9e15763f722f23e98a29decdfae341b98d53056", "--price", "2", "--budget", "4", "--expiry", "1d"],
      1,
    );
    expect(second.code, second.stderr).to.equal(0);
    expect(second.stdout).to.match(/^opened bid 2 /);
    const list = await bttkit(["--json", "bid", "list", MAGNET]);
    expect(list.code, list.stderr).to.equal(0);
    expect(json(list).bids.map((b: { bidId: string }) => b.bidId)).to.deep.equal(["2", "1"]);
    expect(json(list).bids[1]).to.include({ pricePerMiB: "0.5", remaining: "50", status: "open" });
  });

  it("receipt sign prints a receipt; receipt redeem redeems files in batches and reports each", async () => {
    const signed = await bttkit(
      [
        "receipt",
        "sign",
        "--bid",
        "1",
        "--seeder",
        toBase58(A.seeder),
        "--bytes",
        String(3 * 2 ** 20),
        "--out",
        "r1.json",
      ],
      1,
    );
    expect(signed.code, signed.stderr).to.equal(0);
    const r1 = JSON.parse(signed.stdout);
    expect(r1).to.include({ bidId: "1", seeder: toBase58(A.seeder), cumulativeBytes: String(3 * 2 ** 20) });
    expect(r1.signature).to.match(/^0x[0-9a-f]{130}$/);
    const r2 = await bttkit(["receipt", "sign", "--bid", "1", "--seeder", A.other, "--bytes", String(2 ** 20)], 1);
    writeFileSync(join(dir, "r2.json"), r2.stdout);
    const redeem = await bttkit(["--json", "receipt", "redeem", "r1.json", "r2.json", "--batch-size", "1"], 4);
    expect(redeem.code, redeem.stderr).to.equal(0);
    const out = json(redeem);
    expect(out).to.include({ redeemed: 2, rejected: 0, total: "2" });
    expect(out.txIds).to.have.length(2);
    expect(out.outcomes[0]).to.include({ status: "redeemed", amount: "1.5" });
    const again = await bttkit(["receipt", "redeem", "r1.json", "r2.json"], 4);
    // Nothing redeemed: the command ran, but a script must not take it for success.
    expect(again.code, again.stderr).to.equal(1);
    expect(again.stderr).to.contain("no receipt was redeemed (all 2 rejected)");
    expect(again.stdout).to.contain("redeemed 0 of 2 receipts");
    expect(again.stdout).to.contain("NotNewer");
    const bad = await bttkit(["--json", "receipt", "redeem", "nope.json"], 4);
    expect(bad.code).to.equal(1);
    expect(json(bad).error.code).to.equal("INVALID_ARGUMENT");
  });

  it("bid close and claim; a second close exits 1 with the preflight's reason", async () => {
    const close = await bttkit(["--json", "bid", "close", "1"], 1);
    expect(close.code, close.stderr).to.equal(0);
    expect(json(close).redeemableUntil).to.match(/^\d+$/);
    const again = await bttkit(["--json", "bid", "close", "1"], 1);
    expect(again.code).to.equal(1);
    expect(json(again).error).to.include({ code: "PREFLIGHT_FAILED", check: "bid-not-open" });
    const claim = await bttkit(["--json", "claim", "1"], 2);
    expect(claim.code, claim.stderr).to.equal(0);
    expect(json(claim)).to.include({ claimed: "1.5" });
    const balance = await bttkit(["--json", "balance"], 2);
    expect(json(balance)).to.include({ vault: "1.5" });
  });
});
