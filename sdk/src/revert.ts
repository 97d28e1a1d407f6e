/**
 * Revert decoding: turns the raw bytes a contract reverted with into the custom error's name and
 * arguments, decoded against every ABI of the project (sdk/src/generated/abi), and turns ethers and
 * TronWeb failures into typed `BttkitError`s.
 *
 * Where TronWeb hides revert data (TRON.md):
 * - `send({shouldPollResponse: true})` throws an Error whose `output` is the transaction info:
 *   `result: "FAILED"`, `resMessage` (hex of "REVERT opcode executed"), `contractResult[0]` (the
 *   revert data as hex, **without** `0x`), `receipt.result` ("REVERT", "OUT_OF_ENERGY", ...).
 * - `triggerConstantContract` answers `{result: {code, message (hex)}, constant_result: [hex]}`.
 * - `call()` throws `"The call has been reverted or has thrown an error. ..."` and keeps only a
 *   garbled text: the data is gone. Backends should read through `triggerConstantContract` and
 *   decode `constant_result` instead; `toBttkitError` still types that message as a revert of
 *   unknown reason.
 * TronWeb's HTTP API gives hex everywhere (never base64), so hex with or without `0x` is accepted.
 */
import type { AbiError } from "abitype";
import * as AbiItem from "ox/AbiItem";
import * as AbiParameters from "ox/AbiParameters";
import * as Hex from "ox/Hex";
import { addr } from "./describe.js";
import { BttkitError, type BttkitErrorOptions, InvalidArgumentError } from "./errors.js";
import { projectErrorsAbi } from "./generated/abi/errorsAndEvents.js";

/** One ABI: JSON fragments, as the generated `as const` modules export them (or their JSON text). */
export type AbiLike = readonly unknown[] | string;

/**
 * OpenZeppelin's ERC-20 errors (IERC6093): TestBTT, the BTT the project deploys on Nile and
 * Shasta, reverts with them, and they surface through vault deposits.
 */
export const erc20ErrorsAbi = [
  ["ERC20InsufficientBalance", ["sender", "address"], ["balance", "uint256"], ["needed", "uint256"]],
  ["ERC20InsufficientAllowance", ["spender", "address"], ["allowance", "uint256"], ["needed", "uint256"]],
  ["ERC20InvalidSender", ["sender", "address"]],
  ["ERC20InvalidReceiver", ["receiver", "address"]],
  ["ERC20InvalidApprover", ["approver", "address"]],
  ["ERC20InvalidSpender", ["spender", "address"]],
].map(([name, ...inputs]) => ({
  type: "error" as const,
  name: name as string,
  inputs: (inputs as string[][]).map(([n, type]) => ({ name: n as string, type: type as string })),
}));

/** The ABIs reverts are decoded against by default: every project error and the ERC-20 ones. */
export const defaultRevertAbis: readonly AbiLike[] = [projectErrorsAbi, erc20ErrorsAbi];

/** Selector of `Error(string)`. */
export const ERROR_STRING_SELECTOR = "0x08c379a0";
/** Selector of `Panic(uint256)`. */
export const PANIC_SELECTOR = "0x4e487b71";

/** What the Solidity compiler's panic codes mean (Solidity docs, "Panic via assert"). */
export const PANIC_REASONS: Readonly<Record<number, string>> = {
  0: "generic compiler-inserted panic",
  1: "assert(false)",
  17: "arithmetic overflow or underflow",
  18: "division or modulo by zero",
  33: "conversion to an enum out of range",
  34: "incorrectly encoded storage byte array",
  49: "pop() on an empty array",
  50: "array index out of bounds",
  65: "too much memory allocated",
  81: "call to a zero-initialised internal function",
};

/** Revert data decoded against the project's ABIs. */
export interface DecodedRevert {
  /** The custom error's name, `"Error"` for `Error(string)`, `"Panic"`, or `"unknown"`. */
  errorName: string;
  /** The canonical signature, e.g. `VaultInsufficientBalance(address,uint256,uint256)`; undefined when unknown. */
  signature: string | undefined;
  /** The first 4 bytes of `data` (`0x` hex), or `undefined` when there are fewer. */
  selector: string | undefined;
  /**
   * The arguments by name where the ABI names them (`arg0`, `arg1`, ... where it doesn't).
   * Addresses are checksummed 20-byte `0x` hex (use `toBase58` for TRON's form), integers bigint,
   * bytes `0x` hex, tuples objects (or arrays when unnamed).
   */
  args: Readonly<Record<string, unknown>>;
  /** The arguments in ABI order. */
  argValues: readonly unknown[];
  /** The raw revert data, `0x` hex (`"0x"` for an empty revert). */
  data: string;
  /** For `Error(string)`: the message. For `Panic`: the code's meaning. */
  reason: string | undefined;
}

