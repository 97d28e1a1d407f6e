/**
 * Every error the SDK throws is a `BttkitError`: a stable `code` to branch on, a one-line
 * `shortMessage`, optional `details`, and the underlying `cause`.
 */
export type BttkitErrorCode =
  | "INVALID_ADDRESS"
  | "INVALID_ARGUMENT"
  | "INVALID_AMOUNT"
  | "CONTRACT_REVERT"
  | "TRANSACTION_FAILED"
  | "NETWORK_MISMATCH"
  | "DEPLOYMENT_NOT_FOUND"
  | "INVALID_DEPLOYMENT"
  | "BACKEND_ERROR"
  | "PREFLIGHT_FAILED"
  | "TIMEOUT"
  | "TOO_FEW_SHARDS"
  | "SHARD_SIZE_MISMATCH"
  | "USER_REJECTED"
  | "WALLET_NOT_FOUND"
  | "WALLET_NOT_CONNECTED"
  | "NETWORK_ERROR";

export interface BttkitErrorOptions {
  details?: string;
  cause?: unknown;
}

export class BttkitError extends Error {
  override readonly name: string = "BttkitError";
  readonly code: BttkitErrorCode;
  readonly shortMessage: string;
  readonly details: string | undefined;

  constructor(code: BttkitErrorCode, shortMessage: string, options: BttkitErrorOptions = {}) {
    super(options.details ? `${shortMessage}\n\nDetails: ${options.details}` : shortMessage, {
      cause: options.cause,
    });
    this.code = code;
    this.shortMessage = shortMessage;
    this.details = options.details;
  }
}

/** An address in none of the forms TRON uses: base58 `T...`, `41` + 20 bytes hex, or `0x` + 20 bytes. */
export class InvalidAddressError extends BttkitError {
  override readonly name = "InvalidAddressError";
  readonly address: string;
  constructor(address: string, details?: string) {
    super("INVALID_ADDRESS", `Invalid TRON address: ${JSON.stringify(address)}`, { details });
    this.address = address;
  }
}

/** An argument that is out of range or of the wrong shape. */
export class InvalidArgumentError extends BttkitError {
  override readonly name = "InvalidArgumentError";
  constructor(shortMessage: string, options: BttkitErrorOptions = {}) {
    super("INVALID_ARGUMENT", shortMessage, options);
  }
}

/** An amount that is not a non-negative decimal with at most the token's decimals. */
export class InvalidAmountError extends BttkitError {
  override readonly name = "InvalidAmountError";
  /** The rejected input, as given (stringified). */
  readonly amount: string;
  constructor(amount: unknown, details: string) {
    super("INVALID_AMOUNT", `Invalid amount: ${describeAmount(amount)}`, { details });
    this.amount = typeof amount === "bigint" ? amount.toString() : String(amount);
  }
}

function describeAmount(amount: unknown): string {
  if (typeof amount === "bigint") return `${amount}n`;
  if (typeof amount === "string") return JSON.stringify(amount);
  return String(amount);
}

/** Fewer than `dataShards` shards survive: the data can't be recovered. */
export class TooFewShardsError extends BttkitError {
  override readonly name = "TooFewShardsError";
  readonly present: number;
  readonly required: number;
  constructor(present: number, required: number) {
    super("TOO_FEW_SHARDS", `Too few shards to recover: ${present} present, ${required} required`);
    this.present = present;
    this.required = required;
  }
}

/** Shards of one file differ in size, or don't match the size the parameters imply. */
export class ShardSizeMismatchError extends BttkitError {
  override readonly name = "ShardSizeMismatchError";
  constructor(shortMessage: string, details?: string) {
    super("SHARD_SIZE_MISMATCH", shortMessage, { details });
  }
}

/** The backend is connected to another chain than the deployment (or client) expects. */
export class NetworkMismatchError extends BttkitError {
  override readonly name = "NetworkMismatchError";
  readonly expectedChainId: bigint;
  readonly actualChainId: bigint;
  constructor(expectedChainId: bigint, actualChainId: bigint, details?: string) {
    super(
      "NETWORK_MISMATCH",
      `Wrong network: the backend is on chain ${actualChainId}, the deployment is on chain ${expectedChainId}`,
      { details },
    );
    this.expectedChainId = expectedChainId;
    this.actualChainId = actualChainId;
  }
}

