// npm run coverage: line and branch coverage of contracts/ (mocks and interfaces excluded), with a
// gate: it fails below 100% of lines or 95% of branches.
//
//   npm run coverage                          # run the contract suites with --coverage, then check
//   COVERAGE_SKIP_RUN=1 npm run coverage      # check the data of the last run only
//   COVERAGE_FILES="contracts/vault contracts/speed contracts/libraries" npm run coverage
//                                             # gate only these paths (the report still lists all)
//
// Lines are Hardhat's own (its coverage plugin's line processing over EDR's statement metadata).
// Branches: Hardhat/EDR record statements, not branches, so this script derives the two outcomes
// of every Solidity `if` from statement hit counts: the `true` outcome was taken when the first
// statement of the body ran; the `false` outcome when the `else` body ran or, without `else`, when
// the `if` ran more often than its body. Ternaries, short-circuit operands and Yul `if`/`switch`
// inside assembly are not counted (no statement marks them); the assembly blocks are covered by
// their line figures and by tests that pin each Yul branch by behaviour.
//
// A line that ends in `// coverage: unreachable (<why>)` is left out of both figures and listed
// under "excluded": for defensive checks that no call can reach, each with its reason.
//
// Writes coverage/summary.json. The coverage run rebuilds artifacts with instrumented code, so
// the script recompiles afterwards (normal artifacts back for the other tools).
import { spawnSync } from "node:child_process";
import { existsSync, globSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { addStatementCoverageInstrumentation } from "@nomicfoundation/edr";
import { NonterminalKind } from "@nomicfoundation/slang/cst";
import { Parser } from "@nomicfoundation/slang/parser";
// Hardhat's own line processing, so the line figures match its report.
import { getProcessedCoverageInfo } from "../node_modules/hardhat/dist/src/internal/builtin-plugins/coverage/process-coverage.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const MIN_LINES = 100;
const MIN_BRANCHES = 95;
const SUITES = ["test/vault", "test/speed", "test/storage", "test/audit", "test/attacks", "test/energy"];

interface Statement {
  tag: string;
  startUtf16: number;
  endUtf16: number;
}
interface Branch {
  line: number;
  outcome: "true" | "false";
  taken: boolean;
}

function run(cmd: string, args: string[]) {
  // The default profile and without BTTKIT_DEEP: the fixed, printed fuzz and property seeds of
  // hardhat.config.ts (BTTKIT_SEED still replays a given one).
  const { BTTKIT_DEEP: _, HARDHAT_TEST_PROFILE: __, ...env } = process.env;
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: "inherit", env });
  return r.status ?? 1;
}

if (!process.env.COVERAGE_SKIP_RUN) {
  const files = SUITES.flatMap((dir) => globSync(`${dir}/**/*.{test.ts,t.sol}`, { cwd: ROOT })).sort();
  const status = run("npx", ["hardhat", "test", "--coverage", ...files]);
  run("npx", ["hardhat", "compile", "--quiet"]);
  if (status !== 0) {
    console.error("coverage: the test run failed");
    process.exit(status);
  }
}

// Hit counts of every run (mocha and solidity) of the last coverage session.
const hits = new Map<string, number>();
const dataDir = path.join(ROOT, "coverage", "data");
if (!existsSync(dataDir)) throw new Error("no coverage data: run without COVERAGE_SKIP_RUN first");
for (const id of readdirSync(dataDir)) {
  for (const f of readdirSync(path.join(dataDir, id))) {
    const data = JSON.parse(readFileSync(path.join(dataDir, id, f), "utf8")) as Record<string, number>;
    for (const [tag, n] of Object.entries(data)) hits.set(tag, (hits.get(tag) ?? 0) + n);
  }
}

const parser = Parser.create("0.8.29");

function lineOf(src: string, utf16: number) {
  let line = 1;
  for (let i = 0; i < utf16; i++) if (src.charCodeAt(i) === 10) line++;
  return line;
}

/** The count of the outermost statement that starts first inside [start, end), or undefined. */
function firstInside(statements: Statement[], start: number, end: number) {
  let best: Statement | undefined;
  for (const s of statements) {
    if (s.startUtf16 < start || s.endUtf16 > end) continue;
    if (!best || s.startUtf16 < best.startUtf16 || (s.startUtf16 === best.startUtf16 && s.endUtf16 > best.endUtf16))
      best = s;
  }
  return best === undefined ? undefined : (hits.get(best.tag) ?? 0);
}

function branchesOf(src: string, statements: Statement[]): Branch[] {
  const out = parser.parseFileContents(src);
  if (!out.isValid()) throw new Error("slang could not parse a contract");
  const cursor = out.createTreeCursor();
  const branches: Branch[] = [];
  while (cursor.goToNextNonterminalWithKind(NonterminalKind.IfStatement)) {
    const whole = cursor.textRange;
    let body: [number, number] | undefined;
    let elseBody: [number, number] | undefined;
    let keyword = whole.start.utf16;
    const child = cursor.spawn();
    if (child.goToFirstChild()) {
      do {
        const r: [number, number] = [child.textRange.start.utf16, child.textRange.end.utf16];
        if (child.label === "Body") body = r;
        if (child.label === "ElseBranch") elseBody = r;
        if (child.label === "IfKeyword") keyword = r[0];
      } while (child.goToNextSibling());
    }
    const ifCount = firstInside(statements, whole.start.utf16, whole.end.utf16) ?? 0;
    const bodyCount = body ? (firstInside(statements, body[0], body[1]) ?? 0) : 0;
    const line = lineOf(src, keyword);
    const falseTaken = elseBody ? (firstInside(statements, elseBody[0], elseBody[1]) ?? 0) > 0 : ifCount > bodyCount;
    branches.push({ line, outcome: "true", taken: bodyCount > 0 }, { line, outcome: "false", taken: falseTaken });
  }
  return branches;
}

