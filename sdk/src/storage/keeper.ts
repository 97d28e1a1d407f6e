/**
 * The keeper: keeps many deals moving. For each watched deal, one `tick()` opens the challenge of
 * a period that has started, draws the seed once its block is past, settles after the response
 * deadline (and opens the next period's challenge if it is due), and finalizes a deal whose
 * periods are all settled. `start()` runs ticks in a loop with a bounded interval; `stop()` ends it.
 *
 * Batching: the market's settlement, seed and challenge calls take one deal each (the only batch
 * entry points are `submitProofs` and `claim`, which are the hosts'), so the keeper sends one
 * transaction per step and deal, in sequence. It reads before it writes, so an idle tick costs
 * reads only.
 */
import { BttkitError, InvalidArgumentError } from "../errors.js";
import { ContractRevertError, toBttkitError } from "../revert.js";
import { drawSeed } from "./actions/drawSeed.js";
import { finalizeDeal } from "./actions/finalizeDeal.js";
import { CHALLENGE_STATE, checkClient, checkDealId, DEAL_STATUS } from "./actions/internal.js";
import { openChallenge } from "./actions/openChallenge.js";
import { settlePeriod } from "./actions/settlePeriod.js";
import type { StorageClient } from "./client.js";

export type KeeperActionKind = "openChallenge" | "drawSeed" | "reopenChallenge" | "settle" | "finalize";

export interface KeeperAction {
  dealId: bigint;
  kind: KeeperActionKind;
  txId: string;
  /** The period acted on, where there is one. */
  period?: bigint;
  /** Settlements: shards that missed and shards lost. */
  missedMask?: bigint;
  lostMask?: bigint;
}

export interface KeeperReport {
  actions: KeeperAction[];
  /** Deals with nothing to do yet, and why. */
  waiting: { dealId: bigint; reason: string }[];
  /** Deals that ended (no longer watched). */
  ended: bigint[];
  /** Failures, per deal; the other deals still ran. */
  errors: { dealId: bigint; error: BttkitError }[];
}

export interface KeeperOptions {
  /** Deals to watch from the start. */
  deals?: readonly bigint[];
  /** Watch every deal of the market, found from its events at each tick (default false). */
  watchAll?: boolean;
  /** Finalize deals whose periods are all settled (default true). */
  finalize?: boolean;
  /** Most transactions per deal in one tick (default 4). */
  maxStepsPerDeal?: number;
}

export interface KeeperLoopOptions {
  /** Milliseconds between ticks, 100 ms to 10 min (default 15 s). */
  intervalMs?: number;
  /** Called with each tick's report. */
  onReport?: (report: KeeperReport) => void;
}

export const MIN_LOOP_INTERVAL_MS = 100;
export const MAX_LOOP_INTERVAL_MS = 600_000;

export function checkInterval(intervalMs: unknown): number {
  if (
    typeof intervalMs !== "number" ||
    !Number.isFinite(intervalMs) ||
    intervalMs < MIN_LOOP_INTERVAL_MS ||
    intervalMs > MAX_LOOP_INTERVAL_MS
  ) {
    throw new InvalidArgumentError(
      `intervalMs must be from ${MIN_LOOP_INTERVAL_MS} to ${MAX_LOOP_INTERVAL_MS} ms, got ${String(intervalMs)}`,
    );
  }
  return intervalMs;
}

/** Runs `tick` every `intervalMs` until stopped; one tick at a time. */
export class TickLoop<R> {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private active = false;

  constructor(
    private readonly tick: () => Promise<R>,
    private readonly intervalMs: number,
    private readonly onReport: ((report: R) => void) | undefined,
  ) {}

  get isRunning(): boolean {
    return this.active;
  }

  start(): void {
    if (this.active) return;
    this.active = true;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.running = this.tick()
        .then((report) => this.onReport?.(report))
        .catch(() => undefined) // tick reports its errors; a throwing onReport must not kill the loop
        .finally(() => {
          this.running = undefined;
          if (this.active) this.schedule(this.intervalMs);
        });
    }, delay);
  }

  async stop(): Promise<void> {
    this.active = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }
}

const isStale = (error: unknown) => error instanceof ContractRevertError && error.errorName === "StorageStaleRecords";

export class Keeper {
  readonly client: StorageClient;
  private readonly watched = new Set<bigint>();
  private readonly watchAll: boolean;
  private readonly finalize: boolean;
  private readonly maxSteps: number;
  private loop: TickLoop<KeeperReport> | undefined;

