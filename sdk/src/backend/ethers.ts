/**
 * `Backend` over ethers v6: any `Signer` (writes) or `Provider` (read-only). For Hardhat, local
 * EVM nodes and EVM chains such as BitTorrent Chain.
 */

import type { Abi } from "abitype";
import type { Provider, Signer, TransactionRequest } from "ethers";
import { type Hex20, toHex20 } from "../address.js";
import { InvalidArgumentError } from "../errors.js";
import { BackendError, ContractRevertError, TimeoutError, TransactionFailedError, toBttkitError } from "../revert.js";
import { signTypedDataWithEthers, type TypedDataRequest } from "../tip712.js";
import {
  decodeEventAs,
  decodeLog,
  decodeResult,
  defaultLogAbis,
  encodeCall,
  eventFragment,
  eventTopic,
} from "./abi.js";
import type {
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
  walletError,
} from "./util.js";

export interface EthersBackendOptions {
  /** Bound on each request to the node (default 30 s). */
  requestTimeoutMs?: number;
}

const TX_HASH = /^0x[0-9a-fA-F]{64}$/;

function isSigner(value: unknown): value is Signer {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Signer).getAddress === "function" &&
    typeof (value as Signer).sendTransaction === "function"
  );
}

function isProvider(value: unknown): value is Provider {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as Provider).call === "function" &&
    typeof (value as Provider).getNetwork === "function"
  );
}

/** `Backend` over an ethers v6 `Signer` (with a provider) or a read-only `Provider`. */
export class EthersBackend implements Backend {
  readonly kind = "ethers";
  readonly provider: Provider;
  readonly signer: Signer | undefined;
  private readonly timeoutMs: number;
  private accountCache: Promise<Hex20 | undefined> | undefined;

  constructor(runner: Signer | Provider, options: EthersBackendOptions = {}) {
    this.timeoutMs = checkTimeout(options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS, "requestTimeoutMs");
    if (isSigner(runner)) {
      if (!runner.provider) throw new InvalidArgumentError("The ethers signer has no provider");
      this.signer = runner;
      this.provider = runner.provider;
    } else if (isProvider(runner)) {
      this.signer = undefined;
      this.provider = runner;
    } else {
      throw new InvalidArgumentError("EthersBackend needs an ethers v6 Signer or Provider");
    }
  }

  async chainId(): Promise<bigint> {
    const network = await guarded("getNetwork", this.timeoutMs, () => this.provider.getNetwork());
    return network.chainId;
  }

  async getBlock(): Promise<Block> {
    const block = await guarded("getBlock(latest)", this.timeoutMs, () => this.provider.getBlock("latest"));
    if (!block) throw new BackendError("The node returned no latest block");
    return { number: BigInt(block.number), timestamp: BigInt(block.timestamp) };
  }

  async signTypedData(request: TypedDataRequest): Promise<string> {
    const signer = this.signer;
    if (!signer) throw new InvalidArgumentError("signTypedData needs a signer; this backend is read-only");
    const { EIP712Domain: _, ...types } = request.types;
    try {
      return await signTypedDataWithEthers(signer, request.domain, types, request.message);
    } catch (error) {
      throw walletError(error, "signature");
    }
  }

  account(): Promise<Hex20 | undefined> {
    const signer = this.signer;
    if (!signer) return Promise.resolve(undefined);
    this.accountCache ??= guarded("getAddress", this.timeoutMs, async () => toHex20(await signer.getAddress()));
    return this.accountCache;
  }

  async read<const abi extends Abi, name extends ReadFunctionName<abi>>(
    parameters: ReadParameters<abi, name>,
  ): Promise<FunctionResult<abi, name>> {
    const { abi, functionName, args } = parameters as unknown as LooseCall;
    const to = toHex20(parameters.address);
    const call = encodeCall(abi, functionName, args);
    const from = parameters.from !== undefined ? toHex20(parameters.from) : await this.account();
    const data = await guarded(
      `call ${call.signature}`,
      this.timeoutMs,
      () => this.provider.call({ to, from, data: call.data }),
      to,
    );
    return decodeResult(call.fragment, data) as FunctionResult<abi, name>;
  }

  private request(p: LooseCall, from: Hex20 | undefined): TransactionRequest {
    const to = toHex20(p.address);
    checkOptionalBigint(p.feeLimit, "feeLimit");
    const value = checkOptionalBigint(p.callValue, "callValue");
    const call = encodeCall(p.abi, p.functionName, p.args);
    return { to, from, data: call.data, ...(value ? { value } : {}) };
  }

  private requireSigner(): Signer {
    if (!this.signer)
      throw new InvalidArgumentError("This backend is read-only: it was made from a Provider, not a Signer");
    return this.signer;
  }

