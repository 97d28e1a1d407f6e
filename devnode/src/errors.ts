/**
 * Errors the devnode raises. Each carries the java-tron response code it maps to, so the
 * HTTP layer can answer in TRON's shape without knowing where the error came from.
 */

/** java-tron's `Return.response_code` names (api.proto), the ones the devnode can produce. */
export type TronResponseCode =
  | "SIGERROR"
  | "BANDWITH_ERROR"
  | "DUP_TRANSACTION_ERROR"
  | "TAPOS_ERROR"
  | "TOO_BIG_TRANSACTION_ERROR"
  | "TRANSACTION_EXPIRATION_ERROR"
  | "SERVER_BUSY"
  | "CONTRACT_VALIDATE_ERROR"
  | "CONTRACT_EXE_ERROR"
  | "OTHER_ERROR";

export class DevnodeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A request the node refuses; rendered as `{code, message(hex)}` like java-tron. */
export class TronApiError extends DevnodeError {
  constructor(
    readonly code: TronResponseCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Malformed input (bad JSON, bad hex, bad address): java-tron answers `{"Error": "..."}`. */
export class BadRequestError extends DevnodeError {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export class InvalidAddressError extends BadRequestError {
  constructor(value: unknown) {
    super(`Invalid address: ${JSON.stringify(value)?.slice(0, 100)}`);
  }
}

export class InvalidHexError extends BadRequestError {
  constructor(field: string) {
    super(`Invalid hex in ${field}`);
  }
}

export class NotFoundError extends BadRequestError {
  constructor(what: string) {
    super(what, 404);
  }
}

/** A JSON-RPC failure on /tre, rendered as `{error: {code, message}}`. */
export class RpcError extends DevnodeError {
  constructor(
    readonly rpcCode: number,
    message: string,
  ) {
    super(message);
  }
}
