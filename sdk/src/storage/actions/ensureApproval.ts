import { setMarketApproval } from "../../vault/setMarketApproval.js";
import type { StorageClient } from "../client.js";
import { requireSigner, type StorageActionOptions, type StorageActionReceipt } from "./internal.js";

export interface EnsureStorageApprovalParameters extends Omit<StorageActionOptions, "skipPreflight"> {
  /** What commits the signer's vault balance: the registry (host stake) or the market (deal escrow). */
  spender: "registry" | "market";
}

export interface EnsureStorageApprovalReturnType {
  /** Whether the approval was already in force (nothing sent). */
  alreadyApproved: boolean;
  /** The `setMarketApproval` transaction, when one was sent. */
  approval: StorageActionReceipt | undefined;
}

/**
 * Makes sure the signer's vault lets the registry (for `stake`) or the market (for `openDeal`)
 * commit its free balance, sending `vault.setMarketApproval(spender, true)` only when missing.
 * `stake` and `openDeal` do this themselves with `approveMarket: true`.
 */
export async function ensureStorageApproval(
  client: StorageClient,
  parameters: EnsureStorageApprovalParameters,
): Promise<EnsureStorageApprovalReturnType> {
  const signer = await requireSigner(client);
  const spender = parameters.spender === "registry" ? client.registry.address : client.market.address;
  if (await client.vault.vault.read.isMarketApproved([signer, spender]))
    return { alreadyApproved: true, approval: undefined };
  const approval = await setMarketApproval(client.vault, {
    market: spender,
    approved: true,
    ...(parameters.timeoutMs !== undefined ? { timeoutMs: parameters.timeoutMs } : {}),
    ...(parameters.feeLimit !== undefined ? { feeLimit: parameters.feeLimit } : {}),
  });
  return { alreadyApproved: false, approval };
}
