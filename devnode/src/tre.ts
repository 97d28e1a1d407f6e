/**
 * POST /tre: the TronBox Runtime Environment's JSON-RPC test methods (what `tronbox test` calls
 * through tronWrap.send), plus tre_increaseTime as a devnode extension.
 */

import type { Chain } from "./chain.js";
import { hexToBytes, TronAddress } from "./encoding.js";
import { ENERGY_FACTOR_DECIMAL } from "./energy.js";
import { BadRequestError, RpcError } from "./errors.js";

type Params = unknown[];

/** Accepts "0x3e8", "1000" or 1000. */
function quantity(v: unknown, field: string): bigint {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^0x[0-9a-fA-F]{1,64}$/.test(v)) return BigInt(v);
  if (typeof v === "string" && /^\d{1,78}$/.test(v)) return BigInt(v);
  throw new RpcError(-32602, `invalid ${field}: ${JSON.stringify(v)}`);
}

function addressParam(v: unknown): TronAddress {
  try {
    return TronAddress.parse(v);
  } catch {
    throw new RpcError(-32602, `invalid address: ${JSON.stringify(v)}`);
  }
}

function bytes32(v: unknown, field: string): Uint8Array {
  let b: Uint8Array;
  try {
    // quantities like "0x0" have odd length: pad them
    const h = typeof v === "string" ? v.replace(/^0x/, "") : v;
    b = hexToBytes(typeof h === "string" && h.length % 2 ? `0${h}` : h, field);
  } catch {
    throw new RpcError(-32602, `invalid ${field}`);
  }
  if (b.length > 32) throw new RpcError(-32602, `${field} longer than 32 bytes`);
  const out = new Uint8Array(32);
  out.set(b, 32 - b.length);
  return out;
}

export function treMethods(chain: Chain): Record<string, (p: Params) => Promise<unknown>> {
  return {
    async tre_mine(p) {
      const arg = p[0];
      const n = arg && typeof arg === "object" ? (arg as { blocks?: unknown }).blocks : arg;
      const blocks = n === undefined ? 1 : Number(quantity(n, "blocks"));
      if (blocks > 10_000) throw new RpcError(-32602, "at most 10000 blocks at once");
      await chain.mine(blocks);
      return true;
    },
    async tre_blockTime(p) {
      const seconds = Number(quantity(p[0] ?? 0, "blockTime"));
      chain.setBlockTime(seconds);
      return true;
    },
    async tre_setAccountBalance(p) {
      const a = addressParam(p[0]);
      const balance = quantity(p[1], "balance");
      await chain.lock.run(() => chain.exec.setBalance(a, balance));
      return true;
    },
    async tre_setAccountCode(p) {
      const a = addressParam(p[0]);
      let code: Uint8Array;
      try {
        code = hexToBytes(p[1], "code");
      } catch {
        throw new RpcError(-32602, "invalid code");
      }
      await chain.lock.run(() => chain.exec.setCode(a, code));
      return true;
    },
    async tre_setAccountStorageAt(p) {
      const a = addressParam(p[0]);
      const slot = bytes32(p[1], "slot");
      const value = bytes32(p[2], "value");
      await chain.lock.run(() => chain.exec.setStorage(a, slot, value));
      return true;
    },
    /** Dynamic energy: sets a contract's energy_factor as java-tron reports it (3,400 = ×1.34). */
    async tre_setEnergyFactor(p) {
      const a = addressParam(p[0]);
      const factor = quantity(p[1], "factor");
      if (factor > 1_000_000n) throw new RpcError(-32602, "factor out of range");
      chain.energyFactors.set(Buffer.from(a.bytes20).toString("hex"), ENERGY_FACTOR_DECIMAL + factor);
      return true;
    },
    /** Devnode extension: an energy allowance as if the account had staked for it (24 h window). */
    async tre_setAccountEnergy(p) {
      const a = addressParam(p[0]);
      const energy = quantity(p[1], "energy");
      if (energy > BigInt(Number.MAX_SAFE_INTEGER)) throw new RpcError(-32602, "energy out of range");
      chain.energy.setLimit(a.hex, Number(energy));
      return true;
    },
    async tre_unlockedAccounts(p) {
      const list = p[0];
      if (!Array.isArray(list)) throw new RpcError(-32602, "expected an array of addresses");
      for (const a of list.map(addressParam)) chain.unlocked.add(a.hex);
      return true;
    },
    async tre_increaseTime(p) {
      return chain.increaseTime(Number(quantity(p[0], "seconds")));
    },
    async eth_chainId() {
      return `0x${chain.opts.chainId.toString(16)}`;
    },
    async eth_blockNumber() {
      return `0x${chain.head.number.toString(16)}`;
    },
  };
}

interface RpcRequest {
  jsonrpc?: string;
  id?: unknown;
  method?: unknown;
  params?: unknown;
}

export async function handleRpc(chain: Chain, body: unknown): Promise<unknown> {
  const methods = treMethods(chain);
  const one = async (req: RpcRequest) => {
    const id = req?.id ?? null;
    try {
      if (!req || typeof req !== "object" || typeof req.method !== "string")
        throw new RpcError(-32600, "invalid request");
      const fn = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
      if (!fn) throw new RpcError(-32601, `method ${req.method} not found`);
      const params = req.params === undefined ? [] : req.params;
      if (!Array.isArray(params)) throw new RpcError(-32602, "params must be an array");
      return { jsonrpc: "2.0", id, result: await fn(params) };
    } catch (e) {
      if (e instanceof RpcError) return { jsonrpc: "2.0", id, error: { code: e.rpcCode, message: e.message } };
      if (e instanceof BadRequestError) return { jsonrpc: "2.0", id, error: { code: -32602, message: e.message } };
      throw e;
    }
  };
  if (body === undefined)
    return { jsonrpc: "2.0", id: null, error: { code: -32700, message: "parse error: empty body" } };
  if (Array.isArray(body)) return Promise.all(body.map((r) => one(r as RpcRequest)));
  return one(body as RpcRequest);
}
