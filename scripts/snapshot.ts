// Rewrites test/energy-snapshot.json with the TRON energy of every entry point in the fixed
// scenario of test/energy/scenario.ts (run on the devnode), and prints what moved. Run: npm run snapshot
import { readFile, writeFile } from "node:fs/promises";
import { compareSnapshots, measureEnergy, SNAPSHOT_PATH, type Snapshot } from "../test/energy/scenario.js";

const measured = await measureEnergy();
const committed: Snapshot = await readFile(SNAPSHOT_PATH, "utf8").then(
  (t) => JSON.parse(t) as Snapshot,
  () => ({}),
);
const { rises, falls, added, removed } = compareSnapshots(committed, measured);
await writeFile(SNAPSHOT_PATH, `${JSON.stringify(measured, null, 2)}\n`);
const list = (title: string, items: string[]) => items.length && console.log(`${title}:\n  ${items.join("\n  ")}`);
list("rose", rises);
list("fell", falls);
list("added", added);
list("removed", removed);
console.log(`wrote ${Object.keys(measured).length} figures to test/energy-snapshot.json`);
