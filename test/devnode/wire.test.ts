// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * Guards the wire format: the fixture recorded from TronWeb itself (devnode/scripts/
 * record-tronweb-fixture.ts) must match, request by request, what TronWeb sends and the devnode
 * answers today, and its transactions must pass TronWeb's own byte-exact checks.
 */
import { readFileSync } from "node:fs";
import { expect } from "chai";
import { describe, it } from "mocha";
import { TronWeb, utils as tronUtils } from "tronweb";
import { startDevnode } from "../../devnode/src/index.js";
import { type Exchange, runScenario, shape, startRecorder } from "./wire.js";

const fixture: { tronweb: string; exchanges: Exchange[] } = JSON.parse(
  readFileSync(new URL("./fixtures/tronweb-wire.json", import.meta.url), "utf8"),
);
const installed = JSON.parse(
  readFileSync(new URL("../../node_modules/tronweb/package.json", import.meta.url), "utf8"),
).version;

describe("devnode: TronWeb wire fixture", function () {
  this.timeout(30_000);

  it("was recorded with the installed TronWeb", () => {
    expect(fixture.tronweb).to.equal(installed);
    expect(fixture.exchanges.length).to.be.greaterThan(20);
    for (const e of fixture.exchanges) expect(e.status, e.path).to.equal(200);
  });

  it("node-built transactions in the fixture pass TronWeb's byte-exact check against the request", () => {
    const triggers = fixture.exchanges.filter((e) => e.path === "/wallet/triggersmartcontract");
    expect(triggers.length).to.be.greaterThan(0);
    for (const e of triggers) {
      const tx = (e.response as { transaction: any }).transaction;
      expect(tronUtils.transaction.txCheckWithArgs(tx, e.request, {})).to.equal(true);
      expect(tronUtils.transaction.txCheck(tx)).to.equal(true);
    }
  });

  it("transaction infos carry java-tron's fields", () => {
    const infos = fixture.exchanges
      .filter((e) => e.path.endsWith("/gettransactioninfobyid"))
      .map((e) => e.response as any);
    for (const info of infos) {
      expect(info).to.include.keys("id", "fee", "blockNumber", "blockTimeStamp", "contractResult", "receipt");
      expect(info.receipt).to.include.keys("energy_usage_total", "result");
      // Bandwidth: free bytes used (net_usage) or sun burned for it (net_fee), as java-tron writes.
      expect(info.receipt.net_usage ?? info.receipt.net_fee).to.be.a("number");
    }
    expect(infos.some((i) => i.result === "FAILED" && typeof i.resMessage === "string")).to.equal(true);
  });

  it("a live TronWeb run sends the same requests and gets the same reply shapes", async () => {
    const node = await startDevnode({ accounts: 2 });
    const recorder = await startRecorder(node.url);
    try {
      const tronWeb = new TronWeb({ fullHost: recorder.url, privateKey: node.accounts[0].privateKey });
      await runScenario(tronWeb, node);
    } finally {
      await recorder.stop();
      await node.stop();
    }
    const sketch = (list: Exchange[]) =>
      list.map((e) => ({ call: `${e.method} ${e.path}`, request: shape(e.request), response: shape(e.response) }));
    const live = sketch(recorder.exchanges);
    const pinned = sketch(fixture.exchanges);
    expect(live.map((x) => x.call)).to.deep.equal(pinned.map((x) => x.call));
    for (let i = 0; i < live.length; i++) expect(live[i], live[i].call).to.deep.equal(pinned[i]);
  });
});
