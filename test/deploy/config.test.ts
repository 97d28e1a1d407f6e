// biome-ignore-all lint/suspicious/noExplicitAny: configuration objects are edited as plain JSON
// `npm run deploy` (scripts/deploy.ts) and the migrations refuse a bad configuration with ONE
// clear line on stderr, exit code 1, and deploy nothing: no registry file, no block on the node.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { TronWeb } from "tronweb";
import { type Devnode, startDevnode } from "../../devnode/src/index.js";
import { childEnv, ROOT, run, TRONBOX, TSX } from "./helpers.js";

const require = createRequire(import.meta.url);
const DEPLOY = path.join(ROOT, "scripts", "deploy.ts");
const DUMMY_KEY = "11".repeat(32);

describe("TronBox deployment: bad configuration", function () {
  this.timeout(120_000);
  let dir: string;
  let node: Devnode;

  /** A copy of deploy/networks.config.cjs with `edit` applied, for BTTKIT_NETWORKS_CONFIG. */
  const configWith = (name: string, edit: (c: any) => void) => {
    const c = structuredClone(require("../../deploy/networks.config.cjs"));
    edit(c);
    const file = path.join(dir, `${name}.cjs`);
    writeFileSync(file, `module.exports = ${JSON.stringify(c, null, 2)};\n`);
    return file;
  };
  const deploy = (args: string[], extra: Record<string, string | undefined> = {}) =>
    run([TSX, DEPLOY, ...args], childEnv({ BTTKIT_DEPLOYMENTS_DIR: path.join(dir, "deployments"), ...extra }));

  /** Exit code 1, exactly one line on stderr matching `pattern`, and no registry written. */
  const refused = (r: { code: number; stdout: string; stderr: string }, pattern: RegExp) => {
    expect(r.code, r.stdout + r.stderr).to.equal(1);
    const lines = r.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));
    expect(lines, r.stderr).to.have.length(1);
    expect(lines[0]).to.match(pattern);
    expect(readdirSync(dir)).not.to.include("deployments");
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "bttkit-config-"));
    node = await startDevnode({ accounts: 2 });
  });
  after(async () => {
    await node?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("an unknown network", async () => {
    refused(
      await deploy(["--network", "moonbase"]),
      /^Unknown network "moonbase": use one of development, nile, shasta, mainnet/,
    );
  });

  it("a missing private key (nile, shasta, mainnet)", async () => {
    for (const [network, env] of [
      ["nile", "PRIVATE_KEY_NILE"],
      ["shasta", "PRIVATE_KEY_SHASTA"],
      ["mainnet", "PRIVATE_KEY_MAINNET"],
    ]) {
      refused(
        await deploy(["--network", network!]),
        new RegExp(`^${env} is not set: export the deploying account's private key to deploy to ${network}`),
      );
    }
    refused(
      await deploy(["--network", "nile"], { PRIVATE_KEY_NILE: "not-a-key" }),
      /^PRIVATE_KEY_NILE is not a private key/,
    );
  });

  it("no BTT address on mainnet, from npm run deploy and from tronbox migrate itself", async () => {
    const config = configWith("no-btt", (c) => delete c.networks.mainnet.btt);
    const pattern = /mainnet has no BTT address: set networks\.mainnet\.btt in .*no-btt\.cjs/;
    refused(
      await deploy(["--network", "mainnet"], { PRIVATE_KEY_MAINNET: DUMMY_KEY, BTTKIT_NETWORKS_CONFIG: config }),
      new RegExp(`^${pattern.source}`),
    );
    // The migrations check the same before touching the network (TronBox reaches no node first).
    const r = await run(
      [TRONBOX, "migrate", "--network", "mainnet"],
      childEnv({
        PRIVATE_KEY_MAINNET: DUMMY_KEY,
        BTTKIT_NETWORKS_CONFIG: config,
        BTTKIT_DEPLOYMENTS_DIR: path.join(dir, "deployments"),
      }),
    );
    expect(r.code).to.equal(1);
    expect(r.stderr.split("\n").filter((l) => l.startsWith("ERROR:"))).to.have.length(1);
    expect(r.stderr).to.match(new RegExp(`ERROR: ${pattern.source}`));
    expect(readdirSync(dir)).not.to.include("deployments");
  });

  it("an out-of-range parameter, or no devnode for development: nothing reaches the chain", async () => {
    const tronWeb = new TronWeb({ fullHost: node.url });
    const height = async () => (await tronWeb.trx.getCurrentBlock()).block_header.raw_data.number;
    const before = await height();
    const config = configWith("bad-seed-delay", (c) => (c.defaults.storage.seedDelay = 0));
    refused(
      await deploy(["--network", "development"], { DEVNODE_URL: node.url, BTTKIT_NETWORKS_CONFIG: config }),
      /^storage\.seedDelay in .*bad-seed-delay\.cjs \(networks\.development\) must be 1\.\.128 blocks\.$/,
    );
    refused(
      await deploy(["--network", "development"], { DEVNODE_URL: "http://127.0.0.1:9" }),
      /^No devnode at http:\/\/127\.0\.0\.1:9: start one with `npm run devnode`.*or pass --embedded\.$/,
    );
    refused(await deploy(["--network", "development", "--frobnicate"]), /^Unknown option "--frobnicate"/);
    expect(await height()).to.equal(before);
  });
});
