/**
 * `Backend` over TronWeb 6: a TronWeb made with a private key, or an injected TronLink-style
 * `window.tronWeb` (its `trx.sign` asks the wallet).
 *
 * What TronWeb hides and how this backend gets it anyway (TRON.md):
 * - `contract().method().call()` garbles custom errors, and `transactionBuilder.triggerConstantContract`
 *   throws the bare "REVERT opcode executed" before the revert data can be read. Reads therefore
 *   POST `wallet/triggerconstantcontract` through TronWeb's own `fullNode` provider and decode
 *   `constant_result[0]` (the return value, or the revert data) with the project's ABIs.
 * - `send()` returns only a txID and throws bare messages. Writes build with
 *   `transactionBuilder.triggerSmartContract` (which checks the node built what was asked),
 *   sign with `trx.sign`, broadcast with `trx.sendRawTransaction`, and `waitForReceipt` polls
 *   `trx.getUnconfirmedTransactionInfo` until the transaction is in a block. A failed
 *   transaction's revert data is `contractResult[0]`.
 * - Addresses: accepted in any form; TronWeb's `41` hex is sent to the node; results are `0x`
 *   20-byte hex, as the ethers backend returns them (types.ts).
 */

import { hexToBytes } from "@noble/hashes/utils.js";
import type { Abi, AbiParameter } from "abitype";
import { type Hex20, toBase58, toHex20, toTronHex } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import { BackendError, ContractRevertError, TimeoutError, TransactionFailedError, toBttkitError } from "../revert.js";
import { signTypedDataWithTronWeb, type TronWebTypedDataSigner, type TypedDataRequest } from "../tip712.js";
import {
  decodeEventAs,
  decodeLog,
  decodeResult,
  defaultLogAbis,
  type EncodedCall,
  encodeCall,
  eventFragment,
  toPlain,
} from "./abi.js";
import type {
  AddressInput,
  Backend,
  Block,
  ContractEvent,
  EventArgs,
  EventName,
  FunctionResult,
  GetEventsParameters,
  LooseCall,
  ReadFunctionName,
  ReadParameters,
  Receipt,
  WaitOptions,
  WriteFunctionName,
  WriteParameters,
  WriteResult,
} from "./types.js";
import {
  checkFromBlock,
  checkLimit,
  checkOptionalBigint,
  checkTimeout,
  DEFAULT_RECEIPT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  guarded,
  sleep,
  walletError,
  withTimeout,
} from "./util.js";

/**
 * The part of a TronWeb instance this backend uses. A `new TronWeb(...)` and TronLink's injected
 * `window.tronWeb` both have it.
 */
export interface TronWebLike {
  defaultAddress: { hex: string | false; base58: string | false };
  fullNode: { request(url: string, payload?: object, method?: "get" | "post"): Promise<unknown> };
  transactionBuilder: {
    triggerSmartContract(
      contractAddress: string,
      functionSelector: string,
      options: object,
      parameters: never[],
      issuerAddress: string,
    ): Promise<unknown>;
  };
  trx: {
    sign(transaction: never): Promise<unknown>;
    sendRawTransaction(signedTransaction: never): Promise<unknown>;
    getUnconfirmedTransactionInfo(transactionID: string): Promise<unknown>;
    getBlockByNumber(blockID: number): Promise<unknown>;
  };
  event: { getEventsByContractAddress(contractAddress: string, options?: object): Promise<unknown> };
}

export interface TronWebBackendOptions {
  /**
   * The chain id (`block.chainid`, low 4 bytes). Default: asked from the node by running
   * `CHAINID` in a constant call, falling back to the low 4 bytes of the genesis block id.
   */
  chainId?: bigint;
  /** Default fee limit in sun (default 300 TRX; java-tron's maximum is 15,000 TRX). */
  feeLimit?: bigint;
  /** Bound on each request to the node (default 30 s). */
  requestTimeoutMs?: number;
  /** How often `waitForReceipt` asks for the transaction info (default 500 ms). */
  pollIntervalMs?: number;
}

