// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * java-tron's own VM tests, replayed on the devnode: the bytecode they embed, their call values
 * and fee limits, and the energy_usage_total they assert (test/energy/java-tron-cases.json,
 * generated from the java-tron sources named in each case). The devnode runs with the committee
 * switches of java-tron's test configuration (all energy-relevant proposals off: MSTORE costs
 * memory only, no 1/64 retention, no SELFDESTRUCT surcharge).
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { TronWeb } from "tronweb";
import type { Devnode } from "../../devnode/src/index.js";
import { bootNode } from "../devnode/helpers.js";
import cases from "./java-tron-cases.json" with { type: "json" };

interface Step {
  op: "deploy" | "trigger";
  method?: string;
  params?: string;
  callValue: number;
  feeLimit: number;
  energy: number;
  result?: string;
  failure?: string;
}

/** java-tron's exception classes, as the contractResult code the receipt carries. */
const FAILURE: Record<string, string> = {
  OutOfEnergyException: "OUT_OF_ENERGY",
  IllegalOperationException: "ILLEGAL_OPERATION",
  // java-tron stops at 3 MB of memory (OUT_OF_MEMORY); the devnode at the same point reports
  // running out of energy. The energy charged (all of it) is the same.
  OutOfMemoryException: "OUT_OF_ENERGY",
};

describe("energy: java-tron's VM tests on the devnode", function () {
  this.timeout(120_000);
  let node: Devnode;
  let tronWeb: TronWeb;
  let owner: string;

  before(async () => {
    ({ node, tronWeb } = await bootNode({
      accounts: 1,
      balance: 30_000_000n * 1_000_000n,
      tvm: { memoryOpBase: false, compatibleEvm: false, energyAdjustment: false },
    }));
    owner = node.accounts[0].hex;
  });
  let matched = 0;
  let total = 0;
  after(async () => {
    console.log(`      java-tron energy_usage_total matched: ${matched}/${total}`);
    await node?.stop();
  });

  async function send(tx: any): Promise<any> {
    const signed = await tronWeb.trx.sign(tx);
    const res: any = await tronWeb.trx.sendRawTransaction(signed);
    expect(res.result, JSON.stringify(res)).to.equal(true);
    return tronWeb.trx.getTransactionInfo(tx.txID);
  }

  for (const c of cases.cases) {
    it(`${c.source.split("/").pop()} ${c.test}`, async () => {
      let contract = "";
      for (const step of c.steps as Step[]) {
        let info: any;
        if (step.op === "deploy") {
          // A payable constructor ABI, whatever the contract says: TronWeb refuses call values
          // for a non-payable one, and one java-tron case sends one to see the constructor revert.
          const tx = await tronWeb.transactionBuilder.createSmartContract(
            {
              abi: [{ type: "constructor", inputs: [], payable: true, stateMutability: "payable" }] as any,
              bytecode: c.bytecode,
              callValue: step.callValue,
              feeLimit: step.feeLimit,
              userFeePercentage: 100,
              originEnergyLimit: 10_000_000,
            },
            owner,
          );
          info = await send(tx);
          if ((info.receipt?.result ?? "SUCCESS") === "SUCCESS") contract = info.contract_address;
        } else {
          const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
            contract,
            step.method as string,
            { feeLimit: step.feeLimit, callValue: step.callValue, rawParameter: step.params ?? "" } as any,
            [],
            owner,
          );
          info = await send(transaction);
        }
        const where = `${c.test} ${step.op} ${step.method ?? ""}`;
        total++;
        expect(info.receipt.energy_usage_total, where).to.equal(step.energy);
        matched++;
        const want = step.failure ? FAILURE[step.failure] : (step.result ?? "SUCCESS");
        expect(info.receipt.result, where).to.equal(want);
      }
    });
  }

  // TransferFailedEnergyTest: the result code and whether the whole limit went (no exact figures).
  const rc = cases.resultCases;
  for (const c of rc.cases) {
    it(`${rc.source.split("/").pop()} ${c.method} -> ${c.result}`, async () => {
      const tx = await tronWeb.transactionBuilder.createSmartContract(
        {
          abi: [{ type: "constructor", inputs: [], payable: true, stateMutability: "payable" }] as any,
          bytecode: rc.bytecode,
          callValue: c.balance ? rc.withBalance : 0,
          feeLimit: rc.feeLimit,
          userFeePercentage: 0,
          originEnergyLimit: 10_000_000,
        },
        owner,
      );
      const deployed = await send(tx);
      const { transaction } = await tronWeb.transactionBuilder.triggerSmartContract(
        deployed.contract_address,
        c.method,
        { feeLimit: rc.feeLimit, rawParameter: c.params } as any,
        [],
        owner,
      );
      const info = await send(transaction);
      expect(info.receipt.result ?? "SUCCESS", c.method).to.equal(c.result);
      const all = rc.feeLimit / 100;
      if (c.allEnergy) expect(info.receipt.energy_usage_total).to.equal(all);
      else expect(info.receipt.energy_usage_total).to.be.lessThan(all);
    });
  }
});