  async write<const abi extends Abi, name extends WriteFunctionName<abi>>(
    parameters: WriteParameters<abi, name>,
  ): Promise<WriteResult> {
    const signer = this.requireSigner();
    const request = this.request(parameters as unknown as LooseCall, await this.account());
    const tx = await guarded(
      "sendTransaction",
      this.timeoutMs,
      () => signer.sendTransaction(request),
      request.to as string,
    );
    return { txId: tx.hash };
  }

  async estimateEnergy<const abi extends Abi, name extends WriteFunctionName<abi>>(
    parameters: WriteParameters<abi, name>,
  ): Promise<bigint> {
    const request = this.request(parameters as unknown as LooseCall, await this.account());
    return guarded("estimateGas", this.timeoutMs, () => this.provider.estimateGas(request), request.to as string);
  }

  async waitForReceipt(txId: string, options: WaitOptions = {}): Promise<Receipt> {
    if (typeof txId !== "string" || !TX_HASH.test(txId)) {
      throw new InvalidArgumentError(`Not an EVM transaction hash: ${JSON.stringify(txId)}`);
    }
    const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_RECEIPT_TIMEOUT_MS);
    const abis = options.abis ?? defaultLogAbis;
    const receipt = await guarded("waitForTransaction", timeoutMs + 1_000, () =>
      this.provider.waitForTransaction(txId, 1, timeoutMs),
    );
    if (!receipt) throw new TimeoutError(`Transaction ${txId} was not mined within ${timeoutMs} ms`);
    const logs = receipt.logs.map((log, i) =>
      decodeLog({ address: log.address, topics: log.topics, data: log.data, logIndex: i }, abis),
    );
    const base = {
      txId,
      blockNumber: BigInt(receipt.blockNumber),
      energyUsed: receipt.gasUsed,
      fee: receipt.fee,
      logs,
    };
    if (receipt.status === 1) return { ...base, status: "success" };
    return { ...base, status: "reverted", error: await this.failureOf(txId, receipt.blockNumber) };
  }

  /** Replays a failed transaction one block earlier to recover its revert data (ethers receipts have none). */
  private async failureOf(txId: string, blockNumber: number): Promise<ContractRevertError | TransactionFailedError> {
    try {
      const tx = await this.provider.getTransaction(txId);
      if (tx) {
        await this.provider.call({
          from: tx.from,
          to: tx.to,
          data: tx.data,
          value: tx.value,
          blockTag: Math.max(0, blockNumber - 1),
        });
      }
    } catch (error) {
      const typed = toBttkitError(error);
      if (typed instanceof ContractRevertError) return typed;
    }
    return new TransactionFailedError(`Transaction ${txId} failed`, { transactionId: txId });
  }

  async getEvents<const abi extends Abi, name extends EventName<abi>>(
    parameters: GetEventsParameters<abi, name>,
  ): Promise<ContractEvent<abi, name>[]> {
    const address = toHex20(parameters.address);
    const fragment = eventFragment(parameters.abi, parameters.eventName);
    const fromBlock = checkFromBlock(parameters.fromBlock);
    const limit = checkLimit(parameters.limit);
    const logs = await guarded(
      "getLogs",
      this.timeoutMs,
      () =>
        this.provider.getLogs({
          address,
          topics: [eventTopic(fragment)],
          fromBlock: Number(fromBlock),
          toBlock: "latest",
        }),
      address,
    );
    const events: ContractEvent<abi, name>[] = [];
    // Index of each log within its transaction, as TRON counts it.
    const txLogIndex = new Map<string, number>();
    for (const log of logs) {
      if (events.length >= limit) break;
      const args = decodeEventAs(fragment, parameters.abi, log);
      if (!args) continue;
      let logIndex = txLogIndex.get(log.transactionHash);
      if (logIndex === undefined) {
        const receipt = await guarded("getTransactionReceipt", this.timeoutMs, () =>
          this.provider.getTransactionReceipt(log.transactionHash),
        );
        const first = receipt?.logs[0]?.index ?? log.index;
        logIndex = first;
        txLogIndex.set(log.transactionHash, first);
      }
      events.push({
        eventName: parameters.eventName,
        args: args as EventArgs<abi, name>,
        address: toHex20(log.address),
        blockNumber: BigInt(log.blockNumber),
        txId: log.transactionHash,
        logIndex: log.index - logIndex,
      });
    }
    return events;
  }
}

/** A backend over an ethers v6 `Signer` (read and write) or `Provider` (read-only). */
export function createEthersBackend(runner: Signer | Provider, options: EthersBackendOptions = {}): EthersBackend {
  return new EthersBackend(runner, options);
}