/** java-tron's maxFeeLimit: 15,000 TRX in sun. */
export const MAX_FEE_LIMIT = 15_000_000_000n;
/** Default fee limit: 300 TRX. */
export const DEFAULT_FEE_LIMIT = 300_000_000n;
/** `CHAINID PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN`: init code that returns `block.chainid`. */
const CHAIN_ID_PROBE = "4660005260206000f3";
const ZERO_OWNER = `41${"0".repeat(40)}`;
const TX_ID = /^(0x)?[0-9a-fA-F]{64}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null;
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "" ? v : undefined);

/** java-tron sends messages as hex of UTF-8. */
function text(value: unknown): string | undefined {
  const s = str(value);
  if (s === undefined) return undefined;
  if (/^(?:[0-9a-fA-F]{2})+$/.test(s)) {
    let decoded: string;
    try {
      decoded = new TextDecoder("utf-8", { fatal: true }).decode(hexToBytes(s));
    } catch {
      return s;
    }
    if (/^[\x20-\x7e\n\t]*$/.test(decoded)) return decoded;
  }
  return s;
}

function toNumber(value: bigint, name: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new InvalidArgumentError(`${name} is too large: ${value}`);
  return Number(value);
}

/** `Backend` over TronWeb 6 (TRON full-node HTTP API and TronGrid's event API). */
export class TronWebBackend implements Backend {
  readonly kind = "tronweb";
  readonly tronWeb: TronWebLike;
  private readonly timeoutMs: number;
  private readonly pollIntervalMs: number;
  private readonly feeLimit: bigint;
  private chainIdCache: Promise<bigint> | undefined;