/** A call or transaction reverted; `errorName` and `args` say why. */
export class ContractRevertError extends BttkitError {
  override readonly name = "ContractRevertError";
  readonly errorName: string;
  readonly signature: string | undefined;
  readonly selector: string | undefined;
  readonly args: Readonly<Record<string, unknown>>;
  readonly argValues: readonly unknown[];
  readonly data: string;
  readonly reason: string | undefined;
  readonly contractAddress: string | undefined;

  constructor(decoded: DecodedRevert, options: BttkitErrorOptions & { contractAddress?: string } = {}) {
    super("CONTRACT_REVERT", revertShortMessage(decoded), {
      details: options.details ?? (decoded.errorName === "unknown" ? unknownDetails(decoded) : undefined),
      cause: options.cause,
    });
    this.errorName = decoded.errorName;
    this.signature = decoded.signature;
    this.selector = decoded.selector;
    this.args = decoded.args;
    this.argValues = decoded.argValues;
    this.data = decoded.data;
    this.reason = decoded.reason;
    this.contractAddress = options.contractAddress;
  }
}

/** A transaction was mined but failed for a reason other than a revert (out of energy, ...), or was refused. */
export class TransactionFailedError extends BttkitError {
  override readonly name = "TransactionFailedError";
  /** The node's reason code, e.g. TRON's `OUT_OF_ENERGY` or `CONTRACT_VALIDATE_ERROR`. */
  readonly reason: string | undefined;
  readonly transactionId: string | undefined;
  constructor(shortMessage: string, options: BttkitErrorOptions & { reason?: string; transactionId?: string } = {}) {
    super("TRANSACTION_FAILED", shortMessage, options);
    this.reason = options.reason;
    this.transactionId = options.transactionId;
  }
}

/** The backend (node, RPC, TronWeb) failed in a way that says nothing about the contract. */
export class BackendError extends BttkitError {
  override readonly name = "BackendError";
  constructor(shortMessage: string, options: BttkitErrorOptions = {}) {
    super("BACKEND_ERROR", shortMessage, options);
  }
}

/** A request to a backend timed out. */
export class TimeoutError extends BttkitError {
  override readonly name = "TimeoutError";
  constructor(shortMessage: string, options: BttkitErrorOptions = {}) {
    super("TIMEOUT", shortMessage, options);
  }
}

/** Whether `error` is a `ContractRevertError`, optionally with the given custom error name. */
export function isContractRevert(error: unknown, errorName?: string): error is ContractRevertError {
  return error instanceof ContractRevertError && (errorName === undefined || error.errorName === errorName);
}

// ---------------------------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------------------------

const HEX = /^(0x)?((?:[0-9a-fA-F]{2})*)$/;

/** Revert data as 0x-hex, bare hex (TronWeb's `contractResult`) or bytes -> lower-case `0x` hex. */
export function normalizeRevertData(data: string | Uint8Array): string {
  if (data instanceof Uint8Array) return Hex.fromBytes(data);
  if (typeof data !== "string") throw new InvalidArgumentError(`Revert data must be hex or bytes, got ${typeof data}`);
  const match = HEX.exec(data.trim());
  if (!match) throw new InvalidArgumentError(`Revert data is not hex: ${JSON.stringify(data.slice(0, 80))}`);
  return `0x${(match[2] ?? "").toLowerCase()}`;
}

interface ErrorRegistry {
  bySelector: Map<string, AbiError>;
}

const registryCache = new WeakMap<readonly AbiLike[], ErrorRegistry>();

function fragmentsOf(abi: AbiLike): unknown[] {
  if (typeof abi === "string") return JSON.parse(abi) as unknown[];
  return [...(abi as readonly unknown[])];
}

/**
 * One registry of error fragments over the union of `abis`, deduplicated by selector (the same
 * error is declared in an interface and inherited by its contract). Cached per `abis` array.
 */
