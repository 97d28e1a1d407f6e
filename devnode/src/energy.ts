/**
 * java-tron's energy schedule (actuator/.../vm/EnergyCost.java and OperationRegistry.java on
 * `develop`), installed into @ethereumjs/evm as custom opcode gas functions. The EVM's gas
 * counter IS the energy counter: it limits execution, so a transaction runs out of energy
 * exactly where java-tron's would. What differs from Ethereum's Cancun schedule:
 *
 * - no EIP-2929 warm/cold surcharges, no EIP-2200 SSTORE metering, no refunds, no EIP-3860
 *   initcode charge; SLOAD 50, SSTORE 20,000 (new slot) or 5,000, BALANCE / EXTCODESIZE /
 *   EXTCODECOPY 20, EXTCODEHASH 400, EXP 10 + 10 per exponent byte;
 * - CALL family: 40 + memory (+9,000 with value, +25,000 more to an account that does not
 *   exist); the callee gets min(requested, left) (all but 1/64 of `left` only for contracts of
 *   version 1, i.e. with allowTvmCompatibleEvm); call depth limit 64;
 * - CODECOPY / CALLDATACOPY / RETURNDATACOPY: memory + 3 per word (no base 3); MLOAD / MSTORE /
 *   MSTORE8: memory, + 1 with allowHigherLimitForMaxCpuTimeOfOneTx; RETURN / REVERT: memory;
 *   SELFDESTRUCT 0 (+25,000 to a new account with allowEnergyAdjustment);
 * - TRON's own opcodes 0xd0-0xd4 (CALLTOKEN, TOKENBALANCE, CALLTOKENVALUE, CALLTOKENID,
 *   ISCONTRACT) on a chain without TRC-10 tokens;
 * - dynamic energy: each opcode's energy × the executing contract's energy factor.
 * Every other opcode has the same static cost in both schedules.
 */
import type { Common } from "@ethereumjs/common";
import { EVMError, type EVMOpts, getOpcodesForHF } from "@ethereumjs/evm";
import { Address, bigIntToBytes, setLengthLeft } from "@ethereumjs/util";

/** The java-tron committee switches that change energy figures (all on on Nile and mainnet). */
export interface TvmConfig {
  /** allowHigherLimitForMaxCpuTimeOfOneTx: MLOAD, MSTORE, MSTORE8 cost 1 + memory (else memory). */
  memoryOpBase: boolean;
  /** allowTvmCompatibleEvm: contracts get version 1, so calls and creates pass on all but 1/64. */
  compatibleEvm: boolean;
  /** allowEnergyAdjustment: SELFDESTRUCT to an account that does not exist costs 25,000. */
  energyAdjustment: boolean;
}

/** Nile and mainnet today. */
export const NILE_TVM: TvmConfig = { memoryOpBase: true, compatibleEvm: true, energyAdjustment: true };

/** java-tron's DYNAMIC_ENERGY_FACTOR_DECIMAL: a factor of 10,000 is ×1. */
export const ENERGY_FACTOR_DECIMAL = 10_000n;
/** java-tron's MAX_DEPTH. */
export const MAX_CALL_DEPTH = 64;

const MEM_LIMIT = 3n * 1024n * 1024n;
const CALL_ENERGY = 40n;
const VALUE_TRANSFER = 9_000n;
const NEW_ACCOUNT = 25_000n;
const CREATE = 32_000n;

/** What the schedule needs to know about the chain, beyond the EVM state. */
export interface EnergyContext {
  tvm: TvmConfig;
  /** Energy factor of a contract (ENERGY_FACTOR_DECIMAL = ×1). */
  factorOf(address: Uint8Array): bigint;
  /** Whether `address` is a contract (ISCONTRACT). */
  isContract(address: Uint8Array): Promise<boolean>;
  /** Whether SSTORE would find "no value" there: never written this transaction and empty. */
  slotIsNew(address: Address, key: Uint8Array, current: Uint8Array): boolean;
  /** A TRX transfer java-tron refuses (TransferException) ended the frame at `depth`. */
  transferFailed(depth: number, message: string): void;
}