  constructor(tronWeb: TronWebLike, options: TronWebBackendOptions = {}) {
    if (!isObj(tronWeb) || !isObj(tronWeb.fullNode) || !isObj(tronWeb.trx) || !isObj(tronWeb.transactionBuilder)) {
      throw new InvalidArgumentError("TronWebBackend needs a TronWeb instance (new TronWeb(...) or window.tronWeb)");
    }
    this.tronWeb = tronWeb;
    this.timeoutMs = checkTimeout(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs");
    this.pollIntervalMs = checkTimeout(options.pollIntervalMs ?? 500, "pollIntervalMs");
    this.feeLimit = checkFeeLimit(options.feeLimit ?? DEFAULT_FEE_LIMIT);
    if (options.chainId !== undefined) {
      if (typeof options.chainId !== "bigint" || options.chainId < 0n) {
        throw new InvalidArgumentError("chainId must be a non-negative bigint");
      }
      this.chainIdCache = Promise.resolve(options.chainId & 0xffffffffn);
    }
  }

  chainId(): Promise<bigint> {
    this.chainIdCache ??= this.fetchChainId().catch((error: unknown) => {
      this.chainIdCache = undefined; // retry next time
      throw error;
    });
    return this.chainIdCache;
  }

  private async fetchChainId(): Promise<bigint> {
    const probe = await this.post("wallet/triggerconstantcontract", {
      owner_address: ZERO_OWNER,
      data: CHAIN_ID_PROBE,
      visible: false,
    }).catch(() => undefined);
    if (isObj(probe) && Array.isArray(probe.constant_result)) {
      const word = str(probe.constant_result[0]);
      const result = isObj(probe.result) ? probe.result : {};
      const failed = result.code !== undefined || result.message !== undefined;
      if (!failed && word !== undefined && /^[0-9a-fA-F]{64}$/.test(word)) return BigInt(`0x${word}`) & 0xffffffffn;
    }
    const genesis = await guarded("getBlockByNumber(0)", this.timeoutMs, () => this.tronWeb.trx.getBlockByNumber(0));
    const id = isObj(genesis) ? str(genesis.blockID) : undefined;
    if (id === undefined || !/^[0-9a-fA-F]{64}$/.test(id)) {
      throw new BackendError("Could not learn the chain id: no CHAINID result and no genesis block id");
    }
    return BigInt(`0x${id.slice(-8)}`);
  }

  async getBlock(): Promise<Block> {
    const block = await this.post("wallet/getnowblock", {});
    const header = isObj(block) && isObj(block.block_header) ? block.block_header : undefined;
    const raw = header && isObj(header.raw_data) ? header.raw_data : undefined;
    const ms = raw?.timestamp;
    if (typeof ms !== "number" && typeof ms !== "string") {
      throw new BackendError("wallet/getnowblock returned no block timestamp", { cause: block });
    }
    return { number: BigInt(Number(raw?.number ?? 0)), timestamp: BigInt(ms) / 1000n };
  }

  async signTypedData(request: TypedDataRequest): Promise<string> {
    const sign = (this.tronWeb.trx as { _signTypedData?: unknown })._signTypedData;
    if (typeof sign !== "function")
      throw new BackendError("This TronWeb cannot sign typed data (no trx._signTypedData)");
    await this.requireAccount();
    const { EIP712Domain: _, ...types } = request.types;
    try {
      return await signTypedDataWithTronWeb(
        this.tronWeb as unknown as TronWebTypedDataSigner,
        request.domain,
        types,
        request.message,
      );
    } catch (error) {
      throw walletError(error, "signature");
    }
  }

  async account(): Promise<Hex20 | undefined> {
    const base58 = this.tronWeb.defaultAddress?.base58;
    const hex = this.tronWeb.defaultAddress?.hex;
    if (typeof base58 === "string" && base58 !== "") return toHex20(base58);
    if (typeof hex === "string" && hex !== "") return toHex20(hex);
    return undefined;
  }

  private async requireAccount(): Promise<Hex20> {
    const account = await this.account();
    if (!account) throw new InvalidArgumentError("This TronWeb has no default address: it can read but not sign");
    return account;
  }

  /** POST to the full node through TronWeb's provider, bounded in time. */
  private post(path: string, payload: object): Promise<unknown> {
    return guarded(path, this.timeoutMs, () => this.tronWeb.fullNode.request(path, payload, "post"));
  }

  /** A constant call; a revert or refusal throws a typed error, success returns the response. */
  private async constantCall(path: string, payload: Obj, contractAddress: string): Promise<Obj> {
    const response = await this.post(path, payload);
    if (!isObj(response)) throw new BackendError(`Unexpected reply from ${path}`, { cause: response });
    if (str(response.Error)) throw new BackendError(`${path}: ${response.Error}`, { cause: response });
    const result = isObj(response.result) ? response.result : {};
    const transaction = isObj(response.transaction) ? response.transaction : {};
    const ret = Array.isArray(transaction.ret) && isObj(transaction.ret[0]) ? transaction.ret[0] : {};
    const failed = result.code !== undefined || result.message !== undefined || ret.ret === "FAILED";
    if (!failed) return response;
    if (Array.isArray(response.constant_result)) {
      const typed = toBttkitError(response, { contractAddress });
      if (typed instanceof ContractRevertError || typed instanceof TransactionFailedError) throw typed;
    }
    const code = str(result.code);
    throw new TransactionFailedError(`Call refused${code ? `: ${code}` : ""}`, {
      reason: code,
      details: text(result.message),
      cause: response,
    });
  }

  private triggerPayload(address: AddressInput, call: EncodedCall, owner: string, callValue?: bigint): Obj {
    return {
      owner_address: owner,
      contract_address: toTronHex(address),
      function_selector: call.signature,
      parameter: call.parameter,
      ...(callValue ? { call_value: toNumber(callValue, "callValue") } : {}),
      visible: false,
    };
  }

  async read<const abi extends Abi, name extends ReadFunctionName<abi>>(
    parameters: ReadParameters<abi, name>,
  ): Promise<FunctionResult<abi, name>> {
    const { abi, functionName, args } = parameters as unknown as LooseCall;
    const contract = toHex20(parameters.address);
    const call = encodeCall(abi, functionName, args);
    const from = parameters.from !== undefined ? toHex20(parameters.from) : await this.account();
    const owner = from ? toTronHex(from) : ZERO_OWNER;
    const response = await this.constantCall(
      "wallet/triggerconstantcontract",
      this.triggerPayload(contract, call, owner),
      contract,
    );
    const data = Array.isArray(response.constant_result) ? str(response.constant_result[0]) : undefined;
    return decodeResult(call.fragment, data ?? "") as FunctionResult<abi, name>;
  }

  async estimateEnergy<const abi extends Abi, name extends WriteFunctionName<abi>>(
    parameters: WriteParameters<abi, name>,
  ): Promise<bigint> {
    const p = parameters as unknown as LooseCall;
    const contract = toHex20(p.address);
    const callValue = checkOptionalBigint(p.callValue, "callValue");
    checkOptionalBigint(p.feeLimit, "feeLimit");
    const call = encodeCall(p.abi, p.functionName, p.args);
    const from = await this.account();
    const payload = this.triggerPayload(contract, call, from ? toTronHex(from) : ZERO_OWNER, callValue);
    // wallet/estimateenergy needs java-tron's vm.estimateEnergy switch; many nodes lack it.
    const estimate = await this.post("wallet/estimateenergy", payload).catch(() => undefined);
    if (isObj(estimate) && typeof estimate.energy_required === "number") {
      const result = isObj(estimate.result) ? estimate.result : {};
      if (result.code === undefined && result.message === undefined) return BigInt(estimate.energy_required);
    }
    // Fallback, and the way to a decoded revert: the energy a constant call used.
    const response = await this.constantCall("wallet/triggerconstantcontract", payload, contract);
    return BigInt(typeof response.energy_used === "number" ? response.energy_used : 0);
  }

  async write<const abi extends Abi, name extends WriteFunctionName<abi>>(
    parameters: WriteParameters<abi, name>,
  ): Promise<WriteResult> {
    const p = parameters as unknown as LooseCall;
    const contract = toHex20(p.address);
    const callValue = checkOptionalBigint(p.callValue, "callValue") ?? 0n;
    const feeLimit = checkFeeLimit(p.feeLimit ?? this.feeLimit);
    const call = encodeCall(p.abi, p.functionName, p.args);
    const owner = toTronHex(await this.requireAccount());
    const tw = this.tronWeb;
    const built = await guarded(
      "triggerSmartContract",
      this.timeoutMs,
      () =>
        tw.transactionBuilder.triggerSmartContract(
          toTronHex(contract),
          call.signature,
          {
            feeLimit: toNumber(feeLimit, "feeLimit"),
            callValue: toNumber(callValue, "callValue"),
            rawParameter: call.parameter,
          },
          [],
          owner,
        ),
      contract,
    );
    const transaction = isObj(built) && isObj(built.transaction) ? built.transaction : undefined;
    if (!transaction || !str(transaction.txID)) {
      throw new BackendError("triggerSmartContract returned no transaction", { cause: built });
    }
    // A wallet asks its user here: a refusal is `UserRejectedError`, and nothing was sent.
    let signed: unknown;
    try {
      signed = await withTimeout(
        Promise.resolve().then(() => tw.trx.sign(transaction as never)),
        this.timeoutMs * 4,
        "sign",
      );
    } catch (error) {
      throw walletError(error, "transaction");
    }
    const sent = await guarded("sendRawTransaction", this.timeoutMs, () => tw.trx.sendRawTransaction(signed as never));
    if (!isObj(sent) || sent.result !== true) {
      const reply = isObj(sent) ? sent : {};
      const code = str(reply.code) ?? "BROADCAST_FAILED";
      throw new TransactionFailedError(`Transaction refused: ${code}`, {
        reason: code,
        details: text(reply.message),
        transactionId: str(transaction.txID),
        cause: sent,
      });
    }
    return { txId: str(sent.txid) ?? (transaction.txID as string) };
  }

  async waitForReceipt(txId: string, options: WaitOptions = {}): Promise<Receipt> {
    if (typeof txId !== "string" || !TX_ID.test(txId)) {
      throw new InvalidArgumentError(`Not a TRON transaction id: ${JSON.stringify(txId)}`);
    }
    const id = txId.replace(/^0x/, "").toLowerCase();
    const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
    const abis = options.abis ?? defaultLogAbis;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const left = deadline - Date.now();
      const info = await guarded("getUnconfirmedTransactionInfo", Math.max(1, Math.min(this.timeoutMs, left)), () =>
        this.tronWeb.trx.getUnconfirmedTransactionInfo(id),
      );
      if (isObj(info) && str(info.id) && info.blockNumber !== undefined) return this.receiptOf(id, info, abis);
      if (Date.now() + this.pollIntervalMs > deadline) {
        throw new TimeoutError(`Transaction ${id} was not in a block within ${timeoutMs} ms`);
      }
      await sleep(this.pollIntervalMs);
    }
  }

