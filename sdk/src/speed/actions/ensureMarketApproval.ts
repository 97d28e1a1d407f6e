import { setMarketApproval } from "../../vault/setMarketApproval.js";
import type { SpeedClient } from "../client.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
} from "./internal.js";

export type EnsureMarketApprovalParameters = Omit<SpeedActionOptions, "skipPreflight">;

export interface EnsureMarketApprovalReturnType {
  /** Whether the approval was already in force (nothing sent). */
  alreadyApproved: boolean;
  /** The `setMarketApproval` transaction, when one was sent. */
  approval: SpeedActionReceipt | undefined;
}

/** Errors: `PreflightError` (`no-signer`), `ContractRevertError`, `TransactionFailedError`, `TimeoutError`, `BackendError`. */
export type EnsureMarketApprovalErrorType = SpeedActionError;

/**
 * Makes sure the signer has approved the market to commit its free vault balance
 * (`vault.setMarketApproval(market, true)`), sending the approval only when it is missing.
 */
export async function ensureMarketApproval(
  client: SpeedClient,
  parameters: EnsureMarketApprovalParameters = {},
): Promise<EnsureMarketApprovalReturnType> {
  checkClient(client);
  checkParameters(parameters, "ensureMarketApproval");
  checkOptions(parameters);
  const signer = await requireSigner(client);
  const approved = await client.vault.vault.read.isMarketApproved([signer, client.market.address]);
  if (approved) return { alreadyApproved: true, approval: undefined };
  const approval = await setMarketApproval(client.vault, {
    market: client.market.address,
    approved: true,
    ...(parameters.timeoutMs !== undefined ? { timeoutMs: parameters.timeoutMs } : {}),
    ...(parameters.feeLimit !== undefined ? { feeLimit: parameters.feeLimit } : {}),
  });
  return { alreadyApproved: false, approval };
}
