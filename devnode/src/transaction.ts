/**
 * TRON transactions as protobuf. Encoding goes through TronWeb's own `txJsonToPb` so that what
 * the node builds is byte-for-byte what TronWeb re-encodes when it checks a reply; decoding reads
 * the protobuf, which is what java-tron executes and signs over.
 */
import { sha256 } from "@noble/hashes/sha2.js";
import { abiPbToWire, type WireEntry } from "./abi.js";
import { bytesToHex, hexToBytes, TronAddress } from "./encoding.js";
import { BadRequestError, TronApiError } from "./errors.js";

// biome-ignore lint/suspicious/noExplicitAny: generated google-protobuf classes are untyped
type Pb = any;
type TronwebModule = typeof import("tronweb");
let loading: Promise<TronwebModule> | undefined;

/**
 * tronweb takes about half a second to import, so it loads on first use (the server warms it up
 * right after it starts listening) and the node answers its first requests without waiting.
 */
export function loadTronweb(): Promise<TronwebModule> {
  loading ??= import("tronweb");
  return loading;
}

async function tronweb(): Promise<{ tx: TronwebModule["utils"]["transaction"]; proto: Record<string, Pb> }> {
  const m = await loadTronweb();
  // Importing tronweb registers its generated protobuf classes on globalThis.TronWebProto.
  return {
    tx: m.utils.transaction,
    proto: (globalThis as unknown as { TronWebProto: Record<string, Pb> }).TronWebProto,
  };
}

export type ContractTypeName =
  | "TransferContract"
  | "TriggerSmartContract"
  | "CreateSmartContract"
  | "UpdateSettingContract"
  | "UpdateEnergyLimitContract"
  | "ClearABIContract";
const TYPE_BY_NUMBER: Record<number, ContractTypeName> = {
  1: "TransferContract",
  30: "CreateSmartContract",
  31: "TriggerSmartContract",
  33: "UpdateSettingContract",
  45: "UpdateEnergyLimitContract",
  48: "ClearABIContract",
};

export interface RefBlock {
  ref_block_bytes: string;
  ref_block_hash: string;
  expiration: number;
  timestamp: number;
}

export interface TxJson {
  visible?: boolean;
  txID: string;
  raw_data: Record<string, unknown> & { contract: Array<Record<string, unknown>> };
  raw_data_hex: string;
  signature?: string[];
  contract_address?: string;
}

export interface DecodedTx {
  txID: string;
  txIdBytes: Uint8Array;
  rawBytes: Uint8Array;
  signatures: string[];
  type: ContractTypeName;
  owner: TronAddress;
  refBlockBytes: string;
  refBlockHash: string;
  expiration: number;
  timestamp: number;
  feeLimit: number;
  permissionId: number;
  /** raw_data.data (a memo); empty if none. */
  memo: Uint8Array;
  transfer?: { to: TronAddress; amount: bigint };
  trigger?: { contract: TronAddress; data: Uint8Array; callValue: bigint; tokenValue: bigint };
  /** The contract owner's settings: UpdateSetting, UpdateEnergyLimit, ClearABI. */
  admin?: {
    contract: TronAddress;
    consumeUserResourcePercent?: number;
    originEnergyLimit?: number;
    clearAbi?: boolean;
  };
  create?: {
    bytecode: Uint8Array;
    callValue: bigint;
    tokenValue: bigint;
    name: string;
    originAddress: TronAddress;
    consumeUserResourcePercent: number;
    originEnergyLimit: number;
    abi?: { entrys: WireEntry[] };
  };
  /** The ABI exactly as the client sent it in JSON (keeps tuple components for decoding). */
  clientAbi?: unknown;
}

/**
 * Builds a transaction the way java-tron's HTTP API does (raw_data JSON + raw_data_hex + txID).
 * `value` must be the contract parameter as the request gave it, so TronWeb's
 * `txCheckWithArgs` re-encodes the same bytes.
 */
export async function buildTransaction(
  type: ContractTypeName,
  value: Record<string, unknown>,
  ref: RefBlock,
  opts: { feeLimit?: number; visible: boolean; permissionId?: number },
): Promise<TxJson> {
  const { tx: tronTx } = await tronweb();
  const contract: Record<string, unknown> = {
    parameter: { value, type_url: `type.googleapis.com/protocol.${type}` },
    type,
  };
  if (opts.permissionId) contract.Permission_id = opts.permissionId;
  const raw_data: TxJson["raw_data"] = {
    contract: [contract],
    ref_block_bytes: ref.ref_block_bytes,
    ref_block_hash: ref.ref_block_hash,
    expiration: ref.expiration,
    ...(opts.feeLimit ? { fee_limit: opts.feeLimit } : {}),
    timestamp: ref.timestamp,
  };
  const tx: TxJson = { visible: opts.visible, txID: "", raw_data, raw_data_hex: "" };
  const pb = tronTx.txJsonToPb(tx);
  tx.txID = tronTx.txPbToTxID(pb).replace(/^0x/, "");
  tx.raw_data_hex = tronTx.txPbToRawDataHex(pb).toLowerCase();
  return tx;
}

