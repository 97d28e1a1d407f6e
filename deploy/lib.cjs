// The machinery behind bttkit's TronBox migrations (migrations/*.js): configuration checks, the
// deployment registry (deployments/<network>.json) and idempotent steps.
//
// TronBox runs migrations in a vm sandbox with CommonJS `require`; this file is CommonJS (.cjs)
// so that both the sandbox and ESM scripts (scripts/deploy.ts) load it the same way.
//
// Idempotence is bttkit's own, not TronBox's: the project has no `Migrations` contract, so
// TronBox runs every migration on every `migrate`, and each step decides from the registry and
// the chain whether there is anything to do:
// - a contract is reused when the registry records it, code exists at that address (getcontract)
//   and it was deployed with the same constructor arguments; otherwise it is deployed;
// - wiring (authorisations, pausers, ownership) is read on chain and only a missing part is sent;
// - `--reset` (and `tronbox test`, which migrates with reset) ignores the registry and
//   redeploys everything.
// The registry is written after every successful step, so a run that fails half-way leaves a
// file that describes what is really deployed.
"use strict";

const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..");
const TRONBOX_NETWORK_KEYS = { development: "PRIVATE_KEY_DEVELOPMENT", nile: "PRIVATE_KEY_NILE", shasta: "PRIVATE_KEY_SHASTA", mainnet: "PRIVATE_KEY_MAINNET" };
const MAX_GRACE = 2 ** 24 - 1;
/** SpeedMarket's shortest allowed grace period (its _MIN_GRACE): a seeder's time to redeem after a close. */
const MIN_GRACE = 600;
const BPS = 10_000;

// ---------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------

/** deploy/networks.config.cjs, or the file BTTKIT_NETWORKS_CONFIG names (tests, forks). */
function configPath() {
  return path.resolve(ROOT, process.env.BTTKIT_NETWORKS_CONFIG || "deploy/networks.config.cjs");
}

function loadConfigFile() {
  const file = configPath();
  delete require.cache[file];
  return { file: shown(file), config: require(file) };
}

/** tronbox.js's networks (an ES module; Node 22's require() returns its "module.exports" export). */
function tronboxNetworks() {
  const tronbox = require(path.join(ROOT, "tronbox.js"));
  return (tronbox.default ?? tronbox).networks;
}

function isAddress(value) {
  const { TronWeb } = require("tronweb");
  return typeof value === "string" && TronWeb.isAddress(value);
}

/**
 * The merged configuration of `network`, or throws a ConfigError with one line that says what
 * is wrong and where to fix it. Touches no network.
 */
