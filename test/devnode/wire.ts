/**
 * Wire-format guard: a recording proxy between TronWeb and the devnode, a fixed TronWeb
 * scenario, and the JSON "shape" of each request and reply (keys and value types).
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { TronWeb } from "tronweb";
import type { Devnode } from "../../devnode/src/index.js";
import { compileProbe } from "./compile.js";

export interface Exchange {
  method: string;
  /** Path with addresses and ids replaced by placeholders, query keys sorted. */
  path: string;
  request: unknown;
  status: number;
  response: unknown;
}

export function normalizePath(url: string): string {
  const u = new URL(url, "http://x");
  const path = u.pathname
    .replace(/T[1-9A-HJ-NP-Za-km-z]{33}/g, "<base58>")
    .replace(/[0-9a-fA-F]{64}/g, "<txid>")
    .replace(/41[0-9a-fA-F]{40}/g, "<hex41>");
  const keys = [...new Set(u.searchParams.keys())].sort();
  return keys.length ? `${path}?${keys.join("&")}` : path;
}

/** Recursive type sketch: objects keep their keys, arrays their first element's shape. */
export function shape(v: unknown): unknown {
  if (v === null || v === undefined) return "null";
  if (Array.isArray(v)) return v.length ? [shape(v[0])] : [];
  if (typeof v === "object") {
    return Object.fromEntries(
      Object.keys(v)
        .sort()
        .map((k) => [k, shape((v as Record<string, unknown>)[k])]),
    );
  }
  return typeof v;
}

export async function startRecorder(
  target: string,
): Promise<{ url: string; exchanges: Exchange[]; stop(): Promise<void> }> {
  const exchanges: Exchange[] = [];
  const t = new URL(target);
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const fwd = httpRequest(
        {
          host: t.hostname,
          port: t.port,
          path: req.url,
          method: req.method,
          headers: { ...req.headers, host: t.host },
        },
        (up) => {
          const out: Buffer[] = [];
          up.on("data", (c) => out.push(c));
          up.on("end", () => {
            const text = Buffer.concat(out).toString();
            const parse = (s: string) => {
              try {
                return s ? JSON.parse(s) : null;
              } catch {
                return s;
              }
            };
            exchanges.push({
              method: req.method ?? "GET",
              path: normalizePath(req.url ?? "/"),
              request: parse(body.toString()),
              status: up.statusCode ?? 0,
              response: parse(text),
            });
            res.writeHead(up.statusCode ?? 502, up.headers);
            res.end(text);
          });
        },
      );
      fwd.on("error", () => res.writeHead(502).end());
      fwd.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${addr.port}`,
    exchanges,
    stop: () =>
      new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** The TronWeb calls whose wire traffic the fixture pins. Deterministic in order and shape. */
export async function runScenario(tronWeb: TronWeb, node: Devnode): Promise<void> {
  const { DevnodeProbe } = compileProbe();
  const [a0, a1] = node.accounts;
  await tronWeb.trx.getCurrentBlock();
  await tronWeb.trx.getAccount(a0.base58);
  await tronWeb.trx.getBalance(a1.base58);
  await tronWeb.trx.getChainParameters();
  // deploy the way contract().new does, minus its fixed 3 s sleep
  const tx = await tronWeb.transactionBuilder.createSmartContract(
    { abi: DevnodeProbe.abi as never, bytecode: DevnodeProbe.bytecode, parameters: [1], feeLimit: 2_000_000_000 },
    a0.hex,
  );
  await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(tx));
  const address = (tx as unknown as { contract_address: string }).contract_address;
  await tronWeb.trx.getTransactionInfo(tx.txID);
  await tronWeb.trx.getContract(address);
  const c = tronWeb.contract(DevnodeProbe.abi as never, address);
  await c.value().call();
  await c.set(5).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
  await c
    .fail(1)
    .call()
    .catch(() => undefined);
  await c
    .failTx(1)
    .send({ shouldPollResponse: true, feeLimit: 100_000_000 })
    .catch(() => undefined);
  await tronWeb.transactionBuilder.estimateEnergy(address, "set(uint256)", {}, [{ type: "uint256", value: 6 }], a0.hex);
  const sent = await tronWeb.trx.sendTransaction(a1.base58, 1000);
  await tronWeb.trx.getTransaction(sent.txid);
  await tronWeb.trx.getConfirmedTransaction(sent.txid);
  await tronWeb.trx.getBlockByNumber(1);
  await c.set(6).send({ feeLimit: 100_000_000 });
  const page = await tronWeb.event.getEventsByContractAddress(address, { eventName: "ValueSet", limit: 1 });
  await tronWeb.event.getEventsByContractAddress(address, {
    eventName: "ValueSet",
    limit: 1,
    fingerprint: (page.meta as { fingerprint: string }).fingerprint,
  });
  await tronWeb.event.getEventsByTransactionID(tx.txID);
}