/** Decodes what /wallet/broadcasttransaction receives. raw_data wins over raw_data_hex, as in java-tron. */
export async function decodeJsonTransaction(body: unknown): Promise<DecodedTx> {
  const { tx: tronTx, proto } = await tronweb();
  if (!body || typeof body !== "object") throw new BadRequestError("transaction JSON expected");
  const tx = body as Partial<TxJson>;
  let rawBytes: Uint8Array;
  if (tx.raw_data && typeof tx.raw_data === "object") {
    let pb: Pb;
    try {
      pb = tronTx.txJsonToPb(tx);
    } catch (e) {
      throw new BadRequestError(`Invalid transaction: ${(e as Error).message}`);
    }
    rawBytes = pb.getRawData().serializeBinary();
  } else if (typeof tx.raw_data_hex === "string") {
    rawBytes = hexToBytes(tx.raw_data_hex, "raw_data_hex");
  } else {
    throw new BadRequestError("Invalid transaction: no raw_data");
  }
  const sigs = tx.signature ?? [];
  if (!Array.isArray(sigs) || sigs.some((s) => typeof s !== "string"))
    throw new BadRequestError("Invalid signature list");
  const decoded = decodeRaw(proto, rawBytes, sigs);
  const value = (tx.raw_data?.contract?.[0] as { parameter?: { value?: { new_contract?: { abi?: unknown } } } })
    ?.parameter?.value;
  decoded.clientAbi = value?.new_contract?.abi;
  return decoded;
}

/** Decodes /wallet/broadcasthex: a serialized protocol.Transaction. */
export async function decodeHexTransaction(hex: unknown): Promise<DecodedTx> {
  const { proto } = await tronweb();
  const bytes = hexToBytes(hex, "transaction");
  let tx: Pb;
  try {
    tx = proto.Transaction.deserializeBinary(bytes);
  } catch (e) {
    throw new BadRequestError(`Invalid transaction: ${(e as Error).message}`);
  }
  const raw = tx.getRawData();
  if (!raw) throw new BadRequestError("Invalid transaction: no raw_data");
  const sigs = tx.getSignatureList_asU8().map((s: Uint8Array) => bytesToHex(s));
  return decodeRaw(proto, raw.serializeBinary(), sigs);
}

function decodeRaw(proto: Record<string, Pb>, rawBytes: Uint8Array, signatures: string[]): DecodedTx {
  let raw: Pb;
  try {
    raw = proto.Transaction.raw.deserializeBinary(rawBytes);
  } catch (e) {
    throw new BadRequestError(`Invalid transaction: ${(e as Error).message}`);
  }
  const contracts = raw.getContractList();
  if (contracts.length !== 1) throw new TronApiError("CONTRACT_VALIDATE_ERROR", "contract size should be exactly 1");
  const contract = contracts[0];
  const type = TYPE_BY_NUMBER[contract.getType()];
  if (!type)
    throw new TronApiError(
      "CONTRACT_VALIDATE_ERROR",
      `contract type ${contract.getType()} is not supported by the devnode`,
    );
  const any = contract.getParameter();
  if (!any) throw new TronApiError("CONTRACT_VALIDATE_ERROR", "contract parameter is missing");
  let param: Pb;
  try {
    param = proto[type].deserializeBinary(any.getValue_asU8());
  } catch (e) {
    throw new TronApiError("CONTRACT_VALIDATE_ERROR", `cannot decode ${type}: ${(e as Error).message}`);
  }
  const txIdBytes = sha256(rawBytes);
  const addr = (bytes: Uint8Array, what: string) => {
    try {
      return TronAddress.fromBytes21(bytes);
    } catch {
      throw new TronApiError("CONTRACT_VALIDATE_ERROR", `Invalid ${what}`);
    }
  };
  const out: DecodedTx = {
    txID: bytesToHex(txIdBytes),
    txIdBytes,
    rawBytes,
    signatures,
    type,
    owner: addr(param.getOwnerAddress_asU8(), "ownerAddress"),
    refBlockBytes: bytesToHex(raw.getRefBlockBytes_asU8()),
    refBlockHash: bytesToHex(raw.getRefBlockHash_asU8()),
    expiration: raw.getExpiration(),
    timestamp: raw.getTimestamp(),
    feeLimit: raw.getFeeLimit(),
    permissionId: contract.getPermissionId(),
    memo: raw.getData_asU8(),
  };
  if (type === "TransferContract") {
    out.transfer = { to: addr(param.getToAddress_asU8(), "toAddress"), amount: BigInt(param.getAmount()) };
  } else if (type === "TriggerSmartContract") {
    out.trigger = {
      contract: addr(param.getContractAddress_asU8(), "contractAddress"),
      data: param.getData_asU8(),
      callValue: BigInt(param.getCallValue()),
      tokenValue: BigInt(param.getCallTokenValue()),
    };
  } else if (type === "UpdateSettingContract" || type === "UpdateEnergyLimitContract" || type === "ClearABIContract") {
    out.admin = {
      contract: addr(param.getContractAddress_asU8(), "contractAddress"),
      ...(type === "UpdateSettingContract"
        ? { consumeUserResourcePercent: param.getConsumeUserResourcePercent() }
        : {}),
      ...(type === "UpdateEnergyLimitContract" ? { originEnergyLimit: param.getOriginEnergyLimit() } : {}),
      ...(type === "ClearABIContract" ? { clearAbi: true } : {}),
    };
  } else {
    const sc = param.getNewContract();
    if (!sc) throw new TronApiError("CONTRACT_VALIDATE_ERROR", "new_contract is missing");
    const origin = sc.getOriginAddress_asU8();
    out.create = {
      bytecode: sc.getBytecode_asU8(),
      callValue: BigInt(sc.getCallValue()),
      tokenValue: BigInt(param.getCallTokenValue()),
      name: sc.getName(),
      originAddress: origin.length ? addr(origin, "originAddress") : out.owner,
      consumeUserResourcePercent: sc.getConsumeUserResourcePercent(),
      originEnergyLimit: sc.getOriginEnergyLimit(),
      abi: abiPbToWire(sc.getAbi()),
    };
  }
  return out;
}