function networkConfig(network, { requireKey = true } = {}) {
  const { file, config } = loadConfigFile();
  const tb = tronboxNetworks();
  const known = Object.keys(config.networks ?? {}).filter((n) => tb[n]);
  if (!network || !config.networks?.[network] || !tb[network]) {
    throw new ConfigError(`Unknown network "${network}": use one of ${known.join(", ")} (tronbox.js and ${file}).`);
  }
  const n = config.networks[network];
  const d = config.defaults ?? {};
  const c = {
    network,
    file,
    chainId: n.chainId,
    btt: n.btt !== undefined ? n.btt : (d.btt ?? null),
    registry: { ...d.registry, ...n.registry },
    storage: { ...d.storage, ...n.storage },
    speed: { ...d.speed, ...n.speed },
    pausers: n.pausers ?? d.pausers ?? [],
    owner: n.owner !== undefined ? n.owner : (d.owner ?? null),
    fullHost: tb[network].fullHost,
    feeLimit: tb[network].feeLimit,
    userFeePercentage: tb[network].userFeePercentage,
    originEnergyLimit: tb[network].originEnergyLimit,
  };
  const where = `${file} (networks.${network})`;
  if (requireKey) {
    const envName = TRONBOX_NETWORK_KEYS[network] ?? `PRIVATE_KEY_${network.toUpperCase()}`;
    const pk = tb[network].privateKey;
    if (!pk) throw new ConfigError(`${envName} is not set: export the deploying account's private key to deploy to ${network} (see .env.example).`);
    if (!/^(0x)?[0-9a-fA-F]{64}$/.test(pk)) throw new ConfigError(`${envName} is not a private key (64 hex characters expected).`);
  }
  if (network === "mainnet" && !c.btt) {
    throw new ConfigError(`mainnet has no BTT address: set networks.mainnet.btt in ${file} to the TRC-20 BTT (TAFjULxiVgT4qWk6UZwjqwZXTSaGaqnVp4); bttkit never deploys a test BTT on mainnet.`);
  }
  if (c.btt !== null && !isAddress(c.btt)) throw new ConfigError(`BTT address "${c.btt}" in ${where} is not a TRON address.`);
  if (!Number.isInteger(c.chainId) || c.chainId <= 0 || c.chainId > 0xffffffff) throw new ConfigError(`chainId in ${where} must be block.chainid & 0xffffffff.`);
  const u = c.registry.unbondingDelay;
  if (!Number.isInteger(u) || u <= 0 || u > 365 * 86_400) throw new ConfigError(`registry.unbondingDelay in ${where} must be 1 second to 365 days, got ${u}.`);
  const s = c.storage;
  const int = (v, lo, hi) => Number.isInteger(v) && v >= lo && v <= hi;
  if (!int(s.responseWindow, 1, 2 ** 32 - 1)) throw new ConfigError(`storage.responseWindow in ${where} must be 1..2^32-1 seconds.`);
  if (!int(s.seedDelay, 1, 128)) throw new ConfigError(`storage.seedDelay in ${where} must be 1..128 blocks.`);
  if (!int(s.missesToLose, 1, 255)) throw new ConfigError(`storage.missesToLose in ${where} must be 1..255.`);
  for (const k of ["withheldBps", "slashBps", "tenantSlashBps"]) {
    if (!int(s[k], 0, BPS)) throw new ConfigError(`storage.${k} in ${where} must be 0..10000 basis points.`);
  }
  const g = c.speed;
  if (!int(g.minGrace, MIN_GRACE, MAX_GRACE) || !int(g.maxGrace, g.minGrace, MAX_GRACE)) {
    throw new ConfigError(
      `speed grace bounds in ${where} must satisfy ${MIN_GRACE} <= minGrace <= maxGrace <= ${MAX_GRACE}.`,
    );
  }
  for (const p of c.pausers) {
    if (p !== "deployer" && !isAddress(p)) throw new ConfigError(`pauser "${p}" in ${where} is not a TRON address.`);
  }
  if (c.owner !== null && !isAddress(c.owner)) throw new ConfigError(`owner "${c.owner}" in ${where} is not a TRON address.`);
  return c;
}

class ConfigError extends Error {}

// ---------------------------------------------------------------------------------------------
// Facts recorded with a deployment
// ---------------------------------------------------------------------------------------------

function gitCommit() {
  try {
    const commit = execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim();
    let dirty = null;
    try {
      dirty = execFileSync("git", ["status", "--porcelain", "--", "contracts"], { cwd: ROOT, stdio: ["ignore", "pipe", "ignore"] }).toString().trim() !== "";
    } catch {}
    return { commit, contractsDirty: dirty };
  } catch {
    return { commit: null, contractsDirty: null };
  }
}

/** compiler.config.js's settings, TronBox's version and which solc TronBox actually has. */
function compilerInfo() {
  const { SOLC_VERSION, SOLC_SETTINGS } = require(path.join(ROOT, "compiler.config.js"));
  let tronbox = null;
  try {
    tronbox = require("tronbox/package.json").version;
  } catch {}
  let solcBuild = "unknown";
  try {
    const cached = path.join(os.homedir(), ".tronbox", "solc", `soljson_v${SOLC_VERSION}.js`);
    const npm = require.resolve("solc/soljson.js");
    if (fs.existsSync(cached)) {
      solcBuild = fs.statSync(cached).size === fs.statSync(npm).size
        ? "upstream solc from the npm solc package (seeded offline, not TRON's fork)"
        : "TRON's solc fork (downloaded by TronBox)";
    }
  } catch {}
  return { solc: SOLC_VERSION, settings: SOLC_SETTINGS, tronbox, solcBuild };
}

