/**
 * The vault client: a backend bound to one EscrowVault and its token, on a checked network.
 * Actions take it as their first argument: `deposit(client, {amount})`.
 */
import type { Hex20 } from "../address.js";
import { trc20Abi } from "../backend/abi.js";
import type { AddressInput, Backend } from "../backend/types.js";
import { checkOptionalBigint, checkTimeout, DEFAULT_RECEIPT_TIMEOUT_MS } from "../backend/util.js";
import { type Contract, getContract } from "../contract.js";
import { type Deployment, deployedContract } from "../deployments.js";
import { InvalidArgumentError, NetworkMismatchError } from "../errors.js";
import { escrowVaultAbi } from "../generated/abi/index.js";

export interface VaultClient {
  readonly backend: Backend;
  /** Typed handle on the EscrowVault. */
  readonly vault: Contract<typeof escrowVaultAbi>;
  /** Typed handle on the vault's token (BTT, a TRC-20). */
  readonly token: Contract<typeof trc20Abi>;
  /** The chain id checked at creation. */
  readonly chainId: bigint;
  /** The deployment the addresses came from, if any. */
  readonly deployment: Deployment | undefined;
  /** How long actions wait for a receipt (ms). */
  readonly timeoutMs: number;
  /** Fee limit for writes (TRON, sun); `undefined` = the backend's default. */
  readonly feeLimit: bigint | undefined;
}

export interface CreateVaultClientParameters {
  backend: Backend;
  /** Where the vault is: a loaded deployment (its chain id is checked against the backend's)... */
  deployment?: Deployment;
  /** ...or the vault's address. */
  address?: AddressInput;
  /** With `address`: the chain id to insist on (checked against the backend's). */
  chainId?: bigint;
  /** The token; default `vault.token()`. */
  token?: AddressInput;
  /** Receipt timeout for actions (default 60 s). */
  timeoutMs?: number;
  /** Fee limit for writes, in sun (TRON). */
  feeLimit?: bigint;
}

/**
 * Binds a backend to a vault. Rejects with `NetworkMismatchError` when the backend is on another
 * chain than the deployment, `DeploymentNotFoundError` when the deployment has no EscrowVault.
 * The network is checked here, once: make a new client after the wallet switches networks.
 */
export async function createVaultClient(parameters: CreateVaultClientParameters): Promise<VaultClient> {
  if (typeof parameters !== "object" || parameters === null)
    throw new InvalidArgumentError("createVaultClient needs parameters");
  const { backend, deployment, address } = parameters;
  if (typeof backend !== "object" || backend === null || typeof backend.chainId !== "function") {
    throw new InvalidArgumentError("createVaultClient needs a Backend");
  }
  if ((deployment === undefined) === (address === undefined)) {
    throw new InvalidArgumentError("createVaultClient needs exactly one of deployment and address");
  }
  const timeoutMs = checkTimeout(parameters.timeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
  const feeLimit = checkOptionalBigint(parameters.feeLimit, "feeLimit");
  const vaultAddress: AddressInput = deployment
    ? deployedContract(deployment, "EscrowVault").hex
    : (address as AddressInput);
  const vault = getContract({ backend, address: vaultAddress, abi: escrowVaultAbi });
  const expected = deployment ? deployment.chainId : parameters.chainId;
  const chainId = await backend.chainId();
  if (expected !== undefined && chainId !== expected) {
    throw new NetworkMismatchError(expected, chainId, deployment ? `deployment ${deployment.network}` : undefined);
  }
  const tokenAddress: AddressInput = parameters.token ?? (await vault.read.token());
  const token = getContract({ backend, address: tokenAddress, abi: trc20Abi });
  return Object.freeze({ backend, vault, token, chainId, deployment, timeoutMs, feeLimit });
}

/** The vault's address (`0x` hex). */
export function vaultAddress(client: VaultClient): Hex20 {
  return client.vault.address;
}