/** No deployment file for the network, or no address for the contract in it. */
export class DeploymentNotFoundError extends BttkitError {
  override readonly name = "DeploymentNotFoundError";
  readonly network: string;
  readonly contractName: string | undefined;
  constructor(network: string, contractName?: string, options: BttkitErrorOptions = {}) {
    super(
      "DEPLOYMENT_NOT_FOUND",
      contractName === undefined
        ? `No deployment found for network ${JSON.stringify(network)}`
        : `No ${contractName} in the deployment of network ${JSON.stringify(network)}`,
      options,
    );
    this.network = network;
    this.contractName = contractName;
  }
}

/** A deployment file that does not have the expected shape; `details` says which field. */
export class InvalidDeploymentError extends BttkitError {
  override readonly name = "InvalidDeploymentError";
  constructor(shortMessage: string, options: BttkitErrorOptions = {}) {
    super("INVALID_DEPLOYMENT", shortMessage, options);
  }
}

/** Which preflight check failed. */
export type PreflightCheck =
  | "no-signer"
  | "vault-balance"
  | "token-balance"
  | "token-allowance"
  | "escrow-not-found"
  | "escrow-insufficient"
  | "escrow-unauthorized"
  | "escrow-not-expired"
  | "market-approval"
  | "market-retired"
  | "bid-not-found"
  | "bid-not-open"
  | "bid-not-redeemable"
  | "bid-not-refundable"
  | "not-downloader"
  | "expiry-not-future"
  | "receipt-not-newer"
  | "receipt-wrong-signer"
  | "nothing-to-pay"
  | "host-registered"
  | "host-not-registered"
  | "host-free-stake"
  | "nothing-unbonding"
  | "unbonding-not-ready"
  | "offer-expired"
  | "offer-signature"
  | "offer-mismatch"
  | "duplicate-host"
  | "deal-not-found"
  | "deal-not-active"
  | "challenge-state"
  | "shard-state"
  | "not-shard-host"
  | "not-repairer"
  | "collateral-too-low"
  | "stale-records";

/**
 * A check the SDK runs before sending a transaction failed: the transaction would have reverted
 * (or could not be signed), so nothing was sent and no fee was paid.
 */
export class PreflightError extends BttkitError {
  override readonly name = "PreflightError";
  readonly check: PreflightCheck;
  /** What was needed (an amount, where the check is about one). */
  readonly needed: bigint | undefined;
  /** What is available (an amount, where the check is about one). */
  readonly available: bigint | undefined;
  constructor(
    check: PreflightCheck,
    shortMessage: string,
    options: BttkitErrorOptions & { needed?: bigint; available?: bigint } = {},
  ) {
    super("PREFLIGHT_FAILED", shortMessage, options);
    this.check = check;
    this.needed = options.needed;
    this.available = options.available;
  }
}

/** The wallet's user refused: a connection, a transaction or a signature. Nothing was sent. */
export class UserRejectedError extends BttkitError {
  override readonly name = "UserRejectedError";
  /** What was refused. */
  readonly request: "connect" | "transaction" | "signature";
  constructor(request: "connect" | "transaction" | "signature", options: BttkitErrorOptions = {}) {
    super("USER_REJECTED", `The wallet refused the ${request}`, options);
    this.request = request;
  }
}

/** No wallet (TronLink) in this page, or it is locked. */
export class WalletNotFoundError extends BttkitError {
  override readonly name = "WalletNotFoundError";
  constructor(shortMessage = "No TRON wallet found: install or unlock TronLink", options: BttkitErrorOptions = {}) {
    super("WALLET_NOT_FOUND", shortMessage, options);
  }
}

/** The wallet is not connected (any more): connect it, then make new clients. */
export class WalletNotConnectedError extends BttkitError {
  override readonly name = "WalletNotConnectedError";
  constructor(shortMessage = "The wallet is not connected", options: BttkitErrorOptions = {}) {
    super("WALLET_NOT_CONNECTED", shortMessage, options);
  }
}
