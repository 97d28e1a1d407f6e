/**
 * ABI encoding and decoding shared by both backends, so that a call encodes to the same bytes and
 * a result decodes to the same values on TRON and on EVM chains (the conventions of types.ts).
 * Built on ethers' coder; the values it returns are converted to abitype's shapes.
 */

import type { Abi } from "abitype";
import {
  AbiCoder,
  type EventFragment,
  type FunctionFragment,
  getAddress,
  Interface,
  type InterfaceAbi,
  isError,
  type ParamType,
  type Result,
} from "ethers";
import { toHex20 } from "../address.js";
import { BttkitError, InvalidArgumentError } from "../errors.js";
import { projectAbis } from "../generated/abi/index.js";
import { mockAbis } from "../generated/abi/mocks/index.js";
import type { DecodedLog, Hex } from "./types.js";

/** Minimal TRC-20 (ERC-20) ABI: what the vault client needs from BTT. */
export const trc20Abi = [
  {
    type: "function",
    name: "balanceOf",
    stateMutability: "view",
    inputs: [{ name: "account", type: "address" }],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "allowance",
    stateMutability: "view",
    inputs: [
      { name: "owner", type: "address" },
      { name: "spender", type: "address" },
    ],
    outputs: [{ name: "", type: "uint256" }],
  },
  {
    type: "function",
    name: "approve",
    stateMutability: "nonpayable",
    inputs: [
      { name: "spender", type: "address" },
      { name: "value", type: "uint256" },
    ],
    outputs: [{ name: "", type: "bool" }],
  },
  {
    type: "function",
    name: "decimals",
    stateMutability: "view",
    inputs: [],
    outputs: [{ name: "", type: "uint8" }],
  },
  {
    type: "event",
    name: "Transfer",
    anonymous: false,
    inputs: [
      { indexed: true, name: "from", type: "address" },
      { indexed: true, name: "to", type: "address" },
      { indexed: false, name: "value", type: "uint256" },
    ],
  },
  {
    type: "event",
    name: "Approval",
    anonymous: false,
    inputs: [
      { indexed: true, name: "owner", type: "address" },
      { indexed: true, name: "spender", type: "address" },
      { indexed: false, name: "value", type: "uint256" },
    ],
  },
] as const;

/** What receipts' logs are decoded against by default: every project ABI and TRC-20's events. */
export const defaultLogAbis: readonly Abi[] = [...projectAbis, ...mockAbis, trc20Abi];

const interfaces = new WeakMap<object, Interface>();

/** ethers' `Interface` for an ABI, cached per ABI object. */
export function interfaceOf(abi: Abi): Interface {
  let iface = interfaces.get(abi);
  if (!iface) {
    try {
      iface = new Interface(abi as unknown as InterfaceAbi);
    } catch (error) {
      throw new InvalidArgumentError("Invalid ABI", { cause: error });
    }
    interfaces.set(abi, iface);
  }
  return iface;
}

export interface EncodedCall {
  fragment: FunctionFragment;
  /** Canonical signature, e.g. `deposit(uint256)`: TRON's `function_selector`. */
  signature: string;
  /** Selector and arguments, `0x` hex. */
  data: Hex;
  /** The arguments alone (no selector), hex without `0x`: TRON's `parameter`. */
  parameter: string;
}

/** Converts every address in `value` (as typed by `param`) to `0x` 20-byte hex. */
function normalizeInput(value: unknown, param: ParamType, path: string): unknown {
  if (param.type === "address") {
    if (typeof value !== "string") {
      throw new InvalidArgumentError(`${path}: expected an address string, got ${typeof value}`);
    }
    return toHex20(value);
  }
  if (param.isArray()) {
    if (!Array.isArray(value)) throw new InvalidArgumentError(`${path}: expected an array`);
    return value.map((v, i) => normalizeInput(v, param.arrayChildren, `${path}[${i}]`));
  }
  if (param.isTuple()) {
    const components = param.components;
    if (Array.isArray(value)) {
      if (value.length !== components.length) {
        throw new InvalidArgumentError(`${path}: expected ${components.length} tuple fields, got ${value.length}`);
      }
      return components.map((c, i) => normalizeInput(value[i], c, `${path}.${c.name || i}`));
    }
    if (typeof value === "object" && value !== null) {
      const record = value as Record<string, unknown>;
      return components.map((c, i) => {
        if (!(c.name in record)) throw new InvalidArgumentError(`${path}: missing field ${c.name || i}`);
        return normalizeInput(record[c.name], c, `${path}.${c.name}`);
      });
    }
    throw new InvalidArgumentError(`${path}: expected a tuple (array or object)`);
  }
  return value;
}

