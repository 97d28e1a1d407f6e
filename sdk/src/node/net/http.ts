/**
 * The tenant's HTTP calls to hosts (node:http, keep-alive): JSON requests, streamed uploads and
 * downloads. Every failure is a `NetworkError`: the host's own refusal (its reason and status),
 * `unreachable` when no answer came, `bad-response` when the answer is not what the API says.
 */
import http, { type IncomingMessage } from "node:http";
import https from "node:https";
import type { Readable } from "node:stream";
import { NetworkError } from "../../net/errors.js";
import { errorFromResponse } from "../../net/hostApi.js";

const agents = { http: new http.Agent({ keepAlive: true }), https: new https.Agent({ keepAlive: true }) };

export interface RequestOptions {
  method: "GET" | "POST" | "PUT";
  headers?: Record<string, string | number>;
  /** A JSON body, or a byte stream (then set content-length in `headers` when known). */
  json?: unknown;
  stream?: Readable;
  /** No byte for this long aborts the call (default 30 s). */
  idleTimeoutMs?: number;
}

function send(base: string, path: string, o: RequestOptions): Promise<IncomingMessage> {
  const url = new URL(path, base);
  const lib = url.protocol === "https:" ? https : http;
  const body = o.json === undefined ? undefined : Buffer.from(JSON.stringify(o.json));
  const headers: Record<string, string | number> = { ...o.headers };
  if (body) {
    headers["content-type"] = "application/json";
    headers["content-length"] = body.length;
  }
  if (o.stream) headers["content-type"] = "application/octet-stream";
  return new Promise((resolve, reject) => {
    const req = lib.request(
      url,
      { method: o.method, headers, agent: url.protocol === "https:" ? agents.https : agents.http },
      resolve,
    );
    req.setTimeout(o.idleTimeoutMs ?? 30_000, () => req.destroy(new Error("idle timeout")));
    req.on("error", (error) =>
      reject(new NetworkError("unreachable", `${base}: ${error.message}`, { peer: base, cause: error })),
    );
    if (o.stream) {
      o.stream.on("error", (error) => req.destroy(error));
      o.stream.pipe(req);
    } else req.end(body);
  });
}

async function readAll(res: IncomingMessage, limit = 1 << 20): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let n = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    n += chunk.length;
    if (n > limit) throw new NetworkError("bad-response", "the host's answer is too long");
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** A JSON call; resolves with the parsed answer of a 2xx, rejects with the host's refusal. */
export async function requestJson(base: string, path: string, o: RequestOptions): Promise<unknown> {
  const res = await send(base, path, o);
  let body: unknown;
  try {
    const text = (await readAll(res)).toString("utf8");
    body = text === "" ? undefined : JSON.parse(text);
  } catch (error) {
    if (error instanceof NetworkError) throw error;
    throw new NetworkError("bad-response", `${base}: the answer is not JSON`, { peer: base, status: res.statusCode });
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) throw errorFromResponse(status, body, base);
  return body;
}

/** A download: the response stream of a 200, or the host's refusal. */
export async function requestStream(base: string, path: string, o: RequestOptions): Promise<IncomingMessage> {
  const res = await send(base, path, o);
  const status = res.statusCode ?? 0;
  if (status === 200) return res;
  let body: unknown;
  try {
    body = JSON.parse((await readAll(res)).toString("utf8"));
  } catch {
    body = undefined;
  }
  throw errorFromResponse(status, body, base);
}
