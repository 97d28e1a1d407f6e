// scripts/analyze.ts finds what it claims to find: every detector fires on a bait file, and the
// project's contracts carry no untriaged finding (the same check `npm run lint` runs).
import { spawnSync } from "node:child_process";
import { expect } from "chai";

const analyze = (...args: string[]) =>
  spawnSync("npx", ["tsx", "scripts/analyze.ts", ...args], {
    encoding: "utf8",
    cwd: new URL("../..", import.meta.url),
  });

describe("Static analyser (scripts/analyze.ts)", () => {
  it("fires every detector on the bait file", function () {
    this.timeout(60_000);
    const r = analyze("--files", "test/audit/fixtures/AnalyzerBait.sol.txt");
    expect(r.status).to.equal(1);
    for (const detector of [
      "tron-ether-unit",
      "tron-zero-opcode",
      "tron-chainid-mask",
      "tron-blockhash",
      "tron-precompile",
      "tron-safeerc20",
      "tron-create2-prefix",
      "tx-origin",
      "unchecked-without-reason",
      "external-call-unguarded",
      "write-after-call",
      "caller-sized-loop",
      "admin-without-event",
    ]) {
      expect(r.stdout, detector).to.include(`[${detector}]`);
    }
  });

  it("leaves no untriaged finding in contracts/ (security/analyzer-triage.json)", function () {
    this.timeout(60_000);
    const r = analyze();
    expect(r.stdout).to.match(/; 0 untriaged/);
    expect(r.status).to.equal(0);
  });
});
