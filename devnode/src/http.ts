/**
 * The HTTP front: body parsing with a size cap, routing, and TRON-shaped error replies.
 * Nothing a client sends may crash the process: every handler error becomes a JSON reply.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { BadRequestError, DevnodeError, NotFoundError, RpcError, TronApiError } from "./errors.js";

export interface Ctx {
  method: string;
  /** Path without leading slash, e.g. "wallet/getnowblock". */
  path: string;
  url: URL;
  /** JSON body merged over query-string parameters. */
  params: Record<string, unknown>;
  visible: boolean;
  /** The parsed JSON body, if any (JSON-RPC needs it whole). */
  body: unknown;
}

export type Handler = (ctx: Ctx) => Promise<unknown> | unknown;
export type Router = (ctx: Ctx) => Handler | undefined;

class BodyTooLargeError extends BadRequestError {
  constructor(limit: number) {
    super(`request body exceeds ${limit} bytes`, 413);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (c: Buffer) => {
      if (failed) return;
      size += c.length;
      if (size > limit) {
        failed = true;
        reject(new BodyTooLargeError(limit));
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => !failed && resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", (e) => !failed && reject(e));
  });
}

/** java-tron reads the body as JSON whatever the content type; form bodies (a=b&c=d) also occur. */
function parseBody(text: string): unknown {
  const t = text.trim();
  if (t === "") return undefined;
  if (t.startsWith("{") || t.startsWith("[")) {
    try {
      return JSON.parse(t);
    } catch (e) {
      throw new BadRequestError(`JSONException : ${(e as Error).message}`);
    }
  }
  if (/^[^=&\s]+=[^&]*(&[^=&\s]+=[^&]*)*$/.test(t)) return Object.fromEntries(new URLSearchParams(t));
  throw new BadRequestError("JSONException : request body is not JSON");
}

const truthy = (v: unknown) => v === true || v === "true";

/** int64_as_string=true (java-tron#6699): integers are sent as strings. */
function int64AsString(v: unknown): unknown {
  if (typeof v === "number" && Number.isInteger(v)) return String(v);
  if (Array.isArray(v)) return v.map(int64AsString);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, int64AsString(x)]));
  return v;
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "access-control-allow-origin": "*" });
  res.end(body);
}

/** Renders an error the way java-tron's servlets do. */
export function errorReply(e: unknown): { status: number; payload: unknown } {
  if (e instanceof TronApiError) {
    return { status: 200, payload: { code: e.code, message: Buffer.from(e.message).toString("hex") } };
  }
  if (e instanceof BadRequestError) {
    // java-tron answers servlet errors with HTTP 200 and {"Error": "..."}; unknown paths and
    // oversized bodies keep their HTTP status so they stand out.
    return { status: e.status === 400 ? 200 : e.status, payload: { Error: e.message } };
  }
  if (e instanceof RpcError)
    return { status: 200, payload: { jsonrpc: "2.0", error: { code: e.rpcCode, message: e.message } } };
  const msg = e instanceof DevnodeError || e instanceof Error ? e.message : String(e);
  return { status: 500, payload: { Error: `internal error: ${msg}` } };
}

export function startHttp(
  router: Router,
  opts: { host: string; port: number; maxBodyBytes: number; verbose: boolean },
): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    void handle(req, res).catch((e) => {
      const { status, payload } = errorReply(e);
      if (!res.headersSent) send(res, status, payload);
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://devnode");
    const method = (req.method ?? "GET").toUpperCase();
    if (method === "OPTIONS") {
      res.writeHead(204, { "access-control-allow-origin": "*", "access-control-allow-headers": "*" }).end();
      return;
    }
    const text = method === "GET" || method === "HEAD" ? "" : await readBody(req, opts.maxBodyBytes);
    const query = Object.fromEntries(url.searchParams);
    const body = parseBody(text);
    const params: Record<string, unknown> = {
      ...query,
      ...(body && typeof body === "object" && !Array.isArray(body) ? body : {}),
    };
    const ctx: Ctx = {
      method,
      path: url.pathname.replace(/^\/+|\/+$/g, ""),
      url,
      params,
      visible: truthy(params.visible),
      body,
    };
    if (opts.verbose) process.stderr.write(`${method} /${ctx.path} ${text.slice(0, 200)}\n`);
    const handler = router(ctx);
    if (!handler) throw new NotFoundError(`no such endpoint: /${ctx.path}`);
    const out = await handler(ctx);
    send(res, 200, truthy(params.int64_as_string) ? int64AsString(out) : out);
  }

  // A malformed request line or header must not take the node down.
  server.on("clientError", (_err, socket) => {
    if (socket.writable)
      socket.end('HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\n\r\n{"Error":"bad request"}');
    else socket.destroy();
  });
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.host, () => {
      server.off("error", reject);
      const addr = server.address();
      const port = typeof addr === "object" && addr ? addr.port : opts.port;
      resolve({ server, url: `http://${opts.host}:${port}` });
    });
  });
}
