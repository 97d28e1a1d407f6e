/**
 * The in-process EVM, bent to TRON's rules.
 *
 * Why @ethereumjs/evm and not Hardhat's EDR: TRON derives a deployed contract's address from the
 * deploying transaction's id (41 + keccak256(txID ++ owner)[12:]), and the constructor must
 * already run at that address. EDR (Rust) derives addresses the Ethereum way and offers no hook;
 * ethereumjs routes every CREATE/CREATE2 through an overridable `_generateAddress`, takes a custom
 * chain id, and lets us supply the block-hash source and precompile set from TypeScript.
 */
import { createCustomCommon, Hardfork, Mainnet } from "@ethereumjs/common";
import {
  EVM,
  type EVMMockBlockchainInterface,
  type EVMRunCallOpts,
  type Message,
  NobleBN254,
  paramsEVM,
} from "@ethereumjs/evm";
import { SimpleStateManager } from "@ethereumjs/statemanager";
import { Address, bytesToHex, createZeroAddress } from "@ethereumjs/util";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { type EnergyContext, MAX_CALL_DEPTH, type TvmConfig, tronOpcodes } from "./energy.js";

/** Block ids by number, for BLOCKHASH. */
export type BlockIdSource = (num: number) => Uint8Array | undefined;

export class TronEVM extends EVM {
  /** Address for the next top-level CREATE: the one TRON derives from the transaction id. */
  topLevelCreateAddress?: Address;
  /** java-tron's TransferException at the top frame: the transaction fails with TRANSFER_FAILED. */
  transferFailure?: string;
  /** Root transaction id, for addresses of contracts created by contracts. */
  rootTxId: Uint8Array = new Uint8Array(32);
  private internalCreates = 0;
  // _generateAddress runs twice per creation (warm-up, then create): same message, same answer.
  private generated = new WeakMap<Message, Address>();

  /** Resets the per-transaction creation state. */
  beginTransaction(rootTxId: Uint8Array, createAddress?: Address): void {
    this.rootTxId = rootTxId;
    this.topLevelCreateAddress = createAddress;
    this.internalCreates = 0;
    this.transferFailure = undefined;
  }

  override async _generateAddress(message: Message): Promise<Address> {
    const known = this.generated.get(message);
    if (known) return known;
    let addr: Address;
    if (message.depth === 0 && this.topLevelCreateAddress) {
      addr = this.topLevelCreateAddress;
    } else if (message.salt) {
      // TIP-26: CREATE2 hashes 0x41 where Ethereum hashes 0xff.
      const code = message.code instanceof Uint8Array ? message.code : new Uint8Array();
      const preimage = concat(Uint8Array.of(0x41), message.caller.bytes, message.salt, keccak_256(code));
      addr = new Address(keccak_256(preimage).slice(12));
    } else {
      // java-tron: an internal CREATE's address is keccak256(rootTxId ++ nonce), nonce counting
      // the contracts created so far in this transaction.
      const nonce = new Uint8Array(8);
      new DataView(nonce.buffer).setBigUint64(0, BigInt(this.internalCreates++));
      addr = new Address(keccak_256(concat(this.rootTxId, nonce)).slice(12));
    }
    this.generated.set(message, addr);
    return addr;
  }
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** BLOCKHASH answers TRON block ids (8-byte number ++ 24 bytes of hash). */
class TronBlockchain implements EVMMockBlockchainInterface {
  constructor(private readonly ids: BlockIdSource) {}
  async getBlock(num: number) {
    const id = this.ids(num) ?? new Uint8Array(32);
    return { hash: () => id };
  }
  async putBlock() {}
  shallowCopy() {
    return this;
  }
}

/**
 * State that remembers which storage slots this transaction wrote, frame by frame (a reverted
 * frame's writes are forgotten). java-tron prices SSTORE on whether the slot "has a value":
 * any write earlier in the transaction, even of zero, gives it one; a slot empty in the
 * committed state and not yet written has none.
 */
export class TronStateManager extends SimpleStateManager {
  private written: Set<string>[] = [new Set()];

