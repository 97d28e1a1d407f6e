import { addr, btt } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import { ensureStorageApproval } from "./ensureApproval.js";
import {
  checkAmount,
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

const MAX_UINT112 = (1n << 112n) - 1n;

export interface StakeParameters extends StorageActionOptions {
  /** Free vault balance to commit as stake (at most 2^112 - 1). */
  amount: bigint;
  /**
   * Send `vault.setMarketApproval(registry, true)` first when it is missing (default false: the
   * preflight fails with `market-approval`), as Speed's `openBid` does for its market.
   */
  approveMarket?: boolean;
}
export type StakeReturnType = StorageActionReceipt;
/**
 * `PreflightError` checks: `no-signer`, `host-not-registered`, `vault-balance` (free vault balance
 * short), `market-approval` (the registry is not approved: `setMarketApproval(client.vault,
 * {market: client.registry.address, approved: true})`).
 */
export type StakeErrorType = StorageActionError;

/** Commits `amount` of the signer's free vault balance as host stake. */
export async function stake(client: StorageClient, parameters: StakeParameters): Promise<StakeReturnType> {
  checkClient(client);
  checkParameters(parameters, "stake");
  checkOptions(parameters);
  const amount = checkAmount(parameters.amount, "amount", { max: MAX_UINT112 });
  const signer = await requireSigner(client);
  if (parameters.approveMarket === true) await ensureStorageApproval(client, { spender: "registry", ...parameters });
  if (!parameters.skipPreflight) {
    const registry = client.registry.address;
    const [info, balance, approved] = await Promise.all([
      client.registry.read.stakeOf([signer]),
      client.vault.vault.read.balanceOf([signer]),
      client.vault.vault.read.isMarketApproved([signer, registry]),
    ]);
    if (!info.registered) throw new PreflightError("host-not-registered", `${addr(signer)} is not a registered host`);
    if (balance < amount) {
      throw new PreflightError("vault-balance", `Vault balance too low: ${btt(balance)} free, ${btt(amount)} needed`, {
        needed: amount,
        available: balance,
      });
    }
    if (!approved) {
      throw new PreflightError(
        "market-approval",
        `The registry ${addr(registry)} may not commit ${addr(signer)}'s vault balance`,
        {
          details: 'pass approveMarket: true, or call ensureStorageApproval(client, { spender: "registry" })',
        },
      );
    }
  }
  return send(client, "registry", "stake", [amount], parameters);
}
