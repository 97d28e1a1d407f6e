// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * Bandwidth and fees as java-tron charges them: 600 free bytes a day, then 1,000 sun a byte;
 * 1.1 TRX to create an account by sending it TRX; 1 TRX for a memo; the energy_factor of
 * dynamic energy; Permission_id 2 (the default active permission).
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { TronWeb } from "tronweb";
import { bandwidthBytes, increase, WINDOW_SLOTS } from "../../devnode/src/bandwidth.js";
import type { Devnode } from "../../devnode/src/index.js";
import { bootNode, raw } from "./helpers.js";

describe("devnode: bandwidth and fees", function () {
  this.timeout(60_000);
  let node: Devnode;
  let tronWeb: TronWeb;
  const fresh = "TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY"; // never funded

  before(async () => {
    ({ node, tronWeb } = await bootNode({ accounts: 3 }));
  });
  after(async () => node?.stop());

  const balance = async (a: string) => BigInt(await tronWeb.trx.getBalance(a));
  async function send(tx: any, key = node.accounts[0].privateKey): Promise<any> {
    const signed = await tronWeb.trx.sign(tx, key);
    const res: any = await tronWeb.trx.sendRawTransaction(signed);
    expect(res.result, JSON.stringify(res)).to.equal(true);
    return { signed, info: await tronWeb.trx.getTransactionInfo(tx.txID) };
  }

  it("bandwidth is the serialized transaction without ret, plus 64", () => {
    // raw 100 bytes: tag + 1-byte length + 100; one 65-byte signature: tag + length + 65; + 64
    expect(bandwidthBytes(100, [65])).to.equal(102 + 67 + 64);
    expect(bandwidthBytes(200, [65, 65])).to.equal(203 + 134 + 64);
  });

  it("free bandwidth recovers linearly over java-tron's 24 h window", () => {
    expect(increase(600, 0, 0, WINDOW_SLOTS / 2)).to.equal(300);
    expect(increase(600, 0, 0, WINDOW_SLOTS)).to.equal(0);
    expect(increase(100, 200, 5, 5)).to.equal(300);
  });

  it("the first transfers use the 600 free bytes; then 1,000 sun a byte is burned", async () => {
    const [a, b] = [node.accounts[1], node.accounts[2]];
    let free = 600;
    for (let i = 0; i < 4; i++) {
      const before = await balance(a.base58);
      const tx = await tronWeb.transactionBuilder.sendTrx(b.base58, 1, a.base58);
      const { signed, info } = await send(tx, a.privateKey);
      const bytes = bandwidthBytes(signed.raw_data_hex.length / 2, [65]);
      const spent = before - (await balance(a.base58));
      if (bytes <= free) {
        expect(info.receipt.net_usage).to.equal(bytes);
        expect(info.receipt.net_fee).to.equal(undefined);
        expect(spent).to.equal(1n);
        free -= bytes;
      } else {
        expect(info.receipt.net_fee).to.equal(bytes * 1000);
        expect(info.fee).to.equal(bytes * 1000);
        expect(spent).to.equal(1n + BigInt(bytes * 1000));
      }
    }
    const res = await raw(node.url, "wallet/getaccountresource", { address: a.hex });
    expect(res.json.freeNetLimit).to.equal(600);
    expect(res.json.freeNetUsed).to.equal(600 - free);
    expect(res.json.TotalEnergyWeight).to.be.greaterThan(0);
  });

  it("sending TRX to a new account burns 1.1 TRX: 0.1 for bandwidth, 1 for the account", async () => {
    const before = await balance(node.accounts[0].base58);
    const tx = await tronWeb.transactionBuilder.sendTrx(fresh, 5, node.accounts[0].base58);
    const { info } = await send(tx);
    expect(info.receipt.net_fee).to.equal(100_000);
    expect(info.fee).to.equal(1_100_000);
    expect(before - (await balance(node.accounts[0].base58))).to.equal(1_100_005n);
    expect(await balance(fresh)).to.equal(5n);
  });

  it("a memo costs 1 TRX and stays in raw_data.data", async () => {
    const a = node.accounts[0];
    const tx = await tronWeb.transactionBuilder.sendTrx(fresh, 1, a.base58);
    const withMemo = await tronWeb.transactionBuilder.addUpdateData(tx, "hello", "utf8");
    const before = await balance(a.base58);
    const { info } = await send(withMemo);
    expect(info.fee).to.equal(1_000_000 + (info.receipt.net_fee ?? 0));
    expect(before - (await balance(a.base58))).to.equal(BigInt(info.fee) + 1n);
    const got: any = await tronWeb.trx.getTransaction(withMemo.txID);
    expect(Buffer.from(got.raw_data.data, "hex").toString()).to.equal("hello");
  });

  it("getchainparameters carries the fee parameters", async () => {
    const res = await raw(node.url, "wallet/getchainparameters", {});
    const p = Object.fromEntries(res.json.chainParameter.map((e: any) => [e.key, e.value]));
    expect(p).to.include({
      getTransactionFee: 1000,
      getFreeNetLimit: 600,
      getCreateAccountFee: 100_000,
      getCreateNewAccountFeeInSystemContract: 1_000_000,
      getMemoFee: 1_000_000,
      getEnergyFee: 100,
      getMaxFeeLimit: 15_000_000_000,
    });
  });

  it("getaccount has the default owner and active (id 2) permissions, and Permission_id 2 signs", async () => {
    const a = node.accounts[0];
    const acc = await raw(node.url, "wallet/getaccount", { address: a.hex });
    expect(acc.json.owner_permission.keys[0].address).to.equal(a.hex);
    expect(acc.json.active_permission[0].id).to.equal(2);
    const tx = await tronWeb.transactionBuilder.sendTrx(fresh, 1, a.base58, { permissionId: 2 });
    await send(tx);
  });

  it("the origin's staked energy pays its share (consume_user_resource_percent, origin_energy_limit); the caller's next", async () => {
    const [owner, user] = [node.accounts[0], node.accounts[1]];
    // Runtime `PUSH1 1 PUSH1 0 SSTORE STOP`; users pay 40%, the origin 60% up to 8,000 energy.
    const deploy = await tronWeb.transactionBuilder.createSmartContract(
      {
        abi: [],
        bytecode: "600680600b6000396000f3600160005500",
        feeLimit: 100_000_000,
        userFeePercentage: 40,
        originEnergyLimit: 8_000,
      },
      owner.hex,
    );
    const contract = (await send(deploy)).info.contract_address;
    const rpc = (method: string, params: unknown[]) => raw(node.url, "tre", { jsonrpc: "2.0", id: 1, method, params });
    await rpc("tre_setAccountEnergy", [owner.hex, 100_000]);
    await rpc("tre_setAccountEnergy", [user.hex, 5_000]);
    const call = async () => {
      const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
        contract,
        "run()",
        { feeLimit: 100_000_000 },
        [],
        user.hex,
      );
      return (await send(transaction, user.privateKey)).info;
    };
    // 20,006 energy: the origin 60% = 12,003, capped at 8,000; the user 12,006: 5,000 staked, 7,006 burned.
    const first = await call();
    expect(first.receipt.energy_usage_total).to.equal(20_006);
    expect(first.receipt.origin_energy_usage).to.equal(8_000);
    expect(first.receipt.energy_usage).to.equal(5_000);
    expect(first.receipt.energy_fee).to.equal(7_006 * 100);
    const res = await raw(node.url, "wallet/getaccountresource", { address: owner.hex });
    expect(res.json.EnergyLimit).to.equal(100_000);
    expect(res.json.EnergyUsed).to.equal(8_000);
    // 5,006 energy (the slot has a value now): 60% = 3,003 from the origin; the user's 5,000 staked
    // are spent (seconds recover a unit or two of them), so nearly all its 2,003 are burned.
    const second = await call();
    expect(second.receipt.energy_usage_total).to.equal(5_006);
    expect(second.receipt.origin_energy_usage).to.equal(3_003);
    const staked = second.receipt.energy_usage ?? 0;
    expect(staked).to.be.lessThan(5);
    expect(second.receipt.energy_fee).to.equal((2_003 - staked) * 100);
  });

  it("tre_setEnergyFactor multiplies a contract's energy and getcontractinfo reports it", async () => {
    // Runtime `PUSH1 1 PUSH1 0 SSTORE STOP` behind an init code that returns it.
    const init = "600680600b6000396000f3" + "600160005500";
    const deploy = await tronWeb.transactionBuilder.createSmartContract(
      { abi: [], bytecode: init, feeLimit: 100_000_000 },
      node.accounts[0].hex,
    );
    const { info } = await send(deploy);
    const contract = info.contract_address;
    const call = async () => {
      const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
        contract,
        "run()",
        { feeLimit: 100_000_000 },
        [],
        node.accounts[0].hex,
      );
      return (await send(transaction)).info.receipt.energy_usage_total as number;
    };
    const plain = await call(); // PUSH1 3 + PUSH1 3 + SSTORE of a new slot 20,000
    expect(plain).to.equal(20_006);
    await raw(node.url, "tre", { jsonrpc: "2.0", id: 1, method: "tre_setEnergyFactor", params: [contract, 3400] });
    // ×1.34 per opcode, rounded down; the slot now has a value: SSTORE 5,000.
    expect(await call()).to.equal(Math.floor((3 * 13_400) / 10_000) * 2 + Math.floor((5_000 * 13_400) / 10_000));
    // estimateenergy runs with the factor too (as java-tron's does), so fee limits set from it hold.
    const est = await raw(node.url, "wallet/estimateenergy", {
      owner_address: node.accounts[0].hex,
      contract_address: contract,
      function_selector: "run()",
    });
    expect(est.json.energy_required).to.equal(
      Math.floor((3 * 13_400) / 10_000) * 2 + Math.floor((5_000 * 13_400) / 10_000),
    );
    const infoRes = await raw(node.url, "wallet/getcontractinfo", { value: contract });
    expect(infoRes.json.contract_state.energy_factor).to.equal(3400);
  });
});
