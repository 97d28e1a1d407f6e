/**
 * The `Backend` interface: the only way the SDK's clients and actions reach a chain. Two
 * implementations: `EthersBackend` (Hardhat or any EVM chain, ./ethers.ts) and `TronWebBackend`
 * (TRON, ./tronweb.ts).
 *
 * Conventions both backends keep, so results compare equal across them:
 * - Addresses are accepted in any TRON form (base58 `T...`, `41` + 20 bytes hex, `0x` + 20 bytes)
 *   and returned as checksummed 20-byte `0x` hex (`Hex20`); use `toBase58` for TRON's form.
 * - Integers follow abitype: `uint8`..`uint48` (and `int`) are `number`, wider ones `bigint`.
 * - Named tuples (structs) are objects, unnamed ones arrays; bytes are `0x` hex.
 * - Transaction ids are 64 hex characters: TRON's txID (no `0x`), an EVM tx hash (`0x`).
 * - Every failure is a `BttkitError` (see revert.ts, errors.ts); nothing waits without a bound.
 */
import type {
  Abi,
  AbiParameter,
  AbiParameterToPrimitiveType,
  ExtractAbiEvent,
  ExtractAbiEventNames,
  ExtractAbiFunction,
  ExtractAbiFunctionNames,
} from "abitype";
import type { Hex20 } from "../address.js";
import type { BttkitError } from "../errors.js";
import type { ContractRevertError, TransactionFailedError } from "../revert.js";
import type { TypedDataRequest } from "../tip712.js";

export type { Abi } from "abitype";

/** `0x`-prefixed hex. */
export type Hex = `0x${string}`;

/**
 * An address in any form TRON uses: `0x` + 20 bytes, `41` + 20 bytes hex, or base58check `T...`.
 * Validated at run time (`InvalidAddressError`).
 */
export type AddressInput = Hex20 | `T${string}` | `41${string}`;

// ---------------------------------------------------------------------------------------------
// Types inferred from `as const` ABIs
// ---------------------------------------------------------------------------------------------

type NamedComponents<C extends readonly AbiParameter[]> = C[number] extends { name: infer N }
  ? N extends "" | undefined
    ? false
    : true
  : false;

/** What a caller passes for one ABI parameter: abitype's type, but addresses in any TRON form. */
export type AbiInputValue<P extends AbiParameter> = P extends { type: "address" }
  ? AddressInput
  : P extends { type: `address[${string}]` }
    ? readonly AddressInput[]
    : P extends { type: "tuple"; components: infer C extends readonly AbiParameter[] }
      ? TupleInput<C>
      : P extends { type: `tuple[${string}]`; components: infer C extends readonly AbiParameter[] }
        ? readonly TupleInput<C>[]
        : AbiParameterToPrimitiveType<P, "inputs">;

type TupleInput<C extends readonly AbiParameter[]> =
  NamedComponents<C> extends true
    ? { [K in C[number] as K extends { name: infer N extends string } ? N : never]: AbiInputValue<K> }
    : AbiInputValues<C>;

/** The argument tuple for a list of ABI parameters. */
export type AbiInputValues<P extends readonly AbiParameter[]> = {
  readonly [I in keyof P]: P[I] extends AbiParameter ? AbiInputValue<P[I]> : never;
};

/** Names of view and pure functions. */
export type ReadFunctionName<abi extends Abi> = ExtractAbiFunctionNames<abi, "view" | "pure">;
/** Names of state-changing functions. */
export type WriteFunctionName<abi extends Abi> = ExtractAbiFunctionNames<abi, "nonpayable" | "payable">;
/** Names of all functions. */
export type FunctionName<abi extends Abi> = ExtractAbiFunctionNames<abi>;

/** The argument tuple of function `name`. */
export type FunctionArgs<abi extends Abi, name extends FunctionName<abi>> = AbiInputValues<
  ExtractAbiFunction<abi, name>["inputs"]
>;

