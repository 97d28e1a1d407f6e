/**
 * Deployment addresses: `deployments/<network>.json`, written by the TronBox migrations, read
 * and validated here. A file looks like
 *
 * ```json
 * { "network": "nile", "chainId": 3448148188,
 *   "contracts": { "EscrowVault": { "address": "T...", "hex": "41...", "txId": "<64 hex>", "block": 123 } },
 *   "compiler": { "version": "0.8.29", ... }, "commit": "<git sha>" }
 * ```
 *
 * `hex` may be written as `41` hex or `0x` hex; it must be the same address as `address`.
 */
import { type Hex20, toBase58, toHex20 } from "./address.js";
import { DeploymentNotFoundError, InvalidArgumentError, InvalidDeploymentError } from "./errors.js";

/** Contracts the SDK knows by name. A deployment may hold others too. */
export type KnownContractName = "EscrowVault" | "HostRegistry" | "StorageMarket" | "SpeedMarket" | "TestBTT";

/** One contract of a deployment file, as written. */
export interface DeploymentFileContract {
  /** base58 `T...`. */
  address: string;
  /** `41` + 20 bytes hex (or `0x` + 20 bytes). */
  hex: string;
  /** The deployment transaction's id. */
  txId: string;
  /** The block it was deployed in. */
  block: number;
}

/** `deployments/<network>.json`, as written by the migrations. */
export interface DeploymentFile {
  network: string;
  chainId: number | string;
  contracts: Record<string, DeploymentFileContract>;
  /** The compiler settings used (solc version, optimizer, evmVersion), as the migrations record them. */
  compiler: string | Record<string, unknown>;
  /** The git commit deployed. */
  commit: string;
  /** The node the migrations deployed through. */
  fullHost?: string;
  /** The BTT token the vault holds: TestBTT where it was deployed, else the existing TRC-20. */
  token?: { name: string; address: string; hex: string; decimals: number; external: boolean } | null;
}

/** A validated contract entry. */
export interface DeployedContract {
  /** base58 `T...`. */
  address: `T${string}`;
  /** The same address as `0x` 20-byte hex (what the backends return). */
  hex: Hex20;
  txId: string;
  block: number;
}

/** A validated deployment. */
export interface Deployment {
  network: string;
  /** The chain id (`block.chainid`, low 4 bytes on TRON). */
  chainId: bigint;
  contracts: Readonly<Partial<Record<KnownContractName, DeployedContract>> & Record<string, DeployedContract>>;
  compiler: string | Readonly<Record<string, unknown>>;
  commit: string;
  /** The node URL recorded at deployment (`fullHost`), if any: the CLI's last fallback. */
  fullHost: string | undefined;
  /** The token the vault holds, if recorded. */
  token: Readonly<{ name: string; address: `T${string}`; hex: Hex20; decimals: number; external: boolean }> | undefined;
}

const NETWORK_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const TX_ID = /^(0x)?[0-9a-fA-F]{64}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

export function checkNetworkName(network: unknown): string {
  if (typeof network !== "string" || !NETWORK_NAME.test(network)) {
    throw new InvalidArgumentError(`Invalid network name: ${JSON.stringify(network)}`, {
      details: "letters, digits, '-' and '_' only",
    });
  }
  return network;
}

