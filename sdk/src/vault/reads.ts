/** Vault and token reads. Addresses in, `0x` hex out; amounts are bigint. */
import type { Hex20 } from "../address.js";
import { toHex20 } from "../address.js";
import type { AddressInput, FunctionResult } from "../backend/types.js";
import type { escrowVaultAbi } from "../generated/abi/index.js";
import type { VaultClient } from "./client.js";
import { accountOrSigner, checkClient, checkEscrowId, checkParameters, ZERO_ADDRESS } from "./internal.js";

export interface BalanceOfParameters {
  /** Default: the signer. */
  account?: AddressInput;
}
export type BalanceOfReturnType = bigint;

/** The free vault balance of `account`. */
export async function getBalance(
  client: VaultClient,
  parameters: BalanceOfParameters = {},
): Promise<BalanceOfReturnType> {
  checkClient(client);
  checkParameters(parameters, "balanceOf");
  const account = await accountOrSigner(client, parameters.account, "account");
  return client.vault.read.balanceOf([account]);
}

export interface HeldByParameters {
  market: AddressInput;
}
export type HeldByReturnType = bigint;

/** What `market` holds in the vault for its sub-accounts. */
export async function getHeldBy(client: VaultClient, parameters: HeldByParameters): Promise<HeldByReturnType> {
  checkClient(client);
  checkParameters(parameters, "heldBy");
  return client.vault.read.heldBy([toHex20(parameters.market)]);
}

/** An escrow as the vault stores it: addresses `0x` hex, `deadline` unix seconds, `amount` what is left. */
export type EscrowInfo = FunctionResult<typeof escrowVaultAbi, "escrow">;

export interface EscrowParameters {
  escrowId: bigint;
}
/** `undefined` when no escrow has the id, or it has been fully paid out. */
export type EscrowReturnType = EscrowInfo | undefined;

/** Escrow `escrowId`, or `undefined` when there is none (or nothing is left in it). */
export async function getEscrow(client: VaultClient, parameters: EscrowParameters): Promise<EscrowReturnType> {
  checkClient(client);
  checkParameters(parameters, "escrow");
  const escrowId = checkEscrowId(parameters.escrowId);
  const info = await client.vault.read.escrow([escrowId]);
  return info.payer === ZERO_ADDRESS && info.amount === 0n ? undefined : info;
}

export interface AllowanceParameters {
  /** Default: the signer. */
  owner?: AddressInput;
}
export type AllowanceReturnType = bigint;

/** How many of `owner`'s tokens the vault may pull (TRC-20 allowance). */
export async function getAllowance(
  client: VaultClient,
  parameters: AllowanceParameters = {},
): Promise<AllowanceReturnType> {
  checkClient(client);
  checkParameters(parameters, "allowance");
  const owner: Hex20 = await accountOrSigner(client, parameters.owner, "owner");
  return client.token.read.allowance([owner, client.vault.address]);
}

export interface TokenBalanceParameters {
  /** Default: the signer. */
  account?: AddressInput;
}
export type TokenBalanceReturnType = bigint;

/** The token (BTT) balance of `account`'s wallet. */
export async function getTokenBalance(
  client: VaultClient,
  parameters: TokenBalanceParameters = {},
): Promise<TokenBalanceReturnType> {
  checkClient(client);
  checkParameters(parameters, "tokenBalance");
  const account = await accountOrSigner(client, parameters.account, "account");
  return client.token.read.balanceOf([account]);
}

// The names before the get* rule, kept for existing callers.
/** @deprecated Use `getBalance`. */
export const balanceOf = getBalance;
/** @deprecated Use `getHeldBy`. */
export const heldBy = getHeldBy;
/** @deprecated Use `getEscrow`. */
export const escrow = getEscrow;
/** @deprecated Use `getAllowance`. */
export const allowance = getAllowance;
/** @deprecated Use `getTokenBalance`. */
export const tokenBalance = getTokenBalance;
