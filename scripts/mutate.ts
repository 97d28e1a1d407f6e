// npm run mutate: simple mutation testing of the contracts. Each mutant changes one thing in one
// contract (a comparison flipped at its boundary, a revert dropped, a constant changed, + and -
// swapped, && and || swapped, a guard modifier removed; in assembly a comparison or add/sub
// swapped, or an `if iszero(...)` guard made never to fire), is
// compiled in a temporary copy of the project and runs the test subset for that contract; a
// failing run kills it. The working tree is never written: mutants live in the copy, which is
// removed on exit, Ctrl-C or SIGTERM. Too slow for CI (a compile per mutant); run it by hand.
//
//   npm run mutate                                   # vault, speed and libraries
//   npm run mutate -- --files contracts/storage,contracts/hosts
//   npm run mutate -- --list                          # print the mutants, run nothing
//   npm run mutate -- --max 40 --seed 7               # a reproducible sample of 40
//   npm run mutate -- --out mutation-report.json      # also write the results
//   npm run mutate -- --retry mutation-report.json    # only the survivors of an earlier report
//   npm run mutate -- --kind "drop revert"            # only one kind of mutation
//   npm run mutate -- --lines EscrowVault.sol:150-200 # only mutants on these lines (file name's end)
import { spawnSync } from "node:child_process";
import { cpSync, globSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const args = process.argv.slice(2);
const opt = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
};
const listOnly = args.includes("--list");
const targets = (
  opt("files") ??
  "contracts/vault,contracts/speed,contracts/libraries/TokenTransfers.sol,contracts/libraries/TIP712.sol,contracts/libraries/PermanentOwnable.sol"
).split(",");
const max = opt("max") ? Number(opt("max")) : Infinity;
const seed = Number(opt("seed") ?? 1);
const out = opt("out");
const timeoutMs = Number(opt("timeout") ?? 600) * 1000;
const retry = opt("retry");
const kind = opt("kind");
const lines = opt("lines");

/** The tests that exercise each contract path (first match wins). */
const SUBSETS: [string, string[]][] = [
  [
    "contracts/vault/",
    [
      "test/vault/EscrowVault.test.ts",
      "test/vault/EscrowVault.boundaries.test.ts",
      "test/vault/hostileTokens.test.ts",
      "test/vault/ownerActions.test.ts",
      "test/audit/accessControl.test.ts",
      "test/attacks/held-cast-truncation.test.ts",
      "test/attacks/retired-market-freeze.test.ts",
    ],
  ],
  [
    "contracts/libraries/TokenTransfers.sol",
    [
      "test/vault/EscrowVault.test.ts",
      "test/vault/EscrowVault.boundaries.test.ts",
      "test/vault/hostileTokens.test.ts",
      "test/audit/hostile.test.ts",
      "test/attacks/sender-fee-token-drain.test.ts",
    ],
  ],
  ["contracts/libraries/PermanentOwnable.sol", ["test/attacks/renounce-ownership.test.ts"]],
  // TIP712 also runs under delegatecall (the storage market's hosting body checks handover offers).
  [
    "contracts/libraries/TIP712.sol",
    ["test/speed/SpeedMarket.test.ts", "test/speed/sdk.test.ts", "test/audit/hostile.test.ts"],
  ],
  [
    "contracts/speed/",
    [
      "test/speed/SpeedMarket.test.ts",
      "test/speed/SpeedMarket.edges.test.ts",
      "test/speed/properties.test.ts",
      "test/speed/integration.test.ts",
      "test/speed/sdk.test.ts",
      "test/audit/accessControl.test.ts",
      "test/attacks/relay-fee-truncation.test.ts",
      "test/attacks/zero-grace-refund.test.ts",
    ],
  ],
  [
    "contracts/",
    [
      "test/storage/StorageMarket.test.ts",
      "test/storage/StorageMarket.coverage.test.ts",
      "test/storage/HostRegistry.test.ts",
      "test/storage/StorageMarket.integration.test.ts",
      "test/attacks/proof-for-lost-shard.test.ts",
      "test/attacks/repair-squatting.test.ts",
      "test/attacks/retired-registry-market-freezes-deals.test.ts",
      "test/attacks/self-exit-escapes-misses.test.ts",
      "test/attacks/stale-records-griefing.test.ts",
      "test/attacks/uncancellable-offer-nonce.test.ts",
      "test/audit/hostile.test.ts",
      "test/audit/accessControl.test.ts",
    ],
  ],
];
const testsFor = (file: string) => SUBSETS.find(([prefix]) => file.startsWith(prefix))![1];