  private receiptOf(txId: string, info: Obj, abis: readonly Abi[]): Receipt {
    const receipt = isObj(info.receipt) ? info.receipt : {};
    const rawLogs = Array.isArray(info.log) ? info.log : [];
    const logs = rawLogs.filter(isObj).map((log, i) =>
      decodeLog(
        {
          address: String(log.address ?? ""),
          topics: Array.isArray(log.topics) ? log.topics.map(String) : [],
          data: typeof log.data === "string" ? log.data : "",
          logIndex: i,
        },
        abis,
      ),
    );
    const base = {
      txId,
      blockNumber: BigInt(Number(info.blockNumber)),
      energyUsed: BigInt(Number(receipt.energy_usage_total ?? 0)),
      fee: BigInt(Number(info.fee ?? 0)),
      logs,
    };
    const status = str(receipt.result);
    const failed = info.result === "FAILED" || (status !== undefined && status !== "SUCCESS");
    if (!failed) return { ...base, status: "success" };
    const contractAddress = str(info.contract_address);
    const typed = toBttkitError(info, { contractAddress: contractAddress ? toHex20(contractAddress) : undefined });
    const error =
      typed instanceof ContractRevertError || typed instanceof TransactionFailedError
        ? typed
        : new TransactionFailedError(`Transaction ${txId} failed: ${status ?? "FAILED"}`, {
            reason: status,
            transactionId: txId,
            details: text(info.resMessage),
            cause: info,
          });
    return { ...base, status: "reverted", error };
  }

