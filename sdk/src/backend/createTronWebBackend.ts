/**
 * A TronWeb backend from a node URL: the one place the SDK constructs TronWeb itself (a peer
 * dependency). In a page, pass the wallet's injected TronWeb to `new TronWebBackend(...)` (or
 * use `connectWallet` in ../wallet.ts) instead, and TronWeb is never bundled.
 */
import { TronWeb } from "tronweb";
import { InvalidArgumentError } from "../errors.js";
import { TronWebBackend, type TronWebBackendOptions, type TronWebLike } from "./tronweb.js";

export interface CreateTronWebBackendParameters extends TronWebBackendOptions {
  /** A TronWeb instance (or TronLink's `window.tronWeb`); or give `fullHost`. */
  tronWeb?: TronWebLike;
  /** Node URL, e.g. `https://nile.trongrid.io` or a devnode's `url`. */
  fullHost?: string;
  /** Hex private key (no `0x`) for signing; omit for a read-only backend. */
  privateKey?: string;
  /** Extra HTTP headers, e.g. `{"TRON-PRO-API-KEY": key}` for TronGrid. */
  headers?: Record<string, string>;
}

/** A TronWeb backend from an existing TronWeb, or from a node URL and an optional private key. */
export function createTronWebBackend(parameters: CreateTronWebBackendParameters): TronWebBackend {
  if (typeof parameters !== "object" || parameters === null) {
    throw new InvalidArgumentError("createTronWebBackend needs parameters");
  }
  const { tronWeb, fullHost, privateKey, headers, ...options } = parameters;
  if (tronWeb) return new TronWebBackend(tronWeb, options);
  if (typeof fullHost !== "string" || !/^https?:\/\/./.test(fullHost)) {
    throw new InvalidArgumentError(`fullHost must be an http(s) URL, got ${JSON.stringify(fullHost)}`);
  }
  if (privateKey !== undefined && (typeof privateKey !== "string" || !/^(0x)?[0-9a-fA-F]{64}$/.test(privateKey))) {
    throw new InvalidArgumentError("privateKey must be 32 bytes of hex");
  }
  let instance: TronWeb;
  try {
    instance = new TronWeb({
      fullHost,
      ...(headers ? { headers } : {}),
      ...(privateKey ? { privateKey: privateKey.replace(/^0x/, "") } : {}),
    });
  } catch (error) {
    throw new InvalidArgumentError("Could not create TronWeb", { cause: error });
  }
  return new TronWebBackend(instance as unknown as TronWebLike, options);
}
