/**
 * ABIs in the two shapes the devnode meets: java-tron's protobuf JSON ("Function", "View",
 * no tuple components) for /wallet/getcontract, and the standard JSON ABI for decoding.
 */
import { keccak_256 } from "@noble/hashes/sha3.js";

// biome-ignore lint/suspicious/noExplicitAny: generated google-protobuf classes are untyped
type Pb = any;

export interface WireParam {
  indexed?: boolean;
  name?: string;
  type: string;
  components?: WireParam[];
}
export interface WireEntry {
  anonymous?: boolean;
  constant?: boolean;
  name?: string;
  inputs?: WireParam[];
  outputs?: WireParam[];
  type?: string;
  payable?: boolean;
  stateMutability?: string;
}

const ENTRY_TYPES = ["UnknownEntryType", "Constructor", "Function", "Event", "Fallback", "Receive", "Error"];
const MUTABILITY = ["UnknownMutabilityType", "Pure", "View", "Nonpayable", "Payable"];

/** java-tron's JSON rendering of SmartContract.ABI: default values omitted, enums capitalised. */
export function abiPbToWire(abiPb: Pb | undefined): { entrys: WireEntry[] } | undefined {
  if (!abiPb) return undefined;
  const param = (p: Pb): WireParam => ({
    ...(p.getIndexed() ? { indexed: true } : {}),
    ...(p.getName() ? { name: p.getName() } : {}),
    type: p.getType(),
  });
  const entrys = abiPb.getEntrysList().map((e: Pb) => {
    const o: WireEntry = {};
    if (e.getAnonymous()) o.anonymous = true;
    if (e.getConstant()) o.constant = true;
    if (e.getName()) o.name = e.getName();
    const inputs = e.getInputsList();
    if (inputs.length) o.inputs = inputs.map(param);
    const outputs = e.getOutputsList();
    if (outputs.length) o.outputs = outputs.map(param);
    if (e.getType()) o.type = ENTRY_TYPES[e.getType()] ?? "UnknownEntryType";
    if (e.getPayable()) o.payable = true;
    if (e.getStatemutability()) o.stateMutability = MUTABILITY[e.getStatemutability()] ?? "UnknownMutabilityType";
    return o;
  });
  return { entrys };
}

/** Standard JSON ABI (lower-case type and mutability) from either shape. */
export function toStandardAbi(abi: unknown): WireEntry[] {
  let entries: unknown = abi;
  if (typeof entries === "string") {
    try {
      entries = JSON.parse(entries);
    } catch {
      return [];
    }
  }
  if (entries && !Array.isArray(entries) && typeof entries === "object")
    entries = (entries as { entrys?: unknown }).entrys;
  if (!Array.isArray(entries)) return [];
  return entries
    .filter((e): e is WireEntry => !!e && typeof e === "object")
    .map((e) => ({
      ...e,
      type: (e.type ?? "function").toLowerCase(),
      ...(e.stateMutability ? { stateMutability: e.stateMutability.toLowerCase() } : {}),
    }));
}

/** Event parameter values as TronGrid's event API writes them. */
export function formatEventValue(type: string, value: unknown): unknown {
  if (type === "address" && typeof value === "string") return value.toLowerCase();
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map((v) => formatEventValue(type.replace(/\[\d*\]$/, ""), v));
  return value;
}

/**
 * Whether `data` calls a view or pure function of `abi` (java-tron's Wallet.isConstant: then
 * /wallet/triggersmartcontract runs it at once and answers constant_result).
 */
export function isConstantSelector(abi: unknown, data: Uint8Array): boolean {
  if (data.length < 4) return false;
  const selector = Buffer.from(data.subarray(0, 4)).toString("hex");
  return toStandardAbi(abi).some(
    (e) =>
      e.type === "function" &&
      (e.constant || e.stateMutability === "view" || e.stateMutability === "pure") &&
      Buffer.from(keccak_256(new TextEncoder().encode(`${e.name}(${(e.inputs ?? []).map((i) => i.type).join(",")})`)))
        .subarray(0, 4)
        .toString("hex") === selector,
  );
}
