/**
 * The speed client: a backend bound to one SpeedMarket, the vault it moves value through, and the
 * market's TIP-712 domain as the contract reports it (`eip712Domain()`), so receipts are always
 * signed for the right chain id and verifying contract. Actions take it as their first argument:
 * `openBid(client, {...})`.
 */
import { type Hex20, toHex20 } from "../address.js";
import type { AddressInput, Backend } from "../backend/types.js";
import { checkOptionalBigint, checkTimeout, DEFAULT_RECEIPT_TIMEOUT_MS } from "../backend/util.js";
import { type Contract, getContract } from "../contract.js";
import { type Deployment, deployedContract } from "../deployments.js";
import { InvalidArgumentError, NetworkMismatchError } from "../errors.js";
import { speedMarketAbi } from "../generated/abi/index.js";
import type { TypedDataDomain } from "../tip712.js";
import { createVaultClient, type VaultClient } from "../vault/client.js";
import { SPEED_DOMAIN_NAME } from "./receipt.js";

export interface SpeedClient {
  readonly backend: Backend;
  /** Typed handle on the SpeedMarket. */
  readonly market: Contract<typeof speedMarketAbi>;
  /** The vault the market commits budgets from and pays earnings into. */
  readonly vault: VaultClient;
  /** The chain id checked at creation. */
  readonly chainId: bigint;
  /** The market's TIP-712 domain, read from `eip712Domain()` at creation. */
  readonly domain: Readonly<TypedDataDomain>;
  /** The deployment the addresses came from, if any. */
  readonly deployment: Deployment | undefined;
  /** How long actions wait for a receipt (ms). */
  readonly timeoutMs: number;
  /** Fee limit for writes (TRON, sun); `undefined` = the backend's default. */
  readonly feeLimit: bigint | undefined;
}

export interface CreateSpeedClientParameters {
  backend: Backend;
  /** Where the market is: a loaded deployment (its chain id is checked against the backend's)... */
  deployment?: Deployment;
  /** ...or the market's address. */
  address?: AddressInput;
  /** With `address`: the chain id to insist on (checked against the backend's). */
  chainId?: bigint;
  /**
   * The vault: a client made with `createVaultClient` (it must be the market's vault), or its
   * address. Default: `market.vault()`.
   */
  vault?: VaultClient | AddressInput;
  /** Receipt timeout for actions (default 60 s). */
  timeoutMs?: number;
  /** Fee limit for writes, in sun (TRON). */
  feeLimit?: bigint;
}

const isVaultClient = (v: unknown): v is VaultClient =>
  typeof v === "object" &&
  v !== null &&
  typeof (v as VaultClient).vault === "object" &&
  (v as VaultClient).vault !== null;

/**
 * Binds a backend to a SpeedMarket. Rejects with `NetworkMismatchError` when the backend is on
 * another chain than the deployment, `DeploymentNotFoundError` when the deployment has no
 * SpeedMarket, `InvalidArgumentError` when `vault` is not the market's vault or the address is
 * not a SpeedMarket (its `eip712Domain()` names another contract).
 */
export async function createSpeedClient(parameters: CreateSpeedClientParameters): Promise<SpeedClient> {
  if (typeof parameters !== "object" || parameters === null) {
    throw new InvalidArgumentError("createSpeedClient needs parameters");
  }
  const { backend, deployment, address } = parameters;
  if (typeof backend !== "object" || backend === null || typeof backend.chainId !== "function") {
    throw new InvalidArgumentError("createSpeedClient needs a Backend");
  }
  if ((deployment === undefined) === (address === undefined)) {
    throw new InvalidArgumentError("createSpeedClient needs exactly one of deployment and address");
  }
  const timeoutMs = checkTimeout(parameters.timeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
  const feeLimit = checkOptionalBigint(parameters.feeLimit, "feeLimit");
  const marketAddress: AddressInput = deployment
    ? deployedContract(deployment, "SpeedMarket").hex
    : (address as AddressInput);
  const market = getContract({ backend, address: marketAddress, abi: speedMarketAbi });
  const expected = deployment ? deployment.chainId : parameters.chainId;
  const chainId = await backend.chainId();
  if (expected !== undefined && chainId !== expected) {
    throw new NetworkMismatchError(expected, chainId, deployment ? `deployment ${deployment.network}` : undefined);
  }
  const [marketVault, domainWords] = await Promise.all([market.read.vault(), market.read.eip712Domain()]);
  const [, name, version, domainChainId, verifyingContract] = domainWords;
  if (name !== SPEED_DOMAIN_NAME) {
    throw new InvalidArgumentError(`${market.address} is not a SpeedMarket`, {
      details: `its eip712Domain() names ${JSON.stringify(name)}`,
    });
  }
  let vault: VaultClient;
  if (isVaultClient(parameters.vault)) {
    vault = parameters.vault;
    if (vault.backend !== backend) throw new InvalidArgumentError("The vault client must use the same backend");
  } else {
    const vaultAddress = parameters.vault === undefined ? marketVault : toHex20(parameters.vault);
    vault = await createVaultClient({
      backend,
      address: vaultAddress,
      chainId,
      timeoutMs,
      ...(feeLimit !== undefined ? { feeLimit } : {}),
    });
  }
  if (vault.vault.address !== marketVault) {
    throw new InvalidArgumentError(`The vault ${vault.vault.address} is not the market's vault`, {
      details: `market ${market.address} uses ${marketVault}`,
    });
  }
  const domain: TypedDataDomain = Object.freeze({
    name,
    version,
    chainId: domainChainId,
    verifyingContract: toHex20(verifyingContract),
  });
  return Object.freeze({ backend, market, vault, chainId, domain, deployment, timeoutMs, feeLimit });
}

/** The market's address (`0x` hex). */
export function marketAddress(client: SpeedClient): Hex20 {
  return client.market.address;
}
