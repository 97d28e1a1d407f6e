// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/** Shared helpers for the devnode tests. */
import { TronWeb } from "tronweb";
import { type Devnode, type DevnodeOptions, startDevnode } from "../../devnode/src/index.js";

export async function bootNode(options: DevnodeOptions = {}): Promise<{ node: Devnode; tronWeb: TronWeb }> {
  const node = await startDevnode({ accounts: 4, ...options });
  const tronWeb = new TronWeb({ fullHost: node.url, privateKey: node.accounts[0].privateKey });
  return { node, tronWeb };
}

/** POST or GET straight to the node, returning status and parsed JSON. */
export async function raw(
  url: string,
  path: string,
  body?: unknown,
  init: RequestInit = {},
): Promise<{ status: number; json: any }> {
  const res = await fetch(`${url}/${path}`, {
    method: body === undefined ? (init.method ?? "GET") : "POST",
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
    headers: { "content-type": "application/json" },
    ...init,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json };
}

export const fromHex = (h: string) => Buffer.from(h, "hex").toString("utf8");
