import type { Signer } from "ethers";
import * as Address from "ox/Address";
import * as Hex from "ox/Hex";
import * as Secp256k1 from "ox/Secp256k1";
import * as TypedData from "ox/TypedData";
import { type Hex20, toHex20 } from "./address.js";
import { InvalidArgumentError } from "./errors.js";

/** A TIP-712 domain as bttkit's contracts build it (contracts/libraries/TIP712.sol). */
export interface Tip712DomainInput {
  name: string;
  version: string;
  /** The chain id as a node reports it: all 32 bytes of the genesis id, or already the low 4. */
  chainId: bigint | number;
  /** The verifying contract in any TRON address form. */
  verifyingContract: string;
}

/** An EIP-712 / TIP-712 domain in the form wallets sign: `0x` 20-byte verifying contract. */
export interface TypedDataDomain {
  name?: string | null;
  version?: string | null;
  chainId?: bigint | number | string | null;
  verifyingContract?: string | null;
  salt?: string | Uint8Array | null;
}

/** Struct definitions by type name, as EIP-712 writes them. */
export type TypedDataTypes = Record<string, readonly { name: string; type: string }[]>;

/** TRON's TIP-712 chain id: the low 4 bytes of the genesis block id (TRON.md). */
export function tronChainId(chainId: bigint | number): bigint {
  return BigInt(chainId) & 0xffffffffn;
}

/** The domain TRON wallets sign: masked chain id and a 20-byte verifying contract, no 0x41. */
export function tip712Domain(input: Tip712DomainInput): TypedDataDomain {
  return {
    name: input.name,
    version: input.version,
    chainId: tronChainId(input.chainId),
    verifyingContract: toHex20(input.verifyingContract),
  };
}

/** The one struct no other struct refers to: what EIP-712 signs (`primaryType`). */
export function primaryTypeOf(types: TypedDataTypes): string {
  const names = Object.keys(types).filter((name) => name !== "EIP712Domain");
  const referenced = new Set(
    Object.values(types).flatMap((fields) => fields.map((f) => f.type.replace(/\[\d*\]$/, ""))),
  );
  const roots = names.filter((name) => !referenced.has(name));
  if (roots.length !== 1)
    throw new InvalidArgumentError(`Typed data needs exactly one primary type, got ${roots.join(", ") || "none"}`);
  return roots[0] as string;
}

function oxDomain(domain: TypedDataDomain): TypedData.Domain {
  return {
    ...(domain.name != null ? { name: domain.name } : {}),
    ...(domain.version != null ? { version: domain.version } : {}),
    ...(domain.chainId != null ? { chainId: BigInt(domain.chainId) } : {}),
    ...(domain.verifyingContract != null ? { verifyingContract: toHex20(domain.verifyingContract) } : {}),
    ...(domain.salt != null
      ? { salt: typeof domain.salt === "string" ? (domain.salt as Hex.Hex) : Hex.fromBytes(domain.salt) }
      : {}),
  };
}

/** The 32-byte digest a TIP-712 signature signs (`keccak256(0x1901 ‖ domain ‖ struct)`). */
export function hashTypedData(
  domain: TypedDataDomain,
  types: TypedDataTypes,
  message: Record<string, unknown>,
): Hex.Hex {
  try {
    return TypedData.getSignPayload({
      domain: oxDomain(domain),
      types: types as TypedData.TypedData,
      primaryType: primaryTypeOf(types),
      message,
    });
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    throw new InvalidArgumentError("Typed data does not encode", { cause: error, details: String(error) });
  }
}

const SECP256K1_HALF_N = 0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0n;

/** A 65-byte `r ‖ s ‖ v` signature split up; v may be 0/1 or 27/28. No curve arithmetic. */
function parseSignature(signature: string): { r: Hex.Hex; s: Hex.Hex; yParity: 0 | 1 } {
  if (typeof signature !== "string") throw new InvalidArgumentError("A signature must be a hex string");
  const hex = signature.startsWith("0x") ? signature.slice(2) : signature;
  if (!/^[0-9a-fA-F]{130}$/.test(hex)) {
    throw new InvalidArgumentError("A signature must be 65 bytes r ++ s ++ v", { details: signature });
  }
  const v = Number.parseInt(hex.slice(128), 16);
  const yParity = v === 0 || v === 27 ? 0 : v === 1 || v === 28 ? 1 : undefined;
  if (yParity === undefined) throw new InvalidArgumentError(`Signature v must be 0, 1, 27 or 28, got ${v}`);
  return { r: `0x${hex.slice(0, 64).toLowerCase()}`, s: `0x${hex.slice(64, 128).toLowerCase()}`, yParity };
}

/** Any 65-byte signature (v as 0/1 or 27/28, with or without `0x`) -> `0x` r ‖ s ‖ v (27/28). */
export function normalizeSignature(signature: string): Hex.Hex {
  const { r, s, yParity } = parseSignature(signature);
  return `0x${r.slice(2)}${s.slice(2)}${yParity ? "1c" : "1b"}`;
}

