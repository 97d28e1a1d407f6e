import type { Signer, TypedDataDomain, TypedDataField } from "ethers";
import { Signature } from "ethers";
import { utils as tronUtils } from "tronweb";
import { toHex20 } from "./address.js";

/** A TIP-712 domain as bttkit's contracts build it (contracts/libraries/TIP712.sol). */
export interface Tip712DomainInput {
  name: string;
  version: string;
  /** The chain id as a node reports it: all 32 bytes of the genesis id, or already the low 4. */
  chainId: bigint | number;
  /** The verifying contract in any TRON address form. */
  verifyingContract: string;
}

export type TypedDataTypes = Record<string, TypedDataField[]>;

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

/** Signs typed data with an ethers signer; returns the 65-byte `r ++ s ++ v` signature. */
export async function signTypedDataWithEthers(
  signer: Signer,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): Promise<string> {
  return Signature.from(await signer.signTypedData(domain, types, value)).serialized;
}

/** What the SDK needs from a TronWeb instance to sign typed data. */
export interface TronWebTypedDataSigner {
  trx: {
    _signTypedData(
      domain: TypedDataDomain,
      types: TypedDataTypes,
      value: Record<string, unknown>,
      privateKey?: string,
    ): string | Promise<string>;
  };
}

/**
 * Signs typed data with TronWeb's `trx._signTypedData` (its default key, or `privateKey`);
 * TronWeb works offline for this. Returns the 65-byte `r ++ s ++ v` signature.
 */
export async function signTypedDataWithTronWeb(
  tronWeb: TronWebTypedDataSigner,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
  privateKey?: string,
): Promise<string> {
  const signature = await tronWeb.trx._signTypedData(domain, types, value, privateKey);
  return Signature.from(signature).serialized;
}

/** Signs typed data with a raw private key through TronWeb's encoder, without any node. */
export function signTypedDataWithPrivateKey(
  privateKey: string,
  domain: TypedDataDomain,
  types: TypedDataTypes,
  value: Record<string, unknown>,
): string {
  return Signature.from(tronUtils.typedData.signTypedData(domain, types, value, privateKey)).serialized;
}
