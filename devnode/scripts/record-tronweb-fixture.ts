/**
 * Records what TronWeb sends to the devnode and what it gets back, through a recording proxy,
 * into test/devnode/fixtures/tronweb-wire.json. Rerun after upgrading TronWeb or changing replies:
 *   npx tsx devnode/scripts/record-tronweb-fixture.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { TronWeb } from "tronweb";
import { runScenario, startRecorder } from "../../test/devnode/wire.js";
import { startDevnode } from "../src/index.js";

const node = await startDevnode({ accounts: 2 });
const recorder = await startRecorder(node.url);
try {
  const tronWeb = new TronWeb({ fullHost: recorder.url, privateKey: node.accounts[0].privateKey });
  await runScenario(tronWeb, node);
  const tronwebVersion = JSON.parse(
    readFileSync(new URL("../../node_modules/tronweb/package.json", import.meta.url), "utf8"),
  ).version;
  const out = new URL("../../test/devnode/fixtures/tronweb-wire.json", import.meta.url);
  // Bytecode would dwarf everything else: long strings keep their head and length only.
  const clip = (_k: string, v: unknown) =>
    typeof v === "string" && v.length > 2000 ? `${v.slice(0, 64)}...(${v.length} chars)` : v;
  writeFileSync(out, `${JSON.stringify({ tronweb: tronwebVersion, exchanges: recorder.exchanges }, clip, 2)}\n`);
  console.log(`recorded ${recorder.exchanges.length} exchanges with TronWeb ${tronwebVersion} -> ${out.pathname}`);
} finally {
  await recorder.stop();
  await node.stop();
}
