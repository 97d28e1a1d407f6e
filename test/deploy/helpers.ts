// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb and registry JSON are untyped
/** Helpers for the TronBox deployment tests: spawning TronBox/deploy.ts, reading registries. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { stripVTControlCharacters } from "node:util";
import type { TronWeb } from "tronweb";
import { runNode } from "../helpers/process.js";

const require = createRequire(import.meta.url);
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const TRONBOX = path.join(path.dirname(require.resolve("tronbox/package.json")), "build", "index.js");
export const TSX = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node <args>` in the project root. Asynchronous on purpose: the devnode the child talks to
 * runs in this process, so a spawnSync would block it and deadlock.
 */
export async function run(args: string[], env: NodeJS.ProcessEnv, timeoutMs = 120_000): Promise<RunResult> {
  const result = await runNode(args, { cwd: ROOT, env, timeoutMs });
  return { code: result.code ?? -1, stdout: strip(result.stdout), stderr: strip(result.stderr) };
}

const strip = (s: string) => stripVTControlCharacters(s);

/** The environment for a child that must touch nothing outside `deployments` and `url`. */
export function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, BTTKIT_NO_DOTENV: "1" };
  for (const k of Object.keys(env)) {
    if (k.startsWith("PRIVATE_KEY_") || k === "FEE_LIMIT_TRX" || k === "BTTKIT_NETWORKS_CONFIG" || k === "DEVNODE_URL")
      delete env[k];
  }
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function readJson(file: string): any {
  return JSON.parse(readFileSync(file, "utf8"));
}

/** A Hardhat artifact by contract name (artifacts/contracts/**\/<name>.json). */
export function hardhatArtifact(name: string): any {
  const walk = (dir: string): string | null => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        const found = walk(p);
        if (found) return found;
      } else if (e.name === `${name}.json`) return p;
    }
    return null;
  };
  const file = walk(path.join(ROOT, "artifacts", "contracts"));
  if (!file) throw new Error(`no Hardhat artifact for ${name}`);
  return readJson(file);
}

/** TronBox's artifact (build/contracts/<name>.json). */
export function tronboxArtifact(name: string): any {
  const file = path.join(ROOT, "build", "contracts", `${name}.json`);
  if (!existsSync(file)) throw new Error(`no TronBox artifact for ${name}`);
  return readJson(file);
}

/**
 * Runtime code made comparable across compilations:
 * - the CBOR metadata at the end is cut (its length is the code's last two bytes): it hashes
 *   the metadata JSON, which names source paths, and those differ between Hardhat
 *   ("project/contracts/...") and TronBox ("vault/...");
 * - every immutable's 32-byte slot (Hardhat's immutableReferences) is zeroed: the compiler leaves
 *   zeros there and the constructor writes the values (vault address, rules) at deployment.
 */
export function comparableRuntime(
  code: string,
  immutableReferences: Record<string, { start: number; length: number }[]> = {},
): string {
  const bytes = Buffer.from(code.replace(/^0x/, ""), "hex");
  for (const refs of Object.values(immutableReferences)) {
    for (const { start, length } of refs) bytes.fill(0, start, start + length);
  }
  const metaLength = bytes.readUInt16BE(bytes.length - 2);
  return bytes.subarray(0, bytes.length - 2 - metaLength).toString("hex");
}

/** Sends a contract call and waits for its receipt; throws unless it succeeded. */
export async function send(
  tw: TronWeb,
  abi: any,
  address: string,
  method: string,
  args: unknown[],
  callValue = 0,
): Promise<any> {
  const c = tw.contract(abi, address);
  const txId: string = await (c.methods as any)
    [method](...args)
    .send({ feeLimit: 1_000_000_000, callValue, shouldPollResponse: false });
  for (let i = 0; i < 100; i++) {
    const info: any = await tw.trx.getUnconfirmedTransactionInfo(txId);
    if (info?.id) {
      if (info.receipt?.result !== "SUCCESS")
        throw new Error(
          `${method} failed: ${info.receipt?.result} ${info.resMessage ? Buffer.from(info.resMessage, "hex") : ""}`,
        );
      return info;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${method}: no receipt for ${txId}`);
}

export async function call(tw: TronWeb, abi: any, address: string, method: string, args: unknown[] = []): Promise<any> {
  return (tw.contract(abi, address).methods as any)[method](...args).call();
}