interface Mutant {
  file: string;
  line: number;
  kind: string;
  from: string;
  to: string;
  /** The whole mutated source. */
  source: string;
}

/** Character ranges of comments, strings and assembly blocks, and which are assembly. */
function regions(src: string) {
  const skip = new Uint8Array(src.length); // 1: comment or string, 2: assembly
  let i = 0;
  while (i < src.length) {
    if (src.startsWith("//", i)) {
      const e = src.indexOf("\n", i);
      skip.fill(1, i, e < 0 ? src.length : e);
      i = e < 0 ? src.length : e;
    } else if (src.startsWith("/*", i)) {
      const e = src.indexOf("*/", i) + 2;
      skip.fill(1, i, e);
      i = e;
    } else if (src[i] === '"') {
      let e = i + 1;
      while (e < src.length && src[e] !== '"') e += src[e] === "\\" ? 2 : 1;
      skip.fill(1, i, e + 1);
      i = e + 1;
    } else if (/^assembly\b/.test(src.slice(i, i + 9))) {
      const open = src.indexOf("{", i);
      let depth = 0;
      let e = open;
      for (; e < src.length; e++) {
        if (src[e] === "{") depth++;
        if (src[e] === "}" && --depth === 0) break;
      }
      for (let k = i; k <= e; k++) if (skip[k] === 0) skip[k] = 2;
      i = e + 1;
    } else i++;
  }
  return skip;
}

