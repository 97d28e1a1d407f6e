// biome-ignore-all lint/suspicious/noExplicitAny: TronWeb replies are untyped JSON
/**
 * Transfer energy of a TRC-20 with USDT's storage pattern (contracts/mocks/MockUSDTStorage.sol),
 * measured on the devnode, beside the figures TRON publishes for USDT: about 14,610 energy to a
 * holder and 29,610 to a new address (two SSTOREs of 5,000, or 5,000 + 20,000, plus the rest).
 * The new-address transfer must cost exactly 15,000 more (SSTORE 20,000 instead of 5,000).
 */
import { readFile } from "node:fs/promises";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { TronWeb } from "tronweb";
import type { Devnode } from "../../devnode/src/index.js";
import { bootNode } from "../devnode/helpers.js";

const USDT_PUBLISHED = { holder: 14_610, newAddress: 29_610 };

/** Deploys MockUSDTStorage on a devnode and returns the energy of its two kinds of transfer. */
async function measureUsdtTransfers(tronWeb: TronWeb, node: Devnode) {
  const artifact = JSON.parse(
    await readFile(
      new URL("../../artifacts/contracts/mocks/MockUSDTStorage.sol/MockUSDTStorage.json", import.meta.url),
      "utf8",
    ),
  );
  const owner = node.accounts[0];
  const token: any = await tronWeb.contract().new({
    abi: artifact.abi,
    bytecode: artifact.bytecode.replace(/^0x/, ""),
    feeLimit: 1_000_000_000,
  });
  await token.mint(owner.base58, 1_000_000).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
  await token.mint(node.accounts[1].base58, 1).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
  const energy = async (to: string) => {
    const txid = await token.transfer(to, 10).send({ feeLimit: 100_000_000 });
    const info: any = await tronWeb.trx.getTransactionInfo(txid);
    expect(info.receipt.result).to.equal("SUCCESS");
    return info.receipt.energy_usage_total as number;
  };
  const holder = await energy(node.accounts[1].base58);
  const newAddress = await energy("TPL66VK2gCXNCD7EJg9pgJRfqcRazjhUZY");
  return { holder, newAddress };
}

describe("energy: USDT-like transfer on the devnode", function () {
  this.timeout(60_000);
  let node: Devnode;
  let tronWeb: TronWeb;
  before(async () => {
    ({ node, tronWeb } = await bootNode({ accounts: 2 }));
  });
  after(async () => node?.stop());

  it("costs 15,000 more to a new address, and is printed beside USDT's published figures", async () => {
    const m = await measureUsdtTransfers(tronWeb, node);
    console.log(
      `      USDT-like transfer: ${m.holder} energy to a holder (USDT published ~${USDT_PUBLISHED.holder}), ` +
        `${m.newAddress} to a new address (~${USDT_PUBLISHED.newAddress})`,
    );
    expect(m.newAddress - m.holder).to.equal(15_000);
    // Two SSTOREs at 5,000 and the Transfer log (375 + 3 × 375 + 32 × 8) are the floor.
    expect(m.holder).to.be.greaterThan(10_000 + 1_756);
    // USDT itself is solc 0.4.18 with SafeMath; the same storage pattern under 0.8.29 lands within 10%.
    expect(Math.abs(m.holder - USDT_PUBLISHED.holder) / USDT_PUBLISHED.holder).to.be.lessThan(0.1);
  });
});