function registryFor(abis: readonly AbiLike[]): ErrorRegistry {
  const cached = registryCache.get(abis);
  if (cached) return cached;
  const bySelector = new Map<string, AbiError>();
  for (const abi of abis) {
    for (const item of fragmentsOf(abi)) {
      let fragment: AbiError;
      if (typeof item === "string" && item.trim().startsWith("error ")) fragment = AbiItem.from(item) as AbiError;
      else if (typeof item === "object" && item !== null && (item as { type?: unknown }).type === "error") {
        fragment = item as AbiError;
      } else continue;
      // First declaration wins; a later one with the same selector has the same types and
      // differs at most in parameter names.
      const selector = AbiItem.getSelector(fragment);
      if (!bySelector.has(selector)) bySelector.set(selector, fragment);
    }
  }
  const registry = { bySelector };
  registryCache.set(abis, registry);
  return registry;
}

function decodeWith(fragment: AbiError, data: string): { args: Record<string, unknown>; argValues: unknown[] } {
  const argValues = [...AbiParameters.decode(fragment.inputs, `0x${data.slice(10)}`)];
  const args = Object.fromEntries(fragment.inputs.map((param, i) => [param.name || `arg${i}`, argValues[i]]));
  return { args, argValues };
}

function unknownRevert(data: string, selector: string | undefined): DecodedRevert {
  return { errorName: "unknown", signature: undefined, selector, args: {}, argValues: [], data, reason: undefined };
}

/**
 * Decodes revert data against `abis` (default: every project ABI): custom errors by name and
 * arguments, `Error(string)` as errorName `"Error"` with `args.message`, `Panic(uint256)` as
 * `"Panic"` with `args.code` and the code's meaning in `reason`. Unknown selectors, empty data and
 * data that doesn't decode give errorName `"unknown"` with the data kept.
 */
export function decodeRevert(data: string | Uint8Array, abis: readonly AbiLike[] = defaultRevertAbis): DecodedRevert {
  const hex = normalizeRevertData(data);
  if (hex.length < 10) return unknownRevert(hex, undefined);
  const selector = hex.slice(0, 10);
  try {
    if (selector === ERROR_STRING_SELECTOR) {
      const [message] = AbiParameters.decode([{ type: "string" }], `0x${hex.slice(10)}`) as [string];
      return {
        errorName: "Error",
        signature: "Error(string)",
        selector,
        args: { message },
        argValues: [message],
        data: hex,
        reason: message,
      };
    }
    if (selector === PANIC_SELECTOR) {
      const [code] = AbiParameters.decode([{ type: "uint256" }], `0x${hex.slice(10)}`) as [bigint];
      const reason = code < 256n ? PANIC_REASONS[Number(code)] : undefined;
      return {
        errorName: "Panic",
        signature: "Panic(uint256)",
        selector,
        args: { code },
        argValues: [code],
        data: hex,
        reason: reason ?? `unknown panic code 0x${code.toString(16)}`,
      };
    }
    const fragment = registryFor(abis).bySelector.get(selector);
    if (!fragment) return unknownRevert(hex, selector);
    const { args, argValues } = decodeWith(fragment, hex);
    return {
      errorName: fragment.name,
      signature: AbiItem.getSignature(fragment),
      selector,
      args,
      argValues,
      data: hex,
      reason: undefined,
    };
  } catch {
    // Known selector but malformed arguments: keep the data, claim nothing.
    return unknownRevert(hex, selector);
  }
}

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value.toString();
  // Addresses as TRON users know them; `args` keeps the 0x form.
  if (typeof value === "string") return /^0x[0-9a-fA-F]{40}$/.test(value) ? addr(value) : value;
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}

function revertShortMessage(decoded: DecodedRevert): string {
  switch (decoded.errorName) {
    case "unknown":
      return decoded.data === "0x"
        ? "Contract reverted without data"
        : `Contract reverted with unknown error ${decoded.selector ?? decoded.data}`;
    case "Error":
      return `Contract reverted: ${JSON.stringify(decoded.reason)}`;
    case "Panic":
      return `Contract panicked: ${decoded.reason} (code 0x${(decoded.args.code as bigint).toString(16)})`;
    default: {
      const parts = Object.entries(decoded.args).map(([k, v]) => `${k}: ${formatArg(v)}`);
      return `Contract reverted with ${decoded.errorName}(${parts.join(", ")})`;
    }
  }
}