/** java-tron's JSON rendering of a transaction (defaults omitted), in hex or base58 addresses. */
export function renderTransaction(
  tx: DecodedTx,
  visible: boolean,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const a = (x: TronAddress) => x.format(visible);
  let value: Record<string, unknown>;
  if (tx.transfer) {
    value = { amount: Number(tx.transfer.amount), owner_address: a(tx.owner), to_address: a(tx.transfer.to) };
  } else if (tx.trigger) {
    value = {
      data: bytesToHex(tx.trigger.data),
      owner_address: a(tx.owner),
      contract_address: a(tx.trigger.contract),
      ...(tx.trigger.callValue ? { call_value: Number(tx.trigger.callValue) } : {}),
    };
  } else if (tx.create) {
    const c = tx.create;
    value = {
      owner_address: a(tx.owner),
      new_contract: {
        ...(c.bytecode.length ? { bytecode: bytesToHex(c.bytecode) } : {}),
        ...(c.consumeUserResourcePercent ? { consume_user_resource_percent: c.consumeUserResourcePercent } : {}),
        ...(c.name ? { name: c.name } : {}),
        origin_address: a(c.originAddress),
        ...(c.abi ? { abi: c.abi } : {}),
        ...(c.originEnergyLimit ? { origin_energy_limit: c.originEnergyLimit } : {}),
        ...(c.callValue ? { call_value: Number(c.callValue) } : {}),
      },
    };
  } else if (tx.admin) {
    const d = tx.admin;
    value = {
      owner_address: a(tx.owner),
      contract_address: a(d.contract),
      ...(d.consumeUserResourcePercent !== undefined
        ? { consume_user_resource_percent: d.consumeUserResourcePercent }
        : {}),
      ...(d.originEnergyLimit !== undefined ? { origin_energy_limit: d.originEnergyLimit } : {}),
    };
  } else {
    throw new TronApiError("CONTRACT_VALIDATE_ERROR", `cannot render ${tx.type}`);
  }
  const contract: Record<string, unknown> = {
    parameter: { value, type_url: `type.googleapis.com/protocol.${tx.type}` },
    type: tx.type,
  };
  if (tx.permissionId) contract.Permission_id = tx.permissionId;
  return {
    ...extra,
    ...(tx.signatures.length ? { signature: tx.signatures } : {}),
    txID: tx.txID,
    raw_data: {
      contract: [contract],
      ref_block_bytes: tx.refBlockBytes,
      ref_block_hash: tx.refBlockHash,
      expiration: tx.expiration,
      ...(tx.memo.length ? { data: bytesToHex(tx.memo) } : {}),
      ...(tx.feeLimit ? { fee_limit: tx.feeLimit } : {}),
      ...(tx.timestamp ? { timestamp: tx.timestamp } : {}),
    },
    raw_data_hex: bytesToHex(tx.rawBytes),
  };
}
