/**
 * Typed contract access over a `Backend`, viem-style: `getContract({backend, address, abi})`
 * gives `.read.fn(args)`, `.write.fn(args, options)` and `.estimateEnergy.fn(args, options)`,
 * with names, arguments and results inferred from an `as const` ABI.
 *
 * Also `writeAndWait` (send, wait, throw on failure) and `parseEventLogs` (typed events out of a
 * receipt).
 */
import type { Abi } from "abitype";
import { type Hex20, toHex20 } from "./address.js";
import { decodeEventAs, eventFragment } from "./backend/abi.js";
import type {
  AddressInput,
  Backend,
  DecodedLog,
  EventArgs,
  EventName,
  FunctionArgs,
  FunctionResult,
  ReadFunctionName,
  Receipt,
  WaitOptions,
  WriteFunctionName,
  WriteOptions,
  WriteParameters,
  WriteResult,
} from "./backend/types.js";
import { InvalidArgumentError } from "./errors.js";

export interface ReadOptions {
  /** Who the call is made as; default the backend's account. */
  from?: AddressInput;
}

type MethodArgs<abi extends Abi, name extends ReadFunctionName<abi> | WriteFunctionName<abi>, options> =
  FunctionArgs<abi, name> extends readonly []
    ? [args?: readonly [], options?: options]
    : [args: FunctionArgs<abi, name>, options?: options];

export type ContractReads<abi extends Abi> = {
  readonly [name in ReadFunctionName<abi>]: (
    ...args: MethodArgs<abi, name, ReadOptions>
  ) => Promise<FunctionResult<abi, name>>;
};

export type ContractWrites<abi extends Abi> = {
  readonly [name in WriteFunctionName<abi>]: (...args: MethodArgs<abi, name, WriteOptions>) => Promise<WriteResult>;
};

export type ContractEstimates<abi extends Abi> = {
  readonly [name in WriteFunctionName<abi>]: (...args: MethodArgs<abi, name, WriteOptions>) => Promise<bigint>;
};

export interface Contract<abi extends Abi> {
  readonly address: Hex20;
  readonly abi: abi;
  readonly backend: Backend;
  /** View and pure functions. */
  readonly read: ContractReads<abi>;
  /** State-changing functions: sign and broadcast, resolve with the txId (see `writeAndWait`). */
  readonly write: ContractWrites<abi>;
  /** Energy a state-changing call would use. */
  readonly estimateEnergy: ContractEstimates<abi>;
}

export interface GetContractParameters<abi extends Abi> {
  backend: Backend;
  /** The contract, in any TRON address form. */
  address: AddressInput;
  abi: abi;
}

type Loose = (args?: readonly unknown[], options?: object) => Promise<unknown>;

/** A typed handle on the contract at `address`. Only functions in `abi` exist on it. */
export function getContract<const abi extends Abi>({
  backend,
  address,
  abi,
}: GetContractParameters<abi>): Contract<abi> {
  if (typeof backend !== "object" || backend === null || typeof backend.read !== "function") {
    throw new InvalidArgumentError("getContract needs a Backend");
  }
  if (!Array.isArray(abi)) throw new InvalidArgumentError("getContract needs an ABI array");
  const hex = toHex20(address);
  const read: Record<string, Loose> = {};
  const write: Record<string, Loose> = {};
  const estimate: Record<string, Loose> = {};
  const loose = backend as unknown as {
    read(p: object): Promise<unknown>;
    write(p: object): Promise<unknown>;
    estimateEnergy(p: object): Promise<unknown>;
  };
  for (const item of abi) {
    if (item.type !== "function") continue;
    const functionName = item.name;
    if (item.stateMutability === "view" || item.stateMutability === "pure") {
      read[functionName] = (args = [], options = {}) =>
        loose.read({ ...options, address: hex, abi, functionName, args });
    } else {
      write[functionName] = (args = [], options = {}) =>
        loose.write({ ...options, address: hex, abi, functionName, args });
      estimate[functionName] = (args = [], options = {}) =>
        loose.estimateEnergy({ ...options, address: hex, abi, functionName, args });
    }
  }
  return Object.freeze({
    address: hex,
    abi,
    backend,
    read: Object.freeze(read) as unknown as ContractReads<abi>,
    write: Object.freeze(write) as unknown as ContractWrites<abi>,
    estimateEnergy: Object.freeze(estimate) as unknown as ContractEstimates<abi>,
  });
}

/**
 * Sends a call and waits for its receipt. Rejects with `ContractRevertError` when it reverted
 * (whether the backend saw it before sending or in the receipt), `TransactionFailedError` when it
 * failed otherwise, `TimeoutError` when no receipt came within `timeoutMs`.
 */
export async function writeAndWait<const abi extends Abi, name extends WriteFunctionName<abi>>(
  backend: Backend,
  parameters: WriteParameters<abi, name>,
  options: WaitOptions = {},
): Promise<Receipt> {
  const { txId } = await backend.write(parameters);
  const receipt = await backend.waitForReceipt(txId, options);
  if (receipt.status !== "success" && receipt.error) throw receipt.error;
  return receipt;
}

/** The arguments of every `eventName` log in `logs` that decodes with `abi` (e.g. `receipt.logs`). */
export function parseEventLogs<const abi extends Abi, name extends EventName<abi>>(
  logs: readonly DecodedLog[],
  abi: abi,
  eventName: name,
  options: { address?: AddressInput } = {},
): EventArgs<abi, name>[] {
  if (!Array.isArray(logs)) throw new InvalidArgumentError("logs must be an array");
  const fragment = eventFragment(abi, eventName);
  const address = options.address !== undefined ? toHex20(options.address) : undefined;
  const out: EventArgs<abi, name>[] = [];
  for (const log of logs) {
    if (address !== undefined && log.address !== address) continue;
    const args = decodeEventAs(fragment, abi, log);
    if (args) out.push(args as EventArgs<abi, name>);
  }
  return out;
}
