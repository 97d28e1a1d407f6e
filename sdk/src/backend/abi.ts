/**
 * ABI encoding and decoding shared by both backends, so that a call encodes to the same bytes and
 * a result decodes to the same values on TRON and on EVM chains (the conventions of types.ts).
 * Built on ox's coder, whose values already have abitype's shapes.
 */

import type { Abi, AbiEvent, AbiFunction, AbiParameter } from "abitype";
import * as AbiItem from "ox/AbiItem";
import * as AbiParameters from "ox/AbiParameters";
import { toHex20 } from "../address.js";
import { BttkitError, InvalidArgumentError } from "../errors.js";
import { projectEventsAbi } from "../generated/abi/errorsAndEvents.js";
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

/** What receipts' logs are decoded against by default: every project event and TRC-20's. */
export const defaultLogAbis: readonly Abi[] = [projectEventsAbi, trc20Abi];

export interface EncodedCall {
  fragment: AbiFunction;
  /** Canonical signature, e.g. `deposit(uint256)`: TRON's `function_selector`. */
  signature: string;
  /** Selector and arguments, `0x` hex. */
  data: Hex;
  /** The arguments alone (no selector), hex without `0x`: TRON's `parameter`. */
  parameter: string;
}

const ARRAY = /^(.*)\[(\d*)\]$/;

/** Converts every address in `value` (as typed by `param`) to `0x` 20-byte hex. */
function normalizeInput(value: unknown, param: AbiParameter, path: string): unknown {
  const array = ARRAY.exec(param.type);
  if (array) {
    if (!Array.isArray(value)) throw new InvalidArgumentError(`${path}: expected an array`);
    if (array[2] !== "" && value.length !== Number(array[2])) {
      throw new InvalidArgumentError(`${path}: expected ${array[2]} elements, got ${value.length}`);
    }
    const child = { ...param, type: array[1] as string } as AbiParameter;
    return value.map((v, i) => normalizeInput(v, child, `${path}[${i}]`));
  }
  if (param.type === "address") {
    if (typeof value !== "string") {
      throw new InvalidArgumentError(`${path}: expected an address string, got ${typeof value}`);
    }
    return toHex20(value);
  }
  if (param.type === "tuple" && "components" in param) {
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
        if (!c.name || !(c.name in record)) throw new InvalidArgumentError(`${path}: missing field ${c.name || i}`);
        return normalizeInput(record[c.name], c, `${path}.${c.name}`);
      });
    }
    throw new InvalidArgumentError(`${path}: expected a tuple (array or object)`);
  }
  if (/^u?int\d*$/.test(param.type) && typeof value !== "bigint" && !Number.isSafeInteger(value)) {
    throw new InvalidArgumentError(`${path}: expected a bigint (or a safe integer), got ${String(value)}`);
  }
  return value;
}

function errorText(error: unknown): string {
  return error instanceof Error ? ((error as { shortMessage?: string }).shortMessage ?? error.message) : String(error);
}

/** Encodes a call of `functionName(args)`; bad names or arguments throw `InvalidArgumentError`. */
export function encodeCall(abi: Abi, functionName: string, args: readonly unknown[] | undefined): EncodedCall {
  if (typeof functionName !== "string") throw new InvalidArgumentError("functionName must be a string");
  const list = args ?? [];
  if (!Array.isArray(list)) throw new InvalidArgumentError(`args of ${functionName} must be an array`);
  const candidates = (Array.isArray(abi) ? abi : []).filter(
    (item): item is AbiFunction => item.type === "function" && item.name === functionName,
  );
  const matching = candidates.filter((f) => f.inputs.length === list.length);
  const fragment = matching.length === 1 ? matching[0] : candidates.length === 1 ? candidates[0] : undefined;
  if (!fragment) {
    throw new InvalidArgumentError(
      candidates.length === 0
        ? `No function ${JSON.stringify(functionName)} in the ABI`
        : `No unique function ${JSON.stringify(functionName)} in the ABI`,
    );
  }
  const signature = AbiItem.getSignature(fragment);
  if (fragment.inputs.length !== list.length) {
    throw new InvalidArgumentError(`${fragment.name} takes ${fragment.inputs.length} argument(s), got ${list.length}`);
  }
  const values = fragment.inputs.map((p, i) => normalizeInput(list[i], p, `${fragment.name}.${p.name || i}`));
  let parameter: string;
  try {
    parameter = AbiParameters.encode(fragment.inputs, values).slice(2);
  } catch (error) {
    if (error instanceof BttkitError) throw error;
    throw new InvalidArgumentError(`Bad arguments for ${signature}: ${errorText(error)}`, { cause: error });
  }
  const data = `${AbiItem.getSelector(fragment)}${parameter}` as Hex;
  return { fragment, signature, data, parameter };
}