  constructor(client: StorageClient, options: KeeperOptions = {}) {
    checkClient(client);
    if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options must be an object");
    this.client = client;
    this.watchAll = options.watchAll ?? false;
    this.finalize = options.finalize ?? true;
    this.maxSteps = options.maxStepsPerDeal ?? 4;
    if (!Number.isInteger(this.maxSteps) || this.maxSteps < 1) {
      throw new InvalidArgumentError("maxStepsPerDeal must be a positive integer");
    }
    for (const dealId of options.deals ?? []) this.watch(dealId);
  }

  watch(dealId: bigint): void {
    this.watched.add(checkDealId(dealId));
  }

  unwatch(dealId: bigint): void {
    this.watched.delete(dealId);
  }

  deals(): bigint[] {
    return [...this.watched];
  }

  /** One pass over every watched deal. Never rejects: failures are in the report. */
  async tick(): Promise<KeeperReport> {
    const report: KeeperReport = { actions: [], waiting: [], ended: [], errors: [] };
    if (this.watchAll) {
      try {
        await this.client.tracker.sync();
        for (const dealId of this.client.tracker.deals()) this.watched.add(dealId);
      } catch (error) {
        report.errors.push({ dealId: -1n, error: toBttkitError(error) });
      }
    }
    for (const dealId of [...this.watched]) {
      try {
        await this.step(dealId, report);
      } catch (error) {
        report.errors.push({ dealId, error: error instanceof BttkitError ? error : toBttkitError(error) });
      }
    }
    if (this.watchAll) for (const dealId of report.ended) this.watched.delete(dealId);
    return report;
  }

  private async step(dealId: bigint, report: KeeperReport): Promise<void> {
    const client = this.client;
    for (let step = 0; step < this.maxSteps; step++) {
      const [info, c, head] = await Promise.all([
        client.market.read.deal([dealId]),
        client.market.read.challenge([dealId]),
        client.backend.getBlock(),
      ]);
      if (info.status === DEAL_STATUS.none) {
        this.watched.delete(dealId);
        throw new InvalidArgumentError(`No deal ${dealId}: no longer watched`);
      }
      if (info.status !== DEAL_STATUS.active) {
        this.watched.delete(dealId);
        report.ended.push(dealId);
        return;
      }
      if (c.state === CHALLENGE_STATE.idle) {
        if (info.settledPeriods >= info.periods) {
          if (!this.finalize) return void report.waiting.push({ dealId, reason: "over; finalize is off" });
          const r = await this.withFreshRecords(() => finalizeDeal(client, { dealId }));
          report.actions.push({ dealId, kind: "finalize", txId: r.txId });
          continue; // the next read sees the deal ended
        }
        const startsAt = info.start + BigInt(info.settledPeriods) * BigInt(info.periodLength);
        if (head.timestamp < startsAt) {
          return void report.waiting.push({ dealId, reason: `period ${info.settledPeriods} starts at ${startsAt}` });
        }
        const r = await openChallenge(client, { dealId, skipPreflight: true });
        report.actions.push({ dealId, kind: "openChallenge", txId: r.txId, period: r.period });
        continue;
      }
      if (c.state === CHALLENGE_STATE.awaitingSeed) {
        if (head.number !== 0n && head.number <= c.seedBlock) {
          return void report.waiting.push({ dealId, reason: `seed block ${c.seedBlock} (head ${head.number})` });
        }
        const r = await drawSeed(client, { dealId, skipPreflight: true });
        const kind = r.seed === undefined ? "reopenChallenge" : "drawSeed";
        report.actions.push({ dealId, kind, txId: r.txId, period: BigInt(info.settledPeriods) });
        if (kind === "drawSeed") return void report.waiting.push({ dealId, reason: `proofs due by ${r.deadline}` });
        continue;
      }
      if (head.timestamp <= c.deadline) {
        return void report.waiting.push({ dealId, reason: `proofs due by ${c.deadline}` });
      }
      const r = await this.withFreshRecords(() => settlePeriod(client, { dealId, skipPreflight: true }));
      report.actions.push({
        dealId,
        kind: "settle",
        txId: r.txId,
        period: r.period,
        missedMask: r.missedMask,
        lostMask: r.lostMask,
      });
    }
  }

  /** Runs `call`; if the records were stale (another party changed them), resyncs and retries once. */
  private async withFreshRecords<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (!isStale(error)) throw error;
      await this.client.tracker.sync();
      return call();
    }
  }

  /** Ticks every `intervalMs` until `stop()`. */
  start(options: KeeperLoopOptions = {}): void {
    if (this.loop?.isRunning) return;
    this.loop = new TickLoop(() => this.tick(), checkInterval(options.intervalMs ?? 15_000), options.onReport);
    this.loop.start();
  }

  /** Stops the loop after the tick in flight, if any. */
  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