  async getEvents<const abi extends Abi, name extends EventName<abi>>(
    parameters: GetEventsParameters<abi, name>,
  ): Promise<ContractEvent<abi, name>[]> {
    const address = toHex20(parameters.address);
    const fragment = eventFragment(parameters.abi, parameters.eventName);
    const fromBlock = checkFromBlock(parameters.fromBlock);
    const limit = checkLimit(parameters.limit);
    const event = this.tronWeb.event;
    if (!isObj(event) || typeof event.getEventsByContractAddress !== "function") {
      throw new BackendError("This TronWeb has no event API");
    }
    // TronGrid filters by time, not block: start at fromBlock's timestamp, then drop earlier blocks.
    let minBlockTimestamp: number | undefined;
    if (fromBlock > 0n) {
      const block = await guarded("getBlockByNumber", this.timeoutMs, () =>
        this.tronWeb.trx.getBlockByNumber(toNumber(fromBlock, "fromBlock")),
      );
      const header = isObj(block) && isObj(block.block_header) ? block.block_header : undefined;
      const raw = header && isObj(header.raw_data) ? header.raw_data : undefined;
      if (!raw || typeof raw.timestamp !== "number") return []; // no such block yet
      minBlockTimestamp = raw.timestamp;
    }
    const events: ContractEvent<abi, name>[] = [];
    let fingerprint: string | undefined;
    for (let page = 0; page < 1_000 && events.length < limit; page++) {
      const response = await guarded(
        "getEventsByContractAddress",
        this.timeoutMs,
        () =>
          event.getEventsByContractAddress(toBase58(address), {
            eventName: fragment.name,
            orderBy: "block_timestamp,asc",
            limit: 200,
            ...(minBlockTimestamp !== undefined ? { minBlockTimestamp } : {}),
            ...(fingerprint ? { fingerprint } : {}),
          }),
        address,
      );
      const data = isObj(response) && Array.isArray(response.data) ? response.data : [];
      for (const item of data) {
        if (events.length >= limit) break;
        if (!isObj(item) || item.event_name !== fragment.name) continue;
        const blockNumber = BigInt(Number(item.block_number));
        if (blockNumber < fromBlock) continue;
        const txId = String(item.transaction_id);
        const logIndex = Number(item.event_index ?? 0);
        const args =
          fromEventApi(fragment.inputs, item.result) ??
          (await this.argsFromReceipt(parameters.abi, fragment, txId, logIndex));
        if (!args) continue;
        events.push({
          eventName: parameters.eventName,
          args: args as EventArgs<abi, name>,
          address,
          blockNumber,
          txId,
          logIndex,
        });
      }
      const meta = isObj(response) && isObj(response.meta) ? response.meta : {};
      fingerprint = str(meta.fingerprint);
      if (!fingerprint || data.length === 0) break;
    }
    return events;
  }