// ---------------------------------------------------------------------------------------------
// The registry
// ---------------------------------------------------------------------------------------------

function deploymentsDir() {
  return path.resolve(ROOT, process.env.BTTKIT_DEPLOYMENTS_DIR || "deployments");
}

function registryPath(network) {
  return path.join(deploymentsDir(), `${network}.json`);
}

/** A path for messages: relative to the project when inside it. */
function shown(file) {
  const rel = path.relative(ROOT, file);
  return rel.startsWith("..") ? file : rel;
}

function readRegistry(network) {
  const file = registryPath(network);
  if (!fs.existsSync(file)) return null;
  return JSON.parse(fs.readFileSync(file, "utf8"));
}

/** Module state shared by the migrations of one TronBox process (they share require's cache). */
const session = { resetDone: false };

const fmt = (n) => (n === null || n === undefined ? "?" : Number(n).toLocaleString("en-US"));
const trx = (sun) => (sun === null || sun === undefined ? "?" : `${(Number(sun) / 1e6).toLocaleString("en-US", { maximumFractionDigits: 3 })} TRX`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const strip0x = (h) => String(h).replace(/^0x/, "").toLowerCase();

function log(line) {
  console.log(`  [bttkit] ${line}`);
}

class Deployment {
  /**
   * Called at the top of every migration:
   * `const d = await Deployment.open({ deployer, network, tronWeb, artifacts });`
   */
  static async open({ deployer, network, tronWeb, artifacts }) {
    const config = networkConfig(network, { requireKey: false });
    const reset = Boolean(deployer?.options?.options?.reset) || process.argv.includes("--reset");
    const d = new Deployment(config, tronWeb, artifacts, deployer);
    if (reset && !session.resetDone) {
      session.resetDone = true;
      log(`--reset: ignoring ${shown(registryPath(network))} and deploying everything again`);
      d.registry = d.emptyRegistry();
    } else {
      session.resetDone = true;
      d.registry = readRegistry(network) ?? d.emptyRegistry();
      if (d.registry.network !== network) throw new Error(`${registryPath(network)} is for network "${d.registry.network}", not "${network}".`);
    }
    await d.init();
    return d;
  }

  constructor(config, tronWeb, artifacts, deployer) {
    this.config = config;
    this.network = config.network;
    this.tronWeb = tronWeb;
    this.artifacts = artifacts;
    this.deployer = deployer;
  }

  emptyRegistry() {
    return { network: this.network, chainId: this.config.chainId, contracts: {}, wiring: {} };
  }

  async init() {
    const tw = this.tronWeb;
    // TronBox reads a local node's funded keys lazily; make sure the default account is set.
    if (typeof tw._getAccounts === "function") await tw._getAccounts();
    this.from = tw.defaultAddress.base58;
    this.fromHex = tw.defaultAddress.hex;
    this.chainId = this.config.chainId;
    if (this.network === "development") {
      // The devnode answers its own chain id (devnode extension of /tre).
      try {
        const res = await fetch(`${this.nodeUrl()}/tre`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
        });
        const { result } = await res.json();
        if (result) this.chainId = Number(BigInt(result) & 0xffffffffn);
      } catch {}
    }
    this.registry.chainId = this.chainId;
  }

  nodeUrl() {
    return String(this.tronWeb.fullNode.host).replace(/\/$/, "");
  }

  // --- chain access -------------------------------------------------------------------------

  async post(route, body) {
    return this.tronWeb.fullNode.request(route, body, "post");
  }

  /** getcontract at a 41-hex address: the contract, or null when there is no code there. */
  async getContract(hex) {
    const c = await this.post("wallet/getcontract", { value: hex, visible: false });
    return c?.contract_address ? c : null;
  }

  async headBlock() {
    const b = await this.post("wallet/getnowblock", {});
    return b?.block_header?.raw_data?.number ?? 0;
  }

  /** Waits for a transaction's info (fullnode, not solidified), up to `timeoutMs`. */
  async txInfo(txId, timeoutMs = 90_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const info = await this.post("wallet/gettransactioninfobyid", { value: txId });
      if (info?.id) return info;
      if (Date.now() > deadline) throw new Error(`transaction ${txId} was not confirmed within ${timeoutMs / 1000} s; check it on the explorer before running again.`);
      await sleep(this.network === "development" ? 100 : 1_500);
    }
  }

  describeFailure(info) {
    const r = info?.receipt?.result ?? info?.result ?? "FAILED";
    let msg = "";
    try {
      if (info?.resMessage) msg = Buffer.from(info.resMessage, "hex").toString("utf8");
    } catch {}
    const energy = info?.receipt?.energy_usage_total;
    return `${r}${msg ? ` (${msg})` : ""}${energy !== undefined ? `, energy used ${fmt(energy)}` : ""}`;
  }

  feeHint() {
    return `fee limit ${trx(this.config.feeLimit)} (tronbox.js networks.${this.network}.feeLimit, or FEE_LIMIT_TRX)`;
  }

  /** Read-only call of `signature` (e.g. "isMarket(address)") returning the raw 32-byte words. */
  async read(hex, signature, params = []) {
    const res = await this.tronWeb.transactionBuilder.triggerConstantContract(hex, signature, {}, params, this.fromHex);
    if (!res?.result?.result || !res.constant_result) throw new Error(`${signature} on ${hex} failed: ${JSON.stringify(res?.result)}`);
    return res.constant_result[0];
  }

  async readBool(hex, signature, params) {
    return BigInt(`0x${(await this.read(hex, signature, params)) || "0"}`) !== 0n;
  }

  async readAddress(hex, signature, params) {
    const word = await this.read(hex, signature, params);
    return `41${word.slice(24, 64)}`.toLowerCase();
  }

  /** Signs and sends one contract call from the deployer and waits until it succeeded. */
  async send(hex, signature, params, label) {
    const tw = this.tronWeb;
    const built = await tw.transactionBuilder.triggerSmartContract(hex, signature, { feeLimit: this.config.feeLimit }, params, this.fromHex);
    if (!built?.result?.result) throw new Error(`${label}: the node refused to build the transaction: ${JSON.stringify(built?.result)}`);
    const signed = await tw.trx.sign(built.transaction);
    const res = await tw.trx.sendRawTransaction(signed);
    if (!res?.result) {
      const m = res?.message ? Buffer.from(res.message, "hex").toString("utf8") : "";
      throw new Error(`${label}: broadcast refused: ${res?.code ?? "unknown"}${m ? ` (${m})` : ""}`);
    }
    const info = await this.txInfo(signed.txID);
    if (info.receipt?.result !== "SUCCESS") {
      throw new Error(`${label} failed: ${this.describeFailure(info)}; tx ${signed.txID}, ${this.feeHint()}.`);
    }
    return { txId: signed.txID, block: info.blockNumber, energy: info.receipt.energy_usage_total ?? 0, fee: info.fee ?? 0 };
  }

  // --- registry -----------------------------------------------------------------------------

  contract(key) {
    const entry = this.registry.contracts[key];
    if (!entry) throw new Error(`${key} is not deployed on ${this.network} (${shown(registryPath(this.network))}); run the earlier migrations first.`);
    return entry;
  }

  /** Writes the registry when its content changed; `changed` also stamps commit and compiler. */
  save(changed) {
    const r = this.registry;
    if (changed) {
      const { commit, contractsDirty } = gitCommit();
      r.commit = commit ?? "unknown"; // the SDK wants a string; "unknown" outside a git checkout
      r.contractsDirty = contractsDirty;
      r.compiler = compilerInfo();
      r.deployer = { address: this.from, hex: this.fromHex };
      r.updatedAt = new Date().toISOString();
    }
    const ordered = {
      network: r.network,
      chainId: r.chainId,
      fullHost: this.config.fullHost,
      explorer: explorerOf(this.network),
      token: r.token ?? null,
      contracts: r.contracts,
      wiring: r.wiring,
      parameters: {
        registry: this.config.registry,
        storage: this.config.storage,
        speed: this.config.speed,
        pausers: this.config.pausers,
        owner: this.config.owner,
      },
      deployer: r.deployer ?? null,
      compiler: r.compiler ?? null,
      commit: r.commit ?? "unknown",
      contractsDirty: r.contractsDirty ?? null,
      updatedAt: r.updatedAt ?? null,
    };
    const text = `${JSON.stringify(ordered, null, 2)}\n`;
    const file = registryPath(this.network);
    const old = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : null;
    if (old === text) return;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  }

  addressEntry(hex) {
    const h = hex.toLowerCase();
    return { address: this.tronWeb.address.fromHex(h), hex: h, evm: `0x${h.slice(2)}` };
  }

  // --- steps --------------------------------------------------------------------------------

  /**
   * Deploys `artifactName` as `key` with `args`, unless the registry records a deployment with
   * the same arguments and code still exists at its address.
   */
  async ensureDeployed(key, artifactName, args) {
    const Artifact = this.artifacts.require(artifactName);
    const argsJson = JSON.parse(JSON.stringify(args, (_k, v) => (typeof v === "bigint" ? v.toString() : v)));
    const previous = this.registry.contracts[key];
    if (previous) {
      const onChain = await this.getContract(previous.hex);
      if (!onChain) {
        log(`${key}: no code at the recorded ${previous.address} (a new chain?): deploying again`);
      } else if (JSON.stringify(previous.args) !== JSON.stringify(argsJson)) {
        log(`${key}: constructor arguments changed (${JSON.stringify(previous.args)} -> ${JSON.stringify(argsJson)}): deploying again`);
      } else {
        if (!strip0x(onChain.bytecode).startsWith(strip0x(Artifact.bytecode))) {
          log(`${key}: WARNING the code at ${previous.address} differs from the current build; run with --reset to redeploy`);
        }
        try {
          Artifact.address = previous.hex;
        } catch {}
        log(`${key}: up to date at ${previous.address} (no transaction)`);
        return previous;
      }
    }
    let txId;
    let address;
    try {
      const instance = await this.deployer.deploy(Artifact, ...args, {
        feeLimit: this.config.feeLimit,
        originEnergyLimit: this.config.originEnergyLimit,
        userFeePercentage: this.config.userFeePercentage,
      });
      txId = instance.transactionHash;
      address = instance.address;
    } catch (e) {
      // TronBox gives up when getcontract does not show the contract within ~5 s; on a slow
      // testnet the transaction may still succeed, so ask the chain before calling it failed.
      const plain = require("node:util").stripVTControlCharacters(typeof e === "string" ? e : (e?.message ?? String(e)));
      txId = plain.match(/value=([0-9a-fA-F]{64})/)?.[1];
      if (!txId) throw new Error(`${key}: deployment failed: ${plain.split("\n")[0]} ${this.notRecorded(key)}`);
      let info;
      try {
        info = await this.txInfo(txId, this.network === "development" ? 5_000 : 90_000);
      } catch {
        throw new Error(`${key}: deployment not confirmed: tx ${txId} is not in a block yet; check it on the explorer, then run again. ${this.notRecorded(key)}`);
      }
      if (info.receipt?.result !== "SUCCESS" || !info.contract_address) {
        throw new Error(`${key}: deployment failed: ${this.describeFailure(info)}; tx ${txId}, ${this.feeHint()}. ${this.notRecorded(key)}`);
      }
      address = info.contract_address;
      try {
        Artifact.address = address;
      } catch {}
      log(`${key}: TronBox timed out waiting, but tx ${txId} deployed it`);
    }
    const info = await this.txInfo(txId);
    if (info.receipt?.result !== "SUCCESS") {
      throw new Error(`${key}: deployment failed: ${this.describeFailure(info)}; tx ${txId}, ${this.feeHint()}. ${this.notRecorded(key)}`);
    }
    const entry = {
      contractName: Artifact.contractName,
      ...this.addressEntry(address),
      txId,
      block: info.blockNumber,
      energy: info.receipt.energy_usage_total ?? 0,
      fee: info.fee ?? 0,
      args: argsJson,
      deployedAt: new Date((info.blockTimeStamp ?? Date.now())).toISOString(),
      commit: gitCommit().commit ?? "unknown",
    };
    if (previous) entry.replaced = [...(previous.replaced ?? []), { address: previous.address, hex: previous.hex, txId: previous.txId }];
    this.registry.contracts[key] = entry;
    this.save(true);
    log(`${key}: deployed at ${entry.address} (${entry.hex}), energy ${fmt(entry.energy)}, fee ${trx(entry.fee)}, tx ${txId}, block ${entry.block}`);
    return entry;
  }

  notRecorded(key) {
    return `${key} was not recorded; ${shown(registryPath(this.network))} lists what is deployed. Fix the cause and run the same command again: finished steps are skipped.`;
  }

  /**
   * Records the token the vault holds in the registry's top-level `token` (`contracts` lists only
   * what a transaction of this deployment created, each with its txId and block): mainnet's
   * existing BTT after checking its code and decimals, or the TestBTT deployed in `contracts`.
   */
  async ensureToken({ external, contractKey, decimals = 18 }) {
    let entry;
    if (external) {
      const hex = this.tronWeb.address.toHex(external).toLowerCase();
      if (!(await this.getContract(hex))) throw new Error(`BTT: no contract at ${external} on ${this.network}; check btt in ${this.config.file}.`);
      const d = Number(BigInt(`0x${(await this.read(hex, "decimals()")) || "0"}`));
      if (d !== decimals) throw new Error(`BTT: ${external} has ${d} decimals, expected ${decimals}.`);
      entry = { name: "BTT", ...this.addressEntry(hex), decimals, external: true };
    } else {
      const c = this.contract(contractKey);
      entry = { name: contractKey, address: c.address, hex: c.hex, evm: c.evm, decimals, external: false };
    }
    if (JSON.stringify(this.registry.token) !== JSON.stringify(entry)) {
      this.registry.token = entry;
      this.save(true);
    }
    if (external) log(`BTT: the existing TRC-20 at ${external} (nothing to deploy)`);
    return entry;
  }

  token() {
    if (!this.registry.token) throw new Error(`No BTT recorded for ${this.network}; run migration 1 first.`);
    return this.registry.token;
  }

  /** Records a contract another one created in its constructor (StorageMarket's hosting body). */
  recordCreated(key, contractName, hex, creatorKey) {
    const creator = this.contract(creatorKey);
    const entry = { contractName, ...this.addressEntry(hex), createdBy: creatorKey, txId: creator.txId, block: creator.block };
    if (JSON.stringify(this.registry.contracts[key]) === JSON.stringify(entry)) return entry;
    this.registry.contracts[key] = entry;
    this.save(true);
    return entry;
  }

  /**
   * One wiring step: `isDone()` reads the chain; when it says no, `signature(params)` is sent to
   * `key`'s contract and the chain is read again.
   */
  async ensureState(label, key, isDone, signature, params) {
    if (await isDone()) {
      log(`${label}: already set (no transaction)`);
      return;
    }
    const r = await this.send(this.contract(key).hex, signature, params, label);
    if (!(await isDone())) throw new Error(`${label}: the transaction ${r.txId} succeeded but the chain still does not show the change.`);
    this.registry.wiring[label] = r;
    this.save(true);
    log(`${label}: done, energy ${fmt(r.energy)}, tx ${r.txId}, block ${r.block}`);
  }

  /** Resolves "deployer" and base58 addresses to 41-hex. */
  hexOf(address) {
    return address === "deployer" ? this.fromHex.toLowerCase() : this.tronWeb.address.toHex(address).toLowerCase();
  }
}

function explorerOf(network) {
  return { nile: "https://nile.tronscan.org", shasta: "https://shasta.tronscan.org", mainnet: "https://tronscan.org" }[network] ?? null;
}

module.exports = { Deployment, ConfigError, networkConfig, registryPath, readRegistry, shown, deploymentsDir, compilerInfo, gitCommit, ROOT };
