/** /wallet/* and /walletsolidity/*: java-tron's full-node HTTP API, the part TronWeb and TronBox use. */

import { keccak_256 } from "@noble/hashes/sha3.js";
import { isConstantSelector, toStandardAbi } from "../abi.js";
import { FEE_PARAMETERS, WINDOW_SLOTS } from "../bandwidth.js";
import { type BlockRecord, renderBlock } from "../blocks.js";
import type { Chain } from "../chain.js";
import { bytesToHex, hexToBytes, parseInteger, TronAddress } from "../encoding.js";
import { ENERGY_FACTOR_DECIMAL } from "../energy.js";
import { BadRequestError, TronApiError } from "../errors.js";
import { concat } from "../evm.js";
import type { Ctx, Handler } from "../http.js";
import { recoverSigner } from "../signature.js";

/**
 * Network-wide staking totals. Nobody stakes on the devnode; these fixed, Nile-sized figures keep
 * staking calculators (energy per TRX = TotalEnergyLimit / TotalEnergyWeight) from dividing by 0.
 */
const TOTAL_ENERGY_LIMIT = 180_000_000_000;
const TOTAL_ENERGY_WEIGHT = 19_000_000_000;
const TOTAL_NET_WEIGHT = 26_000_000_000;
/** java-tron's default operations bitmap of the active permission (every contract type but a few). */
const ACTIVE_OPERATIONS = "7fff1fc0033efb0f000000000000000000000000000000000000000000000000";

import { buildTransaction, decodeHexTransaction, decodeJsonTransaction, renderTransaction } from "../transaction.js";

const hex = (s: string) => Buffer.from(s).toString("hex");

function address(ctx: Ctx, field: string): TronAddress {
  return TronAddress.parse(ctx.params[field]);
}

function optionalAddress(ctx: Ctx, field: string): TronAddress | undefined {
  const v = ctx.params[field];
  return v === undefined || v === null || v === "" ? undefined : TronAddress.parse(v);
}

function txId(ctx: Ctx): string {
  const v = ctx.params.value;
  if (typeof v !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(v))
    throw new BadRequestError("Invalid transaction id: value must be 32 bytes of hex");
  return v.replace(/^0x/, "").toLowerCase();
}

/** Call data: `data`, or keccak(function_selector)[0:4] ++ parameter, as java-tron builds it. */
function callData(ctx: Ctx): string {
  const { function_selector: selector, parameter, data } = ctx.params;
  if (typeof selector === "string" && selector.length > 0) {
    const param = parameter === undefined || parameter === null ? "" : bytesToHex(hexToBytes(parameter, "parameter"));
    return bytesToHex(keccak_256(new TextEncoder().encode(selector)).slice(0, 4)) + param;
  }
  if (data !== undefined && data !== null && data !== "") return bytesToHex(hexToBytes(data, "data"));
  return "";
}

function amount(ctx: Ctx, field: string): number {
  const n = parseInteger(ctx.params[field], field, 0);
  if (n < 0) throw new TronApiError("CONTRACT_VALIDATE_ERROR", `${field} must be >= 0`);
  return n;
}

/** Errors of the trigger family are wrapped in `result`, as java-tron's TransactionExtention. */
async function asExtention(fn: () => Promise<Record<string, unknown>>): Promise<Record<string, unknown>> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TronApiError) return { result: { code: e.code, message: hex(e.message) } };
    throw e;
  }
}