type AddOpcode = Extract<NonNullable<EVMOpts["customOpcodes"]>[number], { logicFunction: unknown }>;
type GasFunction = NonNullable<AddOpcode["gasFunction"]>;
type RunState = Parameters<GasFunction>[0];
type Logic = AddOpcode["logicFunction"];

const trap = (msg: string): never => {
  throw new EVMError(msg as never);
};
const words = (n: bigint) => (n + 31n) / 32n;
const addressOf = (word: bigint) => new Address(setLengthLeft(bigIntToBytes(word & ((1n << 160n) - 1n)), 20));

/** java-tron's calcMemEnergy: 3 per word + words²/512 for the growth, and the 3MB cap. */
function memory(rs: RunState, offset: bigint, length: bigint): bigint {
  if (length === 0n) return 0n;
  if (offset + length > MEM_LIMIT) trap(EVMError.errorMessages.OUT_OF_GAS);
  const w = words(offset + length);
  if (w <= rs.memoryWordCount) return 0n;
  const total = 3n * w + (w * w) / 512n;
  const cost = total - rs.highestMemCost;
  rs.highestMemCost = total;
  rs.memoryWordCount = w;
  return cost;
}

function staticCheck(rs: RunState): void {
  if (rs.interpreter.isStatic()) trap(EVMError.errorMessages.STATIC_STATE_CHANGE);
}

async function accountMissing(rs: RunState, addr: Address): Promise<boolean> {
  return (await rs.stateManager.getAccount(addr)) === undefined;
}

/**
 * Installs java-tron's schedule: returns the EVM options (custom opcodes and call-depth limit).
 * `common` must be the Cancun common the EVM runs on (for the stock opcode logic).
 */
