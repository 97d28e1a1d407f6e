// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies and registry JSON are untyped
// `tronbox migrate --network development` for real, against a devnode started here: the whole
// suite deployed and wired from deploy/networks.config.cjs, a second run that sends nothing,
// the deployed code equal to Hardhat's, a smoke test through TronWeb, --reset, and a failed
// step (fee limit too low) that leaves a truthful registry and resumes on the next run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { TronWeb } from "tronweb";
import { type Devnode, startDevnode } from "../../devnode/src/index.js";
import { ensureTronboxCompiler } from "../../scripts/tronbox-compiler.js";
import { parseDeployment } from "../../sdk/src/deployments.js";
import { infohashFromMagnet } from "../../sdk/src/speed/infohash.js";
import { packReceipt, receiptWorth, signReceiptWithTronWeb, speedDomain } from "../../sdk/src/speed/receipt.js";
import {
  call,
  childEnv,
  comparableRuntime,
  hardhatArtifact,
  readJson,
  run,
  send,
  TRONBOX,
  tronboxArtifact,
} from "./helpers.js";

const require = createRequire(import.meta.url);
const config = require("../../deploy/networks.config.cjs");
const { SOLC_SETTINGS, SOLC_VERSION } = require("../../compiler.config.js");

const UNIT = 10n ** 18n;
const SUITE = ["TestBTT", "EscrowVault", "HostRegistry", "StorageMarket", "StorageHosting", "SpeedMarket"];
const DEPLOYED = ["TestBTT", "EscrowVault", "HostRegistry", "StorageMarket", "SpeedMarket"];

