// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * Bad input gets a TRON-shaped error and the node keeps serving: malformed JSON, bad addresses,
 * bad hex, unknown paths, oversized bodies, and transactions java-tron would refuse.
 */
import { connect } from "node:net";
import { expect } from "chai";
import { after, afterEach, before, describe, it } from "mocha";
import { type TronWeb, utils as tronUtils } from "tronweb";
import type { Devnode } from "../../devnode/src/index.js";
import { compileProbe } from "./compile.js";
import { bootNode, fromHex, raw } from "./helpers.js";

describe("devnode: bad input", function () {
  this.timeout(30_000);
  let node: Devnode;
  let tronWeb: TronWeb;

  before(async () => {
    ({ node, tronWeb } = await bootNode({ maxBodyBytes: 64 * 1024 }));
  });
  after(async () => {
    await node?.stop();
  });
  afterEach(async () => {
    // whatever the test sent, the node still answers
    const { status, json } = await raw(node.url, "wallet/getnowblock");
    expect(status).to.equal(200);
    expect(json.blockID).to.match(/^[0-9a-f]{64}$/);
  });

  /** A signed TRX transfer from account 0, built by the node. */
  async function transfer(amount = 1000, key = node.accounts[0].privateKey) {
    const tx = await tronWeb.transactionBuilder.sendTrx(node.accounts[1].base58, amount, node.accounts[0].base58);
    // utils.crypto signs with any key (trx.sign refuses a key that is not the owner's)
    return tronUtils.crypto.signTransaction(key, tx);
  }

  /** Re-encodes after editing raw_data, as a client with its own builder would. */
  function rebuild(tx: any) {
    const pb = tronUtils.transaction.txJsonToPb(tx);
    tx.txID = tronUtils.transaction.txPbToTxID(pb).replace(/^0x/, "");
    tx.raw_data_hex = tronUtils.transaction.txPbToRawDataHex(pb);
    delete tx.signature;
    return tx;
  }

  it("malformed JSON body -> {Error}", async () => {
    const r = await raw(node.url, "wallet/getaccount", "{not json");
    expect(r.status).to.equal(200);
    expect(r.json.Error).to.match(/JSON/);
  });

  it("form content type and empty bodies are accepted", async () => {
    const form = await raw(node.url, "wallet/getaccount", `address=${node.accounts[0].base58}&visible=true`, {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(form.json.address).to.equal(node.accounts[0].base58);
    const json = await raw(node.url, "wallet/getaccount", JSON.stringify({ address: node.accounts[0].hex }), {
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    expect(json.json.address).to.equal(node.accounts[0].hex);
    const empty = await raw(node.url, "wallet/getnowblock", "");
    expect(empty.json.blockID).to.be.a("string");
  });

  for (const address of ["", "41abc", "TXYZ", "0x1234", "T9yD14Nj9j7xAB4dbGeiX9h8unkKHxuWwc", 42, "42".repeat(21)]) {
    it(`wrong address ${JSON.stringify(address)} -> {Error}`, async () => {
      const r = await raw(node.url, "wallet/getaccount", { address });
      expect(r.json.Error).to.match(/Invalid address/);
    });
  }

  it("visible:true answers base58, visible:false answers 41-hex", async () => {
    const a = node.accounts[0];
    expect((await raw(node.url, "wallet/getaccount", { address: a.base58, visible: true })).json.address).to.equal(
      a.base58,
    );
    expect((await raw(node.url, "wallet/getaccount", { address: a.hex })).json.address).to.equal(a.hex);
    expect((await raw(node.url, `wallet/getaccount?address=${a.base58}&visible=true`)).json.address).to.equal(a.base58);
  });

  it("unknown endpoint -> 404 {Error}", async () => {
    const r = await raw(node.url, "wallet/nosuchthing", {});
    expect(r.status).to.equal(404);
    expect(r.json.Error).to.match(/no such endpoint/);
    expect((await raw(node.url, "../../etc/passwd")).status).to.equal(404);
  });

  it("oversized body -> 413 {Error}", async () => {
    const r = await raw(node.url, "wallet/getaccount", JSON.stringify({ address: "a".repeat(100_000) }));
    expect(r.status).to.equal(413);
    expect(r.json.Error).to.match(/exceeds/);
  });

  it("bad hex in a call -> {Error}", async () => {
    for (const parameter of ["zz", "abc", "0xg0"]) {
      const r = await raw(node.url, "wallet/triggerconstantcontract", {
        owner_address: node.accounts[0].hex,
        contract_address: node.accounts[1].hex,
        function_selector: "f()",
        parameter,
      });
      expect(r.json.Error).to.match(/Invalid hex/);
    }
  });

  it("calling an address without code -> CONTRACT_VALIDATE_ERROR in result", async () => {
    const r = await raw(node.url, "wallet/triggersmartcontract", {
      owner_address: node.accounts[0].hex,
      contract_address: node.accounts[1].hex,
      function_selector: "f()",
      fee_limit: 1000,
    });
    expect(r.json.result.code).to.equal("CONTRACT_VALIDATE_ERROR");
    expect(fromHex(r.json.result.message)).to.match(/No contract/);
  });

  it("bad integers and bad transaction ids -> {Error}", async () => {
    expect((await raw(node.url, "wallet/getblockbynum", { num: "ten" })).json.Error).to.match(/integer/);
    expect((await raw(node.url, "wallet/gettransactionbyid", { value: "xyz" })).json.Error).to.match(/transaction id/);
    expect((await raw(node.url, "wallet/gettransactioninfobyid", { value: "00".repeat(32) })).json).to.deep.equal({});
    expect((await raw(node.url, "wallet/getblockbynum", { num: 999999 })).json).to.deep.equal({});
  });

  it("broadcast of garbage -> {Error}", async () => {
    for (const body of ["[]", "{}", '{"raw_data":{"contract":[]}}', '{"raw_data_hex":"zz"}', '{"raw_data":"x"}']) {
      const r = await raw(node.url, "wallet/broadcasttransaction", body);
      expect(r.status).to.equal(200);
      expect(r.json.Error ?? r.json.code, body).to.be.a("string");
    }
  });

  it("bad signature -> SIGERROR with a hex message", async () => {
    const tx: any = await transfer();
    tx.signature = [`${"00".repeat(64)}1b`];
    const r = await raw(node.url, "wallet/broadcasttransaction", tx);
    expect(r.json.code).to.equal("SIGERROR");
    expect(fromHex(r.json.message)).to.match(/^Validate signature error/);
    tx.signature = ["abcd"];
    expect((await raw(node.url, "wallet/broadcasttransaction", tx)).json.code).to.equal("SIGERROR");
    tx.signature = [];
    expect((await raw(node.url, "wallet/broadcasttransaction", tx)).json.code).to.equal("SIGERROR");
  });

  it("a valid signature by someone else -> SIGERROR", async () => {
    const tx = await transfer(1000, node.accounts[2].privateKey);
    const r = await raw(node.url, "wallet/broadcasttransaction", tx);
    expect(r.json.code).to.equal("SIGERROR");
    expect(fromHex(r.json.message)).to.match(/not contained of permission/);
  });

  it("v may be 0/1 or 27/28, in any hex case", async () => {
    for (const [i, form] of ["01", "00", "upper"].entries()) {
      const tx: any = await transfer(2000 + i);
      const sig: string = tx.signature[0];
      const v = Number.parseInt(sig.slice(128), 16);
      if (form === "upper") tx.signature = [sig.toUpperCase()];
      else tx.signature = [sig.slice(0, 128) + (v - 27).toString(16).padStart(2, "0")];
      const r = await raw(node.url, "wallet/broadcasttransaction", tx);
      expect(r.json.result, JSON.stringify(r.json)).to.equal(true);
    }
  });

  it("duplicate transaction -> DUP_TRANSACTION_ERROR", async () => {
    const tx = await transfer(3000);
    expect((await raw(node.url, "wallet/broadcasttransaction", tx)).json.result).to.equal(true);
    const again = await raw(node.url, "wallet/broadcasttransaction", tx);
    expect(again.json.code).to.equal("DUP_TRANSACTION_ERROR");
    expect(again.json.txid).to.equal(tx.txID);
  });

  it("expired transaction -> TRANSACTION_EXPIRATION_ERROR", async () => {
    const tx: any = await tronWeb.transactionBuilder.sendTrx(node.accounts[1].base58, 4000, node.accounts[0].base58);
    tx.raw_data.expiration = tx.raw_data.timestamp - 1000;
    const signed = await tronWeb.trx.sign(rebuild(tx));
    const r = await raw(node.url, "wallet/broadcasttransaction", signed);
    expect(r.json.code).to.equal("TRANSACTION_EXPIRATION_ERROR");
    expect(fromHex(r.json.message)).to.match(/expiration/);
  });

  it("unknown reference block -> TAPOS_ERROR", async () => {
    const tx: any = await tronWeb.transactionBuilder.sendTrx(node.accounts[1].base58, 5000, node.accounts[0].base58);
    tx.raw_data.ref_block_hash = "0123456789abcdef";
    const r = await raw(node.url, "wallet/broadcasttransaction", await tronWeb.trx.sign(rebuild(tx)));
    expect(r.json.code).to.equal("TAPOS_ERROR");
  });

  it("insufficient balance -> CONTRACT_VALIDATE_ERROR", async () => {
    const tx = await tronWeb.transactionBuilder.sendTrx(
      node.accounts[1].base58,
      (10n ** 15n) as never,
      node.accounts[0].base58,
    );
    const r = await raw(node.url, "wallet/broadcasttransaction", await tronWeb.trx.sign(tx));
    expect(r.json.code).to.equal("CONTRACT_VALIDATE_ERROR");
    expect(fromHex(r.json.message)).to.match(/balance is not sufficient/);
  });

  it("raw_data that disagrees with the signed txID -> SIGERROR", async () => {
    const tx: any = await transfer(6000);
    tx.raw_data.contract[0].parameter.value.amount = 7000;
    expect((await raw(node.url, "wallet/broadcasttransaction", tx)).json.code).to.equal("SIGERROR");
  });

  it("event API: bad limit, order, fingerprint and address -> success:false", async () => {
    const c = node.accounts[0].base58;
    for (const q of ["limit=0", "limit=201", "limit=abc", "order_by=nope", "fingerprint=%%%"]) {
      const r = await raw(node.url, `v1/contracts/${c}/events?${q}`);
      expect(r.json.success, q).to.equal(false);
    }
    expect((await raw(node.url, "v1/contracts/Tnope/events")).json.success).to.equal(false);
    expect((await raw(node.url, "v1/transactions/xyz/events")).json.success).to.equal(false);
  });

  it("/tre: unknown methods and bad params -> JSON-RPC errors", async () => {
    const unknown = await raw(node.url, "tre", { jsonrpc: "2.0", id: 1, method: "tre_nope", params: [] });
    expect(unknown.json.error.code).to.equal(-32601);
    const bad = await raw(node.url, "tre", {
      jsonrpc: "2.0",
      id: 2,
      method: "tre_setAccountBalance",
      params: ["nope", "0x1"],
    });
    expect(bad.json.error.code).to.equal(-32602);
    const proto = await raw(node.url, "tre", { jsonrpc: "2.0", id: 3, method: "__proto__", params: [] });
    expect(proto.json.error.code).to.equal(-32601);
    const empty = await raw(node.url, "tre", "");
    expect(empty.json.error.code).to.equal(-32700);
  });

  it("refused and failed transactions leave balances and storage as they were (an OOG only pays its energy)", async () => {
    const { DevnodeProbe } = compileProbe();
    const owner = node.accounts[0];
    const probe: any = await tronWeb.contract().new({
      abi: DevnodeProbe.abi as never,
      bytecode: DevnodeProbe.bytecode,
      parameters: [7],
      feeLimit: 1_000_000_000,
    });
    const probeHex = tronWeb.address.toHex(probe.address as string);
    const state = async () => ({
      owner: await tronWeb.trx.getBalance(owner.base58),
      other: await tronWeb.trx.getBalance(node.accounts[1].base58),
      value: (await probe.value().call()).toString(),
      count: (await probe.count().call()).toString(),
      head: (await raw(node.url, "wallet/getnowblock")).json.block_header.raw_data.number,
    });
    const trigger = async (selector: string, params: any[], feeLimit: number) =>
      (await tronWeb.transactionBuilder.triggerSmartContract(probeHex, selector, { feeLimit }, params, owner.hex))
        .transaction as any;
    const refused: Array<[string, () => Promise<unknown>, string | RegExp]> = [
      ["malformed", async () => '{"raw_data":{"contract":[{"type":"TriggerSmartContract"}]}}', /./],
      [
        "wrong signature",
        async () => ({
          ...(await trigger("set(uint256)", [{ type: "uint256", value: 9 }], 1e8)),
          signature: [`${"11".repeat(64)}1b`],
        }),
        "SIGERROR",
      ],
      [
        "signed by another key",
        async () =>
          tronUtils.crypto.signTransaction(
            node.accounts[2].privateKey,
            await trigger("set(uint256)", [{ type: "uint256", value: 9 }], 1e8),
          ),
        "SIGERROR",
      ],
      [
        "fee limit above 15,000 TRX",
        async () => tronWeb.trx.sign(await trigger("set(uint256)", [{ type: "uint256", value: 9 }], 15_000_000_001)),
        "CONTRACT_VALIDATE_ERROR",
      ],
    ];
    for (const [what, build, code] of refused) {
      const before = await state();
      const r = await raw(node.url, "wallet/broadcasttransaction", await build());
      expect(r.json.result, what).to.not.equal(true);
      expect(r.json.code ?? r.json.Error, what).to.match(typeof code === "string" ? new RegExp(`^${code}$`) : code);
      expect(await state(), what).to.deep.equal(before);
    }
    const unknown = await raw(node.url, "wallet/nosuchendpoint", { owner_address: owner.hex });
    expect(unknown.status).to.equal(404);
    // Out of energy: executed and charged (energy and bandwidth), nothing else changes.
    const before = await state();
    const oog = await tronWeb.trx.sign(await trigger("set(uint256)", [{ type: "uint256", value: 9 }], 100_000));
    expect((await raw(node.url, "wallet/broadcasttransaction", oog)).json.result).to.equal(true);
    const info: any = await tronWeb.trx.getTransactionInfo(oog.txID);
    expect(info.receipt.result).to.equal("OUT_OF_ENERGY");
    expect(info.receipt.energy_usage_total).to.equal(1_000);
    const after = await state();
    expect({ ...after, owner: 0, head: 0 }).to.deep.equal({ ...before, owner: 0, head: 0 });
    expect(before.owner - after.owner).to.equal(info.fee);
  });

  it("a garbage request line on a raw socket does not take the node down", async () => {
    await new Promise<void>((resolve) => {
      const port = Number(new URL(node.url).port);
      const s = connect(port, "127.0.0.1", () => s.end("\x00\x01GARBAGE / HTTP/9.9\r\n\r\n"));
      s.on("data", () => undefined);
      s.on("close", () => resolve());
      s.on("error", () => resolve());
    });
  });
});
