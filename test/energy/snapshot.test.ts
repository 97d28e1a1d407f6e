// The energy snapshot check: every entry point's TRON energy in the fixed scenario (run on the
// devnode) must not rise above test/energy-snapshot.json. A rise fails (run `npm run snapshot` and
// commit the file if it is intended, so it shows in review); a fall passes and is reported; added
// or removed entry points fail until the snapshot is rewritten.
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import hre from "hardhat";
import { compareSnapshots, measureEnergy, SNAPSHOT_PATH, type Snapshot } from "./scenario.js";

describe("Energy snapshot (test/energy-snapshot.json)", () => {
  it("no entry point costs more than the committed snapshot; none was added or removed", async function () {
    this.timeout(300_000);
    // Coverage instruments the contracts, so its figures are not the deployed code's.
    if (hre.globalOptions.coverage) this.skip();
    const committed = JSON.parse(await readFile(SNAPSHOT_PATH, "utf8")) as Snapshot;
    const { rises, falls, added, removed } = compareSnapshots(committed, await measureEnergy());
    if (falls.length)
      console.log(`      energy fell (run npm run snapshot to record it):\n        ${falls.join("\n        ")}`);
    expect({ rises, added, removed }, "energy rose or entry points changed: run `npm run snapshot`").to.deep.equal({
      rises: [],
      added: [],
      removed: [],
    });
  });
});