/** Solidity-level mutation rules: a pattern, a replacement, and whether it applies in Yul. */
const RULES: { kind: string; re: RegExp; to: (m: RegExpExecArray) => string | undefined; yul?: boolean }[] = [
  {
    kind: "comparison boundary",
    re: /(?<=[\s)\w\]])(<=|>=|<|>)(?=\s)/g,
    to: (m) => ({ "<": "<=", "<=": "<", ">": ">=", ">=": ">" })[m[0]],
  },
  { kind: "equality flip", re: /(?<=\s)(==|!=)(?=\s)/g, to: (m) => (m[0] === "==" ? "!=" : "==") },
  { kind: "drop revert", re: /revert\s+[A-Z]\w*\((?:[^;]|\n)*?\);/g, to: () => "{}" },
  {
    kind: "swap + and -",
    re: /(?<=\s)(\+|-|\+=|-=)(?=\s)/g,
    to: (m) => ({ "+": "-", "-": "+", "+=": "-=", "-=": "+=" })[m[0]],
  },
  { kind: "swap && and ||", re: /(?<=\s)(&&|\|\|)(?=\s)/g, to: (m) => (m[0] === "&&" ? "||" : "&&") },
  // Non-zero literals only: a zero compared against is mutated by the comparison rules already.
  {
    kind: "constant +1",
    re: /(?<=[\s(=,])([1-9][\d_]*)(?=[\s);,])/g,
    to: (m) => String(BigInt(m[0].replaceAll("_", "")) + 1n),
  },
  {
    kind: "drop modifier",
    re: /(?<=\)\s[^{;]*?)\b(nonReentrant|onlyOwner|onlyPauser|onlyMarket|onlyDelegated|whenNotPaused)\b/g,
    to: () => "",
  },
  { kind: "yul comparison", re: /\b(lt|gt)\(/g, to: (m) => (m[1] === "lt" ? "gt(" : "lt("), yul: true },
  { kind: "yul add/sub", re: /\b(add|sub)\((?!w_?,|w,)/g, to: (m) => (m[1] === "add" ? "sub(" : "add("), yul: true },
  // `if iszero(x)` never taken: `if and(0, x)` (Yul has no parentheses to drop).
  { kind: "yul guard never taken", re: /\bif iszero\(/g, to: () => "if and(0, ", yul: true },
];

function mutantsOf(file: string): Mutant[] {
  const src = readFileSync(path.join(ROOT, file), "utf8");
  const skip = regions(src);
  const lineAt = (i: number) => src.slice(0, i).split("\n").length;
  const found: Mutant[] = [];
  for (const rule of RULES) {
    for (const m of src.matchAll(rule.re)) {
      const at = m.index!;
      const where = skip[at];
      if (where === 1 || (where === 2) !== (rule.yul ?? false)) continue;
      const lineText = src.slice(src.lastIndexOf("\n", at) + 1, src.indexOf("\n", at));
      if (
        /^\s*(pragma|import|\/\/|\*|event|error)\b/.test(lineText) ||
        /\bmapping\(|\buint\d+\[|\bbytes\d+\(/.test(lineText.slice(0, at - src.lastIndexOf("\n", at)))
      )
        continue;
      const to = rule.to(m as RegExpExecArray);
      if (to === undefined || to === m[0]) continue;
      // An `if` guard with a dropped modifier: also drop a now-dangling `()`.
      const source = src.slice(0, at) + to + src.slice(at + m[0].length);
      found.push({ file, line: lineAt(at), kind: rule.kind, from: m[0].replace(/\s+/g, " ").slice(0, 60), to, source });
    }
  }
  return found;
}

function shuffle<T>(items: T[], s: number) {
  let x = s >>> 0 || 1;
  const rnd = () => {
    x = (x * 1_103_515_245 + 12_345) >>> 0;
    return x / 2 ** 32;
  };
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const files = targets
  .flatMap((t) => (t.endsWith(".sol") ? [t] : globSync(`${t.replace(/\/$/, "")}/**/*.sol`, { cwd: ROOT })))
  .filter((f) => !f.includes("/mocks/") && !f.includes("/interfaces/"))
  .sort();
let mutants = files.flatMap(mutantsOf);
if (retry) {
  const earlier = JSON.parse(readFileSync(path.resolve(retry), "utf8")) as {
    results: (Omit<Mutant, "source"> & { result: string })[];
  };
  const key = (m: Omit<Mutant, "source">) => `${m.file}:${m.line}:${m.kind}:${m.from}:${m.to}`;
  const survived = new Set(earlier.results.filter((r) => r.result === "survived").map(key));
  mutants = mutants.filter((m) => survived.has(key(m)));
}
if (kind) mutants = mutants.filter((m) => m.kind.includes(kind));
if (lines) {
  const ranges = lines.split(",").map((r) => {
    const match = /^(.+):(\d+)(?:-(\d+))?$/.exec(r);
    if (!match) throw new Error(`--lines wants file:from-to[,...], got "${r}"`);
    return { file: match[1]!, from: Number(match[2]), to: Number(match[3] ?? match[2]) };
  });
  mutants = mutants.filter((m) => ranges.some((r) => m.file.endsWith(r.file) && m.line >= r.from && m.line <= r.to));
}
if (Number.isFinite(max)) mutants = shuffle(mutants, seed).slice(0, max);
console.log(`${mutants.length} mutants in ${files.length} files`);
if (listOnly) {
  for (const m of mutants) console.log(`${m.file}:${m.line}  ${m.kind}: ${m.from} -> ${m.to || "(removed)"}`);
  process.exit(0);
}

// The temporary copy, removed whatever happens.
const work = mkdtempSync(path.join(os.tmpdir(), "bttkit-mutate-"));
const cleanup = () => rmSync(work, { recursive: true, force: true });
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(sig, () => {
    cleanup();
    process.exit(130);
  });
}
// Build outputs are copied too, so only the mutated file's compilation job reruns.
const SKIP = new Set(["node_modules", "coverage", ".git"]);
cpSync(ROOT, work, { recursive: true, filter: (p) => !SKIP.has(path.relative(ROOT, p).split(path.sep)[0]!) });
symlinkSync(path.join(ROOT, "node_modules"), path.join(work, "node_modules"));
// Stop each run at the first failing test.
const config = path.join(work, "hardhat.config.ts");
// Unoptimized, the storage market is above EIP-170's 24,576 bytes: lift the limit in the copy.
writeFileSync(
  config,
  readFileSync(config, "utf8")
    .replace(/\btest: \{/, "test: {\n    mocha: { bail: true },")
    .replace(/chainId: NILE_CHAIN_ID,/, "chainId: NILE_CHAIN_ID,\n      allowUnlimitedContractSize: true,"),
);
// Compile without the optimizer: about twice as fast per mutant, and the optimizer does not change
// what the code does (the subsets hold no gas-figure checks that depend on it).
const compilerConfig = path.join(work, "compiler.config.js");
writeFileSync(
  compilerConfig,
  readFileSync(compilerConfig, "utf8").replace(/optimizer: \{[^}]*\}/, "optimizer: { enabled: false }"),
);

function runTests(tests: string[]) {
  const r = spawnSync("npx", ["hardhat", "test", "mocha", ...tests], {
    cwd: work,
    encoding: "utf8",
    timeout: timeoutMs,
  });
  const text = `${r.stdout ?? ""}${r.stderr ?? ""}`;
  if (r.error || r.signal) return "timeout";
  if (
    /HHE\d+|Compilation failed|CompilerError|ParserError|TypeError:.*\.sol|DeclarationError/.test(text) &&
    !/passing/.test(text)
  )
    return "invalid";
  return r.status === 0 ? "survived" : "killed";
}

console.log("baseline run of each test subset on the unmutated copy...");
for (const subset of new Set(mutants.map((m) => testsFor(m.file).join(" ")))) {
  if (runTests(subset.split(" ")) !== "survived") {
    const r = spawnSync("npx", ["hardhat", "test", "mocha", ...subset.split(" ")], { cwd: work, encoding: "utf8" });
    console.error(`${r.stdout}${r.stderr}`.slice(-4000));
    throw new Error(`the suite fails without mutants: ${subset}`);
  }
}

const results: (Omit<Mutant, "source"> & { result: string; seconds: number })[] = [];
for (const [i, m] of mutants.entries()) {
  const target = path.join(work, m.file);
  const original = readFileSync(target, "utf8");
  writeFileSync(target, m.source);
  const t0 = Date.now();
  let result: string;
  try {
    result = runTests(testsFor(m.file));
  } finally {
    writeFileSync(target, original);
  }
  const { source: _source, ...rest } = m;
  results.push({ ...rest, result, seconds: Math.round((Date.now() - t0) / 1000) });
  console.log(
    `[${i + 1}/${mutants.length}] ${result.padEnd(8)} ${m.file}:${m.line}  ${m.kind}: ${m.from} -> ${m.to || "(removed)"}`,
  );
}

const valid = results.filter((r) => r.result !== "invalid");
const killed = valid.filter((r) => r.result === "killed" || r.result === "timeout");
const score = valid.length ? (100 * killed.length) / valid.length : 100;
console.log(
  `\nmutation score: ${killed.length}/${valid.length} killed (${score.toFixed(1)}%), ${results.length - valid.length} did not compile`,
);
const survivors = valid.filter((r) => r.result === "survived");
if (survivors.length) {
  console.log("survivors:");
  for (const s of survivors) console.log(`  ${s.file}:${s.line}  ${s.kind}: ${s.from} -> ${s.to || "(removed)"}`);
}
if (out)
  writeFileSync(
    path.resolve(out),
    `${JSON.stringify({ score, killed: killed.length, valid: valid.length, results }, null, 2)}\n`,
  );