export function tronOpcodes(common: Common, ctx: EnergyContext): NonNullable<EVMOpts["customOpcodes"]> {
  const stock = getOpcodesForHF(common);
  const logic = (op: number): Logic => {
    const fn = stock.handlers.get(op);
    if (!fn) throw new Error(`no stock handler for opcode 0x${op.toString(16)}`);
    return fn as Logic;
  };

  /** Energy beyond the static cost, per opcode; the factor is applied afterwards. */
  const dynamic = new Map<number, (rs: RunState) => Promise<bigint> | bigint>();
  const copyCost = (rs: RunState, off: bigint, len: bigint) => memory(rs, off, len) + 3n * words(len);
  const memOnly = (rs: RunState) => {
    const [off, len] = rs.stack.peek(2);
    return memory(rs, off, len);
  };

  dynamic.set(0x0a /* EXP */, (rs) => {
    const [, exp] = rs.stack.peek(2);
    return 10n * BigInt(exp === 0n ? 0 : Math.ceil(exp.toString(16).length / 2));
  });
  dynamic.set(0x20 /* SHA3 */, (rs) => {
    const [off, len] = rs.stack.peek(2);
    return memory(rs, off, len) + 6n * words(len);
  });
  for (const op of [0x37 /* CALLDATACOPY */, 0x39 /* CODECOPY */, 0x3e /* RETURNDATACOPY */]) {
    dynamic.set(op, (rs) => {
      const [mem, , len] = rs.stack.peek(3);
      return copyCost(rs, mem, len);
    });
  }
  dynamic.set(0x3c /* EXTCODECOPY */, (rs) => {
    const [, mem, , len] = rs.stack.peek(4);
    return copyCost(rs, mem, len);
  });
  dynamic.set(0x51 /* MLOAD */, (rs) => memory(rs, rs.stack.peek()[0], 32n));
  dynamic.set(0x52 /* MSTORE */, (rs) => memory(rs, rs.stack.peek()[0], 32n));
  dynamic.set(0x53 /* MSTORE8 */, (rs) => memory(rs, rs.stack.peek()[0], 1n));
  dynamic.set(0x55 /* SSTORE */, async (rs) => {
    staticCheck(rs);
    const [key, val] = rs.stack.peek(2);
    const keyBytes = setLengthLeft(bigIntToBytes(key), 32);
    const addr = rs.interpreter.getAddress();
    const current = await rs.stateManager.getStorage(addr, keyBytes);
    if (ctx.slotIsNew(addr, keyBytes, current) && val !== 0n) return 20_000n;
    return 5_000n;
  });
  dynamic.set(0x5e /* MCOPY */, (rs) => {
    const [dst, src, len] = rs.stack.peek(3);
    // biome-ignore lint/complexity/useMathMinMax: bigints (Math.max throws on them)
    return copyCost(rs, dst > src ? dst : src, len);
  });
  for (let n = 0; n <= 4; n++) {
    dynamic.set(0xa0 + n /* LOGn */, (rs) => {
      staticCheck(rs);
      const [off, len] = rs.stack.peek(2);
      return 375n * BigInt(n) + 8n * len + memory(rs, off, len);
    });
  }
  dynamic.set(0xf3 /* RETURN */, memOnly);
  dynamic.set(0xfd /* REVERT */, memOnly);
  dynamic.set(0xff /* SELFDESTRUCT */, async (rs) => {
    staticCheck(rs);
    if (!ctx.tvm.energyAdjustment) return 0n;
    return (await accountMissing(rs, addressOf(rs.stack.peek()[0]))) ? NEW_ACCOUNT : 0n;
  });

  const factorPenalty = (rs: RunState, energy: bigint): bigint => {
    const f = ctx.factorOf(rs.interpreter.getAddress().bytes);
    return f > ENERGY_FACTOR_DECIMAL ? (energy * f) / ENERGY_FACTOR_DECIMAL - energy : 0n;
  };
  /** What the callee may use, after `cost` is paid (java-tron's getCallEnergy / getCreateEnergy). */
  const calleeEnergy = (rs: RunState, cost: bigint, requested: bigint): bigint => {
    const left = rs.interpreter.getGasLeft();
    if (cost > left) trap(EVMError.errorMessages.OUT_OF_GAS);
    let avail = left - cost;
    if (ctx.tvm.compatibleEvm) avail -= avail / 64n;
    return requested < avail ? requested : avail;
  };

  /** CALL, CALLCODE, DELEGATECALL, STATICCALL, CALLTOKEN: `inAt` is the stack index of in-offset. */
  const callGas =
    (inAt: number, valueKind: "none" | "transfer" | "callcode"): GasFunction =>
    async (rs) => {
      const s = rs.stack.peek(inAt + 4);
      const [requested, to] = s;
      const value = valueKind === "none" ? 0n : s[2];
      if (valueKind === "transfer" && value !== 0n && rs.interpreter.isStatic())
        trap(EVMError.errorMessages.STATIC_STATE_CHANGE);
      let cost = CALL_ENERGY;
      if (value !== 0n) {
        cost += VALUE_TRANSFER;
        if (valueKind === "transfer" && (await accountMissing(rs, addressOf(to)))) cost += NEW_ACCOUNT;
      }
      cost += memory(rs, s[inAt], s[inAt + 1]) + memory(rs, s[inAt + 2], s[inAt + 3]);
      cost += factorPenalty(rs, cost);
      rs.messageGasLimit = calleeEnergy(rs, cost, requested);
      return cost;
    };
  const createGas =
    (salted: boolean): GasFunction =>
    (rs) => {
      staticCheck(rs);
      const [, off, len] = rs.stack.peek(3);
      let cost = CREATE + memory(rs, off, len) + (salted ? 6n * words(len) : 0n);
      cost += factorPenalty(rs, cost);
      rs.messageGasLimit = calleeEnergy(rs, cost, 1n << 255n);
      return cost;
    };

  const custom: AddOpcode[] = [];
  const add = (opcode: number, name: string, baseFee: number, gasFunction: GasFunction, logicFunction: Logic) =>
    custom.push({ opcode, opcodeName: name, baseFee, gasFunction, logicFunction });

  // Every stock opcode: TRON's static cost, TRON's dynamic part, then the factor.
  const staticCost: Record<number, number> = {
    49: 20, // BALANCE
    55: 0, // CALLDATACOPY
    57: 0, // CODECOPY
    59: 20, // EXTCODESIZE
    60: 20, // EXTCODECOPY
    62: 0, // RETURNDATACOPY
    63: 400, // EXTCODEHASH
    81: ctx.tvm.memoryOpBase ? 1 : 0, // MLOAD
    82: ctx.tvm.memoryOpBase ? 1 : 0, // MSTORE
    83: ctx.tvm.memoryOpBase ? 1 : 0, // MSTORE8
    84: 50, // SLOAD
    85: 0, // SSTORE
    92: 100, // TLOAD
    93: 100, // TSTORE
    160: 375,
    161: 375,
    162: 375,
    163: 375,
    164: 375, // LOGn (topics in the dynamic part)
    243: 0, // RETURN
    253: 0, // REVERT
    255: 0, // SELFDESTRUCT
  };
  const special = new Set([0xf0, 0xf1, 0xf2, 0xf4, 0xf5, 0xfa]);
  for (const [code, info] of stock.opcodes) {
    if (special.has(code) || !stock.handlers.has(code)) continue; // INVALID stays as it is
    const base = BigInt(staticCost[code] ?? info.fee);
    const dyn = dynamic.get(code);
    add(
      code,
      info.name,
      Number(base),
      async (rs, gas) => {
        const e = gas + (dyn ? await dyn(rs) : 0n);
        return e + factorPenalty(rs, e);
      },
      logic(code),
    );
  }
  /**
   * java-tron refuses a contract's TRX transfer to itself (VMUtils.validateForSmartContract): a
   * TransferException ends the calling frame without spending its energy, as a revert does; at
   * the top the transaction fails with TRANSFER_FAILED.
   */
  const noSelfTransfer =
    (inner: Logic): Logic =>
    async (rs, common) => {
      const [, to, value] = rs.stack.peek(3);
      if (value !== 0n && addressOf(to).equals(rs.interpreter.getAddress())) {
        ctx.transferFailed(rs.env.depth, "transfer trx failed: Cannot transfer TRX to yourself.");
        rs.interpreter.revert(new Uint8Array());
      }
      return inner(rs, common);
    };
  add(0xf1, "CALL", 0, callGas(3, "transfer"), noSelfTransfer(logic(0xf1)));
  add(0xf2, "CALLCODE", 0, callGas(3, "callcode"), logic(0xf2));
  add(0xf4, "DELEGATECALL", 0, callGas(2, "none"), logic(0xf4));
  add(0xfa, "STATICCALL", 0, callGas(2, "none"), logic(0xfa));
  add(0xf0, "CREATE", 0, createGas(false), logic(0xf0));
  add(0xf5, "CREATE2", 0, createGas(true), logic(0xf5));

  // TRON's own opcodes. No TRC-10 tokens exist here: token values and balances are 0.
  const flat = (rs: RunState, gas: bigint) => gas + factorPenalty(rs, gas);
  const push0: Logic = (rs) => rs.stack.push(0n);
  add(0xd2, "CALLTOKENVALUE", 2, flat, push0);
  add(0xd3, "CALLTOKENID", 2, flat, push0);
  add(0xd1, "TOKENBALANCE", 20, flat, (rs) => {
    rs.stack.popN(2);
    rs.stack.push(0n);
  });
  add(0xd4, "ISCONTRACT", 20, flat, async (rs) => {
    const [a] = rs.stack.popN(1);
    rs.stack.push((await ctx.isContract(addressOf(a).bytes)) ? 1n : 0n);
  });
  // CALLTOKEN(energy, to, value, tokenId, in, inSize, out, outSize): token id 0 (or 0 value)
  // moves TRX as CALL does; any other token id names a token nobody holds, so it fails.
  const stockCall = noSelfTransfer(logic(0xf1));
  add(0xd0, "CALLTOKEN", 0, callGas(4, "transfer"), async (rs, common) => {
    const [gas, to, value, tokenId, ...rest] = rs.stack.popN(8);
    if (tokenId !== 0n && value !== 0n) {
      rs.messageGasLimit = undefined;
      rs.returnBytes = new Uint8Array(0);
      rs.stack.push(0n);
      return;
    }
    for (const w of [gas, to, value, ...rest].reverse()) rs.stack.push(w);
    await stockCall(rs, common);
  });
  return custom;
}
