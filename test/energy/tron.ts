/**
 * Measuring TRON energy on the devnode with calldata ethers encodes: deploy from Hardhat's
 * artifacts, send (receipt.energy_usage_total and decoded logs), call. Used by the energy snapshot
 * (scenario.ts) and the benchmarks (scripts/bench).
 */
import { readdirSync, readFileSync } from "node:fs";
import { Interface, type Result, Wallet } from "ethers";
import { TronWeb } from "tronweb";
import { type Devnode, type DevnodeOptions, startDevnode } from "../../devnode/src/index.js";

/** The most a transaction may burn on TRON (maxFeeLimit, 15,000 TRX). */
const FEE_LIMIT = 15_000_000_000;
const ARTIFACTS = new URL("../../artifacts/contracts/", import.meta.url);

function abiOf(name: string): { abi: never[]; bytecode: string } {
  const file = readdirSync(ARTIFACTS, { recursive: true }).find((f) => String(f).endsWith(`/${name}.json`));
  if (!file) throw new Error(`no artifact for ${name}: run npx hardhat compile`);
  return JSON.parse(readFileSync(new URL(String(file), ARTIFACTS), "utf8"));
}

/** A devnode account, also as an ethers Wallet (the same key signs TIP-712 data). */
export interface Who {
  hex: string;
  privateKey: string;
  address: string;
  wallet: Wallet;
}
export interface Handle {
  hex: string;
  address: string;
  iface: Interface;
}

/** Sends, calls and deploys on the devnode with calldata ethers encodes. */
export class Tron {
  constructor(
    readonly node: Devnode,
    readonly tronWeb: TronWeb,
  ) {}

  who(i: number): Who {
    const a = this.node.accounts[i];
    if (!a) throw new Error(`devnode account ${i} missing`);
    const wallet = new Wallet(`0x${a.privateKey}`);
    return { hex: a.hex, privateKey: a.privateKey, address: wallet.address, wallet };
  }

  private async post(path: string, body: unknown) {
    const res = await fetch(`${this.node.url}/${path}`, { method: "POST", body: JSON.stringify(body) });
    return res.json();
  }

  private async broadcast(tx: unknown, from: Who) {
    const signed = (await this.tronWeb.trx.sign(tx as never, from.privateKey)) as { txID: string };
    const res = await this.tronWeb.trx.sendRawTransaction(signed as never);
    if (!res.result) throw new Error(`broadcast refused: ${JSON.stringify(res)}`);
    // biome-ignore lint/suspicious/noExplicitAny: java-tron's transaction info is untyped JSON
    const info: any = await this.tronWeb.trx.getTransactionInfo(signed.txID);
    if (info.receipt?.result !== "SUCCESS")
      throw new Error(`${signed.txID} failed: ${info.receipt?.result} ${info.resMessage ?? ""}`);
    return info;
  }

  async deploy(name: string, args: unknown[], from: Who, abiName = name): Promise<Handle> {
    const { abi, bytecode } = abiOf(name);
    const iface = new Interface(abi);
    const tx = await this.tronWeb.transactionBuilder.createSmartContract(
      { abi: [], bytecode: (bytecode + iface.encodeDeploy(args).slice(2)).replace(/^0x/, ""), feeLimit: FEE_LIMIT },
      from.hex,
    );
    const info = await this.broadcast(tx, from);
    return this.at(info.contract_address, abiName);
  }

  private readonly known: Interface[] = [];

  at(hex: string, abiName: string): Handle {
    const iface = new Interface(abiOf(abiName).abi);
    this.known.push(iface);
    return { hex, address: `0x${hex.slice(2)}`, iface };
  }

  /** Sends and returns its energy and its decoded logs. */
  async send(from: Who, c: Handle, fn: string, args: unknown[] = []) {
    const data = c.iface.encodeFunctionData(fn, args).slice(2);
    const built = await this.post("wallet/triggersmartcontract", {
      owner_address: from.hex,
      contract_address: c.hex,
      data,
      fee_limit: FEE_LIMIT,
    });
    const info = await this.broadcast(built.transaction, from);
    // Logs of a delegated module (IStorageHosting) carry the market's events: try every ABI known.
    const logs = (info.log ?? []).map((l: { topics: string[]; data: string }) => {
      const log = { topics: l.topics.map((t) => `0x${t}`), data: `0x${l.data}` };
      for (const i of [c.iface, ...this.known]) {
        const parsed = i.parseLog(log);
        if (parsed) return parsed;
      }
      return null;
    });
    return { energy: info.receipt.energy_usage_total as number, logs };
  }

  async call(c: Handle, fn: string, args: unknown[] = []): Promise<Result> {
    const data = c.iface.encodeFunctionData(fn, args).slice(2);
    const res = await this.post("wallet/triggerconstantcontract", {
      owner_address: this.node.accounts[0]?.hex,
      contract_address: c.hex,
      data,
    });
    return c.iface.decodeFunctionResult(fn, `0x${res.constant_result[0]}`);
  }
}

/** A devnode with well-funded accounts (10 million TRX each) and its adapter. */
export async function bootTron(options: DevnodeOptions): Promise<Tron> {
  const node = await startDevnode({ balance: 10_000_000n * 1_000_000n, ...options });
  return new Tron(node, new TronWeb({ fullHost: node.url }));
}