/** What function `name` returns: `void`, its single output, or a tuple of its outputs. */
export type FunctionResult<abi extends Abi, name extends FunctionName<abi>> = OutputOf<
  ExtractAbiFunction<abi, name>["outputs"]
>;

type OutputOf<O extends readonly AbiParameter[]> = O extends readonly []
  ? undefined
  : O extends readonly [infer Only extends AbiParameter]
    ? AbiParameterToPrimitiveType<Only, "outputs">
    : { readonly [I in keyof O]: O[I] extends AbiParameter ? AbiParameterToPrimitiveType<O[I], "outputs"> : never };

/** Names of events. */
export type EventName<abi extends Abi> = ExtractAbiEventNames<abi>;

/** Event `name`'s arguments by parameter name (unnamed parameters are left out). */
export type EventArgs<abi extends Abi, name extends EventName<abi>> = {
  readonly [P in ExtractAbiEvent<abi, name>["inputs"][number] as P extends { name: infer N extends string }
    ? N extends ""
      ? never
      : N
    : never]: AbiParameterToPrimitiveType<P, "outputs">;
};

/** `args` is required when the function takes arguments, optional (or `[]`) otherwise. */
export type ArgsField<abi extends Abi, name extends FunctionName<abi>> =
  FunctionArgs<abi, name> extends readonly [] ? { args?: readonly [] } : { args: FunctionArgs<abi, name> };

// ---------------------------------------------------------------------------------------------
// Parameters and results
// ---------------------------------------------------------------------------------------------

export type ReadParameters<abi extends Abi, name extends ReadFunctionName<abi>> = {
  /** The contract, in any TRON address form. */
  address: AddressInput;
  abi: abi;
  functionName: name;
  /** Who the call is made as (`msg.sender`); default the backend's account, else the zero address. */
  from?: AddressInput;
} & ArgsField<abi, name>;

export interface WriteOptions {
  /**
   * TRON: the most sun the transaction may burn for energy (default: the backend's, 300 TRX;
   * at most 15,000 TRX). Ignored by the ethers backend, which estimates gas.
   */
  feeLimit?: bigint;
  /** Native value sent with the call: sun on TRON, wei on EVM chains. */
  callValue?: bigint;
}

export type WriteParameters<abi extends Abi, name extends WriteFunctionName<abi>> = {
  address: AddressInput;
  abi: abi;
  functionName: name;
} & ArgsField<abi, name> &
  WriteOptions;

export interface WriteResult {
  /** TRON txID (64 hex, no `0x`) or EVM transaction hash (`0x` + 64 hex). */
  txId: string;
}

/** One log of a receipt, decoded against the ABIs given to `waitForReceipt` when one matches. */
export interface DecodedLog {
  /** The emitting contract. */
  address: Hex20;
  /** Position of the log in its transaction. */
  logIndex: number;
  topics: readonly Hex[];
  data: Hex;
  /** The event's name, or `undefined` when no ABI matched. */
  eventName: string | undefined;
  /** The arguments by name, as in `EventArgs`; `undefined` when no ABI matched. */
  args: Readonly<Record<string, unknown>> | undefined;
}

export interface Receipt {
  txId: string;
  /** `"reverted"` covers every failed execution (revert, out of energy, invalid opcode, ...). */
  status: "success" | "reverted";
  blockNumber: bigint;
  /**
   * Energy used. TRON: `receipt.energy_usage_total`. ethers: `gasUsed`, which includes the EVM's
   * intrinsic 21,000 and calldata gas that TRON charges as bandwidth instead.
   */
  energyUsed: bigint;
  /** Native fee paid: sun on TRON (energy and bandwidth burned), wei on EVM chains. */
  fee: bigint;
  logs: readonly DecodedLog[];
  /**
   * Why it failed, when `status` is `"reverted"`: a `ContractRevertError` decoded against the
   * project's ABIs (custom error name and arguments), or a `TransactionFailedError` (TRON's
   * `OUT_OF_ENERGY`, ...).
   */
  error?: ContractRevertError | TransactionFailedError;
}