function unknownDetails(decoded: DecodedRevert): string {
  return decoded.data === "0x"
    ? "empty revert data: revert() without reason, a failed require without message, out of gas or energy, or a backend that dropped the data"
    : `revert data ${decoded.data} matches no error in the project's ABIs`;
}

// ---------------------------------------------------------------------------------------------
// toBttkitError
// ---------------------------------------------------------------------------------------------

export interface ToBttkitErrorOptions {
  /** ABIs to decode reverts against (default: every project ABI). */
  abis?: readonly AbiLike[];
  /** The contract that was called, when the error itself doesn't say. */
  contractAddress?: string;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === "object" && value !== null;
}

const HEX_TEXT = /^(?:[0-9a-fA-F]{2})+$/;

/** TRON nodes send messages as hex of UTF-8 ("5245564552..." = "REVERT opcode executed"). */
function tronText(value: unknown): string | undefined {
  if (typeof value !== "string" || value === "") return undefined;
  if (HEX_TEXT.test(value)) {
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(Hex.toBytes(`0x${value}`));
      // Printable ASCII only; otherwise it was not text.
      if (/^[\x20-\x7e\n\t]*$/.test(text)) return text;
    } catch {
      // not UTF-8: fall through
    }
  }
  return value;
}

/** ethers v6 errors carry a string `code` and a `shortMessage`. */
function isEthersError(error: unknown, code: string): error is Obj & { shortMessage: string } {
  return isObj(error) && error.code === code && typeof error.shortMessage === "string";
}

const REVERT_TEXT = /REVERT opcode executed|has been reverted|execution reverted/i;

