/**
 * Runs transactions and constant calls on the EVM and turns the outcome into TRON's terms:
 * energy (java-tron's schedule, see energy.ts), fees in sun, java-tron's contractResult codes.
 */
import type { EVMResult } from "@ethereumjs/evm";
import { Account, Address } from "@ethereumjs/util";
import { TronAddress } from "./encoding.js";
import { evmBlock, type TronEVM, type TronStateManager } from "./evm.js";

export interface ExecLog {
  address: TronAddress;
  topics: Uint8Array[];
  data: Uint8Array;
}

export interface ExecOutcome {
  /** java-tron's contractResult code: SUCCESS, REVERT, OUT_OF_ENERGY, ... */
  result: string;
  returnValue: Uint8Array;
  energyUsed: bigint;
  logs: ExecLog[];
  /** Human-readable failure, as java-tron puts in resMessage. */
  message?: string;
  createdAddress?: TronAddress;
}

export interface CallRequest {
  caller: TronAddress;
  /** Undefined for a contract creation. */
  to?: TronAddress;
  data: Uint8Array;
  value: bigint;
  energyLimit: bigint;
  block: { number: number; timestamp: number };
  rootTxId: Uint8Array;
  createAddress?: TronAddress;
  energyPrice: bigint;
}

/** Maps ethereumjs error strings to java-tron's Transaction.Result.contractResult names. */
function tronResult(error: string): string {
  switch (error) {
    case "revert":
      return "REVERT";
    case "out of gas":
    case "code store out of gas":
      return "OUT_OF_ENERGY";
    case "invalid JUMP":
      return "BAD_JUMP_DESTINATION";
    case "stack underflow":
      return "STACK_TOO_SMALL";
    case "stack overflow":
      return "STACK_TOO_LARGE";
    case "invalid opcode":
    case "static state change":
      return "ILLEGAL_OPERATION";
    case "invalid bytecode deployed":
    case "code size to deposit exceeds maximum code size":
      return "INVALID_CODE";
    case "insufficient balance":
      return "TRANSFER_FAILED";
    default:
      return "UNKNOWN";
  }
}

function failureMessage(result: string, error: string, req: CallRequest): string {
  if (result === "REVERT") return "REVERT opcode executed";
  if (result === "OUT_OF_ENERGY") return `Not enough energy: energy limit ${req.energyLimit} exhausted (${error})`;
  return error;
}

export class Executor {
  constructor(
    readonly evm: TronEVM,
    readonly state: TronStateManager,
  ) {}

  async getBalance(addr: TronAddress): Promise<bigint> {
    return (await this.state.getAccount(new Address(addr.bytes20)))?.balance ?? 0n;
  }

  async accountExists(addr: TronAddress): Promise<boolean> {
    return (await this.state.getAccount(new Address(addr.bytes20))) !== undefined;
  }

  async setBalance(addr: TronAddress, balance: bigint): Promise<void> {
    const a = new Address(addr.bytes20);
    const acc = (await this.state.getAccount(a)) ?? new Account();
    acc.balance = balance < 0n ? 0n : balance;
    await this.state.putAccount(a, acc);
  }

  async getCode(addr: TronAddress): Promise<Uint8Array> {
    return this.state.getCode(new Address(addr.bytes20));
  }

  async setCode(addr: TronAddress, code: Uint8Array): Promise<void> {
    const a = new Address(addr.bytes20);
    if (!(await this.state.getAccount(a))) await this.state.putAccount(a, new Account());
    await this.state.putCode(a, code);
  }

  async setStorage(addr: TronAddress, slot: Uint8Array, value: Uint8Array): Promise<void> {
    const a = new Address(addr.bytes20);
    if (!(await this.state.getAccount(a))) await this.state.putAccount(a, new Account());
    let v = value;
    while (v.length > 0 && v[0] === 0) v = v.slice(1); // ethereumjs stores values without leading zeros
    await this.state.putStorage(a, slot, v);
  }

  /** Executes and keeps the state changes (the caller then charges the fee). */
  async run(req: CallRequest): Promise<ExecOutcome> {
    return this.exec(req);
  }

  /** Executes on a checkpoint and throws the changes away: triggerconstantcontract, estimateenergy. */
  async dryRun(req: CallRequest): Promise<ExecOutcome> {
    await this.state.checkpoint();
    try {
      return await this.exec(req);
    } finally {
      await this.state.revert();
    }
  }

  private async exec(req: CallRequest): Promise<ExecOutcome> {
    const evm = this.evm;
    evm.beginTransaction(req.rootTxId, req.createAddress ? new Address(req.createAddress.bytes20) : undefined);
    evm.journal.cleanJournal();
    this.state.beginTransaction();
    const caller = new Address(req.caller.bytes20);
    let res: EVMResult;
    try {
      res = await evm.runCall({
        caller,
        origin: caller,
        to: req.to ? new Address(req.to.bytes20) : undefined,
        data: req.data,
        value: req.value,
        gasLimit: req.energyLimit,
        gasPrice: req.energyPrice,
        block: evmBlock(req.block.number, req.block.timestamp),
        skipNonceIncrement: true, // TRON has no account nonces; addresses come from txIDs
      });
    } finally {
      await evm.journal.cleanup();
      this.state.originalStorageCache.clear();
      evm.transientStorage.clear();
    }
    const r = res.execResult;
    const error = r.exceptionError?.error;
    const transferFailed = error === "revert" ? evm.transferFailure : undefined;
    const result = transferFailed ? "TRANSFER_FAILED" : error ? tronResult(error) : "SUCCESS";
    return {
      result,
      returnValue: r.returnValue,
      energyUsed: r.executionGasUsed,
      logs: (r.logs ?? []).map(([address, topics, data]) => ({
        address: TronAddress.fromBytes20(address),
        topics,
        data,
      })),
      message: transferFailed ?? (error ? failureMessage(result, error, req) : undefined),
      createdAddress:
        !req.to && !error && res.createdAddress ? TronAddress.fromBytes20(res.createdAddress.bytes) : undefined,
    };
  }
}
