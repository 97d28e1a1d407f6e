// npm run analyze: a static analyser for bttkit's contracts, built on @nomicfoundation/slang (the
// Solidity parser from the npm registry that prettier-plugin-solidity also uses). It checks the
// TRON facts of shared/TRON.md that no generic linter knows, and the value-flow rules of the
// design, function by function. Every finding must be triaged in security/analyzer-triage.json
// (status and reason, reviewed in SECURITY.md); an untriaged finding fails the run.
//
//   npm run analyze            # fail on untriaged findings
//   npm run analyze -- --all   # also print the triaged ones
import { globSync, readFileSync } from "node:fs";
import path from "node:path";
import { type Cursor, NonterminalKind } from "@nomicfoundation/slang/cst";
import { Parser } from "@nomicfoundation/slang/parser";

const ROOT = path.resolve(import.meta.dirname, "..");
const TRIAGE = path.join(ROOT, "security", "analyzer-triage.json");
const showAll = process.argv.includes("--all");

interface Finding {
  id: string;
  detector: string;
  severity: "high" | "medium" | "low" | "info";
  file: string;
  line: number;
  message: string;
}

interface Fn {
  contract: string;
  name: string;
  line: number;
  text: string;
  /** The header: everything before the body's `{`. */
  header: string;
  body: string;
}

const parser = Parser.create("0.8.29");

/** The first identifier child of a definition (its name). */
function nameOf(c: Cursor): string {
  const k = c.spawn();
  if (k.goToFirstChild()) {
    do {
      if (k.label === "Name") return k.node.unparse().trim();
    } while (k.goToNextSibling());
  }
  return "";
}

function functionsOf(file: string, src: string): Fn[] {
  const out = parser.parseFileContents(src);
  if (!out.isValid())
    throw new Error(
      `${file}: ${out
        .errors()
        .map((e) => e.message)
        .join("; ")}`,
    );
  const fns: Fn[] = [];
  const contracts = out.createTreeCursor();
  const kinds = [NonterminalKind.ContractDefinition, NonterminalKind.LibraryDefinition];
  while (contracts.goToNextNonterminal()) {
    if (!kinds.includes(contracts.node.kind as NonterminalKind)) continue;
    const contract = nameOf(contracts);
    const inner = contracts.spawn();
    while (inner.goToNextNonterminal()) {
      const kind = inner.node.kind;
      if (
        kind !== NonterminalKind.FunctionDefinition &&
        kind !== NonterminalKind.ModifierDefinition &&
        kind !== NonterminalKind.FallbackFunctionDefinition &&
        kind !== NonterminalKind.ConstructorDefinition
      )
        continue;
      const text = inner.node.unparse();
      const brace = text.indexOf("{");
      const lead = text.length - text.trimStart().length;
      fns.push({
        contract,
        name:
          kind === NonterminalKind.FunctionDefinition || kind === NonterminalKind.ModifierDefinition
            ? nameOf(inner)
            : kind === NonterminalKind.FallbackFunctionDefinition
              ? "fallback"
              : "constructor",
        line: inner.textRange.start.line + 1 + (text.slice(0, lead).match(/\n/g)?.length ?? 0),
        text,
        header: brace < 0 ? text : text.slice(0, brace),
        body: brace < 0 ? "" : text.slice(brace),
      });
    }
  }
  return fns;
}

/** Code without comments and string contents (so rules do not match prose). */
function code(text: string) {
  return text.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, "").replace(/"(?:[^"\\]|\\.)*"/g, '""');
}