export function walletRoutes(chain: Chain): { wallet: Record<string, Handler>; solidity: Record<string, Handler> } {
  const txsOf = (b: BlockRecord, visible: boolean) =>
    b.txIDs.flatMap((id) => {
      const r = chain.txs.get(id);
      return r ? [renderTransaction(r.tx, visible, { ret: [{ contractRet: r.contractRet }] })] : [];
    });
  const block = (b: BlockRecord | undefined, ctx: Ctx, detail = true) =>
    b ? renderBlock(b, detail ? txsOf(b, ctx.visible) : undefined) : {};

  const blockByNum = (ctx: Ctx) => block(chain.blocks[parseInteger(ctx.params.num, "num")], ctx);

  const getBlock = (ctx: Ctx) => {
    const idOrNum = ctx.params.id_or_num;
    const detail = ctx.params.detail === true || ctx.params.detail === "true";
    if (idOrNum === undefined || idOrNum === "") return block(chain.head, ctx, detail);
    if (typeof idOrNum === "string" && /^[0-9a-fA-F]{64}$/.test(idOrNum)) {
      return block(
        chain.blocks.find((b) => b.blockID === idOrNum.toLowerCase()),
        ctx,
        detail,
      );
    }
    return block(chain.blocks[parseInteger(idOrNum, "id_or_num")], ctx, detail);
  };

  const getAccount = async (ctx: Ctx) => {
    const a = address(ctx, "address");
    if (!(await chain.exec.accountExists(a))) return {};
    const code = await chain.exec.getCode(a);
    const net = chain.bandwidth.used(a.hex, chain.now());
    // java-tron's default permissions: owner (id 0) and active (id 2), both the account's own key.
    const keys = [{ address: a.format(ctx.visible), weight: 1 }];
    return {
      address: a.format(ctx.visible),
      balance: Number(await chain.exec.getBalance(a)),
      create_time: chain.blocks[0].timestamp,
      ...(code.length ? { type: "Contract" } : {}),
      ...(net.freeNetUsage ? { free_net_usage: net.freeNetUsage } : {}),
      ...(net.latestConsumeFreeTime ? { latest_consume_free_time: net.latestConsumeFreeTime } : {}),
      net_window_size: WINDOW_SLOTS,
      account_resource: { energy_window_size: WINDOW_SLOTS },
      owner_permission: { permission_name: "owner", threshold: 1, keys },
      active_permission: [
        { type: "Active", id: 2, permission_name: "active", threshold: 1, operations: ACTIVE_OPERATIONS, keys },
      ],
    };
  };
  const netResource = (a: TronAddress) => {
    const used = chain.bandwidth.used(a.hex, chain.now()).freeNetUsage;
    return {
      ...(used ? { freeNetUsed: used } : {}),
      freeNetLimit: FEE_PARAMETERS.getFreeNetLimit,
      TotalNetLimit: FEE_PARAMETERS.getTotalNetLimit,
      TotalNetWeight: TOTAL_NET_WEIGHT,
    };
  };

  // Transactions waiting for a timed block are not visible yet (no pending pool over HTTP).
  const txById = (ctx: Ctx) => {
    const r = chain.txs.get(txId(ctx));
    return r ? renderTransaction(r.tx, ctx.visible, { ret: [{ contractRet: r.contractRet }] }) : {};
  };

  const txInfo = (ctx: Ctx) => chain.txs.get(txId(ctx))?.info ?? {};

  const contractJson = async (a: TronAddress, visible: boolean) => {
    const rec = chain.contractAt(a);
    if (rec) {
      return {
        bytecode: bytesToHex(rec.bytecode),
        ...(rec.name ? { name: rec.name } : {}),
        origin_address: rec.origin.format(visible),
        abi: rec.abi ?? {},
        ...(rec.originEnergyLimit ? { origin_energy_limit: rec.originEnergyLimit } : {}),
        contract_address: a.format(visible),
        ...(rec.consumeUserResourcePercent ? { consume_user_resource_percent: rec.consumeUserResourcePercent } : {}),
        code_hash: bytesToHex(keccak_256(await chain.exec.getCode(a))),
      };
    }
    // Code placed by tre_setAccountCode (or created by a contract): no ABI on record.
    const code = await chain.exec.getCode(a);
    if (!code.length) return undefined;
    return {
      bytecode: bytesToHex(code),
      abi: {},
      contract_address: a.format(visible),
      code_hash: bytesToHex(keccak_256(code)),
    };
  };

  const triggerArgs = (ctx: Ctx) => {
    const owner = optionalAddress(ctx, "owner_address") ?? TronAddress.fromBytes20(new Uint8Array(20));
    const contract = optionalAddress(ctx, "contract_address");
    return { owner, contract, data: callData(ctx), value: BigInt(amount(ctx, "call_value")) };
  };

  const constantCall = (ctx: Ctx) =>
    asExtention(async () => {
      const a = triggerArgs(ctx);
      if (a.contract && (await chain.exec.getCode(a.contract)).length === 0) {
        throw new TronApiError("CONTRACT_VALIDATE_ERROR", "No contract or not a smart contract");
      }
      const out = await chain.constantCall({
        owner: a.owner,
        to: a.contract,
        data: hexToBytes(a.data),
        value: a.value,
      });
      const failed = out.result !== "SUCCESS";
      const value: Record<string, unknown> = {
        data: a.data,
        owner_address: a.owner.format(ctx.visible),
        ...(a.contract ? { contract_address: a.contract.format(ctx.visible) } : {}),
        ...(a.value ? { call_value: Number(a.value) } : {}),
      };
      const tx = await buildTransaction("TriggerSmartContract", value, chain.refBlock(), {
        visible: ctx.visible,
        feeLimit: parseInteger(ctx.params.fee_limit, "fee_limit", 0),
        permissionId: parseInteger(ctx.params.Permission_id, "Permission_id", 0),
      });
      return {
        // java-tron reports a revert with result.result still true and the reason in result.message;
        // the revert data itself is constant_result[0].
        result: { result: true, ...(failed ? { message: hex(out.message ?? out.result) } : {}) },
        energy_used: Number(out.energyUsed),
        constant_result: [bytesToHex(out.returnValue)],
        ...(out.logs.length && !failed
          ? {
              logs: out.logs.map((l) => ({
                address: bytesToHex(l.address.bytes20),
                topics: l.topics.map(bytesToHex),
                data: bytesToHex(l.data),
              })),
            }
          : {}),
        transaction: { ret: [failed ? { ret: "FAILED" } : {}], ...tx },
      };
    });

  const wallet: Record<string, Handler> = {
    getnowblock: (ctx) => block(chain.head, ctx),
    getblock: getBlock,
    getblockbynum: blockByNum,
    getblockbyid: (ctx) =>
      block(
        chain.blocks.find((b) => b.blockID === String(ctx.params.value ?? "").toLowerCase()),
        ctx,
      ),
    getblockbylatestnum: (ctx) => {
      const n = Math.min(parseInteger(ctx.params.num, "num"), 100);
      return { block: chain.blocks.slice(-n).map((b) => block(b, ctx)) };
    },
    getblockbylimitnext: (ctx) => {
      const start = parseInteger(ctx.params.startNum, "startNum");
      const end = Math.min(parseInteger(ctx.params.endNum, "endNum"), start + 100);
      return { block: chain.blocks.slice(start, end).map((b) => block(b, ctx)) };
    },
    getaccount: getAccount,
    getaccountbalance: async (ctx) => {
      const a = TronAddress.parse((ctx.params.account_identifier as { address?: unknown } | undefined)?.address);
      return {
        balance: Number(await chain.exec.getBalance(a)),
        block_identifier: { hash: chain.head.blockID, number: chain.head.number },
      };
    },
    getaccountresource: (ctx) => {
      const a = address(ctx, "address");
      const energyLimit = chain.energy.limit(a.hex);
      const energyUsed = chain.energy.used(a.hex, chain.now());
      return {
        ...netResource(a),
        ...(energyLimit ? { EnergyLimit: energyLimit } : {}),
        ...(energyUsed ? { EnergyUsed: energyUsed } : {}),
        TotalEnergyLimit: TOTAL_ENERGY_LIMIT,
        TotalEnergyWeight: TOTAL_ENERGY_WEIGHT,
      };
    },
    getaccountnet: (ctx) => netResource(address(ctx, "address")),
    getchainparameters: () => ({
      chainParameter: [
        { key: "getMaintenanceTimeInterval", value: 21_600_000 },
        { key: "getCreateAccountFee", value: FEE_PARAMETERS.getCreateAccountFee },
        { key: "getTransactionFee", value: FEE_PARAMETERS.getTransactionFee },
        { key: "getEnergyFee", value: chain.opts.energyPrice },
        { key: "getCreateNewAccountFeeInSystemContract", value: FEE_PARAMETERS.getCreateNewAccountFeeInSystemContract },
        { key: "getMemoFee", value: FEE_PARAMETERS.getMemoFee },
        { key: "getFreeNetLimit", value: FEE_PARAMETERS.getFreeNetLimit },
        { key: "getTotalNetLimit", value: FEE_PARAMETERS.getTotalNetLimit },
        { key: "getTotalEnergyCurrentLimit", value: TOTAL_ENERGY_LIMIT },
        { key: "getMaxFeeLimit", value: 15_000_000_000 },
        { key: "getAllowDynamicEnergy", value: 1 },
        { key: "getAllowTvmTransferTrc10", value: 1 },
        { key: "getAllowTvmConstantinople", value: 1 },
        { key: "getAllowTvmSolidity059", value: 1 },
        { key: "getAllowTvmIstanbul", value: 1 },
        { key: "getAllowTvmLondon", value: 1 },
        { key: "getAllowTvmShangHai", value: 1 },
        { key: "getAllowTvmCancun", value: 1 },
        { key: "getAllowTvmCompatibleEvm", value: chain.opts.tvm.compatibleEvm ? 1 : 0 },
        { key: "getAllowHigherLimitForMaxCpuTimeOfOneTx", value: chain.opts.tvm.memoryOpBase ? 1 : 0 },
        { key: "getAllowEnergyAdjustment", value: chain.opts.tvm.energyAdjustment ? 1 : 0 },
      ],
    }),
    getenergyprices: () => ({ prices: `0:${chain.opts.energyPrice}` }),
    getbandwidthprices: () => ({ prices: `0:${FEE_PARAMETERS.getTransactionFee}` }),
    getnodeinfo: () => ({
      beginSyncNum: 0,
      block: `Num:${chain.head.number},ID:${chain.head.blockID}`,
      solidityBlock: `Num:${chain.head.number},ID:${chain.head.blockID}`,
      currentConnectCount: 0,
      activeConnectCount: 0,
      passiveConnectCount: 0,
      totalFlow: 0,
      configNodeInfo: { codeVersion: "bttkit-devnode", p2pVersion: "devnode", versionNum: "0" },
      machineInfo: {},
      cheatWitnessInfoMap: {},
    }),
    listwitnesses: () => ({ witnesses: [] }),
    listnodes: () => ({ nodes: [] }),
    validateaddress: (ctx) => {
      try {
        TronAddress.parse(ctx.params.address);
        return { result: true, message: "Valid address" };
      } catch {
        return { result: false, message: "Invalid address" };
      }
    },

    createtransaction: async (ctx) => {
      const owner = address(ctx, "owner_address");
      const to = address(ctx, "to_address");
      const amt = parseInteger(ctx.params.amount, "amount");
      const value = { to_address: to.format(ctx.visible), owner_address: owner.format(ctx.visible), amount: amt };
      const permissionId = parseInteger(ctx.params.Permission_id, "Permission_id", 0);
      return await buildTransaction("TransferContract", value, chain.refBlock(), {
        visible: ctx.visible,
        permissionId,
      });
    },

    triggersmartcontract: (ctx) =>
      asExtention(async () => {
        const owner = address(ctx, "owner_address");
        const contract = address(ctx, "contract_address");
        if ((await chain.exec.getCode(contract)).length === 0) {
          throw new TronApiError("CONTRACT_VALIDATE_ERROR", "No contract or not a smart contract");
        }
        const callValue = amount(ctx, "call_value");
        const tokenValue = amount(ctx, "call_token_value");
        const tokenId = amount(ctx, "token_id");
        const value: Record<string, unknown> = {
          data: callData(ctx),
          owner_address: owner.format(ctx.visible),
          contract_address: contract.format(ctx.visible),
          ...(callValue ? { call_value: callValue } : {}),
          ...(tokenValue ? { call_token_value: tokenValue } : {}),
          ...(tokenId ? { token_id: tokenId } : {}),
        };
        // java-tron runs a view or pure function at once and answers its result with the transaction.
        if (isConstantSelector(chain.contractAt(contract)?.abi?.entrys, hexToBytes(value.data as string)))
          return constantCall(ctx);
        const tx = await buildTransaction("TriggerSmartContract", value, chain.refBlock(), {
          visible: ctx.visible,
          feeLimit: parseInteger(ctx.params.fee_limit, "fee_limit", 0),
          permissionId: parseInteger(ctx.params.Permission_id, "Permission_id", 0),
        });
        return { result: { result: true }, transaction: tx };
      }),

    triggerconstantcontract: constantCall,

    estimateenergy: (ctx) =>
      asExtention(async () => {
        const a = triggerArgs(ctx);
        // Without contract_address the data is a deployment (TronWeb's deployConstantContract).
        if (a.contract && (await chain.exec.getCode(a.contract)).length === 0) {
          throw new TronApiError("CONTRACT_VALIDATE_ERROR", "No contract or not a smart contract");
        }
        const out = await chain.estimateEnergy({
          owner: a.owner,
          to: a.contract,
          data: hexToBytes(a.data),
          value: a.value,
        });
        if (out.result !== "SUCCESS") {
          return {
            result: { code: "CONTRACT_EXE_ERROR", message: hex(out.message ?? out.result) },
            energy_required: 0,
          };
        }
        return { result: { result: true }, energy_required: Number(out.required) };
      }),

    deploycontract: async (ctx) => {
      const owner = address(ctx, "owner_address");
      const bytecode = bytesToHex(hexToBytes(ctx.params.bytecode ?? "", "bytecode"));
      const parameter = bytesToHex(hexToBytes(ctx.params.parameter ?? "", "parameter"));
      let abi = ctx.params.abi;
      if (typeof abi === "string") {
        try {
          abi = abi.trim() === "" ? [] : JSON.parse(abi);
        } catch {
          throw new BadRequestError("Invalid abi: not JSON");
        }
      }
      const entrys = Array.isArray(abi) ? abi : ((abi as { entrys?: unknown[] } | undefined)?.entrys ?? []);
      const callValue = amount(ctx, "call_value");
      const newContract: Record<string, unknown> = {
        bytecode: bytecode + parameter,
        consume_user_resource_percent: parseInteger(
          ctx.params.consume_user_resource_percent,
          "consume_user_resource_percent",
          100,
        ),
        ...(ctx.params.name ? { name: String(ctx.params.name) } : {}),
        origin_address: owner.format(ctx.visible),
        abi: { entrys },
        origin_energy_limit: parseInteger(ctx.params.origin_energy_limit, "origin_energy_limit", 10_000_000),
        ...(callValue ? { call_value: callValue } : {}),
      };
      const tx = await buildTransaction(
        "CreateSmartContract",
        { owner_address: owner.format(ctx.visible), new_contract: newContract },
        chain.refBlock(),
        { visible: ctx.visible, feeLimit: parseInteger(ctx.params.fee_limit, "fee_limit", 0) },
      );
      const created = TronAddress.fromBytes20(keccak_256(concat(hexToBytes(tx.txID), owner.bytes21)).slice(12));
      return { ...tx, contract_address: created.hex };
    },

    // Each account's permissions are the default ones: its own key, weight 1, threshold 1.
    getsignweight: async (ctx) => {
      const tx = await decodeJsonTransaction(ctx.body);
      const approved: string[] = [];
      for (const sig of tx.signatures) {
        try {
          const signer = recoverSigner(tx.txIdBytes, sig);
          if (signer.equals(tx.owner)) approved.push(signer.format(ctx.visible));
        } catch {
          // java-tron skips signatures it cannot recover here; broadcast refuses them
        }
      }
      const keys = [{ address: tx.owner.format(ctx.visible), weight: 1 }];
      const permission =
        tx.permissionId === 2
          ? { type: "Active", id: 2, permission_name: "active", threshold: 1, operations: ACTIVE_OPERATIONS, keys }
          : { permission_name: "owner", threshold: 1, keys };
      return {
        result: approved.length ? { code: "ENOUGH_PERMISSION" } : { code: "NOT_ENOUGH_PERMISSION" },
        permission,
        ...(approved.length ? { approved_list: approved, current_weight: approved.length } : {}),
        transaction: {
          result: { result: true },
          txid: tx.txID,
          transaction: { ...renderTransaction(tx, ctx.visible), visible: ctx.visible },
        },
      };
    },

    broadcasttransaction: async (ctx) => {
      const tx = await decodeJsonTransaction(ctx.body);
      try {
        await chain.submit(tx);
      } catch (e) {
        if (e instanceof TronApiError) {
          const message = e.code === "CONTRACT_VALIDATE_ERROR" ? `Contract validate error : ${e.message}` : e.message;
          return { code: e.code, txid: tx.txID, message: hex(message) };
        }
        throw e;
      }
      return { result: true, txid: tx.txID };
    },

    broadcasthex: async (ctx) => {
      const tx = await decodeHexTransaction(ctx.params.transaction);
      try {
        await chain.submit(tx);
      } catch (e) {
        if (e instanceof TronApiError)
          return { result: false, code: e.code, txid: tx.txID, message: hex(e.message), transaction: "" };
        throw e;
      }
      return { result: true, txid: tx.txID, transaction: JSON.stringify(renderTransaction(tx, false)) };
    },

    gettransactionbyid: txById,
    gettransactioninfobyid: txInfo,
    gettransactioninfobyblocknum: (ctx) => {
      const b = chain.blocks[parseInteger(ctx.params.num, "num")];
      return b ? b.txIDs.flatMap((id) => chain.txs.get(id)?.info ?? []) : [];
    },

    getcontract: async (ctx) => (await contractJson(address(ctx, "value"), ctx.visible)) ?? {},
    getcontractinfo: async (ctx) => {
      const a = address(ctx, "value");
      const sc = await contractJson(a, ctx.visible);
      if (!sc) return {};
      return {
        runtimecode: bytesToHex(await chain.exec.getCode(a)),
        smart_contract: sc,
        contract_state: {
          energy_usage: 0,
          energy_factor: Number(
            (chain.energyFactors.get(Buffer.from(a.bytes20).toString("hex")) ?? ENERGY_FACTOR_DECIMAL) -
              ENERGY_FACTOR_DECIMAL,
          ),
          update_cycle: 0,
        },
      };
    },
    // Devnode extension: attach an ABI to an address (contracts created by contracts), for events and getcontract.
    registerabi: (ctx) => {
      const a = address(ctx, "contract_address");
      if (toStandardAbi(ctx.params.abi).length === 0) throw new BadRequestError("abi must be a non-empty JSON ABI");
      chain.registerAbi(a, ctx.params.abi);
      return { result: true };
    },
  };

  const solidity: Record<string, Handler> = {
    getnowblock: wallet.getnowblock,
    getblock: wallet.getblock,
    getblockbynum: wallet.getblockbynum,
    getblockbyid: wallet.getblockbyid,
    getblockbylatestnum: wallet.getblockbylatestnum,
    getblockbylimitnext: wallet.getblockbylimitnext,
    getaccount: getAccount,
    gettransactionbyid: txById,
    gettransactioninfobyid: txInfo,
    gettransactioninfobyblocknum: wallet.gettransactioninfobyblocknum,
    triggerconstantcontract: constantCall,
    estimateenergy: wallet.estimateenergy,
    getnodeinfo: wallet.getnodeinfo,
  };
  return { wallet, solidity };
}
