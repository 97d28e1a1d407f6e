// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/** TronBox support: /admin/accounts-json, the /tre JSON-RPC methods, unlocked accounts, block time. */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { TronWeb } from "tronweb";
import { deriveAccounts } from "../../devnode/src/accounts.js";
import type { Devnode } from "../../devnode/src/index.js";
import { compileProbe } from "./compile.js";
import { bootNode, raw } from "./helpers.js";

const rpc = async (url: string, method: string, params: unknown[] = []) =>
  (await raw(url, "tre", { jsonrpc: "2.0", id: 1, method, params })).json;

describe("devnode: TronBox / TRE support", function () {
  this.timeout(30_000);
  let node: Devnode;
  let tronWeb: TronWeb;

  before(async () => {
    ({ node, tronWeb } = await bootNode({ accounts: 3, balance: 5_000_000_000n, seed: "tre-test" }));
  });
  after(async () => {
    await node?.stop();
  });

  it("accounts-json hands out the funded, seed-derived keys", async () => {
    const { json } = await raw(node.url, "admin/accounts-json");
    expect(json.privateKeys).to.deep.equal(node.accounts.map((a) => a.privateKey));
    expect(json.privateKeys).to.deep.equal(deriveAccounts("tre-test", 3).map((a) => a.privateKey));
    for (const a of node.accounts) {
      expect(TronWeb.address.fromPrivateKey(a.privateKey)).to.equal(a.base58);
      expect(await tronWeb.trx.getBalance(a.base58)).to.equal(5_000_000_000);
    }
  });

  it("tre_mine mines blocks, tre_setAccountBalance sets a balance", async () => {
    const before = (await tronWeb.trx.getCurrentBlock()).block_header.raw_data.number;
    expect((await rpc(node.url, "tre_mine", [{ blocks: 3 }])).result).to.equal(true);
    expect((await tronWeb.trx.getCurrentBlock()).block_header.raw_data.number).to.equal(before + 3);
    const who = TronWeb.address.fromPrivateKey("22".repeat(32)) as string;
    expect((await rpc(node.url, "tre_setAccountBalance", [who, "0x3e8"])).result).to.equal(true);
    expect(await tronWeb.trx.getBalance(who)).to.equal(1000);
  });

  it("tre_setAccountCode and tre_setAccountStorageAt write code and storage", async () => {
    const { DevnodeProbe } = compileProbe();
    // deploy, then copy its runtime code elsewhere and poke a storage slot
    const tx = await tronWeb.transactionBuilder.createSmartContract(
      { abi: DevnodeProbe.abi as never, bytecode: DevnodeProbe.bytecode, parameters: [1], feeLimit: 2_000_000_000 },
      node.accounts[0].hex,
    );
    await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(tx));
    const info = await raw(node.url, "wallet/getcontractinfo", { value: (tx as any).contract_address });
    const target = TronWeb.address.fromPrivateKey("33".repeat(32)) as string;
    expect((await rpc(node.url, "tre_setAccountCode", [target, `0x${info.json.runtimecode}`])).result).to.equal(true);
    // slot 0 is `value` (self is immutable)
    expect((await rpc(node.url, "tre_setAccountStorageAt", [target, "0x0", "0x2a"])).result).to.equal(true);
    const copy = tronWeb.contract(DevnodeProbe.abi as never, target);
    expect((await copy.value().call()).toString()).to.equal("42");
    node.registerAbi(target, DevnodeProbe.abi);
    const got = await raw(node.url, "wallet/getcontract", { value: tronWeb.address.toHex(target) });
    expect(got.json.bytecode).to.equal(info.json.runtimecode);
  });

  it("tre_unlockedAccounts: unsigned transactions from those accounts are accepted", async () => {
    const who = TronWeb.address.fromPrivateKey("44".repeat(32)) as string;
    await rpc(node.url, "tre_setAccountBalance", [who, "1000000000"]);
    const tx: any = await tronWeb.transactionBuilder.sendTrx(node.accounts[1].base58, 777, who);
    expect((await raw(node.url, "wallet/broadcasttransaction", tx)).json.code).to.equal("SIGERROR");
    expect((await rpc(node.url, "tre_unlockedAccounts", [[who]])).result).to.equal(true);
    const tx2: any = await tronWeb.transactionBuilder.sendTrx(node.accounts[1].base58, 778, who);
    tx2.signature = [];
    const ok = await raw(node.url, "wallet/broadcasttransaction", tx2);
    expect(ok.json.result, JSON.stringify(ok.json)).to.equal(true);
    expect(await tronWeb.trx.getBalance(who)).to.equal(1_000_000_000 - 778);
  });

  it("tre_blockTime > 0 batches transactions into timed blocks; 0 returns to instamine", async () => {
    expect((await rpc(node.url, "tre_blockTime", [1])).result).to.equal(true);
    try {
      const tx = await tronWeb.trx.sign(
        await tronWeb.transactionBuilder.sendTrx(node.accounts[2].base58, 1, node.accounts[0].base58),
      );
      const res = await tronWeb.trx.sendRawTransaction(tx);
      expect(res.result).to.equal(true);
      expect(await tronWeb.trx.getTransactionInfo(tx.txID)).to.deep.equal({}); // not mined yet
      await new Promise((r) => setTimeout(r, 1500));
      const info = await tronWeb.trx.getTransactionInfo(tx.txID);
      expect(info.id).to.equal(tx.txID);
    } finally {
      await rpc(node.url, "tre_blockTime", [0]);
    }
  });

  it("tre_increaseTime moves block timestamps forward (devnode extension)", async () => {
    const before = (await tronWeb.trx.getCurrentBlock()).block_header.raw_data.timestamp;
    await rpc(node.url, "tre_increaseTime", [3600]);
    await rpc(node.url, "tre_mine", []);
    const after = (await tronWeb.trx.getCurrentBlock()).block_header.raw_data.timestamp;
    expect(after - before).to.be.greaterThanOrEqual(3_600_000);
  });

  it("answers batches and eth_chainId", async () => {
    const { json } = await raw(node.url, "tre", [
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_blockNumber" },
    ]);
    expect(json[0].result).to.equal("0xcd8690dc");
    expect(json[1].result).to.match(/^0x[0-9a-f]+$/);
  });

  it("a configurable chain id reaches block.chainid", async () => {
    const other = await bootNode({ chainId: 0x2b6653dcn, accounts: 1 });
    try {
      expect((await rpc(other.node.url, "eth_chainId")).result).to.equal("0x2b6653dc");
      const { DevnodeProbe } = compileProbe();
      const tx = await other.tronWeb.transactionBuilder.createSmartContract(
        { abi: DevnodeProbe.abi as never, bytecode: DevnodeProbe.bytecode, parameters: [1], feeLimit: 2_000_000_000 },
        other.node.accounts[0].hex,
      );
      await other.tronWeb.trx.sendRawTransaction(await other.tronWeb.trx.sign(tx));
      const c = other.tronWeb.contract(DevnodeProbe.abi as never, (tx as any).contract_address);
      expect((await c.chainId().call()).toString()).to.equal(String(0x2b6653dc));
    } finally {
      await other.node.stop();
    }
  });
});
