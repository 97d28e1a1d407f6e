/** bttkit devnode: a TRON full-node HTTP API over an in-process EVM, for tests and demos. */
import { deriveAccounts, type TestAccount } from "./accounts.js";
import { Chain } from "./chain.js";
import { TronAddress } from "./encoding.js";
import { type Ctx, type Handler, startHttp } from "./http.js";
import { type DevnodeOptions, resolveOptions } from "./options.js";
import { eventRoute } from "./routes/events.js";
import { walletRoutes } from "./routes/wallet.js";
import { loadTronweb } from "./transaction.js";
import { handleRpc } from "./tre.js";

export type { TestAccount } from "./accounts.js";
export type { DevnodeOptions } from "./options.js";
export { NILE_CHAIN_ID } from "./options.js";

export interface Devnode {
  /** Base URL, e.g. http://127.0.0.1:9090: TronWeb's fullHost. */
  url: string;
  accounts: TestAccount[];
  chain: Chain;
  /** Attach an ABI to an address so its events decode (contracts deployed by contracts). */
  registerAbi(address: string, abi: unknown): void;
  stop(): Promise<void>;
}

function router(chain: Chain, accounts: TestAccount[]) {
  const { wallet, solidity } = walletRoutes(chain);
  /** Batches of accounts made by /admin/temporary-accounts-generation, as TRE lists them. */
  const more: TestAccount[][] = [];
  const admin: Record<string, Handler> = {
    healthcheck: () => ({ status: "ok", block: chain.head.number }),
    "admin/accounts-json": () => ({
      more: more.map((batch) => ({ privateKeys: batch.map((a) => a.privateKey) })),
      privateKeys: accounts.map((a) => a.privateKey),
    }),
    // TRE: ?accounts=n funds n more accounts (keys continue the seed's sequence).
    "admin/temporary-accounts-generation": async (ctx) => {
      const n = Math.min(Math.max(Number(ctx.params.accounts ?? 10) || 10, 1), 1000);
      const made = accounts.length + more.reduce((k, b) => k + b.length, 0);
      const batch = deriveAccounts(chain.opts.seed, made + n).slice(made);
      await chain.lock.run(async () => {
        for (const a of batch) await chain.exec.setBalance(TronAddress.parse(a.hex), chain.opts.balance);
      });
      more.push(batch);
      return { accounts: batch.length };
    },
    tre: (ctx) => handleRpc(chain, ctx.body),
    "": (ctx) => wallet.getnowblock(ctx),
  };
  return (ctx: Ctx): Handler | undefined => {
    const [prefix, name, ...rest] = ctx.path.split("/");
    if (rest.length === 0 && name !== undefined) {
      const key = name.toLowerCase();
      if (prefix === "wallet" && Object.hasOwn(wallet, key)) return wallet[key];
      if (prefix === "walletsolidity" && Object.hasOwn(solidity, key)) return solidity[key];
    }
    if (Object.hasOwn(admin, ctx.path)) {
      const h = admin[ctx.path];
      if (ctx.path === "tre" && ctx.method !== "POST") return undefined;
      return h;
    }
    return eventRoute(chain, ctx);
  };
}

/** Boots a devnode on 127.0.0.1 and funds the test accounts. */
export async function startDevnode(options: DevnodeOptions = {}): Promise<Devnode> {
  const opts = resolveOptions(options);
  const chain = await Chain.create(opts);
  const accounts = deriveAccounts(opts.seed, opts.accounts);
  for (const a of accounts) await chain.exec.setBalance(TronAddress.parse(a.hex), opts.balance);
  const { server, url } = await startHttp(router(chain, accounts), opts);
  setImmediate(() => void loadTronweb()); // warm up the transaction codec in the background
  return {
    url,
    accounts,
    chain,
    registerAbi: (address, abi) => chain.registerAbi(TronAddress.parse(address), abi),
    stop: () =>
      new Promise<void>((resolve) => {
        chain.stop();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