interface FileReport {
  file: string;
  lines: { found: number; hit: number; uncovered: number[] };
  branches: { found: number; hit: number; uncovered: string[] };
  excluded: string[];
}

/** Lines marked `// coverage: unreachable (<why>)`, by 1-based line number, with the reason. */
function unreachableLines(src: string): Map<number, string> {
  const marked = new Map<number, string>();
  src.split("\n").forEach((text, i) => {
    const match = /\/\/ coverage: unreachable \((.+)\)\s*$/.exec(text);
    if (match) marked.set(i + 1, match[1] as string);
  });
  return marked;
}

const reports: FileReport[] = [];
const sources = globSync("contracts/**/*.sol", { cwd: ROOT })
  .filter((f) => !f.startsWith("contracts/mocks/") && !f.startsWith("contracts/interfaces/"))
  .sort();
for (const file of sources) {
  const src = readFileSync(path.join(ROOT, file), "utf8");
  const { metadata } = addStatementCoverageInstrumentation(src, `project/${file}`, "0.8.29");
  const statements: Statement[] = metadata
    .filter((m) => m.kind === "statement")
    .map((m) => ({ tag: Buffer.from(m.tag).toString("hex"), startUtf16: m.startUtf16, endUtf16: m.endUtf16 }));
  if (statements.length === 0) continue;
  const hitTags = new Set(statements.filter((s) => (hits.get(s.tag) ?? 0) > 0).map((s) => s.tag));
  const meta = statements.map((st) => ({ ...st, relativePath: file }));
  const { lines } = getProcessedCoverageInfo(src, meta as never, hitTags) as {
    lines: { executed: Map<number, unknown>; unexecuted: Map<number, unknown> };
  };
  const excluded = unreachableLines(src);
  for (const line of excluded.keys()) {
    lines.executed.delete(line);
    lines.unexecuted.delete(line);
  }
  const branches = branchesOf(src, statements).filter((b) => !excluded.has(b.line));
  reports.push({
    file,
    lines: {
      found: lines.executed.size + lines.unexecuted.size,
      hit: lines.executed.size,
      uncovered: [...lines.unexecuted.keys()].sort((a, b) => a - b),
    },
    branches: {
      found: branches.length,
      hit: branches.filter((b) => b.taken).length,
      uncovered: branches.filter((b) => !b.taken).map((b) => `${b.line}:${b.outcome}`),
    },
    excluded: [...excluded].map(([line, why]) => `L${line} ${why}`),
  });
}

const pct = (hit: number, found: number) => (found === 0 ? 100 : (100 * hit) / found);
const gated = (process.env.COVERAGE_FILES ?? "contracts").split(/\s+/).filter(Boolean);
const inGate = (f: string) => gated.some((g) => f === g || f.startsWith(`${g.replace(/\/$/, "")}/`));
const total = (sel: FileReport[]) => {
  const t = sel.reduce(
    (a, r) => ({
      lf: a.lf + r.lines.found,
      lh: a.lh + r.lines.hit,
      bf: a.bf + r.branches.found,
      bh: a.bh + r.branches.hit,
    }),
    { lf: 0, lh: 0, bf: 0, bh: 0 },
  );
  return { lines: pct(t.lh, t.lf), branches: pct(t.bh, t.bf), ...t };
};

console.log(`\n${"file".padEnd(44)} ${"lines".padStart(7)} ${"branches".padStart(9)}  uncovered`);
for (const r of reports) {
  const un = [...r.lines.uncovered.map((l) => `L${l}`), ...r.branches.uncovered.map((b) => `B${b}`)].join(" ");
  console.log(
    `${r.file.padEnd(44)} ${pct(r.lines.hit, r.lines.found).toFixed(2).padStart(7)} ${pct(r.branches.hit, r.branches.found).toFixed(2).padStart(9)}  ${un || "-"}`,
  );
}
const excludedLines = reports.flatMap((r) => r.excluded.map((e) => `${r.file}:${e}`));
if (excludedLines.length > 0) console.log(`excluded (unreachable by construction):\n  ${excludedLines.join("\n  ")}`);
const all = total(reports);
const gate = total(reports.filter((r) => inGate(r.file)));
console.log(
  `${"all contracts".padEnd(44)} ${all.lines.toFixed(2).padStart(7)} ${all.branches.toFixed(2).padStart(9)}  (${all.lh}/${all.lf} lines, ${all.bh}/${all.bf} branches)`,
);
console.log(
  `${`gate: ${gated.join(", ")}`.padEnd(44)} ${gate.lines.toFixed(2).padStart(7)} ${gate.branches.toFixed(2).padStart(9)}  (needs ${MIN_LINES}% lines, ${MIN_BRANCHES}% branches)`,
);
writeFileSync(
  path.join(ROOT, "coverage", "summary.json"),
  `${JSON.stringify({ all, gate: { paths: gated, ...gate }, files: reports }, null, 2)}\n`,
);
if (gate.lines < MIN_LINES || gate.branches < MIN_BRANCHES) {
  console.error(
    `coverage gate failed: ${gate.lines.toFixed(2)}% lines (min ${MIN_LINES}), ${gate.branches.toFixed(2)}% branches (min ${MIN_BRANCHES})`,
  );
  process.exit(1);
}
console.log("coverage gate passed");