/** Whether `s` is in the lower half of the curve order (EIP-2): the only form contracts take. */
export function isLowS(signature: string): boolean {
  return BigInt(parseSignature(signature).s) <= SECP256K1_HALF_N;
}

/** EIP-2098's compact form: `r` and `vs = yParity << 255 | s`, both 32-byte `0x` hex. */
export function compactSignature(signature: string): { r: Hex.Hex; vs: Hex.Hex } {
  const { r, s, yParity } = parseSignature(signature);
  return { r, vs: Hex.fromNumber((BigInt(yParity) << 255n) | BigInt(s), { size: 32 }) };
}

/** A typed-data signing request, as wallets and backends take it. */
export interface TypedDataRequest {
  domain: TypedDataDomain;
  types: TypedDataTypes;
  primaryType: string;
  message: Record<string, unknown>;
}

/**
 * Anything that signs TIP-712 typed data: a `Backend` (its account, through the wallet or key it
 * holds), `privateKeySigner(key)`, or a wallet adapter's wrapper. Resolves with the 65-byte
 * signature.
 */
export interface TypedDataSigner {
  signTypedData(request: TypedDataRequest): Promise<string>;
}

/** Whether `value` is a `TypedDataSigner` (one request argument, unlike ethers' three). */
export function isTypedDataSigner(value: unknown): value is TypedDataSigner {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as TypedDataSigner).signTypedData === "function" &&
    (value as TypedDataSigner).signTypedData.length <= 1 &&
    typeof (value as { getAddress?: unknown }).getAddress !== "function"
  );
}

/** Who signed `message` under `domain` (checksummed `0x` address); a malformed signature throws. */
export function recoverTypedDataSigner(
  domain: TypedDataDomain,
  types: TypedDataTypes,
  message: Record<string, unknown>,
  signature: string,
): Hex20 {
  const payload = hashTypedData(domain, types, message);
  try {
    const { r, s, yParity } = parseSignature(signature);
    return toHex20(Secp256k1.recoverAddress({ payload, signature: { r, s, yParity } }));
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw error;
    throw new InvalidArgumentError("Could not recover the signer", { cause: error, details: signature });
  }
}

/** Signs typed data with an ethers signer; returns the 65-byte `r ++ s ++ v` signature. */
export async function signTypedDataWithEthers(
  signer: Signer,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): Promise<string> {
  const mutable = Object.fromEntries(Object.entries(types).map(([k, v]) => [k, v.map((f) => ({ ...f }))]));
  return normalizeSignature(await signer.signTypedData(domain, mutable, value));
}

/** What the SDK needs from a TronWeb instance to sign typed data. */
export interface TronWebTypedDataSigner {
  trx: {
    _signTypedData(
      domain: TypedDataDomain,
      types: Record<string, { name: string; type: string }[]>,
      value: Record<string, unknown>,
      privateKey?: string,
    ): string | Promise<string>;
  };
}

/**
 * Signs typed data with TronWeb's `trx._signTypedData` (its default key, or `privateKey`);
 * TronWeb works offline for this, and TronLink's injected TronWeb asks the user. Returns the
 * 65-byte `r ++ s ++ v` signature.
 */
export async function signTypedDataWithTronWeb(
  tronWeb: TronWebTypedDataSigner,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
  privateKey?: string,
): Promise<string> {
  const mutable = Object.fromEntries(Object.entries(types).map(([k, v]) => [k, v.map((f) => ({ ...f }))]));
  const signature = await tronWeb.trx._signTypedData(domain, mutable, value, privateKey);
  return normalizeSignature(signature);
}

/** Signs typed data with a raw private key (hex), offline. */
export function signTypedDataWithPrivateKey(
  privateKey: string,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): string {
  if (typeof privateKey !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(privateKey)) {
    throw new InvalidArgumentError("privateKey must be 32 bytes of hex");
  }
  const key = (privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`) as Hex.Hex;
  const { r, s, yParity } = Secp256k1.sign({ payload: hashTypedData(domain, types, value), privateKey: key });
  return `0x${r.slice(2).padStart(64, "0")}${s.slice(2).padStart(64, "0")}${yParity ? "1c" : "1b"}`;
}

/** A `TypedDataSigner` over a raw private key (hex), offline. For Node tools and tests. */
export function privateKeySigner(privateKey: string): TypedDataSigner & { address: Hex20 } {
  const address = addressOfPrivateKey(privateKey);
  return {
    address,
    signTypedData: async (request: TypedDataRequest) =>
      signTypedDataWithPrivateKey(privateKey, request.domain, request.types, request.message),
  };
}

/** The address of a private key (hex), `0x` checksummed. */
export function addressOfPrivateKey(privateKey: string): Hex20 {
  if (typeof privateKey !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(privateKey)) {
    throw new InvalidArgumentError("privateKey must be 32 bytes of hex");
  }
  const key = (privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`) as Hex.Hex;
  return toHex20(Address.fromPublicKey(Secp256k1.getPublicKey({ privateKey: key })));
}
