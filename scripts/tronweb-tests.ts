/**
 * `npm run test:tronweb [-- <test file> ...]`: TronWeb's own test suite, from the tronprotocol/tronweb
 * mirror (read at run time, never committed), against a devnode on 127.0.0.1:9090, as TronWeb's
 * tests expect of a local TRE node. Prints a pass/fail table per test file and the exclusions.
 *
 * The mirror is the git directory the `fetch` tool made (/work/.mirror/tronprotocol+tronweb/repo),
 * or TRONWEB_MIRROR. Its src/ and test/ are unpacked into cache/tronweb-suite and run with mocha
 * through tsx, TronWeb's own dependencies resolved from node_modules/tronweb/node_modules.
 * Exit code: 0 when nothing failed, 1 when a test failed, 2 when the mirror is missing.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { startDevnode } from "../devnode/src/index.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const MIRROR = process.env.TRONWEB_MIRROR ?? "/work/.mirror/tronprotocol+tronweb/repo";
const OUT = path.join(ROOT, "cache", "tronweb-suite");
const PORT = Number(process.env.HOST_PORT ?? 9090);

/** The areas a contract-focused node serves (issue 12). */
const FILES = [
  "test/index.test.ts",
  "test/lib/event.test.ts",
  "test/lib/plugin.test.ts",
  "test/lib/contract/index.test.ts",
  "test/lib/contract/method.test.ts",
  "test/lib/trx.test.ts",
  "test/lib/transactionBuilder.test.ts",
  "test/utils/*.test.ts",
];

/**
 * Test titles (regular expressions over the full title) left out, with the reason. TRC-10,
 * voting, proposals, staking (freeze/delegate) and exchanges are features of a full TRON chain
 * the devnode does not model.
 */
export const EXCLUSIONS: Array<[RegExp, string]> = [
  [/TRC-?10|[Tt]oken(?!s? ?[Ii][Dd]s?\b)|Asset|#(create|update|purchase|send|transfer)Token/, "TRC-10 tokens"],
  [/[Vv]ote|[Ww]itness|[Bb]rokerage|[Rr]eward|applyForSR/, "voting and witnesses (super representatives)"],
  [/[Pp]roposal/, "proposals"],
  [/[Ff]reeze|[Ff]rozen|[Dd]elegat|[Uu]nfreeze|[Ww]ithdraw|[Ss]tak/, "staking (freeze, delegate, unfreeze, withdraw)"],
  [/[Ee]xchange|[Mm]arket/, "exchanges and the DEX market"],
  [
    /[Aa]ccount[Pp]ermission|[Mm]ulti-?[Ss]ign|updateAccount|setAccountId|[Aa]ccountById/,
    "account updates and multi-signature permissions",
  ],
  [
    /#setPrivateKey\(\) should set the appropriate address|#setAddress\(\) should not reset the private key if the address/,
    "compare PRIVATE_KEY's address with the TronWeb team's own account (config ADDRESS_HEX), whose key is not published",
  ],
  [
    /#sendTrx\(\) should send 0\.00001 trx from default address|deserializeTx D(CreateSmartContract|UpdateSettingContract|UpdateEnergyLimitContract|ClearABIContract) should sign the transaction correctly after deserialization/,
    "sign, as PRIVATE_KEY, transactions owned by that same unpublished account (ADDRESS_BASE58)",
  ],
  [
    /#broadcast should broadcast a transaction|#getTransaction |#geUnconfirmedTransactionInfo|#getTransactionInfo \(Confirmed\)|#getConfirmedTransaction /,
    "their fixture transaction is a freezeBalanceV2 (staking)",
  ],
];

function unpack(): void {
  if (!existsSync(MIRROR)) {
    console.error(
      `test:tronweb: the TronWeb mirror is missing at ${MIRROR}. Fetch tronprotocol/tronweb (the fetch tool) ` +
        "or point TRONWEB_MIRROR at a git directory of it.",
    );
    process.exit(2);
  }
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const tar = execFileSync("git", ["--git-dir", MIRROR, "archive", "HEAD", "src", "test"], { maxBuffer: 1 << 30 });
  execFileSync("tar", ["-x", "-C", OUT], { input: tar });
  writeFileSync(path.join(OUT, "package.json"), '{ "type": "commonjs" }\n');
}

/** Runs mocha over `files` in the unpacked suite; resolves with its exit code. */
function mocha(files: string[], extra: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const args = ["--import", "tsx", path.join(ROOT, "node_modules/mocha/bin/mocha.js"), ...extra, ...files];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, {
      cwd: OUT,
      stdio: "inherit",
      env: {
        ...process.env,
        ...env,
        NODE_PATH: [path.join(ROOT, "node_modules/tronweb/node_modules"), path.join(ROOT, "node_modules")].join(
          path.delimiter,
        ),
      },
    });
    child.on("exit", (c) => resolve(c ?? 1));
  });
}

