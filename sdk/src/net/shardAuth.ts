/**
 * Who may download a shard: the deal's tenant (for retrieval and repair). The tenant signs a
 * short EIP-191 message naming the host, the deal, the shard and an expiry; the host recovers
 * the signer and compares it with the deal's tenant on chain. Binding the host stops a signature
 * given to one host from being replayed at another; the expiry bounds replays at the same host.
 */
import { verifyMessage, Wallet } from "ethers";
import { type Hex20, toHex20 } from "../address.js";
import { NetworkError } from "./errors.js";

/** Signs an EIP-191 personal message; returns the 65-byte signature as 0x hex. */
export type MessageSigner = (message: string) => Promise<string>;

/** A `MessageSigner` from a raw private key (hex). */
export function privateKeyMessageSigner(privateKey: string): MessageSigner {
  const wallet = new Wallet(privateKey.startsWith("0x") ? privateKey : `0x${privateKey}`);
  return (message) => wallet.signMessage(message);
}

export interface ShardReadGrant {
  host: string;
  dealId: bigint;
  shard: number;
  /** Unix seconds. */
  expiry: bigint;
}

export function shardReadMessage(grant: ShardReadGrant): string {
  return [
    "bttkit shard read",
    `host: ${toHex20(grant.host)}`,
    `deal: ${grant.dealId}`,
    `shard: ${grant.shard}`,
    `expiry: ${grant.expiry}`,
  ].join("\n");
}

/** The `authorization` header value for a shard download. */
export async function shardReadAuthorization(signer: MessageSigner, grant: ShardReadGrant): Promise<string> {
  return `Bttkit ${grant.expiry}:${await signer(shardReadMessage(grant))}`;
}

/**
 * The address that authorised reading `shard` of `dealId` from `host` at `now`: `unauthorized`
 * when the header is missing, malformed, expired or does not recover.
 */
export function shardReadSigner(header: string | undefined, grant: Omit<ShardReadGrant, "expiry">, now: bigint): Hex20 {
  const m = header === undefined ? null : /^Bttkit (\d{1,15}):(0x[0-9a-fA-F]{130})$/.exec(header);
  if (!m) {
    throw new NetworkError("unauthorized", "a shard download needs `authorization: Bttkit <expiry>:<signature>`", {
      status: 401,
    });
  }
  const expiry = BigInt(m[1]!);
  if (expiry < now) throw new NetworkError("unauthorized", `the authorization expired at ${expiry}`, { status: 401 });
  try {
    return toHex20(verifyMessage(shardReadMessage({ ...grant, expiry }), m[2]!));
  } catch (error) {
    throw new NetworkError("unauthorized", "the authorization's signature does not recover", {
      status: 401,
      cause: error,
    });
  }
}
