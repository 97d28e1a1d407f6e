/**
 * The storage client: a backend bound to one StorageMarket (IStorageMarket and IStorageHosting,
 * answered at the same address), its HostRegistry and its vault, with the market's TIP-712 domain
 * and fixed rules read once at creation, and a `DealTracker` that keeps the shard records the
 * market does not store. Actions take it as their first argument: `openDeal(client, {...})`.
 */
import { type Hex20, toHex20 } from "../address.js";
import type { AddressInput, Backend, FunctionResult } from "../backend/types.js";
import { checkOptionalBigint, checkTimeout, DEFAULT_RECEIPT_TIMEOUT_MS } from "../backend/util.js";
import { type Contract, getContract } from "../contract.js";
import { type Deployment, deployedContract } from "../deployments.js";
import { InvalidArgumentError, NetworkMismatchError } from "../errors.js";
import { hostRegistryAbi, iStorageHostingAbi, storageMarketAbi } from "../generated/abi/index.js";
import type { TypedDataDomain } from "../tip712.js";
import { createVaultClient, type VaultClient } from "../vault/client.js";
import { STORAGE_MARKET_NAME } from "./offer.js";
import { DealTracker } from "./tracker.js";

/** IStorageMarket and IStorageHosting together: what the market's address answers. */
export const storageClientAbi = [...storageMarketAbi, ...iStorageHostingAbi] as const;

/** The market's fixed rules (`config()`). */
export type MarketConfig = FunctionResult<typeof storageMarketAbi, "config">;

export interface StorageClient {
  readonly backend: Backend;
  /** Typed handle on the StorageMarket, hosting functions (claim, repairShard, exitShard) included. */
  readonly market: Contract<typeof storageClientAbi>;
  /** Typed handle on the HostRegistry the market works with. */
  readonly registry: Contract<typeof hostRegistryAbi>;
  /** The vault the market and the registry move value through. */
  readonly vault: VaultClient;
  /** The chain id checked at creation. */
  readonly chainId: bigint;
  /** The market's TIP-712 domain, from `eip712Domain()`. */
  readonly domain: Readonly<TypedDataDomain>;
  /** The market's fixed rules, from `config()`. */
  readonly config: Readonly<MarketConfig>;
  /** The first block event scans start from (the market's deployment block, else 0). */
  readonly fromBlock: bigint;
  /** Shard records per deal, rebuilt from `ShardsUpdated` and fed by every action's receipt. */
  readonly tracker: DealTracker;
  readonly deployment: Deployment | undefined;
  /** How long actions wait for a receipt (ms). */
  readonly timeoutMs: number;
  /** Fee limit for writes (TRON, sun); `undefined` = the backend's default. */
  readonly feeLimit: bigint | undefined;
}

export interface CreateStorageClientParameters {
  backend: Backend;
  /** Where the market is: a loaded deployment (its chain id is checked against the backend's)... */
  deployment?: Deployment;
  /** ...or the market's address. */
  address?: AddressInput;
  /** With `address`: the chain id to insist on. */
  chainId?: bigint;
  /** First block of event scans; default the deployment's block of StorageMarket, else 0. */
  fromBlock?: bigint;
  /** Receipt timeout for actions (default 60 s). */
  timeoutMs?: number;
  /** Fee limit for writes, in sun (TRON). */
  feeLimit?: bigint;
}

/**
 * Binds a backend to a StorageMarket, reading its registry, vault, domain and rules. Rejects with
 * `NetworkMismatchError` (other chain), `DeploymentNotFoundError` (no StorageMarket in the
 * deployment), `InvalidArgumentError` (bad parameters, or the address is not a StorageMarket).
 */
export async function createStorageClient(parameters: CreateStorageClientParameters): Promise<StorageClient> {
  if (typeof parameters !== "object" || parameters === null) {
    throw new InvalidArgumentError("createStorageClient needs parameters");
  }
  const { backend, deployment, address } = parameters;
  if (typeof backend !== "object" || backend === null || typeof backend.chainId !== "function") {
    throw new InvalidArgumentError("createStorageClient needs a Backend");
  }
  if ((deployment === undefined) === (address === undefined)) {
    throw new InvalidArgumentError("createStorageClient needs exactly one of deployment and address");
  }
  const timeoutMs = checkTimeout(parameters.timeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
  const feeLimit = checkOptionalBigint(parameters.feeLimit, "feeLimit");
  const entry = deployment ? deployedContract(deployment, "StorageMarket") : undefined;
  const fromBlock = checkOptionalBigint(parameters.fromBlock, "fromBlock") ?? (entry ? BigInt(entry.block) : 0n);
  const market = getContract({
    backend,
    address: entry ? entry.hex : (address as AddressInput),
    abi: storageClientAbi,
  });
  const expected = deployment ? deployment.chainId : parameters.chainId;
  const chainId = await backend.chainId();
  if (expected !== undefined && chainId !== expected) {
    throw new NetworkMismatchError(expected, chainId, deployment ? `deployment ${deployment.network}` : undefined);
  }
  const [domainWords, registryAddress, vaultAddress, config] = await Promise.all([
    market.read.eip712Domain(),
    market.read.registry(),
    market.read.vault(),
    market.read.config(),
  ]);
  const [, name, version, domainChainId, verifyingContract] = domainWords;
  if (name !== STORAGE_MARKET_NAME) {
    throw new InvalidArgumentError(`${market.address} is not a StorageMarket`, {
      details: `its eip712Domain() names ${JSON.stringify(name)}`,
    });
  }
  const registry = getContract({ backend, address: registryAddress, abi: hostRegistryAbi });
  const vault = await createVaultClient({
    backend,
    address: vaultAddress,
    chainId,
    timeoutMs,
    ...(feeLimit !== undefined ? { feeLimit } : {}),
  });
  const domain: TypedDataDomain = Object.freeze({
    name,
    version,
    chainId: domainChainId,
    verifyingContract: toHex20(verifyingContract),
  });
  const tracker = new DealTracker({ backend, market: market.address, fromBlock });
  return Object.freeze({
    backend,
    market,
    registry,
    vault,
    chainId,
    domain,
    config: Object.freeze({ ...config }),
    fromBlock,
    tracker,
    deployment,
    timeoutMs,
    feeLimit,
  });
}

/** The market's address (`0x` hex). */
export function storageMarketAddress(client: StorageClient): Hex20 {
  return client.market.address;
}
