/** How the CLI prints: human lines, or one JSON document with `--json`. Bigints print as decimal strings. */
import type { BttkitError } from "../errors.js";
import type { CliContext } from "./context.js";

/** JSON with bigints as decimal strings. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === "bigint" ? v.toString() : v), 2);
}

/** Prints a command's result: `data` as JSON with `--json`, else the human `lines`. */
export function emit(ctx: CliContext, data: unknown, lines: () => readonly string[]): void {
  if (ctx.json) ctx.io.stdout.write(`${toJson(data)}\n`);
  else for (const line of lines()) ctx.io.stdout.write(`${line}\n`);
}

/** Progress and notes for humans: stderr, silent with `--json`. */
export function note(ctx: CliContext, line: string): void {
  if (!ctx.json) ctx.io.stderr.write(`${line}\n`);
}

/** Prints a typed error: `{error: {code, message, ...}}` on stdout with `--json`, else `code: message` on stderr. */
export function printError(io: CliContext["io"], json: boolean, error: BttkitError): void {
  const extra: Record<string, unknown> = {};
  const e = error as BttkitError & { check?: unknown; errorName?: unknown; args?: unknown };
  if (typeof e.check === "string") extra.check = e.check;
  if (typeof e.errorName === "string") {
    extra.errorName = e.errorName;
    extra.args = e.args;
  }
  if (json) {
    io.stdout.write(
      `${toJson({ error: { code: error.code, message: error.shortMessage, ...extra, ...(error.details ? { details: error.details } : {}) } })}\n`,
    );
  } else {
    io.stderr.write(`error ${error.code}: ${error.shortMessage}\n`);
    if (error.details) io.stderr.write(`  ${error.details}\n`);
  }
}
