import { addr, when } from "../../describe.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import { checkVaultBalance } from "../../vault/internal.js";
import type { SpeedClient } from "../client.js";
import type { Infohash, InfohashVersion } from "../infohash.js";
import { type InfohashInput, resolveInfohash } from "../infohashInput.js";
import { ensureMarketApproval } from "./ensureMarketApproval.js";
import {
  checkAmount,
  checkClient,
  checkMarketActive,
  checkOptions,
  checkParameters,
  MAX_UINT24,
  MAX_UINT72,
  MAX_UINT96,
  requireEvent,
  requireSigner,
  type SpeedActionError,
  type SpeedActionOptions,
  type SpeedActionReceipt,
  send,
  toSeconds,
} from "./internal.js";

export interface OpenBidParameters extends SpeedActionOptions {
  /** The torrent: `{infohash, version}`, 40/64 hex digits, a magnet link or .torrent bytes. */
  infohash: InfohashInput;
  /** For a magnet link or hybrid .torrent with both: which infohash to bid on (default 2). */
  prefer?: InfohashVersion;
  /** Tokens (smallest unit) per MiB (2^20 bytes) served; 1 .. 2^72 - 1. */
  pricePerMiB: bigint;
  /** Tokens committed from the signer's free vault balance; 1 .. 2^96 - 1. */
  budget: bigint;
  /** Unix seconds (or a Date) after which the bid takes no top-ups; must be in the future (chain time). */
  expiry: bigint | Date;
  /** Seconds seeders keep to redeem after a close or the expiry; default the market's minimum. */
  grace?: bigint;
  /**
   * Send `vault.setMarketApproval(market, true)` first when it is missing (default false: the
   * preflight fails with `market-approval`). See also `ensureMarketApproval`.
   */
  approveMarket?: boolean;
}

export interface OpenBidReturnType extends SpeedActionReceipt {
  /** The new bid's id (from `BidOpened`). */
  bidId: bigint;
  /** The infohash bid on, as the contract keys it. */
  infohash: Infohash;
  /** The grace period the bid got (seconds). */
  grace: bigint;
  /** The approval transaction, when `approveMarket` sent one. */
  approval: SpeedActionReceipt | undefined;
}

/**
 * Errors: `InvalidArgumentError` (infohash, expiry, grace), `InvalidAmountError` (price, budget),
 * `PreflightError` (`no-signer`, `vault-balance`, `market-approval`, `market-retired`,
 * `expiry-not-future`),
 * `ContractRevertError` (e.g. `SpeedInvalidGrace(grace, min, max)`), `TransactionFailedError`,
 * `TimeoutError`, `BackendError`.
 */
export type OpenBidErrorType = SpeedActionError;

/** Opens a bid on a torrent and commits `budget` from the signer's free vault balance. */
export async function openBid(client: SpeedClient, parameters: OpenBidParameters): Promise<OpenBidReturnType> {
  checkClient(client);
  checkParameters(parameters, "openBid");
  checkOptions(parameters);
  const pricePerMiB = checkAmount(parameters.pricePerMiB, "pricePerMiB", { max: MAX_UINT72 });
  const budget = checkAmount(parameters.budget, "budget", { max: MAX_UINT96 });
  const expiry = toSeconds(parameters.expiry, "expiry");
  if (
    parameters.grace !== undefined &&
    (typeof parameters.grace !== "bigint" || parameters.grace < 0n || parameters.grace > MAX_UINT24)
  ) {
    throw new InvalidArgumentError(
      `grace must be seconds as a bigint from 0 to 2^24 - 1, got ${String(parameters.grace)}`,
    );
  }
  if (parameters.approveMarket !== undefined && typeof parameters.approveMarket !== "boolean") {
    throw new InvalidArgumentError("approveMarket must be a boolean");
  }
  const infohash = await resolveInfohash(parameters.infohash, parameters.prefer ?? 2);
  const grace = parameters.grace ?? (await client.market.read.graceBounds())[0];
  const signer = await requireSigner(client);
  let approval: SpeedActionReceipt | undefined;
  if (!parameters.skipPreflight) {
    const now = (await client.backend.getBlock()).timestamp;
    if (expiry <= now) {
      throw new PreflightError("expiry-not-future", `The expiry ${when(expiry)} is not after chain time ${when(now)}`, {
        needed: now + 1n,
        available: expiry,
      });
    }
    await checkMarketActive(client);
    await checkVaultBalance(client.vault, signer, budget);
    const approved = await client.vault.vault.read.isMarketApproved([signer, client.market.address]);
    if (!approved) {
      if (!parameters.approveMarket) {
        throw new PreflightError(
          "market-approval",
          `${addr(signer)} has not approved the market ${addr(client.market.address)} in the vault (ensureMarketApproval, or approveMarket: true)`,
        );
      }
      approval = (await ensureMarketApproval(client, pick(parameters))).approval;
    }
  } else if (parameters.approveMarket) {
    approval = (await ensureMarketApproval(client, pick(parameters))).approval;
  }
  const result = await send(
    client,
    "openBid",
    [infohash.infohash, infohash.version, pricePerMiB, budget, expiry, grace],
    parameters,
  );
  const event = requireEvent(client, result, "BidOpened");
  return { ...result, bidId: event.bidId, infohash, grace, approval };
}

function pick(options: SpeedActionOptions) {
  return {
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    ...(options.feeLimit !== undefined ? { feeLimit: options.feeLimit } : {}),
  };
}
