/**
 * The network commands of the `bttkit` CLI as a user runs them (spawned, against a devnode with
 * the storage market deployed): `upload` stores a file through four host services running on
 * loopback, `retrieve` gets it back and checks its hash; `host serve --help` documents the service.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { Hex20 } from "../../sdk/src/address.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import { HostService } from "../../sdk/src/node/net/hostService.js";
import { registerHost, stake } from "../../sdk/src/storage/actions/index.js";
import { createStorageClient } from "../../sdk/src/storage/client.js";
import { BTT_UNIT } from "../../sdk/src/units.js";
import { approveToken, deposit, setMarketApproval } from "../../sdk/src/vault/index.js";
import { jsonOf, type ProcessResult, runNode } from "../helpers/process.js";
import { type StorageEnv, storageTronEnv } from "../sdk/storage-env.js";

const CLI = fileURLToPath(new URL("../../sdk/src/cli/main.ts", import.meta.url));
const TSX = import.meta.resolve("tsx");
const NETWORK = "devtest";

describe("bttkit network commands (spawned, against a devnode and host services on loopback)", function () {
  this.timeout(300_000);
  let env: StorageEnv;
  let dir: string;
  const services: HostService[] = [];
  const A = (i: number) => env.addresses[i] as Hex20;
  const file = new Uint8Array(20_000).map((_, i) => (i * 13 + 5) & 0xff);

  const bttkit = (args: string[], as?: number): Promise<ProcessResult> => {
    const childEnv: NodeJS.ProcessEnv = { ...process.env };
    delete childEnv.BTTKIT_PRIVATE_KEY;
    if (as !== undefined) childEnv.BTTKIT_PRIVATE_KEY = env.privateKey(as);
    return runNode(["--import", TSX, CLI, "--network", NETWORK, "--node", env.url as string, ...args], {
      cwd: dir,
      env: childEnv,
      timeoutMs: 120_000,
    });
  };

  before(async () => {
    env = await storageTronEnv(8);
    dir = mkdtempSync(join(tmpdir(), "bttkit-net-cli-"));
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
      if (i === 1) {
        await setMarketApproval(c.vault, { market: c.market.address, approved: true });
        continue;
      }
      const service = new HostService({
        client: c,
        signer: { privateKey: env.privateKey(i) },
        dir: join(dir, `host-${i}`),
        sweepIntervalMs: 0,
      });
      services.push(service);
      await setMarketApproval(c.vault, { market: c.registry.address, approved: true });
      await registerHost(c, {
        capacity: 1n << 30n,
        pricePerGiBPerPeriod: BTT_UNIT,
        region: 276,
        endpoint: await service.start(),
      });
      await stake(c, { amount: 100n * BTT_UNIT });
    }
    writeFileSync(join(dir, "file.bin"), file);
  });
  after(async () => {
    for (const s of services) await s.stop();
    await env?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("host serve --help documents the service's options", async () => {
    const help = await bttkit(["host", "serve", "--help"]);
    expect(help.code, help.stderr).to.equal(0);
    expect(help.stdout).to.match(/--dir <dir>/);
    expect(help.stdout).to.match(/--max-collateral <btt>/);
  });

  it("upload stores the file through the host services and writes its record; retrieve gets it back", async () => {
    const up = await bttkit(
      ["--json", "upload", "file.bin", "--periods", "2", "--collateral", "1", "--data", "2", "--parity", "2"],
      1,
    );
    expect(up.code, up.stderr).to.equal(0);
    const result = jsonOf(up);
    expect(result.record).to.equal("file.bin.bttkit.json");
    const record = JSON.parse(readFileSync(join(dir, "file.bin.bttkit.json"), "utf8"));
    expect(record.dealId).to.equal(result.dealId);
    expect(record.hosts).to.have.length(4);
    for (const s of services) expect((await s.store.held(record.dealId))?.shards).to.have.length(1);

    const back = await bttkit(["--json", "retrieve", "file.bin.bttkit.json", "--out", "back.bin"], 1);
    expect(back.code, back.stderr).to.equal(0);
    expect(jsonOf(back).shards).to.deep.equal([0, 1]);
    expect(new Uint8Array(readFileSync(join(dir, "back.bin")))).to.deep.equal(file);

    // Another account is not the deal's tenant: every host refuses it the shards.
    const stranger = await bttkit(["--json", "retrieve", "file.bin.bttkit.json", "--out", "x.bin"], 7);
    expect(stranger.code).to.equal(1);
    expect(jsonOf(stranger).error.code).to.equal("NETWORK_ERROR");
  });
});