/** A direct call to another contract: the vault, the registry, the token, or a low-level call. */
const DIRECT_CALL =
  /\b(_vault|_registry|_token)\.\w+\(|\.(call|delegatecall|staticcall)\(|\bdelegatecall\(|\bcall\(gas\(\)/;

const findings: Finding[] = [];
const add = (
  detector: string,
  severity: Finding["severity"],
  file: string,
  fn: Fn | undefined,
  line: number,
  message: string,
) =>
  findings.push({
    id: `${detector}:${file}:${fn ? `${fn.contract}.${fn.name}` : line}`,
    detector,
    severity,
    file,
    line,
    message,
  });

// `--files a,b` analyses those files instead (the analyser's own test feeds it a bait file).
const filesArg = process.argv.indexOf("--files");
const files =
  filesArg >= 0
    ? process.argv[filesArg + 1]!.split(",")
    : globSync("contracts/**/*.sol", { cwd: ROOT })
        .filter((f) => !f.startsWith("contracts/mocks/"))
        .sort();
const sources = new Map(files.map((f) => [f, readFileSync(path.join(ROOT, f), "utf8")]));
const allFns = new Map(files.map((f) => [f, functionsOf(f, sources.get(f)!)]));

// Internal functions that call out, directly or through each other (a fixed point over names).
const callsOutNames = new Set<string>();
for (let changed = true; changed; ) {
  changed = false;
  for (const fns of allFns.values()) {
    for (const fn of fns) {
      if (callsOutNames.has(fn.name) || fn.name === "" || fn.name === "constructor") continue;
      const body = code(fn.body);
      if (DIRECT_CALL.test(body) || [...callsOutNames].some((n) => new RegExp(`\\b${n}\\(`).test(body))) {
        callsOutNames.add(fn.name);
        changed = true;
      }
    }
  }
}
/** Where the first call out (direct, or through an internal function that calls out) starts. */
function firstCallOut(body: string): number {
  const hits = [
    body.search(DIRECT_CALL),
    ...[...callsOutNames].map((n) => body.search(new RegExp(`(?<![.\\w])${n}\\(`))),
  ].filter((i) => i >= 0);
  return hits.length ? Math.min(...hits) : -1;
}

for (const file of files) {
  const src = sources.get(file)!;
  const clean = code(src);
  const lineOf = (i: number) => clean.slice(0, i).split("\n").length;
  const each = (re: RegExp, f: (m: RegExpExecArray, line: number) => void) => {
    for (const m of clean.matchAll(re)) f(m as RegExpExecArray, lineOf(m.index!));
  };
  const fns = allFns.get(file)!;
  const fnAt = (line: number) => fns.filter((f) => f.line <= line).at(-1);

  // TRON facts (shared/TRON.md) -----------------------------------------------------------------
  each(/\b\d+\s+(ether|gwei|finney|szabo)\b/g, (m, l) =>
    add(
      "tron-ether-unit",
      "medium",
      file,
      fnAt(l),
      l,
      `\`${m[0]}\`: on TRON 1 ether is 10^18 sun (a trillion TRX); write the amount in sun`,
    ),
  );
  each(/\bblock\.(prevrandao|difficulty|gaslimit)\b/g, (m, l) =>
    add(
      "tron-zero-opcode",
      "high",
      file,
      fnAt(l),
      l,
      `block.${m[1]} is 0 on the TVM: no randomness or limit can come from it`,
    ),
  );
  each(/\bblock\.chainid\b(?!\s*&\s*0xffffffff)/g, (_m, l) =>
    add(
      "tron-chainid-mask",
      "medium",
      file,
      fnAt(l),
      l,
      "block.chainid without `& 0xffffffff`: TRON wallets sign the low 4 bytes of the genesis id",
    ),
  );
  each(/\bblockhash\s*\(/g, (_m, l) => {
    const stmt = clean.split("\n")[l - 1] ?? "";
    const fn = fnAt(l);
    const hashedWithContext = fn
      ? /keccak256\(\s*abi\.encode(Packed)?\([^)]*blockHash|keccak256\(\s*abi\.encode(Packed)?\(\s*blockhash/i.test(
          code(fn.body),
        )
      : false;
    add(
      "tron-blockhash",
      hashedWithContext ? "info" : "high",
      file,
      fn,
      l,
      hashedWithContext
        ? "blockhash is hashed with context (TRON block ids start with the 8-byte block number); check the 256-block window is handled"
        : `blockhash used without hashing it with context (TRON block ids start with the block number): ${stmt.trim().slice(0, 60)}`,
    );
  });
  each(/\bripemd160\s*\(|staticcall\([^)]*,\s*0x0*(3|9|a|b)\s*,/gi, (_m, l) =>
    add(
      "tron-precompile",
      "high",
      file,
      fnAt(l),
      l,
      "TRON's 0x03 is not RIPEMD-160 and 0x09/0x0a are multi-signature validators",
    ),
  );
  each(/\bSafeERC20\b|\.safeTransfer(From)?\s*\(/g, (_m, l) =>
    add(
      "tron-safeerc20",
      "high",
      file,
      fnAt(l),
      l,
      "SafeERC20 reverts on TRON's USDT (transfer returns false); measure balances instead",
    ),
  );
  each(/bytes1\(\s*0xff\s*\)/g, (_m, l) =>
    add(
      "tron-create2-prefix",
      "medium",
      file,
      fnAt(l),
      l,
      "0xff CREATE2 prefix: TRON derives CREATE2 addresses with 0x41 (TIP-26)",
    ),
  );
  each(/\b(tx\.origin)\b/g, (_m, l) => add("tx-origin", "high", file, fnAt(l), l, "tx.origin used"));
  each(/\bselfdestruct\s*\(/g, (_m, l) =>
    add("selfdestruct", "high", file, fnAt(l), l, "selfdestruct (EIP-6780 rules on TRON)"),
  );
  each(/\bdelegatecall\s*\(/g, (_m, l) =>
    add("delegatecall", "medium", file, fnAt(l), l, "delegatecall: the callee runs on this contract's storage"),
  );

  // Style rules that carry safety arguments (shared/STYLE.md) ----------------------------------
  each(/\bunchecked\s*\{/g, (_m, l) => {
    const before = src
      .split("\n")
      .slice(Math.max(0, l - 4), l)
      .join("\n");
    if (!/\b(Safe|Cannot overflow|cannot wrap)\b/i.test(before))
      add(
        "unchecked-without-reason",
        "low",
        file,
        fnAt(l),
        l,
        "unchecked block without a comment saying why it is safe",
      );
  });

  // Value flow ---------------------------------------------------------------------------------
  for (const fn of fns) {
    const header = code(fn.header);
    const body = code(fn.body);
    const external = /\b(external|public)\b/.test(header) && !/\b(view|pure)\b/.test(header);
    if (!external || fn.name === "constructor") continue;
    const first = firstCallOut(body);
    const callsOut = first >= 0;
    // Every external function that moves value through another contract is guarded, or says why not.
    if (callsOut && !/\bnonReentrant\b/.test(header)) {
      add(
        "external-call-unguarded",
        "medium",
        file,
        fn,
        fn.line,
        `${fn.contract}.${fn.name} calls another contract without nonReentrant`,
      );
    }
    // Checks-effects-interactions: no storage write after the first call out, in the function itself.
    if (first >= 0) {
      const after = body.slice(first).split("\n").slice(1).join("\n");
      if (/^\s*(?:[A-Za-z_][\w.[\]]*)\s*(?:[+\-*/|&]?=)(?!=)|\bdelete\s+\w|\+\+\w|\w\+\+/m.test(after)) {
        add(
          "write-after-call",
          "low",
          file,
          fn,
          fn.line,
          `${fn.contract}.${fn.name} assigns after its first call out (check it is memory, not storage)`,
        );
      }
    }
    // Loops over caller-sized input: the caller pays, but say so.
    if (/\[\]\s+calldata\b|\bmaxSteps\b/.test(header) && /\bfor\s*[({]/.test(body)) {
      add(
        "caller-sized-loop",
        "info",
        file,
        fn,
        fn.line,
        `${fn.contract}.${fn.name} loops over caller-sized input (energy paid by the caller; check no other account's operation depends on it)`,
      );
    }
    // Administration without an event.
    if (/\bonlyOwner\b/.test(header) && !/\bemit\b/.test(body) && !/\b_set\w+\(/.test(body)) {
      add(
        "admin-without-event",
        "low",
        file,
        fn,
        fn.line,
        `${fn.contract}.${fn.name} changes configuration without an event`,
      );
    }
  }
}

// Triage -------------------------------------------------------------------------------------
type Triage = Record<string, { status: "accepted" | "false-positive" | "fixed"; reason: string }>;
let triage: Triage = {};
try {
  triage = JSON.parse(readFileSync(TRIAGE, "utf8")) as Triage;
} catch {
  // No triage file yet: every finding is untriaged.
}
const untriaged = findings.filter((f) => !triage[f.id]);
const stale = Object.keys(triage).filter((id) => !findings.some((f) => f.id === id));
for (const f of showAll ? findings : untriaged) {
  const t = triage[f.id];
  console.log(
    `${f.severity.padEnd(6)} ${f.file}:${f.line}  [${f.detector}] ${f.message}${t ? `\n         triaged ${t.status}: ${t.reason}` : ""}`,
  );
}
const bySeverity: Record<string, number> = {};
for (const f of findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
console.log(
  `\n${findings.length} findings in ${files.length} files (${Object.entries(bySeverity)
    .map(([k, v]) => `${v} ${k}`)
    .join(", ")}); ${untriaged.length} untriaged`,
);
if (stale.length && filesArg < 0) console.log(`stale triage entries (no longer found): ${stale.join(", ")}`);
if (process.argv.includes("--json")) console.log(JSON.stringify(findings, null, 2));
if (untriaged.length) process.exit(1);
