/** The TronGrid v1 event API (/v1/contracts/<addr>/events, /v1/transactions/<id>/events, ...). */
import type { Chain } from "../chain.js";
import { TronAddress } from "../encoding.js";
import { BadFingerprintError, type EventQuery } from "../events.js";
import type { Ctx, Handler } from "../http.js";

/** TronGrid's error shape: {success:false, error, statusCode}. */
class EventApiError extends Error {
  constructor(
    message: string,
    readonly statusCode = 400,
  ) {
    super(message);
  }
}

function intParam(ctx: Ctx, name: string): number | undefined {
  const v = ctx.url.searchParams.get(name);
  if (v === null || v === "") return undefined;
  if (!/^\d{1,16}$/.test(v)) throw new EventApiError(`invalid ${name}: ${v}`);
  return Number(v);
}

function baseQuery(ctx: Ctx): Omit<EventQuery, "contract" | "txID"> {
  const limit = intParam(ctx, "limit") ?? 20;
  if (limit < 1 || limit > 200) throw new EventApiError("limit must be between 1 and 200");
  const orderBy = ctx.url.searchParams.get("order_by") ?? undefined;
  if (orderBy && orderBy !== "block_timestamp,desc" && orderBy !== "block_timestamp,asc") {
    throw new EventApiError(`invalid order_by: ${orderBy}`);
  }
  return {
    limit,
    eventName: ctx.url.searchParams.get("event_name") ?? undefined,
    blockNumber: intParam(ctx, "block_number"),
    minBlockTimestamp: intParam(ctx, "min_block_timestamp"),
    maxBlockTimestamp: intParam(ctx, "max_block_timestamp"),
    orderBy: orderBy as EventQuery["orderBy"],
    fingerprint: ctx.url.searchParams.get("fingerprint") ?? undefined,
  };
}

function respond(chain: Chain, ctx: Ctx, q: EventQuery) {
  const { data, fingerprint } = chain.events.query(q);
  const meta: Record<string, unknown> = { at: Date.now(), page_size: data.length };
  if (fingerprint) {
    meta.fingerprint = fingerprint;
    const next = new URL(ctx.url.toString());
    next.searchParams.set("fingerprint", fingerprint);
    meta.links = { next: `${next.pathname}${next.search}` };
  }
  return { data, success: true, meta };
}

/** Matches /v1/... paths; answers TronGrid-shaped errors instead of throwing. */
export function eventRoute(chain: Chain, ctx: Ctx): Handler | undefined {
  const parts = ctx.path.split("/");
  if (parts[0] !== "v1") return undefined;
  const wrap =
    (fn: () => unknown): Handler =>
    async () => {
      try {
        return await fn();
      } catch (e) {
        if (
          e instanceof EventApiError ||
          e instanceof BadFingerprintError ||
          (e as Error).name === "InvalidAddressError"
        ) {
          return { success: false, error: (e as Error).message, statusCode: 400 };
        }
        throw e;
      }
    };
  if (parts.length === 4 && parts[1] === "contracts" && parts[3] === "events") {
    return wrap(() =>
      respond(chain, ctx, { ...baseQuery(ctx), contract: TronAddress.parse(decodeURIComponent(parts[2])) }),
    );
  }
  if (parts.length === 4 && parts[1] === "transactions" && parts[3] === "events") {
    return wrap(() => {
      const id = parts[2].toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(id)) throw new EventApiError("invalid transaction id");
      return respond(chain, ctx, { ...baseQuery(ctx), txID: id });
    });
  }
  if (parts.length === 4 && parts[1] === "blocks" && parts[3] === "events") {
    return wrap(() => {
      const n = parts[2] === "latest" ? chain.head.number : Number(parts[2]);
      if (!Number.isSafeInteger(n) || n < 0) throw new EventApiError("invalid block number");
      return respond(chain, ctx, { ...baseQuery(ctx), blockNumber: n });
    });
  }
  if (parts.length === 3 && parts[1] === "accounts") {
    return wrap(async () => {
      const a = TronAddress.parse(decodeURIComponent(parts[2]));
      const exists = await chain.exec.accountExists(a);
      const data = exists
        ? [{ address: a.hex, balance: Number(await chain.exec.getBalance(a)), create_time: chain.blocks[0].timestamp }]
        : [];
      return { data, success: true, meta: { at: Date.now(), page_size: data.length } };
    });
  }
  return undefined;
}
