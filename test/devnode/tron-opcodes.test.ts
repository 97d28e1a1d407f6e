// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * TRON's own opcodes on a chain without TRC-10 tokens (hand-assembled bytecode): CALLTOKENVALUE
 * and CALLTOKENID read 0, TOKENBALANCE 0, ISCONTRACT tells contracts from accounts, CALLTOKEN with
 * token id 0 moves TRX like CALL and with any other id fails (nobody holds that token).
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { TronWeb } from "tronweb";
import type { Devnode } from "../../devnode/src/index.js";
import { bootNode, raw } from "./helpers.js";

/** Init code that returns `runtime` (at most 255 bytes). */
const deployable = (runtime: string) => {
  const n = (runtime.length / 2).toString(16).padStart(2, "0");
  return `60${n}80600b6000396000f3${runtime}`;
};

describe("devnode: TRON opcodes 0xd0-0xd4 and deployment rules", function () {
  this.timeout(30_000);
  let node: Devnode;
  let tronWeb: TronWeb;
  before(async () => {
    ({ node, tronWeb } = await bootNode({ accounts: 3 }));
  });
  after(async () => node?.stop());

  async function deploy(runtime: string, callValue = 0): Promise<string> {
    const tx = await tronWeb.transactionBuilder.createSmartContract(
      {
        abi: [{ type: "constructor", inputs: [], payable: true, stateMutability: "payable" }] as any,
        bytecode: deployable(runtime),
        feeLimit: 100_000_000,
        callValue,
      },
      node.accounts[0].hex,
    );
    const signed = await tronWeb.trx.sign(tx);
    expect((await tronWeb.trx.sendRawTransaction(signed)).result).to.equal(true);
    const info: any = await tronWeb.trx.getTransactionInfo(tx.txID);
    expect(info.receipt.result).to.equal("SUCCESS");
    return info.contract_address;
  }

  async function call(contract: string): Promise<any> {
    return (
      await raw(node.url, "wallet/triggerconstantcontract", {
        owner_address: node.accounts[0].hex,
        contract_address: contract,
        data: "",
      })
    ).json;
  }

  it("CALLTOKENVALUE, CALLTOKENID and TOKENBALANCE read 0; ISCONTRACT is 1 for a contract only", async () => {
    const runtime =
      "d2600052" + // CALLTOKENVALUE -> mem[0x00]
      "d3602052" + // CALLTOKENID -> mem[0x20]
      "30d4604052" + // ISCONTRACT(this) -> mem[0x40]
      "33d4606052" + // ISCONTRACT(caller) -> mem[0x60]
      "306001d1608052" + // TOKENBALANCE(this, token 1) -> mem[0x80]
      "60a06000f3"; // RETURN mem[0, 0xa0)
    const out = await call(await deploy(runtime));
    expect(out.result.result).to.equal(true);
    const words = (out.constant_result[0] as string).match(/.{64}/g)?.map((w) => BigInt(`0x${w}`));
    expect(words).to.deep.equal([0n, 0n, 1n, 0n, 0n]);
    // 2 + 2 + 20 + 20 + 20 (the TRON opcodes) + pushes, ADDRESS/CALLER, MSTOREs with memory growth
    expect(out.energy_used).to.be.greaterThan(64);
  });

  it("CALLTOKEN with token id 0 moves TRX; with another id it fails and moves nothing", async () => {
    const to = node.accounts[2];
    // CALLTOKEN(gas, to, 5 sun, tokenId, in 0/0, out 0/0); store the success flag and return it.
    const callToken = (tokenPush: string) => `6000600060006000${tokenPush}600573${to.hex.slice(2)}5ad060005260206000f3`;
    for (const [tokenPush, ok] of [
      ["6000", true], // token id 0: TRX
      ["620f4241", false], // token 1000001: nobody holds it
    ] as const) {
      const contract = await deploy(callToken(tokenPush), 100);
      const before = BigInt(await tronWeb.trx.getBalance(to.base58));
      const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
        contract,
        "",
        { feeLimit: 100_000_000, rawParameter: "" } as any,
        [],
        node.accounts[0].hex,
      );
      const signed = await tronWeb.trx.sign(transaction as any);
      expect((await tronWeb.trx.sendRawTransaction(signed)).result).to.equal(true);
      const info: any = await tronWeb.trx.getTransactionInfo(signed.txID);
      expect(info.receipt.result).to.equal("SUCCESS");
      expect(BigInt(`0x${info.contractResult[0]}`)).to.equal(ok ? 1n : 0n);
      expect(BigInt(await tronWeb.trx.getBalance(to.base58)) - before).to.equal(ok ? 5n : 0n);
      expect(await tronWeb.trx.getBalance(tronWeb.address.fromHex(contract))).to.equal(ok ? 95 : 100);
    }
  });

  it("no EIP-170 limit: 30,000 bytes of code deploy for 200 energy a byte plus memory", async () => {
    // Init code returning 30,000 zero bytes: PUSH2 0x7530 PUSH1 0 RETURN
    const tx = await tronWeb.transactionBuilder.createSmartContract(
      { abi: [], bytecode: "6175306000f3", feeLimit: 15_000_000_000 },
      node.accounts[0].hex,
    );
    expect((await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(tx))).result).to.equal(true);
    const info: any = await tronWeb.trx.getTransactionInfo(tx.txID);
    expect(info.receipt.result).to.equal("SUCCESS");
    const words = Math.ceil(30_000 / 32);
    expect(info.receipt.energy_usage_total).to.equal(30_000 * 200 + 3 * words + Math.floor((words * words) / 512) + 6);
  });
});