const SMALL_INT = /^u?int(\d+)$/;

/** An elementary value from another source (TronGrid's event API) -> abitype's shape. */
export function toPlain(value: unknown, param: AbiParameter): unknown {
  if (param.type === "address") return toHex20(String(value));
  const small = SMALL_INT.exec(param.type);
  if (small && Number(small[1]) <= 48) return Number(value as bigint);
  return value;
}

/** Decodes a function's return data; malformed data throws `InvalidArgumentError`. */
export function decodeResult(fragment: AbiFunction, data: string): unknown {
  const hex = (data.startsWith("0x") ? data : `0x${data}`) as Hex;
  let values: readonly unknown[];
  try {
    values = AbiParameters.decode(fragment.outputs, hex);
  } catch (error) {
    throw new InvalidArgumentError(
      `Could not decode the result of ${AbiItem.getSignature(fragment)} (${hex === "0x" ? "no data: is the address a contract?" : hex.slice(0, 74)})`,
      { cause: error },
    );
  }
  if (values.length === 0) return undefined;
  if (values.length === 1) return values[0];
  return [...values];
}

export interface RawLog {
  address: string;
  topics: readonly string[];
  data: string;
  logIndex: number;
}

const with0x = (hex: string): Hex => (hex.startsWith("0x") ? hex.toLowerCase() : `0x${hex.toLowerCase()}`) as Hex;

const topicHashes = new WeakMap<AbiEvent, Hex>();

/** The event's topic 0 (keccak of its signature), cached per fragment. */
export function eventTopic(fragment: AbiEvent): Hex {
  let topic = topicHashes.get(fragment);
  if (!topic) {
    topic = AbiItem.getSignatureHash(fragment) as Hex;
    topicHashes.set(fragment, topic);
  }
  return topic;
}

const STATIC_TOPIC = /^(address|bool|bytes([1-9]|[12]\d|3[012])|u?int\d*)$/;

/**
 * Decodes one log as `fragment` by name (`arg<i>` for unnamed parameters). Indexed dynamic values
 * (strings, bytes, arrays, tuples) are only their hash in the topic, kept as that hash.
 */
function decodeWith(fragment: AbiEvent, log: { topics: readonly Hex[]; data: Hex }): Record<string, unknown> {
  const indexed = fragment.inputs.filter((p) => p.indexed);
  if (log.topics.length !== indexed.length + 1) throw new Error("topic count does not match the event");
  const plain = fragment.inputs.filter((p) => !p.indexed);
  const dataValues = AbiParameters.decode(plain, log.data);
  const out: Record<string, unknown> = {};
  let t = 1;
  let d = 0;
  for (const [i, p] of fragment.inputs.entries()) {
    let value: unknown;
    if (p.indexed) {
      const topic = log.topics[t++] as Hex;
      value = STATIC_TOPIC.test(p.type) ? AbiParameters.decode([p], topic)[0] : topic;
    } else value = dataValues[d++];
    out[p.name || `arg${i}`] = value;
  }
  return out;
}

function eventsOf(abi: Abi): AbiEvent[] {
  return (Array.isArray(abi) ? abi : []).filter((item): item is AbiEvent => item.type === "event");
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
      for (const fragment of eventsOf(abi)) {
        if (fragment.anonymous || eventTopic(fragment) !== topic0) continue;
        try {
          return { ...base, eventName: fragment.name, args: decodeWith(fragment, { topics, data }) };
        } catch {
          // Same signature, different indexing (e.g. ERC-721 Transfer): try the next one.
        }
      }
    }
  }
  return { ...base, eventName: undefined, args: undefined };
}

/** The event fragment of `eventName` in `abi`; unknown names throw `InvalidArgumentError`. */
export function eventFragment(abi: Abi, eventName: string): AbiEvent {
  if (typeof eventName !== "string") throw new InvalidArgumentError("eventName must be a string");
  const found = eventsOf(abi).filter((e) => e.name === eventName);
  if (found.length > 1) throw new InvalidArgumentError(`No unique event ${JSON.stringify(eventName)} in the ABI`);
  const fragment = found[0];
  if (!fragment) throw new InvalidArgumentError(`No event ${JSON.stringify(eventName)} in the ABI`);
  return fragment;
}

/** Decodes `log` as event `fragment`; `undefined` when it is another event. */
export function decodeEventAs(fragment: AbiEvent, _abi: Abi, log: { topics: readonly string[]; data: string }) {
  const topics = log.topics.map(with0x);
  if (topics[0] !== eventTopic(fragment)) return undefined;
  try {
    return decodeWith(fragment, { topics, data: log.data ? with0x(log.data) : "0x" });
  } catch {
    return undefined;
  }
}