function parseChainId(value: unknown, source: string): bigint {
  try {
    if (typeof value === "number" && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
    if (typeof value === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(value)) return BigInt(value);
  } catch {
    // fall through
  }
  throw new InvalidDeploymentError(`Invalid deployment ${source}: bad chainId`, { details: JSON.stringify(value) });
}

function parseContract(name: string, value: unknown, source: string): DeployedContract {
  const where = `Invalid deployment ${source}: contracts.${name}`;
  if (!isObj(value)) throw new InvalidDeploymentError(`${where} is not an object`);
  const { address, hex, txId, block } = value;
  let base58: string;
  let hex20: Hex20;
  try {
    if (typeof address !== "string" || !address.startsWith("T")) throw new Error("address must be base58 T...");
    hex20 = toHex20(address);
    base58 = toBase58(address);
    if (typeof hex !== "string") throw new Error("hex is missing");
    if (toHex20(hex) !== hex20) throw new Error(`hex ${hex} is not the same address as ${address}`);
  } catch (error) {
    throw new InvalidDeploymentError(`${where} has a bad address`, {
      details: error instanceof Error ? error.message : String(error),
      cause: error,
    });
  }
  if (typeof txId !== "string" || !TX_ID.test(txId))
    throw new InvalidDeploymentError(`${where}.txId is not 32 bytes of hex`);
  if (typeof block !== "number" || !Number.isSafeInteger(block) || block < 0) {
    throw new InvalidDeploymentError(`${where}.block is not a block number`);
  }
  return Object.freeze({ address: base58 as `T${string}`, hex: hex20, txId: txId.replace(/^0x/, ""), block });
}

/**
 * Validates a deployment file's JSON. Throws `InvalidDeploymentError` naming the bad field, or
 * `DeploymentNotFoundError` when it is for another network than `expectedNetwork`.
 */
export function parseDeployment(json: unknown, expectedNetwork?: string): Deployment {
  const source = expectedNetwork === undefined ? "" : `for ${JSON.stringify(expectedNetwork)}`;
  if (!isObj(json)) throw new InvalidDeploymentError(`Invalid deployment ${source}: not a JSON object`);
  const { network, chainId, contracts, compiler, commit, fullHost, token } = json;
  if (typeof network !== "string" || network === "") {
    throw new InvalidDeploymentError(`Invalid deployment ${source}: network must be a string`);
  }
  if (expectedNetwork !== undefined && network !== expectedNetwork) {
    throw new DeploymentNotFoundError(expectedNetwork, undefined, {
      details: `the file is for network ${JSON.stringify(network)}`,
    });
  }
  if (!isObj(contracts)) throw new InvalidDeploymentError(`Invalid deployment ${source}: contracts must be an object`);
  if (typeof compiler !== "string" && !isObj(compiler)) {
    throw new InvalidDeploymentError(`Invalid deployment ${source}: compiler must be a string or an object`);
  }
  if (typeof commit !== "string")
    throw new InvalidDeploymentError(`Invalid deployment ${source}: commit must be a string`);
  if (fullHost !== undefined && (typeof fullHost !== "string" || !/^https?:\/\/./.test(fullHost))) {
    throw new InvalidDeploymentError(`Invalid deployment ${source}: fullHost must be an http(s) URL`);
  }
  const parsed: Record<string, DeployedContract> = {};
  for (const [name, value] of Object.entries(contracts)) parsed[name] = parseContract(name, value, source);
  return Object.freeze({
    network,
    chainId: parseChainId(chainId, source),
    contracts: Object.freeze(parsed),
    compiler: typeof compiler === "string" ? compiler : Object.freeze({ ...compiler }),
    commit,
    fullHost,
    token: parseToken(token, source),
  });
}

function parseToken(value: unknown, source: string): Deployment["token"] {
  if (value === undefined || value === null) return undefined;
  const where = `Invalid deployment ${source}: token`;
  if (!isObj(value)) throw new InvalidDeploymentError(`${where} is not an object`);
  const { name, decimals, external } = value;
  const { address, hex } = parseContract("token", { ...value, txId: "0".repeat(64), block: 0 }, source);
  if (typeof name !== "string") throw new InvalidDeploymentError(`${where}.name is not a string`);
  if (typeof decimals !== "number" || !Number.isInteger(decimals) || decimals < 0 || decimals > 77) {
    throw new InvalidDeploymentError(`${where}.decimals is not a number of decimals`);
  }
  return Object.freeze({ name, address, hex, decimals, external: external === true });
}

/** Where deployments come from: files, or memory in tests. */
export interface DeploymentSource {
  /** The deployment of `network`; `DeploymentNotFoundError` when there is none. */
  load(network: string): Promise<Deployment>;
}

/** Deployments held in memory, keyed by network name (validated when loaded). For tests and bundles. */
export function memoryDeployments(files: Readonly<Record<string, unknown>>): DeploymentSource {
  if (!isObj(files)) throw new InvalidArgumentError("memoryDeployments needs an object of network -> deployment");
  return {
    async load(network: string): Promise<Deployment> {
      const name = checkNetworkName(network);
      if (!Object.hasOwn(files, name)) throw new DeploymentNotFoundError(name);
      return parseDeployment(files[name], name);
    },
  };
}

/** The address of `contractName` in `deployment`; `DeploymentNotFoundError` when it is not there. */
export function deployedContract(
  deployment: Deployment,
  contractName: KnownContractName | (string & {}),
): DeployedContract {
  const entry = Object.hasOwn(deployment.contracts, contractName) ? deployment.contracts[contractName] : undefined;
  if (!entry) throw new DeploymentNotFoundError(deployment.network, contractName);
  return entry;
}