describe("TronBox deployment: tronbox migrate on the devnode", function () {
  this.timeout(240_000);
  let node: Devnode;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let registryFile: string;
  let reg: any;
  const tw = (i: number) => new TronWeb({ fullHost: node.url, privateKey: node.accounts[i]!.privateKey });
  const head = async () => (await tw(0).trx.getCurrentBlock()).block_header.raw_data.number as number;
  const migrate = (...args: string[]) => run([TRONBOX, "migrate", "--network", "development", ...args], env);

  before(async () => {
    expect(ensureTronboxCompiler({ quiet: true })).to.equal(true);
    node = await startDevnode({ accounts: 4 });
    dir = mkdtempSync(path.join(tmpdir(), "bttkit-deployments-"));
    env = childEnv({ DEVNODE_URL: node.url, BTTKIT_DEPLOYMENTS_DIR: dir });
    registryFile = path.join(dir, "development.json");
  });

  after(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("deploys BTT, the vault, the registry and both markets, and writes deployments/development.json", async () => {
    const r = await migrate();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    for (const name of DEPLOYED)
      expect(r.stdout).to.match(
        new RegExp(`\\[bttkit\\] ${name}: deployed at T\\w+ \\(41[0-9a-f]{40}\\), energy [\\d,]+`),
      );
    reg = readJson(registryFile);
    expect(reg.network).to.equal("development");
    expect(reg.chainId).to.equal(0xcd8690dc); // the devnode's default (Nile's), read from the node
    expect(Object.keys(reg.contracts)).to.have.members(SUITE);
    for (const name of SUITE) {
      const c = reg.contracts[name];
      expect(c.address).to.equal(TronWeb.address.fromHex(c.hex));
      expect(c.evm).to.equal(`0x${c.hex.slice(2)}`);
      expect(c.txId).to.match(/^[0-9a-f]{64}$/);
      expect(c.block).to.be.a("number").greaterThan(0);
      const info = await tw(0).trx.getUnconfirmedTransactionInfo(c.txId);
      expect(info.blockNumber).to.equal(c.block);
      if (!c.createdBy) expect(c.energy).to.equal((info as any).receipt.energy_usage_total);
    }
    expect(reg.contracts.TestBTT.contractName).to.equal("TestBTT");
    expect(reg.token).to.deep.include({
      name: "TestBTT",
      address: reg.contracts.TestBTT.address,
      decimals: 18,
      external: false,
    });
    // The SDK reads this file (sdk/src/deployments.ts) and accepts it as written.
    const parsed = parseDeployment(reg, "development");
    expect(parsed.chainId).to.equal(0xcd8690dcn);
    expect(parsed.contracts.EscrowVault!.address).to.equal(reg.contracts.EscrowVault.address);
    expect(parsed.contracts.SpeedMarket!.hex.toLowerCase()).to.equal(reg.contracts.SpeedMarket.evm);
    expect(reg.contracts.StorageHosting.createdBy).to.equal("StorageMarket");
    expect(reg.compiler.solc).to.equal(SOLC_VERSION);
    expect(reg.compiler.settings).to.deep.equal(SOLC_SETTINGS);
    let commit = "unknown";
    try {
      commit = execFileSync("git", ["rev-parse", "HEAD"]).toString().trim();
    } catch {}
    expect(reg.commit).to.equal(commit);
    expect(reg.deployer.address).to.equal(node.accounts[0]!.base58); // TronBox deploys from the node's first key
  });

  it("wires the suite and sets the parameters from deploy/networks.config.cjs", async () => {
    const t = tw(0);
    const c = reg.contracts;
    const vault = hardhatArtifact("EscrowVault").abi;
    const registry = hardhatArtifact("HostRegistry").abi;
    for (const m of ["HostRegistry", "StorageMarket", "SpeedMarket"])
      expect(await call(t, vault, c.EscrowVault.address, "isMarket", [c[m].hex])).to.equal(true);
    expect(await call(t, vault, c.EscrowVault.address, "isPauser", [node.accounts[0]!.hex])).to.equal(true);
    expect(TronWeb.address.fromHex(await call(t, vault, c.EscrowVault.address, "token"))).to.equal(c.TestBTT.address);
    expect(await call(t, registry, c.HostRegistry.address, "isMarket", [c.StorageMarket.hex])).to.equal(true);
    expect(await call(t, registry, c.HostRegistry.address, "unbondingDelay")).to.equal(
      BigInt(config.defaults.registry.unbondingDelay),
    );
    const rules = await call(t, hardhatArtifact("StorageMarket").abi, c.StorageMarket.address, "config");
    for (const [k, v] of Object.entries(config.defaults.storage)) expect(Number(rules[k]), k).to.equal(v);
    expect(
      TronWeb.address.fromHex(await call(t, hardhatArtifact("StorageMarket").abi, c.StorageMarket.address, "hosting")),
    ).to.equal(c.StorageHosting.address);
    const grace = await call(t, hardhatArtifact("SpeedMarket").abi, c.SpeedMarket.address, "graceBounds");
    expect([Number(grace[0]), Number(grace[1])]).to.deep.equal([
      config.defaults.speed.minGrace,
      config.defaults.speed.maxGrace,
    ]);
    expect(Object.keys(reg.wiring)).to.have.length(5);
  });

  it("a second migrate sends no transaction and leaves the registry byte for byte unchanged", async () => {
    const before = readFileSync(registryFile, "utf8");
    const height = await head();
    const r = await migrate();
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(await head()).to.equal(height);
    expect(readFileSync(registryFile, "utf8")).to.equal(before);
    expect(r.stdout).not.to.include("deployed at");
    expect(r.stdout.match(/up to date at/g)).to.have.length(DEPLOYED.length);
    expect(r.stdout.match(/already set \(no transaction\)/g)).to.have.length(5);
  });

  it("deploys the bytecode the Hardhat tests run (runtime code minus metadata, immutables masked)", async () => {
    // TronBox deployed exactly its own build: getcontract's bytecode is the build's creation code
    // followed by the ABI-encoded constructor arguments. Its runtime code (getcontractinfo)
    // equals Hardhat's deployedBytecode once the metadata tail is cut and immutables are zeroed.
    for (const key of SUITE) {
      const { contractName, hex } = reg.contracts[key];
      const hh = hardhatArtifact(contractName);
      const info: any = await tw(0).fullNode.request("wallet/getcontractinfo", { value: hex }, "post");
      const runtime = comparableRuntime(info.runtimecode, hh.immutableReferences);
      expect(runtime, `${key} on chain vs Hardhat`).to.equal(
        comparableRuntime(hh.deployedBytecode, hh.immutableReferences),
      );
      if (key !== "StorageHosting") {
        const tb = tronboxArtifact(contractName);
        expect(
          info.smart_contract.bytecode.startsWith(tb.bytecode.replace(/^0x/, "")),
          `${key} creation code`,
        ).to.equal(true);
      }
    }
  });

  it("smoke: a vault deposit, a speed bid redeemed with a TIP-712 receipt, and a host's stake, all through TronWeb", async () => {
    const c = reg.contracts;
    const [owner, downloader, seeder, host] = [tw(0), tw(1), tw(2), tw(3)];
    const [, dl, sd, ht] = node.accounts;
    const btt = hardhatArtifact("TestBTT").abi;
    const vault = hardhatArtifact("EscrowVault").abi;
    const speed = hardhatArtifact("SpeedMarket").abi;
    const registry = hardhatArtifact("HostRegistry").abi;
    for (const a of [dl!, ht!]) await send(owner, btt, c.TestBTT.address, "mint", [a.base58, 1_000n * UNIT]);

    // Deposit: the vault pulls with transferFrom and credits the downloader.
    await send(downloader, btt, c.TestBTT.address, "approve", [c.EscrowVault.address, 100n * UNIT]);
    await send(downloader, vault, c.EscrowVault.address, "deposit", [100n * UNIT]);
    expect(await call(owner, vault, c.EscrowVault.address, "balanceOf", [dl!.base58])).to.equal(100n * UNIT);
    expect(await call(owner, btt, c.TestBTT.address, "balanceOf", [c.EscrowVault.address])).to.equal(100n * UNIT);

    // Speed: bid, signed cumulative receipt, redemption by the seeder, claim into its vault balance.
    await send(downloader, vault, c.EscrowVault.address, "setMarketApproval", [c.SpeedMarket.address, true]);
    const { infohash, version } = infohashFromMagnet(
      "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=demo",
    );
    const now = BigInt(Math.floor((await owner.trx.getCurrentBlock()).block_header.raw_data.timestamp / 1000));
    const price = UNIT / 100n;
    const bidId = await call(owner, speed, c.SpeedMarket.address, "nextBidId");
    await send(downloader, speed, c.SpeedMarket.address, "openBid", [
      infohash,
      version,
      price,
      10n * UNIT,
      now + 86_400n,
      3_600n,
    ]);
    const domain = speedDomain({ chainId: reg.chainId, verifyingContract: c.SpeedMarket.address });
    const bytes = 5n * 1024n * 1024n + 12_345n;
    const signed = await signReceiptWithTronWeb(downloader as any, domain, {
      bidId,
      seeder: sd!.base58,
      cumulativeBytes: bytes,
    });
    const packed = packReceipt(signed);
    await send(seeder, speed, c.SpeedMarket.address, "redeem", [[packed.key, packed.r, packed.vs]]);
    await send(seeder, speed, c.SpeedMarket.address, "claim", [sd!.base58, [bidId]]);
    expect(await call(owner, vault, c.EscrowVault.address, "balanceOf", [sd!.base58])).to.equal(
      receiptWorth(bytes, price),
    );

    // Storage side: a host registers, deposits and stakes through the registry (a vault market).
    await send(host, btt, c.TestBTT.address, "approve", [c.EscrowVault.address, 500n * UNIT]);
    await send(host, vault, c.EscrowVault.address, "deposit", [500n * UNIT]);
    await send(host, vault, c.EscrowVault.address, "setMarketApproval", [c.HostRegistry.address, true]);
    await send(host, registry, c.HostRegistry.address, "setProfile", [
      [1n << 40n, UNIT, 276, "/dns/host.example/tcp/4001"],
    ]);
    await send(host, registry, c.HostRegistry.address, "stake", [300n * UNIT]);
    const stake = await call(owner, registry, c.HostRegistry.address, "stakeOf", [ht!.base58]);
    expect(stake.stake).to.equal(300n * UNIT);
    expect(await call(owner, vault, c.EscrowVault.address, "heldBy", [c.HostRegistry.address])).to.equal(300n * UNIT);
  });

  it("--reset redeploys everything; a step that runs out of energy stops with one clear error, and the next run resumes", async () => {
    const old = reg.contracts;
    // 400 TRX covers BTT, the vault and the registry but not StorageMarket (~670 TRX on the devnode).
    const failed = await run([TRONBOX, "migrate", "--network", "development", "--reset"], {
      ...env,
      FEE_LIMIT_TRX: "400",
    });
    expect(failed.code).to.equal(1);
    const error = `${failed.stdout}\n${failed.stderr}`.split("\n").filter((l) => l.startsWith("ERROR:"));
    expect(error).to.have.length(1);
    expect(error[0]).to.match(
      /StorageMarket: deployment failed: OUT_OF_ENERGY .*fee limit 400 TRX .*StorageMarket was not recorded/,
    );
    // The registry describes what is really deployed: the three new contracts, nothing else.
    const partial = readJson(registryFile);
    expect(Object.keys(partial.contracts)).to.have.members(["TestBTT", "EscrowVault", "HostRegistry"]);
    for (const k of ["TestBTT", "EscrowVault", "HostRegistry"])
      expect(partial.contracts[k].address).not.to.equal(old[k].address);
    expect(partial.wiring).to.deep.equal({});

    const resumed = await migrate();
    expect(resumed.code, resumed.stdout + resumed.stderr).to.equal(0);
    for (const k of ["TestBTT", "EscrowVault", "HostRegistry"])
      expect(resumed.stdout).to.include(`${k}: up to date at ${partial.contracts[k].address}`);
    for (const k of ["StorageMarket", "SpeedMarket"]) expect(resumed.stdout).to.match(new RegExp(`${k}: deployed at`));
    const full = readJson(registryFile);
    expect(Object.keys(full.contracts)).to.have.members(SUITE);
    expect(Object.keys(full.wiring)).to.have.length(5);
    const vault = hardhatArtifact("EscrowVault").abi;
    expect(
      await call(tw(0), vault, full.contracts.EscrowVault.address, "isMarket", [full.contracts.StorageMarket.hex]),
    ).to.equal(true);
    expect(await call(tw(0), vault, full.contracts.EscrowVault.address, "isMarket", [old.StorageMarket.hex])).to.equal(
      false,
    );
  });

  it("an existing BTT (mainnet's path): checked for code and 18 decimals, recorded as the token, nothing sent", async () => {
    const reg0 = readJson(registryFile);
    const withBtt = (btt: string, name: string) => {
      const edited = structuredClone(config);
      edited.networks.development.btt = btt;
      const file = path.join(dir, `${name}.cjs`);
      writeFileSync(file, `module.exports = ${JSON.stringify(edited)};\n`);
      return { ...env, BTTKIT_NETWORKS_CONFIG: file };
    };
    const height = await head();
    const noCode = await run(
      [TRONBOX, "migrate", "--network", "development"],
      withBtt(node.accounts[3]!.base58, "btt-eoa"),
    );
    expect(noCode.code).to.equal(1);
    expect(noCode.stderr).to.include(`ERROR: BTT: no contract at ${node.accounts[3]!.base58} on development`);
    // The TestBTT already deployed stands in for an existing TRC-20: the vault keeps its token.
    const ok = await run([TRONBOX, "migrate", "--network", "development"], withBtt(reg0.token.address, "btt-existing"));
    expect(ok.code, ok.stdout + ok.stderr).to.equal(0);
    expect(ok.stdout).to.include(`BTT: the existing TRC-20 at ${reg0.token.address} (nothing to deploy)`);
    expect(await head()).to.equal(height);
    const reg1 = readJson(registryFile);
    expect(reg1.token).to.deep.include({ name: "BTT", address: reg0.token.address, external: true, decimals: 18 });
    expect(reg1.contracts.EscrowVault.address).to.equal(reg0.contracts.EscrowVault.address);
  });

  it("a changed parameter redeploys its contract and re-wires; new pausers and an owner are added; then nothing again", async () => {
    const before = readJson(registryFile).contracts;
    const edited = structuredClone(config);
    edited.networks.development.speed = { minGrace: 600, maxGrace: 7 * 86_400 };
    edited.networks.development.pausers = ["deployer", node.accounts[2]!.base58];
    edited.networks.development.owner = node.accounts[1]!.base58;
    const file = path.join(dir, "edited.config.cjs");
    writeFileSync(file, `module.exports = ${JSON.stringify(edited)};\n`);
    const envEdited = { ...env, BTTKIT_NETWORKS_CONFIG: file };
    const r = await run([TRONBOX, "migrate", "--network", "development"], envEdited);
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.include("SpeedMarket: constructor arguments changed");
    const after = readJson(registryFile).contracts;
    for (const k of ["TestBTT", "EscrowVault", "HostRegistry", "StorageMarket"])
      expect(after[k].address).to.equal(before[k].address);
    expect(after.SpeedMarket.address).not.to.equal(before.SpeedMarket.address);
    expect(after.SpeedMarket.replaced.map((x: any) => x.address)).to.deep.equal([before.SpeedMarket.address]);
    const t = tw(0);
    const vault = hardhatArtifact("EscrowVault").abi;
    const speed = hardhatArtifact("SpeedMarket").abi;
    expect(await call(t, vault, after.EscrowVault.address, "isMarket", [after.SpeedMarket.hex])).to.equal(true);
    expect(await call(t, vault, after.EscrowVault.address, "isMarket", [before.SpeedMarket.hex])).to.equal(false);
    expect(await call(t, vault, after.EscrowVault.address, "isPauser", [node.accounts[2]!.base58])).to.equal(true);
    const grace = await call(t, speed, after.SpeedMarket.address, "graceBounds");
    expect([Number(grace[0]), Number(grace[1])]).to.deep.equal([600, 7 * 86_400]);
    for (const k of ["EscrowVault", "HostRegistry", "SpeedMarket"]) {
      const pending = await call(t, hardhatArtifact(k).abi, after[k].address, "pendingOwner");
      expect(TronWeb.address.fromHex(pending), k).to.equal(node.accounts[1]!.base58);
    }
    // And once more: nothing to do.
    const height = await head();
    const text = readFileSync(registryFile, "utf8");
    const again = await run([TRONBOX, "migrate", "--network", "development"], envEdited);
    expect(again.code, again.stdout + again.stderr).to.equal(0);
    expect(await head()).to.equal(height);
    expect(readFileSync(registryFile, "utf8")).to.equal(text);
  });
});