export interface WaitOptions {
  /** Give up after this long (`TimeoutError`). Default 60 s. */
  timeoutMs?: number;
  /** ABIs the logs are decoded against; default every project ABI plus the TRC-20 events. */
  abis?: readonly Abi[];
}

export interface GetEventsParameters<abi extends Abi, name extends EventName<abi>> {
  address: AddressInput;
  abi: abi;
  eventName: name;
  /** First block searched (inclusive); default the first. */
  fromBlock?: bigint;
  /** Most events returned, oldest first; default 100. */
  limit?: number;
}

export interface ContractEvent<abi extends Abi, name extends EventName<abi>> {
  eventName: name;
  args: EventArgs<abi, name>;
  address: Hex20;
  blockNumber: bigint;
  txId: string;
  logIndex: number;
}

/**
 * What every client and action talks to. Implementations: `EthersBackend`, `TronWebBackend`.
 * Every method rejects only with `BttkitError`s.
 */
export interface Backend {
  /** `"ethers"` or `"tronweb"`. */
  readonly kind: string;
  /**
   * The chain id contracts see as `block.chainid`; on TRON its low 4 bytes (TRON.md), e.g.
   * Nile's 3448148188.
   */
  chainId(): Promise<bigint>;
  /** The signing account, or `undefined` for a read-only backend. */
  account(): Promise<Hex20 | undefined>;
  /** Calls a view function; a revert rejects with `ContractRevertError`. */
  read<const abi extends Abi, name extends ReadFunctionName<abi>>(
    parameters: ReadParameters<abi, name>,
  ): Promise<FunctionResult<abi, name>>;
  /**
   * Signs and broadcasts a call; resolves once the node accepted it. A revert may reject here
   * with `ContractRevertError` (ethers estimates gas first) or show in the receipt (TronWeb
   * broadcasts without simulating); `writeAndWait` treats both the same.
   */
  write<const abi extends Abi, name extends WriteFunctionName<abi>>(
    parameters: WriteParameters<abi, name>,
  ): Promise<WriteResult>;
  /** Waits until the transaction is in a block and returns its receipt. */
  waitForReceipt(txId: string, options?: WaitOptions): Promise<Receipt>;
  /**
   * Energy the call would use. TRON: `wallet/estimateenergy`, falling back to the energy a
   * constant call used where the node lacks it. ethers: `estimateGas` (includes 21,000 intrinsic).
   */
  estimateEnergy<const abi extends Abi, name extends WriteFunctionName<abi>>(
    parameters: WriteParameters<abi, name>,
  ): Promise<bigint>;
  /** The latest block's number and timestamp (unix seconds): what the next transaction sees at the earliest. */
  getBlock(): Promise<Block>;
  /**
   * Signs TIP-712 typed data as the backend's account: TronWeb's `trx._signTypedData` (with a key,
   * or TronLink asking its user), an ethers `Signer`'s `signTypedData`. Resolves with the 65-byte
   * `r ‖ s ‖ v` signature; a refusal rejects with `UserRejectedError`.
   */
  signTypedData(request: TypedDataRequest): Promise<string>;
  /** Past events of one contract, oldest first. TRON: the event API (TronGrid's `/v1`). */
  getEvents<const abi extends Abi, name extends EventName<abi>>(
    parameters: GetEventsParameters<abi, name>,
  ): Promise<ContractEvent<abi, name>[]>;
}

/** A block's number and time. */
export interface Block {
  number: bigint;
  /** Unix seconds. */
  timestamp: bigint;
}

/** A call with the ABI types erased: what backends work with inside. */
export interface LooseCall {
  address: AddressInput;
  abi: Abi;
  functionName: string;
  args?: readonly unknown[];
  from?: AddressInput;
  feeLimit?: bigint;
  callValue?: bigint;
}

/** The error types a backend rejects with. */
export type BackendFailure = BttkitError;
