/**
 * `npm start`'s output: progress lines, a progress bar for long work, and the ledger of every
 * transaction the demo sent (energy and fee from each receipt), printed as the report's first table.
 */
import cliProgress from "cli-progress";
import type { Backend, Receipt } from "../../sdk/src/index.js";
import { BTT_DECIMALS, formatUnits } from "../../sdk/src/index.js";

export const print = (line = "") => console.log(line);

/** Thousands separators for a bigint or number. */
export const n = (value: bigint | number) => value.toLocaleString("en-US");

/** BTT with 6 decimals (the demo's amounts are multiples of 1e-6 BTT unless marked "~"). */
export function btt(value: bigint, width = 0): string {
  const exact = formatUnits(value, BTT_DECIMALS);
  const [whole = "0", fraction = ""] = exact.replace(/^-/, "").split(".");
  const shown = `${value < 0n ? "-" : ""}${BigInt(whole).toLocaleString("en-US")}.${fraction.slice(0, 6).padEnd(6, "0")}`;
  const text = fraction.length > 6 ? `~${shown}` : shown;
  return text.padStart(width);
}

/** A signed change in BTT, or "0" when nothing changed. */
export function delta(value: bigint, width = 0): string {
  const text = value === 0n ? "0" : `${value > 0n ? "+" : ""}${btt(value)}`;
  return text.padStart(width);
}

/** A determinate progress bar on a TTY; one summary line otherwise (CI, tests, pipes). */
export function progress(label: string, total: number) {
  const tty = process.stdout.isTTY === true;
  const bar = tty
    ? new cliProgress.SingleBar(
        { format: `  ${label.padEnd(34)} [{bar}] {value}/{total} {what}`, hideCursor: true, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(total, 0, { what: "" });
  return {
    update(value: number, what = "") {
      bar?.update(value, { what });
    },
    stop(summary: string) {
      bar?.stop();
      print(`  ${label.padEnd(34)} ${summary}`);
    },
  };
}

export interface Step {
  name: string;
  txs: number;
  energy: bigint;
  fee: bigint;
}

/** Every transaction the demo sent, grouped by step, with the energy and fee of its receipt. */
export class Ledger {
  readonly steps: Step[] = [];

  /** Records receipts under `name` (steps with the same name add up). */
  add(name: string, receipts: Receipt | readonly (Receipt | undefined)[]): Step {
    const list = (Array.isArray(receipts) ? receipts : [receipts]).filter((r): r is Receipt => r !== undefined);
    let step = this.steps.find((s) => s.name === name);
    if (!step) {
      step = { name, txs: 0, energy: 0n, fee: 0n };
      this.steps.push(step);
    }
    for (const r of list) {
      step.txs++;
      step.energy += r.energyUsed;
      step.fee += r.fee;
    }
    return step;
  }

  /** Records transactions known by id only (the keeper's and the agents' reports). */
  async addTxIds(name: string, backend: Backend, txIds: readonly string[]): Promise<Receipt[]> {
    const receipts = await Promise.all(txIds.map((id) => backend.waitForReceipt(id, { timeoutMs: 60_000 })));
    this.add(name, receipts);
    return receipts;
  }

  totals(): Step {
    return this.steps.reduce(
      (t, s) => ({ name: "total", txs: t.txs + s.txs, energy: t.energy + s.energy, fee: t.fee + s.fee }),
      {
        name: "total",
        txs: 0,
        energy: 0n,
        fee: 0n,
      },
    );
  }

  printTable(): void {
    const w = Math.max(44, ...this.steps.map((s) => s.name.length));
    print(`  ${"step".padEnd(w)} ${"txs".padStart(4)} ${"energy".padStart(12)} ${"fee (sun)".padStart(15)}`);
    for (const s of [...this.steps, this.totals()]) {
      if (s.name === "total") print(`  ${"-".repeat(w + 34)}`);
      print(`  ${s.name.padEnd(w)} ${String(s.txs).padStart(4)} ${n(s.energy).padStart(12)} ${n(s.fee).padStart(15)}`);
    }
  }
}
