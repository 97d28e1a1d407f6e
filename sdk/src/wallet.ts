/**
 * `@bttkit/sdk/wallet`: a `Backend` whose signatures come from a TRON wallet (TronLink and the
 * others of `@tronweb3/tronwallet-adapter-*`, through their common `Adapter` interface), so no
 * private key is ever in the page. Reads and transaction building go to a node through a
 * TronWeb-like object (the wallet's injected `tronWeb`); signing goes to the wallet:
 * transactions through `adapter.signTransaction`, TIP-712 receipts, offers and relay fees
 * through `adapter.signTypedData`.
 *
 * Typed failures, and nothing half-sent: a refused connection or signature is
 * `UserRejectedError`; no wallet is `WalletNotFoundError`; a wallet on another chain than the
 * deployment is `NetworkMismatchError`, at connection and again before every signature (a
 * network switch mid-flow stops the flow before the wallet is asked); a disconnected wallet is
 * `WalletNotConnectedError`. The SDK imports no adapter package: pass the adapter instance.
 */
import { toHex20, toTronHex } from "./address.js";
import { TronWebBackend, type TronWebBackendOptions, type TronWebLike } from "./backend/tronweb.js";
import { walletError } from "./backend/util.js";
import { InvalidArgumentError, NetworkMismatchError, WalletNotConnectedError, WalletNotFoundError } from "./errors.js";
import type { TypedDataDomain, TypedDataRequest } from "./tip712.js";

/** A listener of adapter events; each adapter types its own arguments per event. */
// biome-ignore lint/suspicious/noExplicitAny: the adapters' per-event argument types differ
export type AdapterListener = (...args: any[]) => void;

/** What the SDK uses of a TronWallet adapter (`@tronweb3/tronwallet-abstract-adapter`'s `Adapter`). */
export interface TronWalletAdapter {
  /** The connected account (base58), or `null`. */
  readonly address: string | null;
  readonly connected: boolean;
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  signTransaction(transaction: never): Promise<unknown>;
  signTypedData(typedData: {
    domain: TypedDataDomain;
    types: Record<string, { name: string; type: string }[]>;
    message: Record<string, unknown>;
  }): Promise<string>;
  on(event: "accountsChanged" | "chainChanged" | "disconnect", listener: AdapterListener): unknown;
  off?(event: "accountsChanged" | "chainChanged" | "disconnect", listener: AdapterListener): unknown;
  removeListener?(event: "accountsChanged" | "chainChanged" | "disconnect", listener: AdapterListener): unknown;
}

export interface ConnectWalletParameters extends TronWebBackendOptions {
  adapter: TronWalletAdapter;
  /**
   * The node the wallet is on, as a TronWeb-like object: TronLink's `window.tronLink.tronWeb`
   * (or `window.tronWeb`); its keys are never used, only its node.
   */
  tronWeb: TronWebLike;
  /** The chain the dApp's deployment is on (`deployment.chainId`): another one is `NetworkMismatchError`. */
  chainId?: bigint;
}

type Listener = AdapterListener;

/**
 * A `TronWebBackend` that signs through a wallet adapter. Its account follows the wallet's
 * (`accountsChanged`); after a `chainChanged` it refuses to sign until `reconnect()` finds the
 * wallet back on the expected chain.
 */
export class WalletBackend extends TronWebBackend {
  readonly adapter: TronWalletAdapter;
  readonly expectedChainId: bigint | undefined;
  #switched = false;
  #listeners: [string, Listener][] = [];

  constructor(
    adapter: TronWalletAdapter,
    tronWeb: TronWebLike,
    options: TronWebBackendOptions & { chainId?: bigint } = {},
  ) {
    const { chainId, ...rest } = options;
    super(
      walletTronWeb(adapter, tronWeb, () => this.beforeSigning()),
      rest,
    );
    this.adapter = adapter;
    this.expectedChainId = chainId;
    const onChain: Listener = () => {
      this.#switched = true;
    };
    this.#listen("chainChanged", onChain);
  }