  /** Exact decoding from the transaction's log, for events the event API renders lossily. */
  private async argsFromReceipt(
    abi: Abi,
    fragment: ReturnType<typeof eventFragment>,
    txId: string,
    logIndex: number,
  ): Promise<Record<string, unknown> | undefined> {
    const info = await guarded("getUnconfirmedTransactionInfo", this.timeoutMs, () =>
      this.tronWeb.trx.getUnconfirmedTransactionInfo(txId),
    );
    const logs = isObj(info) && Array.isArray(info.log) ? info.log : [];
    const log = logs[logIndex];
    if (!isObj(log)) return undefined;
    return decodeEventAs(fragment, abi, {
      topics: Array.isArray(log.topics) ? log.topics.map(String) : [],
      data: typeof log.data === "string" ? log.data : "",
    });
  }
}

const ELEMENTARY = /^(address|bool|string|bytes\d*|u?int\d*)$/;

/**
 * The event API's `result` (strings: `0x` addresses, decimal numbers) -> typed values. Returns
 * `undefined` when a parameter is not elementary (arrays, tuples) or missing, so that the caller
 * decodes the raw log instead.
 */
function fromEventApi(inputs: readonly AbiParameter[], result: unknown): Record<string, unknown> | undefined {
  if (!isObj(result)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [i, param] of inputs.entries()) {
    if (!ELEMENTARY.test(param.type)) return undefined;
    const value = result[param.name ?? ""] ?? result[String(i)];
    if (value === undefined || value === null) return undefined;
    try {
      let converted: unknown;
      if (param.type === "address") converted = toHex20(String(value));
      else if (param.type === "bool") converted = value === true || value === "true";
      else if (param.type === "string") converted = String(value);
      else if (param.type.startsWith("bytes")) {
        const hex = String(value).replace(/^0x/, "").toLowerCase();
        converted = `0x${hex}`;
      } else converted = toPlain(BigInt(String(value)), param);
      out[param.name || `arg${i}`] = converted;
    } catch {
      return undefined;
    }
  }
  return out;
}

export function checkFeeLimit(value: unknown): bigint {
  if (typeof value !== "bigint" || value <= 0n || value > MAX_FEE_LIMIT) {
    throw new InvalidArgumentError(`feeLimit must be a bigint from 1 to ${MAX_FEE_LIMIT} sun, got ${String(value)}`);
  }
  return value;
}