/** Encodes a call of `functionName(args)`; bad names or arguments throw `InvalidArgumentError`. */
export function encodeCall(abi: Abi, functionName: string, args: readonly unknown[] | undefined): EncodedCall {
  if (typeof functionName !== "string") throw new InvalidArgumentError("functionName must be a string");
  const list = args ?? [];
  if (!Array.isArray(list)) throw new InvalidArgumentError(`args of ${functionName} must be an array`);
  const iface = interfaceOf(abi);
  let fragment: FunctionFragment | null;
  try {
    fragment = iface.getFunction(functionName, list.length > 0 ? list : undefined);
  } catch (error) {
    throw new InvalidArgumentError(`No unique function ${JSON.stringify(functionName)} in the ABI`, { cause: error });
  }
  if (!fragment) throw new InvalidArgumentError(`No function ${JSON.stringify(functionName)} in the ABI`);
  if (fragment.inputs.length !== list.length) {
    throw new InvalidArgumentError(`${fragment.name} takes ${fragment.inputs.length} argument(s), got ${list.length}`);
  }
  const values = fragment.inputs.map((p, i) => normalizeInput(list[i], p, `${fragment.name}.${p.name || i}`));
  let data: string;
  try {
    data = iface.encodeFunctionData(fragment, values);
  } catch (error) {
    if (error instanceof BttkitError) throw error;
    const message = isError(error, "INVALID_ARGUMENT") || isError(error, "NUMERIC_FAULT") ? error.shortMessage : "";
    throw new InvalidArgumentError(`Bad arguments for ${fragment.format("sighash")}${message ? `: ${message}` : ""}`, {
      cause: error,
    });
  }
  return { fragment, signature: fragment.format("sighash"), data: data as Hex, parameter: data.slice(10) };
}

const SMALL_INT = /^u?int(\d+)$/;

/** ethers' decoded value -> abitype's shape (see types.ts). */
export function toPlain(value: unknown, param: ParamType): unknown {
  if (param.isTuple()) {
    const values = [...(value as Result)];
    const components = param.components;
    if (components.length > 0 && components.every((c) => c.name !== "")) {
      return Object.fromEntries(components.map((c, i) => [c.name, toPlain(values[i], c)]));
    }
    return components.map((c, i) => toPlain(values[i], c));
  }
  if (param.isArray()) return [...(value as Result)].map((v) => toPlain(v, param.arrayChildren));
  if (param.type === "address") return getAddress(value as string);
  const small = SMALL_INT.exec(param.type);
  if (small && Number(small[1]) <= 48) return Number(value as bigint);
  return value;
}

/** Decodes a function's return data; malformed data throws `InvalidArgumentError`. */
export function decodeResult(fragment: FunctionFragment, data: string): unknown {
  const hex = data.startsWith("0x") ? data : `0x${data}`;
  let result: Result;
  try {
    result = AbiCoder.defaultAbiCoder().decode(fragment.outputs, hex);
  } catch (error) {
    throw new InvalidArgumentError(
      `Could not decode the result of ${fragment.format("sighash")} (${hex === "0x" ? "no data: is the address a contract?" : hex.slice(0, 74)})`,
      { cause: error },
    );
  }
  const values = fragment.outputs.map((p, i) => toPlain(result[i], p));
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return values;
}

export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  logIndex: number;
}

const with0x = (hex: string): Hex => (hex.startsWith("0x") ? hex.toLowerCase() : `0x${hex.toLowerCase()}`) as Hex;

function decodeWith(fragment: EventFragment, iface: Interface, log: { topics: Hex[]; data: Hex }) {
  const parsed = iface.decodeEventLog(fragment, log.data, log.topics);
  return Object.fromEntries(fragment.inputs.map((p, i) => [p.name || `arg${i}`, toPlain(parsed[i], p)]));
}

/** Decodes a raw log against the first ABI that knows its event (matching topic count). */
export function decodeLog(raw: RawLog, abis: readonly Abi[] = defaultLogAbis): DecodedLog {
  const topics = raw.topics.map(with0x);
  const data = raw.data ? with0x(raw.data) : "0x";
  const address = toHex20(raw.address.length === 40 ? `0x${raw.address}` : raw.address);
  const base = { address, logIndex: raw.logIndex, topics, data };
  const topic0 = topics[0];
  if (topic0 !== undefined) {
    for (const abi of abis) {
      const iface = interfaceOf(abi);
      const fragment = iface.getEvent(topic0);
      if (!fragment) continue;
      try {
        return { ...base, eventName: fragment.name, args: decodeWith(fragment, iface, { topics, data }) };
      } catch {
        // Same signature, different indexing (e.g. ERC-721 Transfer): try the next ABI.
      }
    }
  }
  return { ...base, eventName: undefined, args: undefined };
}

/** The event fragment of `eventName` in `abi`; unknown names throw `InvalidArgumentError`. */
export function eventFragment(abi: Abi, eventName: string): EventFragment {
  if (typeof eventName !== "string") throw new InvalidArgumentError("eventName must be a string");
  let fragment: EventFragment | null = null;
  try {
    fragment = interfaceOf(abi).getEvent(eventName);
  } catch (error) {
    throw new InvalidArgumentError(`No unique event ${JSON.stringify(eventName)} in the ABI`, { cause: error });
  }
  if (!fragment) throw new InvalidArgumentError(`No event ${JSON.stringify(eventName)} in the ABI`);
  return fragment;
}

/** Decodes `log` as event `fragment`; `undefined` when it is another event. */
export function decodeEventAs(fragment: EventFragment, abi: Abi, log: { topics: readonly string[]; data: string }) {
  const topics = log.topics.map(with0x);
  if (topics[0] !== fragment.topicHash) return undefined;
  try {
    return decodeWith(fragment, interfaceOf(abi), { topics, data: log.data ? with0x(log.data) : "0x" });
  } catch {
    return undefined;
  }
}
