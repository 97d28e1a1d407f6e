import { BttkitError, type BttkitErrorOptions } from "../errors.js";

/**
 * Why a network exchange failed. The host service answers each with an HTTP status
 * (`HOST_ERROR_STATUS`); the tenant's client raises the same reason when a host answers with it.
 */
export type NetworkErrorReason =
  | "bad-request"
  | "unauthorized"
  | "forbidden"
  | "not-found"
  | "conflict"
  | "too-large"
  | "wrong-root"
  | "terms"
  | "capacity"
  | "stake"
  | "expired"
  | "unreachable"
  | "bad-response"
  | "no-hosts"
  | "file-hash"
  | "peer";

/** A host, a peer or the transport between them refused or failed; `reason` says which way. */
export class NetworkError extends BttkitError {
  override readonly name = "NetworkError";
  readonly reason: NetworkErrorReason;
  /** The HTTP status the host answered with, when there was an answer. */
  readonly status: number | undefined;
  /** The host or peer (its URL or address), when known. */
  readonly peer: string | undefined;
  constructor(
    reason: NetworkErrorReason,
    shortMessage: string,
    options: BttkitErrorOptions & { status?: number; peer?: string } = {},
  ) {
    super("NETWORK_ERROR", shortMessage, options);
    this.reason = reason;
    this.status = options.status;
    this.peer = options.peer;
  }
}