/** Finds ethers' revert data in the error or the errors it wraps (hardhat nests it). */
function findEthersRevertData(error: unknown, depth = 0): string | undefined {
  if (!isObj(error) || depth > 5) return undefined;
  const data = error.data;
  if (typeof data === "string" && HEX.test(data) && data.length >= 2) return data;
  if (isObj(data) && typeof data.data === "string" && HEX.test(data.data)) return data.data;
  for (const key of ["error", "info", "cause"]) {
    const found = findEthersRevertData(error[key], depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** TronWeb's transaction info (gettransactioninfobyid) or a constant-call response -> typed error. */
function fromTronResult(result: Obj, cause: unknown, options: ToBttkitErrorOptions): BttkitError | undefined {
  const abis = options.abis ?? defaultRevertAbis;
  const contractAddress = stringOrUndefined(result.contract_address) ?? options.contractAddress;
  const transactionId = stringOrUndefined(result.id) ?? stringOrUndefined(result.txID);

  // Transaction info: {result: "FAILED", resMessage, contractResult: [hex], receipt: {result}}.
  if (result.result === "FAILED" || Array.isArray(result.contractResult)) {
    const receipt = isObj(result.receipt) ? result.receipt : {};
    const status = stringOrUndefined(receipt.result);
    const message = tronText(result.resMessage);
    if (result.result !== "FAILED" && (status === undefined || status === "SUCCESS")) return undefined;
    const contractResult = Array.isArray(result.contractResult) ? result.contractResult[0] : undefined;
    if (status === "REVERT" || (message !== undefined && REVERT_TEXT.test(message))) {
      const data = typeof contractResult === "string" ? contractResult : "";
      return new ContractRevertError(decodeRevert(data, abis), { contractAddress, cause });
    }
    return new TransactionFailedError(`Transaction failed: ${status ?? message ?? "FAILED"}`, {
      reason: status,
      transactionId,
      details: message,
      cause,
    });
  }

  // triggerConstantContract: {result: {result?, code?, message?}, constant_result: [hex], transaction}.
  if (Array.isArray(result.constant_result) && isObj(result.result)) {
    const inner = result.result;
    const message = tronText(inner.message);
    const transaction = isObj(result.transaction) ? result.transaction : {};
    const ret = Array.isArray(transaction.ret) && isObj(transaction.ret[0]) ? transaction.ret[0] : {};
    const failed =
      inner.code !== undefined || ret.ret === "FAILED" || (message !== undefined && REVERT_TEXT.test(message));
    if (!failed) return undefined;
    const data = result.constant_result[0];
    if (message !== undefined && !REVERT_TEXT.test(message) && (typeof data !== "string" || data === "")) {
      return new TransactionFailedError(`Call failed: ${message}`, {
        reason: stringOrUndefined(inner.code),
        details: message,
        cause,
      });
    }
    return new ContractRevertError(decodeRevert(typeof data === "string" ? data : "", abis), {
      contractAddress,
      cause,
    });
  }
  return undefined;
}

/**
 * Turns anything thrown by ethers, TronWeb or a TRON node into a typed `BttkitError`, with the
 * original attached as `cause`. `BttkitError`s pass through unchanged.
 *
 * - ethers `CALL_EXCEPTION` with revert data -> `ContractRevertError`; without data ->
 *   `TransactionFailedError` (a mined transaction with status 0).
 * - ethers `TIMEOUT` -> `TimeoutError`; other ethers errors -> `BackendError`.
 * - TronWeb: an error carrying `output` (transaction info) or a raw transaction info / constant
 *   call result -> `ContractRevertError` decoded from `contractResult` / `constant_result` when
 *   it reverted, `TransactionFailedError` otherwise (OUT_OF_ENERGY, ...).
 * - TronWeb's texts ("REVERT opcode executed", call()'s "has been reverted") -> `ContractRevertError`
 *   of unknown reason (the data is gone); other broadcast failures (`error.error` a TRON code such
 *   as `CONTRACT_VALIDATE_ERROR`) -> `TransactionFailedError`.
 * - Anything else -> `BackendError`.
 */
export function toBttkitError(error: unknown, options: ToBttkitErrorOptions = {}): BttkitError {
  if (error instanceof BttkitError) return error;
  const abis = options.abis ?? defaultRevertAbis;

  // ethers v6 (recognised by its `code`; the SDK does not import ethers)
  if (isEthersError(error, "CALL_EXCEPTION")) {
    const data = findEthersRevertData(error);
    const to = isObj(error.transaction) ? stringOrUndefined(error.transaction.to) : undefined;
    const contractAddress = to ?? options.contractAddress;
    if (data !== undefined) return new ContractRevertError(decodeRevert(data, abis), { contractAddress, cause: error });
    const receipt = isObj(error.receipt) ? error.receipt : undefined;
    return new TransactionFailedError(error.shortMessage || "Transaction failed", {
      transactionId: receipt ? stringOrUndefined(receipt.hash) : undefined,
      cause: error,
    });
  }
  if (isEthersError(error, "TIMEOUT"))
    return new TimeoutError(error.shortMessage || "Request timed out", { cause: error });

  if (isObj(error)) {
    // TronWeb send() with shouldPollResponse: error.output is the transaction info.
    if (isObj(error.output)) {
      const typed = fromTronResult(error.output, error, options);
      if (typed) return typed;
    }
    const fromTron = fromTronResult(error, error, options);
    if (fromTron) return fromTron;
    // Some providers throw errors with revert data and no ethers code.
    const data = findEthersRevertData(error);
    const message = stringOrUndefined(error.message) ?? "";
    if (data !== undefined && data.length > 2) {
      return new ContractRevertError(decodeRevert(data, abis), {
        contractAddress: options.contractAddress,
        cause: error,
      });
    }
    // TronWeb broadcast failure: Error with `error` = TRON's code, message = decoded text.
    const tronCode = stringOrUndefined(error.error);
    if (REVERT_TEXT.test(message) || (tronCode !== undefined && REVERT_TEXT.test(tronCode))) {
      return new ContractRevertError(decodeRevert("0x", abis), {
        contractAddress: options.contractAddress,
        details: `the backend reported "${message || tronCode}" without revert data`,
        cause: error,
      });
    }
    if (tronCode !== undefined && /^[A-Z_]+$/.test(tronCode)) {
      return new TransactionFailedError(`Transaction refused: ${tronCode}`, {
        reason: tronCode,
        details: message || undefined,
        cause: error,
      });
    }
    return new BackendError(stringOrUndefined(error.shortMessage) ?? (message || "Backend error"), { cause: error });
  }

  // TronWeb (older paths) throws bare strings, sometimes hex-encoded.
  if (typeof error === "string") {
    const text = tronText(error) ?? error;
    if (REVERT_TEXT.test(text)) {
      return new ContractRevertError(decodeRevert("0x", abis), {
        contractAddress: options.contractAddress,
        details: `the backend reported "${text}" without revert data`,
        cause: error,
      });
    }
    return new BackendError(text || "Backend error", { cause: error });
  }
  return new BackendError(`Backend error: ${String(error)}`, { cause: error });
}