  override async putStorage(address: Address, key: Uint8Array, value: Uint8Array): Promise<void> {
    this.written[this.written.length - 1].add(slotKey(address, key));
    return super.putStorage(address, key, value);
  }
  override async checkpoint(): Promise<void> {
    this.written.push(new Set());
    return super.checkpoint();
  }
  override async commit(): Promise<void> {
    const top = this.written.pop() ?? new Set();
    const below = this.written[this.written.length - 1] ?? new Set();
    for (const k of top) below.add(k);
    if (!this.written.length) this.written.push(below);
    return super.commit();
  }
  override async revert(): Promise<void> {
    this.written.pop();
    if (!this.written.length) this.written.push(new Set());
    return super.revert();
  }
  /** New transaction: nothing written yet. */
  beginTransaction(): void {
    this.written = [new Set()];
  }
  wasWritten(address: Address, key: Uint8Array): boolean {
    const k = slotKey(address, key);
    return this.written.some((layer) => layer.has(k));
  }
}

const slotKey = (address: Address, key: Uint8Array) => `${address.toString()}:${bytesToHex(key)}`;

export interface TronEvmOptions {
  tvm: TvmConfig;
  factorOf: EnergyContext["factorOf"];
}

export async function createTronEVM(
  chainId: bigint,
  blockIds: BlockIdSource,
  opts: TronEvmOptions,
): Promise<{ evm: TronEVM; state: TronStateManager }> {
  // Cancun: the newest EVM the TVM implements (TRON.md); its opcodes, java-tron's energy.
  const common = createCustomCommon({ chainId: Number(chainId), name: "tron-devnode" }, Mainnet, {
    hardfork: Hardfork.Cancun,
  });
  // The call-depth limit (ethereumjs calls it stackLimit; the operand stack keeps 1,024).
  const params = { ...paramsEVM, 1: { ...paramsEVM[1], stackLimit: MAX_CALL_DEPTH } };
  common.updateParams(params);
  const state = new TronStateManager({ common });
  let evm: TronEVM | undefined;
  const customOpcodes = tronOpcodes(common, {
    tvm: opts.tvm,
    factorOf: opts.factorOf,
    isContract: async (a) => (await state.getCode(new Address(a))).length > 0,
    slotIsNew: (addr, key, current) => current.length === 0 && !state.wasWritten(addr, key),
    transferFailed: (depth, message) => {
      if (depth === 0 && evm) evm.transferFailure = message;
    },
  });
  evm = new TronEVM({
    common,
    stateManager: state,
    customOpcodes,
    params,
    // java-tron checks neither initcode (EIP-3860) nor deployed code size (EIP-170).
    allowUnlimitedInitCodeSize: true,
    allowUnlimitedContractSize: true,
    blockchain: new TronBlockchain(blockIds),
    bn254: new NobleBN254(),
    // 0x03 (RIPEMD-160), 0x09 (Blake2F) and 0x0a (KZG) are not what TRON has at those addresses.
    customPrecompiles: [
      { address: "0x0000000000000000000000000000000000000003" },
      { address: "0x0000000000000000000000000000000000000009" },
      { address: "0x000000000000000000000000000000000000000a" },
    ],
  });
  return { evm, state };
}

/** The EVM's view of a TRON block: PREVRANDAO, DIFFICULTY, GASLIMIT, COINBASE are 0 on TRON. */
export function evmBlock(number: number, timestampMs: number): NonNullable<EVMRunCallOpts["block"]> {
  return {
    header: {
      number: BigInt(number),
      coinbase: createZeroAddress(),
      timestamp: BigInt(Math.floor(timestampMs / 1000)),
      difficulty: 0n,
      prevRandao: new Uint8Array(32),
      gasLimit: 0n,
      baseFeePerGas: 0n,
      getBlobGasPrice: () => 0n,
    },
  };
}
