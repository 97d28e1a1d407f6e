// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * TronWeb 6.5 end to end against the devnode: deploy, call, send, reverts, TRX, TIP-712,
 * events with paging, TRON addresses (deploy and CREATE2), chain id and block hashes.
 */
import { expect } from "chai";
import { AbiCoder, concat as ethConcat, getBytes, keccak256 } from "ethers";
import { after, before, describe, it } from "mocha";
import { TronWeb, utils as tronUtils } from "tronweb";
import type { Devnode } from "../../devnode/src/index.js";
import { compileProbe } from "./compile.js";
import { bootNode, raw } from "./helpers.js";

describe("devnode: TronWeb end to end", function () {
  this.timeout(60_000);
  let node: Devnode;
  let tronWeb: TronWeb;
  let probe: any;
  let probeAddress: string; // 41-hex
  let deployTxId: string;
  const { DevnodeProbe, Child } = compileProbe();

  before(async () => {
    ({ node, tronWeb } = await bootNode());
    // The raw path first, so the txID that fixes the address is in hand.
    const tx = await tronWeb.transactionBuilder.createSmartContract(
      {
        abi: DevnodeProbe.abi as never,
        bytecode: DevnodeProbe.bytecode,
        parameters: [7],
        feeLimit: 2_000_000_000,
        callValue: 5,
      },
      node.accounts[0].hex,
    );
    const signed = await tronWeb.trx.sign(tx);
    const res = await tronWeb.trx.sendRawTransaction(signed);
    expect(res.result).to.equal(true);
    deployTxId = tx.txID;
    probeAddress = (tx as unknown as { contract_address: string }).contract_address;
    probe = tronWeb.contract(DevnodeProbe.abi as never, probeAddress);
  });

  after(async () => {
    await node?.stop();
  });

  it("contract().new deploys and address(this) in the constructor is TronWeb's predicted address", async () => {
    const c = await tronWeb.contract().new({
      abi: DevnodeProbe.abi as never,
      bytecode: DevnodeProbe.bytecode,
      parameters: [11],
      feeLimit: 2_000_000_000,
    });
    const predicted = tronWeb.address.toHex(c.address as string);
    expect(await c.methods.self().call()).to.equal(predicted);
    expect((await c.methods.value().call()).toString()).to.equal("11");
    const info = await tronWeb.trx.getContract(predicted);
    expect(info.contract_address).to.equal(predicted);
    expect(info.abi.entrys.length).to.be.greaterThan(5);
  });

  it("the constructor ran at 41 ++ keccak256(txID ++ owner)[12:]", async () => {
    const expected = `41${keccak256(getBytes(`0x${deployTxId}${node.accounts[0].hex}`)).slice(-40)}`;
    expect(probeAddress).to.equal(expected);
    expect(await probe.self().call()).to.equal(expected);
    const info = await tronWeb.trx.getTransactionInfo(deployTxId);
    expect(info.contract_address).to.equal(expected);
    expect(info.receipt.result).to.equal("SUCCESS");
    expect(await tronWeb.trx.getBalance(expected)).to.equal(5); // constructor call value, in sun
  });

  it("call() reads state and send({shouldPollResponse}) returns the decoded result", async () => {
    expect((await probe.value().call()).toString()).to.equal("7");
    const count = await probe.set(42).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
    expect(count.toString()).to.equal("1");
    expect((await probe.value().call()).toString()).to.equal("42"); // constant calls see the new state at once
  });

  it("charges energy × price in sun from the sender and reports it in the receipt", async () => {
    const before = BigInt(await tronWeb.trx.getBalance(node.accounts[0].base58));
    const txid = await probe.set(43).send({ feeLimit: 100_000_000 });
    const info = await tronWeb.trx.getTransactionInfo(txid);
    const after = BigInt(await tronWeb.trx.getBalance(node.accounts[0].base58));
    expect(info.receipt.energy_usage_total).to.be.greaterThan(0);
    expect(info.receipt.energy_fee).to.equal(info.receipt.energy_usage_total * 100);
    // The sender's free 600 bytes a day went to the deployments: bandwidth is burned too.
    expect(info.receipt.net_fee).to.be.greaterThan(0);
    expect(info.fee).to.equal(info.receipt.energy_fee + info.receipt.net_fee);
    expect(before - after).to.equal(BigInt(info.fee));
    expect(info.blockNumber).to.be.a("number");
    expect(info.blockTimeStamp).to.be.a("number");
    expect(info.log).to.have.length(1);
  });

  it("a custom error's revert data is readable from the replies", async () => {
    const iface = new (await import("ethers")).Interface(DevnodeProbe.abi as never);
    // constant call: java-tron's shape, reason in result.message (hex), data in constant_result
    const call = await raw(node.url, "wallet/triggerconstantcontract", {
      owner_address: node.accounts[1].hex,
      contract_address: probeAddress,
      function_selector: "fail(uint256)",
      parameter: AbiCoder.defaultAbiCoder().encode(["uint256"], [9]).slice(2),
    });
    expect(Buffer.from(call.json.result.message, "hex").toString()).to.equal("REVERT opcode executed");
    const err = iface.parseError(`0x${call.json.constant_result[0]}`);
    expect(err?.name).to.equal("Custom");
    expect(err?.args[0]).to.equal(9n);
    expect(`41${String(err?.args[1]).slice(2).toLowerCase()}`).to.equal(node.accounts[1].hex);
    // TronWeb's call() surfaces the reason
    let callError: Error | undefined;
    try {
      await probe.fail(9).call();
    } catch (e) {
      callError = e as Error;
    }
    expect(callError?.message).to.equal("REVERT opcode executed");
    // transaction: FAILED with the revert data in contractResult
    let thrown: any;
    try {
      await probe.failTx(3).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
    } catch (e) {
      thrown = e;
    }
    expect(thrown?.message).to.equal("REVERT opcode executed");
    expect(thrown.output.result).to.equal("FAILED");
    expect(thrown.output.receipt.result).to.equal("REVERT");
    expect(iface.parseError(`0x${thrown.output.contractResult[0]}`)?.args[0]).to.equal(3n);
    expect((await probe.count().call()).toString()).to.equal("2"); // failTx's increment rolled back
  });

  it("fee_limit is enforced: out of energy fails with OUT_OF_ENERGY and burns the limit", async () => {
    let thrown: any;
    try {
      await probe.burn(200).send({ shouldPollResponse: true, feeLimit: 1_000_000 }); // 10,000 energy
    } catch (e) {
      thrown = e;
    }
    expect(thrown?.output?.receipt?.result).to.equal("OUT_OF_ENERGY");
    expect(thrown.output.result).to.equal("FAILED");
    expect(thrown.output.receipt.energy_fee).to.equal(1_000_000);
    expect(thrown.output.fee).to.equal(1_000_000 + (thrown.output.receipt.net_fee ?? 0));
  });

  it("sends TRX (sendTrx) and the balances move in sun", async () => {
    const to = node.accounts[2].base58;
    const before = await tronWeb.trx.getBalance(to);
    const res = await tronWeb.trx.sendTransaction(to, 1_234_567);
    expect(res.result).to.equal(true);
    expect(await tronWeb.trx.getBalance(to)).to.equal(before + 1_234_567);
    const tx = await tronWeb.trx.getTransaction(res.txid);
    expect(tx.ret[0].contractRet).to.equal("SUCCESS");
    // a brand-new account is created by the transfer
    const fresh = TronWeb.address.fromPrivateKey("11".repeat(32)) as string;
    await tronWeb.trx.sendTransaction(fresh, 1000);
    expect(await tronWeb.trx.getBalance(fresh)).to.equal(1000);
    const account = await tronWeb.trx.getAccount(fresh);
    expect(account.address).to.equal(tronWeb.address.toHex(fresh));
  });

  it("payable call value lands on the contract", async () => {
    const before = await tronWeb.trx.getBalance(probeAddress);
    const bal = await probe.deposit().send({ callValue: 1000, shouldPollResponse: true, feeLimit: 100_000_000 });
    expect(bal.toString()).to.equal(String(before + 1000));
  });

  it("TIP-712: a signature from trx._signTypedData recovers in the contract", async () => {
    const domain = { name: "DevnodeProbe", version: "1", chainId: 3448148188, verifyingContract: probeAddress };
    const types = {
      Receipt: [
        { name: "seeder", type: "address" },
        { name: "amount", type: "uint256" },
      ],
    };
    const value = { seeder: node.accounts[3].base58, amount: 123456789n };
    const sig = await tronWeb.trx._signTypedData(domain, types, value, node.accounts[1].privateKey);
    const recovered = await probe.recover(node.accounts[3].hex, 123456789n, sig).call();
    expect(recovered).to.equal(node.accounts[1].hex);
  });

  it("block.chainid is Nile's id; prevrandao and gaslimit are 0", async () => {
    expect((await probe.chainId().call()).toString()).to.equal("3448148188");
    const info = await probe.blockInfo().call();
    const head = await tronWeb.trx.getCurrentBlock();
    expect(Number(info.number)).to.equal(head.block_header.raw_data.number + 1); // calls run on a new block
    expect(info.prevrandao.toString()).to.equal("0");
    expect(info.gaslimit.toString()).to.equal("0");
  });

  it("blockhash(n) is TRON's block id: 8-byte number then 24 bytes of hash", async () => {
    const head = await tronWeb.trx.getCurrentBlock();
    const n = head.block_header.raw_data.number;
    const hash = (await probe.hashOf(n).call()) as string;
    expect(hash.replace(/^0x/, "")).to.equal(head.blockID);
    expect(BigInt(`0x${head.blockID.slice(0, 16)}`)).to.equal(BigInt(n));
    const byNum = await tronWeb.trx.getBlockByNumber(n - 1);
    expect(((await probe.hashOf(n - 1).call()) as string).replace(/^0x/, "")).to.equal(byNum.blockID);
  });

  it("CREATE2 uses the 0x41 prefix (TIP-26)", async () => {
    const salt = `0x${"ab".repeat(32)}`;
    const created = (await probe.deploy2(salt, 77).send({ shouldPollResponse: true, feeLimit: 200_000_000 })) as string;
    const initCode = ethConcat([`0x${Child.bytecode}`, AbiCoder.defaultAbiCoder().encode(["uint256"], [77])]);
    const preimage = ethConcat(["0x41", `0x${probeAddress.slice(2)}`, salt, keccak256(initCode)]);
    const expected = `41${keccak256(preimage).slice(-40)}`;
    expect(tronWeb.address.toHex(created)).to.equal(expected);
    const viaTronWeb = tronUtils.address.getCreate2Address({ from: probeAddress, salt, initCode });
    expect(tronWeb.address.toHex(viaTronWeb)).to.equal(expected);
    const child = tronWeb.contract(Child.abi as never, expected);
    expect((await child.tag().call()).toString()).to.equal("77");
  });

  it("events: TronGrid shape, filters and fingerprint paging", async () => {
    for (let i = 0; i < 5; i++) await probe.set(100 + i).send({ feeLimit: 100_000_000 });
    const all = await tronWeb.event.getEventsByContractAddress(probeAddress, { eventName: "ValueSet", limit: 200 });
    expect(all.success).to.equal(true);
    const n = all.data!.length;
    expect(n).to.be.greaterThanOrEqual(7);
    const first = all.data![0] as any;
    expect(first).to.include.keys(
      "block_number",
      "block_timestamp",
      "contract_address",
      "event_index",
      "event_name",
      "result",
      "result_type",
      "event",
      "transaction_id",
    );
    expect(first.result.value).to.equal("104"); // newest first
    expect(first.result_type.from).to.equal("address");
    expect(first.event).to.equal("ValueSet(address indexed from, uint256 value, uint256 count)");
    expect(first.contract_address).to.equal(tronWeb.address.fromHex(probeAddress));
    // paging through by 2 yields the same events in the same order
    const seen: string[] = [];
    let fingerprint: string | undefined;
    do {
      const page: any = await tronWeb.event.getEventsByContractAddress(probeAddress, {
        eventName: "ValueSet",
        limit: 2,
        fingerprint,
      });
      seen.push(...page.data.map((e: any) => e.result.value));
      fingerprint = page.meta.fingerprint;
    } while (fingerprint);
    expect(seen).to.deep.equal(all.data!.map((e: any) => e.result.value));
    // ascending order, block filter, timestamp window
    const asc: any = await tronWeb.event.getEventsByContractAddress(probeAddress, {
      eventName: "ValueSet",
      orderBy: "block_timestamp,asc",
      limit: 1,
    });
    expect(asc.data[0].result.value).to.equal("42");
    const one: any = await tronWeb.event.getEventsByContractAddress(probeAddress, { blockNumber: first.block_number });
    expect(one.data.map((e: any) => e.transaction_id)).to.deep.equal([first.transaction_id]);
    const window: any = await tronWeb.event.getEventsByContractAddress(probeAddress, {
      minBlockTimestamp: first.block_timestamp,
      maxBlockTimestamp: first.block_timestamp,
    });
    expect(window.data.every((e: any) => e.block_timestamp === first.block_timestamp)).to.equal(true);
    const byTx: any = await tronWeb.event.getEventsByTransactionID(first.transaction_id);
    expect(byTx.data).to.have.length(1);
    expect(byTx.data[0].event_name).to.equal("ValueSet");
    // the constructor's event too
    const created: any = await tronWeb.event.getEventsByContractAddress(probeAddress, { eventName: "Created" });
    expect(created.data[0].result.self).to.equal(`0x${probeAddress.slice(2)}`);
  });

  it("estimateenergy and getchainparameters answer in java-tron's shape", async () => {
    const est = await tronWeb.transactionBuilder.estimateEnergy(
      probeAddress,
      "set(uint256)",
      {},
      [{ type: "uint256", value: 5 }],
      node.accounts[0].hex,
    );
    expect(est.energy_required).to.be.greaterThan(5000);
    const txid = await probe.set(5).send({ feeLimit: 100_000_000 });
    const info = await tronWeb.trx.getTransactionInfo(txid);
    expect(info.receipt.energy_usage_total).to.be.at.most(est.energy_required);
    const params = await tronWeb.trx.getChainParameters();
    expect(params.find((p: any) => p.key === "getEnergyFee")?.value).to.equal(100);
  });

  it("walletsolidity and /wallet agree on blocks and transactions", async () => {
    const a = await raw(node.url, "wallet/getnowblock");
    const b = await raw(node.url, "walletsolidity/getnowblock");
    expect(a.json.blockID).to.equal(b.json.blockID);
    const sol = await raw(node.url, "walletsolidity/gettransactionbyid", { value: deployTxId });
    expect(sol.json.txID).to.equal(deployTxId);
    const contract = await raw(node.url, `wallet/getcontract?value=${probeAddress}`);
    expect(contract.json.contract_address).to.equal(probeAddress);
    expect(contract.json.abi.entrys.find((e: any) => e.name === "set").type).to.equal("Function");
    // contract().at() loads the ABI from getcontract
    const at = await tronWeb.contract().at(probeAddress);
    expect((await at.methods.count().call()).toString()).to.match(/^\d+$/);
  });

  it("isConnected() sees every role served by the one URL", async () => {
    const status = await tronWeb.isConnected();
    expect(status).to.deep.equal({ fullNode: true, solidityNode: true, eventServer: true });
  });
});