interface MochaTest {
  fullTitle: string;
  file: string;
  err?: { message?: string };
}

async function main(): Promise<number> {
  unpack();
  const commit = execFileSync("git", ["--git-dir", MIRROR, "rev-parse", "HEAD"]).toString().trim();
  const node = await startDevnode({ port: PORT, accounts: 10 });
  try {
    await fetch(`${node.url}/admin/temporary-accounts-generation?accounts=100`);
    const files = process.argv.slice(2).length ? process.argv.slice(2) : FILES;
    const report = path.join(OUT, "report.json");
    const grep = EXCLUSIONS.map(([re]) => `(${re.source})`).join("|");
    // Every test's title first (a dry run), to count what the exclusions leave out.
    const listing = path.join(OUT, "listing.json");
    await mocha(files, ["--dry-run", "--reporter", "json", "--reporter-option", `output=${listing}`], {});
    const code = await mocha(
      files,
      [
        "--exit",
        "--timeout",
        "120000",
        "--reporter",
        "json",
        "--reporter-option",
        `output=${report}`,
        "--grep",
        grep,
        "--invert",
      ],
      { HOST_PORT: String(PORT), PRIVATE_KEY: node.accounts[0]?.privateKey },
    );
    if (!existsSync(report)) return code || 1;
    const r = JSON.parse(readFileSync(report, "utf8")) as {
      passes: MochaTest[];
      failures: MochaTest[];
      pending: MochaTest[];
    };
    const byFile = new Map<string, { pass: number; fail: number; pending: number }>();
    const row = (f: string) => {
      const k = path.relative(OUT, f);
      const v = byFile.get(k) ?? { pass: 0, fail: 0, pending: 0 };
      byFile.set(k, v);
      return v;
    };
    for (const t of r.passes) row(t.file).pass++;
    for (const t of r.failures) row(t.file).fail++;
    for (const t of r.pending) row(t.file).pending++;
    console.log(`\nTronWeb ${commit.slice(0, 10)} test suite against the devnode:\n`);
    console.log("| file | passed | failed | pending |\n| --- | ---: | ---: | ---: |");
    for (const [f, v] of [...byFile].sort()) console.log(`| ${f} | ${v.pass} | ${v.fail} | ${v.pending} |`);
    console.log(`| total | ${r.passes.length} | ${r.failures.length} | ${r.pending.length} |`);
    const all = existsSync(listing) ? (JSON.parse(readFileSync(listing, "utf8")) as { tests: MochaTest[] }).tests : [];
    console.log(
      `\nexcluded, ${all.filter((t) => EXCLUSIONS.some(([re]) => re.test(t.fullTitle))).length} of ${all.length} tests:`,
    );
    for (const [re, why] of EXCLUSIONS) {
      const n = all.filter((t) => EXCLUSIONS.find(([r]) => r.test(t.fullTitle))?.[0] === re).length;
      console.log(`  ${String(n).padStart(4)}  ${why}  /${re.source}/`);
    }
    if (r.failures.length) {
      console.log("\nfailures:");
      for (const t of r.failures) console.log(`  ${t.fullTitle}: ${(t.err?.message ?? "").split("\n")[0]}`);
    }
    return r.failures.length ? 1 : code;
  } finally {
    await node.stop();
  }
}

process.exitCode = await main();
