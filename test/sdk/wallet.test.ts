/**
 * `@bttkit/sdk/wallet` against a devnode, with a wallet adapter that behaves as TronLink's does
 * (`@tronweb3/tronwallet-abstract-adapter`'s interface; its errors' names and messages) and signs
 * with a devnode key: connection, account and network changes, transactions and TIP-712 through
 * the wallet, and every refusal typed, with nothing sent.
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { TronWeb } from "tronweb";
import { toBase58 } from "../../sdk/src/address.js";
import { TronWebBackend, type TronWebLike } from "../../sdk/src/backend/tronweb.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import {
  NetworkMismatchError,
  PreflightError,
  UserRejectedError,
  WalletNotConnectedError,
  WalletNotFoundError,
} from "../../sdk/src/errors.js";
import { signReceipt } from "../../sdk/src/speed/actions/signReceipt.js";
import { createSpeedClient } from "../../sdk/src/speed/client.js";
import { recoverReceiptSigner } from "../../sdk/src/speed/receipt.js";
import { BTT_UNIT } from "../../sdk/src/units.js";
import { approveToken, balanceOf, createVaultClient, deposit, withdraw } from "../../sdk/src/vault/index.js";
import { connectWallet, type TronWalletAdapter, WalletBackend } from "../../sdk/src/wallet.js";
import { tronEnv } from "./backend-env.js";
import { rejectsWith } from "./expect-error.js";
import { type SpeedEnv, withSpeedMarket } from "./speed-env.js";

class WalletError extends Error {
  constructor(name: string, message: string) {
    super(message);
    this.name = name;
  }
}

/** Behaves like TronLinkAdapter over `tronWeb` (which holds the key, as TronLink does). */
class FakeAdapter implements TronWalletAdapter {
  address: string | null = null;
  refuse = { connect: false, transaction: false, signature: false };
  missing = false;
  signed = 0;
  listeners = new Map<string, ((...args: never[]) => void)[]>();
  constructor(readonly tronWeb: TronWeb) {}
  get connected() {
    return this.address !== null;
  }
  async connect() {
    if (this.missing) throw new WalletError("WalletNotFoundError", "The wallet is not found.");
    if (this.refuse.connect) throw new WalletError("WalletConnectionError", "The user rejected connection.");
    this.address = this.tronWeb.defaultAddress.base58 as string;
  }
  async disconnect() {
    this.address = null;
    this.emit("disconnect");
  }
  async signTransaction(transaction: never) {
    if (this.refuse.transaction) throw new WalletError("WalletSignTransactionError", "Confirmation declined by user");
    this.signed++;
    return this.tronWeb.trx.sign(transaction);
  }
  async signTypedData(t: { domain: never; types: never; message: never }) {
    if (this.refuse.signature) throw new WalletError("WalletSignTypedDataError", "Confirmation declined by user");
    this.signed++;
    return this.tronWeb.trx._signTypedData(t.domain, t.types, t.message);
  }
  on(event: string, listener: (...args: never[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  off(event: string, listener: (...args: never[]) => void) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
  }
  emit(event: string, ...args: never[]) {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

describe("sdk/wallet (adapter over a devnode)", function () {
  this.timeout(180_000);
  let env: SpeedEnv;
  let key: string;
  let node: TronWeb;

  const adapterFor = (index: number) => {
    const tw = new TronWeb({
      fullHost: env.nodeUrl as string,
      privateKey: (env.privateKeys as string[])[index] as string,
    });
    return new FakeAdapter(tw);
  };
  const deployment = () => memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");

  before(async () => {
    env = await withSpeedMarket(await tronEnv());
    key = (env.privateKeys as string[])[1] as string;
    // The node the page talks to: no key in it (the wallet holds the keys).
    node = new TronWeb({ fullHost: env.nodeUrl as string });
    await env.mint(env.addresses[1]!, 100n * BTT_UNIT);
    expect(key).to.match(/^[0-9a-f]{64}$/);
  });
  after(async () => {
    await env?.stop();
  });

  it("connects, follows the wallet's account, signs transactions through the wallet", async () => {
    const adapter = adapterFor(1);
    const backend = await connectWallet({ adapter, tronWeb: node as unknown as TronWebLike, chainId: env.chainId });
    expect(backend).to.be.instanceOf(WalletBackend);
    expect(await backend.account()).to.equal(env.addresses[1]);
    const vault = await createVaultClient({ backend, deployment: await deployment() });
    await approveToken(vault, { amount: 10n * BTT_UNIT });
    await deposit(vault, { amount: 10n * BTT_UNIT });
    expect(await balanceOf(vault)).to.equal(10n * BTT_UNIT);
    expect(adapter.signed).to.equal(2);
    // The user picks another account in the wallet: the backend follows.
    adapter.address = toBase58(env.addresses[2]!);
    adapter.emit("accountsChanged");
    expect(await backend.account()).to.equal(env.addresses[2]);
    backend.close();
  });

  it("signs TIP-712 receipts through the wallet, recoverable to the account", async () => {
    const adapter = adapterFor(1);
    const backend = await connectWallet({ adapter, tronWeb: node as unknown as TronWebLike });
    const speed = await createSpeedClient({ backend, deployment: await deployment() });
    const receipt = await signReceipt(speed, { bidId: 1n, seeder: env.addresses[2]!, cumulativeBytes: 1n << 20n });
    expect(recoverReceiptSigner(speed.domain, receipt)).to.equal(env.addresses[1]);
    backend.close();
  });

  it("a refused connection, a missing wallet and a wrong network are typed errors", async () => {
    const refusing = adapterFor(1);
    refusing.refuse.connect = true;
    await rejectsWith(
      () => connectWallet({ adapter: refusing, tronWeb: node as unknown as TronWebLike }),
      UserRejectedError,
    );
    const missing = adapterFor(1);
    missing.missing = true;
    await rejectsWith(
      () => connectWallet({ adapter: missing, tronWeb: node as unknown as TronWebLike }),
      WalletNotFoundError,
    );
    const error = await rejectsWith(
      () =>
        connectWallet({ adapter: adapterFor(1), tronWeb: node as unknown as TronWebLike, chainId: env.chainId + 1n }),
      NetworkMismatchError,
    );
    expect(error.actualChainId).to.equal(env.chainId);
  });

  it("a refused transaction or signature, a network switch or a disconnect mid-flow: typed, nothing sent", async () => {
    const adapter = adapterFor(1);
    const backend = await connectWallet({ adapter, tronWeb: node as unknown as TronWebLike, chainId: env.chainId });
    const vault = await createVaultClient({ backend, deployment: await deployment() });
    const speed = await createSpeedClient({ backend, deployment: await deployment() });
    const before = await balanceOf(vault);
    const reader = new TronWebBackend(node as unknown as TronWebLike);
    const blockBefore = (await reader.getBlock()).number;

    adapter.refuse.transaction = true;
    const refused = await rejectsWith(() => withdraw(vault, { amount: BTT_UNIT }), UserRejectedError);
    expect(refused.request).to.equal("transaction");
    adapter.refuse.transaction = false;
    adapter.refuse.signature = true;
    await rejectsWith(
      () => signReceipt(speed, { bidId: 1n, seeder: env.addresses[2]!, cumulativeBytes: 1n }),
      UserRejectedError,
    );
    adapter.refuse.signature = false;

    adapter.emit("chainChanged", { chainId: "0x1" } as never);
    expect(backend.networkChanged).to.equal(true);
    const signedBefore = adapter.signed;
    await rejectsWith(() => withdraw(vault, { amount: BTT_UNIT }), NetworkMismatchError);
    expect(adapter.signed, "the wallet was not asked").to.equal(signedBefore);
    await backend.reconnect(); // the wallet is back on the deployment's chain
    expect(backend.networkChanged).to.equal(false);

    await adapter.disconnect();
    // Disconnected: the backend has no account any more, so nothing is signed.
    const gone = await rejectsWith(() => withdraw(vault, { amount: BTT_UNIT }), PreflightError);
    expect(gone.check).to.equal("no-signer");
    await rejectsWith(
      () => signReceipt(speed, { bidId: 1n, seeder: env.addresses[2]!, cumulativeBytes: 1n }),
      WalletNotConnectedError,
    );

    expect(await balanceOf(vault, { account: env.addresses[1]! })).to.equal(before);
    // No transaction of the account reached the chain meanwhile.
    const txs = await reader.getEvents({
      address: vault.vault.address,
      abi: vault.vault.abi,
      eventName: "Withdrawn",
      fromBlock: blockBefore,
    });
    expect(txs).to.deep.equal([]);
    backend.close();
  });
});