  #listen(event: "chainChanged" | "accountsChanged" | "disconnect", listener: Listener): void {
    this.adapter.on(event, listener);
    this.#listeners.push([event, listener]);
  }

  /** Stops listening to the adapter. */
  close(): void {
    for (const [event, listener] of this.#listeners) {
      const off = this.adapter.off ?? this.adapter.removeListener;
      off?.call(this.adapter, event as "chainChanged", listener);
    }
    this.#listeners = [];
  }

  /** Whether the wallet switched networks since the check (then `reconnect()`). */
  get networkChanged(): boolean {
    return this.#switched;
  }

  /** Checks the wallet's chain again after a switch; `NetworkMismatchError` if it is still wrong. */
  async reconnect(): Promise<void> {
    await checkChain(new TronWebBackend(this.tronWeb), this.expectedChainId);
    this.#switched = false;
  }

  override async signTypedData(request: TypedDataRequest): Promise<string> {
    await this.beforeSigning();
    return super.signTypedData(request);
  }

  /** Runs before the wallet is asked to sign anything: nothing is signed on a stale network. */
  private async beforeSigning(): Promise<void> {
    if (!this.adapter.connected || !this.adapter.address) throw new WalletNotConnectedError();
    if (this.#switched) {
      throw new NetworkMismatchError(
        this.expectedChainId ?? 0n,
        await this.liveChainId(),
        "the wallet switched networks",
      );
    }
  }

  private async liveChainId(): Promise<bigint> {
    return new TronWebBackend(this.tronWeb).chainId().catch(() => 0n);
  }
}

async function checkChain(backend: TronWebBackend, expected: bigint | undefined): Promise<void> {
  if (expected === undefined) return;
  const actual = await backend.chainId();
  if (actual !== (expected & 0xffffffffn)) {
    throw new NetworkMismatchError(expected, actual, "switch the wallet to the deployment's network");
  }
}

/**
 * The TronWeb the backend works with: the node's, with the account and the signatures of the
 * wallet. `guard` runs before each signature.
 */
function walletTronWeb(adapter: TronWalletAdapter, node: TronWebLike, guard: () => Promise<void>): TronWebLike {
  const address = () => {
    const base58 = adapter.address;
    return base58 ? { base58, hex: toTronHex(base58) } : { base58: false as const, hex: false as const };
  };
  const trx = {
    ...node.trx,
    sign: async (transaction: never) => {
      await guard();
      try {
        return await adapter.signTransaction(transaction);
      } catch (error) {
        throw walletError(error, "transaction");
      }
    },
    _signTypedData: async (
      domain: TypedDataDomain,
      types: Record<string, { name: string; type: string }[]>,
      message: Record<string, unknown>,
    ) => {
      await guard();
      try {
        return await adapter.signTypedData({ domain, types, message });
      } catch (error) {
        throw walletError(error, "signature");
      }
    },
    sendRawTransaction: (signed: never) => node.trx.sendRawTransaction(signed),
    getUnconfirmedTransactionInfo: (id: string) => node.trx.getUnconfirmedTransactionInfo(id),
    getBlockByNumber: (n: number) => node.trx.getBlockByNumber(n),
  };
  return {
    get defaultAddress() {
      return address();
    },
    fullNode: node.fullNode,
    transactionBuilder: node.transactionBuilder,
    trx,
    event: node.event,
  };
}

/**
 * Connects the wallet (the user approves in TronLink), checks its network against `chainId`,
 * and returns a `WalletBackend` for the SDK's clients. Rejects with `WalletNotFoundError`,
 * `UserRejectedError` or `NetworkMismatchError`.
 */
export async function connectWallet(parameters: ConnectWalletParameters): Promise<WalletBackend> {
  if (typeof parameters !== "object" || parameters === null)
    throw new InvalidArgumentError("connectWallet needs parameters");
  const { adapter, tronWeb, ...options } = parameters;
  if (typeof adapter !== "object" || adapter === null || typeof adapter.connect !== "function") {
    throw new InvalidArgumentError("connectWallet needs a wallet adapter (e.g. new TronLinkAdapter())");
  }
  if (typeof tronWeb !== "object" || tronWeb === null) {
    throw new WalletNotFoundError("No TronWeb from the wallet: is TronLink installed and unlocked?");
  }
  if (!adapter.connected) {
    try {
      await adapter.connect();
    } catch (error) {
      const name = (error as { name?: unknown })?.name;
      if (name === "WalletNotFoundError") throw new WalletNotFoundError(undefined, { cause: error });
      throw walletError(error, "connect");
    }
  }
  if (!adapter.address) throw new WalletNotConnectedError("The wallet connected without an account: unlock it");
  toHex20(adapter.address); // a malformed address is InvalidAddressError here, not later
  const backend = new WalletBackend(adapter, tronWeb, options);
  try {
    await checkChain(backend, options.chainId);
  } catch (error) {
    backend.close();
    throw error;
  }
  return backend;
}
