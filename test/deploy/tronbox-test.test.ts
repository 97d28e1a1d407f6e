// `tronbox test` for real: TronBox migrates (with --reset) onto a devnode started here, then runs
// the JavaScript suite test/tronbox/bttkit.js with its own globals (contract, artifacts, tronWrap).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { type Devnode, startDevnode } from "../../devnode/src/index.js";
import { ensureTronboxCompiler } from "../../scripts/tronbox-compiler.js";
import { childEnv, readJson, run, TRONBOX } from "./helpers.js";

describe("TronBox deployment: tronbox test", function () {
  this.timeout(180_000);
  let node: Devnode;
  let dir: string;

  before(async () => {
    expect(ensureTronboxCompiler({ quiet: true })).to.equal(true);
    node = await startDevnode({ accounts: 3 });
    dir = mkdtempSync(path.join(tmpdir(), "bttkit-tronbox-test-"));
  });
  after(async () => {
    await node?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs test/tronbox/bttkit.js against the freshly migrated suite", async () => {
    const r = await run(
      [TRONBOX, "test", "test/tronbox/bttkit.js", "--network", "development"],
      childEnv({ DEVNODE_URL: node.url, BTTKIT_DEPLOYMENTS_DIR: dir }),
    );
    expect(r.code, r.stdout + r.stderr).to.equal(0);
    expect(r.stdout).to.match(/Contract: bttkit on the devnode/);
    expect(r.stdout).to.match(/3 passing/);
    expect(r.stdout).not.to.match(/failing/);
    // TronBox's test run migrates with --reset, and the registry still records it.
    expect(r.stdout).to.include("--reset: ignoring");
    expect(Object.keys(readJson(path.join(dir, "development.json")).contracts)).to.include("SpeedMarket");
  });
});
