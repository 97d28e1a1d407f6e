/**
 * The storage commands of the `bttkit` CLI as a user runs them: a spawned process against a
 * devnode with the storage market deployed. host register/stake/info, store (offers signed with
 * host keys from BTTKIT_HOST_KEYS, the devnode/demo case), deal show, keeper --once and
 * host-agent --once, with exit codes and --json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { Hex20 } from "../../sdk/src/address.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import { registerHost, stake } from "../../sdk/src/storage/actions/index.js";
import { createStorageClient } from "../../sdk/src/storage/client.js";
import { BTT_UNIT } from "../../sdk/src/units.js";
import { approveToken, deposit, setMarketApproval } from "../../sdk/src/vault/index.js";
import { jsonOf, type ProcessResult, runNode } from "../helpers/process.js";
import { type StorageEnv, storageTronEnv } from "./storage-env.js";

const CLI = fileURLToPath(new URL("../../sdk/src/cli/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const NETWORK = "devtest";

describe("bttkit storage commands (spawned, against a devnode)", function () {
  this.timeout(300_000);
  let env: StorageEnv;
  let dir: string;
  let dealId: string;
  const A = (i: number) => env.addresses[i] as Hex20;

  const bttkit = (args: string[], as?: number, extraEnv: Record<string, string> = {}): Promise<ProcessResult> => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
    delete childEnv.BTTKIT_PRIVATE_KEY;
    delete childEnv.BTTKIT_HOST_KEYS;
    if (as !== undefined) childEnv.BTTKIT_PRIVATE_KEY = env.privateKey(as);
    Object.assign(childEnv, extraEnv);
    return runNode(["--import", TSX, CLI, "--network", NETWORK, "--node", env.url as string, ...args], {
      cwd: dir,
      env: childEnv,
      timeoutMs: 90_000,
    });
  };
  const json = jsonOf;

  before(async () => {
    env = await storageTronEnv(8);
    dir = mkdtempSync(join(tmpdir(), "bttkit-storage-cli-"));
    mkdirSync(join(dir, "deployments"));
    writeFileSync(
      join(dir, "deployments", `${NETWORK}.json`),
      JSON.stringify({ ...env.deploymentFile, network: NETWORK }, null, 2),
    );
    const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
    for (const i of [1, 3, 4, 5, 6]) {
      await env.mint(A(i), 1_000n * BTT_UNIT);
      const c = await createStorageClient({ backend: env.backends[i]!, deployment });
      await approveToken(c.vault, { amount: 500n * BTT_UNIT });
      await deposit(c.vault, { amount: 500n * BTT_UNIT });
      if (i >= 4) {
        // Hosts 4-6 by the SDK; host 3 by the CLI below.
        await setMarketApproval(c.vault, { market: c.registry.address, approved: true });
        await registerHost(c, {
          capacity: 1n << 30n,
          pricePerGiBPerPeriod: BTT_UNIT,
          region: 276,
          endpoint: `/dns/h${i}`,
        });
        await stake(c, { amount: 100n * BTT_UNIT });
      }
    }
    writeFileSync(
      join(dir, "file.bin"),
      new Uint8Array(3_000).map((_, i) => (i * 7) & 0xff),
    );
  });
  after(async () => {
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("host register and host stake (approving the registry) make a host; host info shows it", async () => {
    const reg = await bttkit(
      [
        "--json",
        "host",
        "register",
        "--capacity",
        "1073741824",
        "--price",
        "1",
        "--region",
        "250",
        "--endpoint",
        "/dns/h3",
      ],
      3,
    );
    expect(reg.code, reg.stderr).to.equal(0);
    expect(json(reg).updated).to.equal(false);
    const staked = await bttkit(["--json", "host", "stake", "100"], 3);
    expect(staked.code, staked.stderr).to.equal(0);
    expect(json(staked).staked).to.equal("100");
    const info = await bttkit(["--json", "host", "info"], 3);
    expect(info.code, info.stderr).to.equal(0);
    expect(json(info).stake.registered).to.equal(true);
    const human = await bttkit(["host", "list", "-n", "4"]);
    expect(human.code, human.stderr).to.equal(0);
    expect(human.stdout.trim().split("\n")).to.have.length(4);
  });

  it("store shards the file, signs offers with the host keys it holds and opens the deal", async () => {
    const hostKeys = [3, 4, 5, 6].map((i) => env.privateKey(i)).join(",");
    const run = await bttkit(
      [
        "--json",
        "store",
        "file.bin",
        "--hosts",
        "auto",
        "--periods",
        "2",
        "--period-length",
        "1h",
        "--data",
        "2",
        "--parity",
        "2",
        "--segment-size",
        "32",
        "--price",
        "1",
      ],
      1,
      { BTTKIT_HOST_KEYS: hostKeys },
    );
    expect(run.code, run.stderr).to.equal(0);
    const out = json(run);
    expect(out.hosts).to.have.length(4);
    expect(out.escrow).to.equal("8");
    dealId = out.dealId;
    const missingKeys = await bttkit(
      ["--json", "store", "file.bin", "--periods", "1", "--data", "2", "--parity", "2", "--out", "other"],
      1,
    );
    expect(missingKeys.code).to.equal(1);
  });

  it("deal show prints the deal; an unknown deal exits 1 with a typed error", async () => {
    const run = await bttkit(["--json", "deal", "show", dealId]);
    expect(run.code, run.stderr).to.equal(0);
    expect(json(run)).to.include({ status: "active" });
    expect(json(run).shards).to.have.length(4);
    const missing = await bttkit(["--json", "deal", "show", "999"]);
    expect(missing.code).to.equal(1);
    expect(json(missing).error).to.include({ code: "PREFLIGHT_FAILED", check: "deal-not-found" });
  });

  it("keeper --once opens the challenge; host-agent --once proves its shard from the shard dir", async () => {
    const kept = await bttkit(["--json", "keeper", "--deal", dealId, "--once"], 2);
    expect(kept.code, kept.stderr).to.equal(0);
    expect(json(kept).actions.map((a: { kind: string }) => a.kind)).to.deep.equal(["openChallenge"]);
    await env.mine(3);
    const shardDir = join(dir, "file.bin.shards");
    // One after the other: the first draws the seed, the others find the challenge open.
    for (const i of [3, 4, 5, 6]) {
      const run = await bttkit(["--json", "host-agent", "--shard-dir", shardDir, "--once"], i);
      expect(run.code, run.stderr).to.equal(0);
      const report = json(run);
      expect(report.errors, run.stdout).to.deep.equal([]);
    }
    const shown = json(await bttkit(["--json", "deal", "show", dealId]));
    expect(shown.challenge.provenMask).to.equal("15");
  });

  it("exits 2 on usage errors and 1 on typed errors", async () => {
    const usage = await bttkit(["--json", "host", "stake", "abc"], 3);
    expect(usage.code).to.equal(2);
    const noPeriods = await bttkit(["store", "file.bin"], 1);
    expect(noPeriods.code).to.equal(2);
    const noDeals = await bttkit(["--json", "keeper", "--once"], 2);
    expect(noDeals.code).to.equal(1);
    expect(json(noDeals).error.code).to.equal("INVALID_ARGUMENT");
  });
});
