/**
 * Test environments for the SDK's backend and vault tests: the same contracts (TestBTT and
 * EscrowVault) behind an EthersBackend on Hardhat's network, or a TronWebBackend on the devnode.
 * The suites (backend-suite.ts, vault-client-suite.ts) run unchanged on both.
 */
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { TronWeb } from "tronweb";
import { type Devnode, startDevnode } from "../../devnode/src/index.js";
import { type Hex20, toBase58, toHex20 } from "../../sdk/src/address.js";
import { EthersBackend } from "../../sdk/src/backend/ethers.js";
import { TronWebBackend } from "../../sdk/src/backend/tronweb.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { writeAndWait } from "../../sdk/src/contract.js";
import type { DeploymentFile } from "../../sdk/src/deployments.js";
import { testBTTAbi } from "../../sdk/src/generated/abi/mocks/index.js";

export interface VaultEnv {
  kind: "ethers" | "tronweb";
  /** Signers: [0] owns TestBTT; [1] payer; [2] payee; [3] arbiter; [4] stranger. */
  backends: Backend[];
  /** A backend without a signer. */
  readOnly: Backend;
  addresses: Hex20[];
  vault: Hex20;
  token: Hex20;
  chainId: bigint;
  /** deployments/<network>.json as the migrations would write it. */
  deploymentFile: DeploymentFile;
  mint(to: Hex20, amount: bigint): Promise<void>;
  increaseTime(seconds: number): Promise<void>;
  /** Chain time of the latest block, in seconds. */
  now(): Promise<bigint>;
  /** An http URL where nothing listens (for failure tests). */
  deadUrl: string;
  /**
   * Deploys `contractName` from artifacts/contracts/<sourcePath> as the owner ([0]); addresses in
   * `args` may be in any TRON form.
   */
  deploy(contractName: string, sourcePath: string, args: readonly unknown[]): Promise<Hex20>;
  /** Typed-data signers for the accounts: ethers signers, or TronWeb instances with their keys. */
  typedDataSigners: unknown[];
  /** The devnode's URL (TronWeb only). */
  nodeUrl?: string;
  /** The accounts' private keys (TronWeb only). */
  privateKeys?: string[];
  stop(): Promise<void>;
}

export const NILE = 3448148188n;

function artifact(path: string): { abi: unknown[]; bytecode: string } {
  return JSON.parse(readFileSync(new URL(`../../artifacts/contracts/${path}`, import.meta.url), "utf8"));
}

function deploymentFile(networkName: string, vault: Hex20, token: Hex20, txId: string): DeploymentFile {
  const entry = (a: Hex20) => ({ address: toBase58(a), hex: `41${a.slice(2).toLowerCase()}`, txId, block: 1 });
  return {
    network: networkName,
    chainId: Number(NILE),
    contracts: { EscrowVault: entry(vault), TestBTT: entry(token) },
    compiler: { version: "0.8.29", evmVersion: "cancun" },
    commit: "0000000",
  };
}

const TX0 = "ab".repeat(32);

const isAddressLike = (a: unknown): a is string =>
  typeof a === "string" && /^(0x[0-9a-fA-F]{40}|41[0-9a-fA-F]{40}|T[1-9A-HJ-NP-Za-km-z]{33})$/.test(a);

export async function ethersEnv(): Promise<VaultEnv> {
  const { ethers, networkHelpers } = await network.create("hardhat");
  const signers = await ethers.getSigners();
  const owner = signers[0];
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const token = toHex20(await btt.getAddress());
  const vaultContract = await ethers.deployContract("EscrowVault", [token, owner.address]);
  const vault = toHex20(await vaultContract.getAddress());
  const backends = signers.slice(0, 5).map((s) => new EthersBackend(s));
  return {
    kind: "ethers",
    backends,
    readOnly: new EthersBackend(ethers.provider),
    addresses: signers.slice(0, 5).map((s) => toHex20(s.address)),
    vault,
    token,
    chainId: NILE,
    deploymentFile: deploymentFile("hardhat", vault, token, TX0),
    mint: async (to, amount) => {
      await (await btt.connect(owner).mint(to, amount)).wait();
    },
    increaseTime: async (seconds) => {
      await networkHelpers.time.increase(seconds);
    },
    now: async () => BigInt(await networkHelpers.time.latest()),
    deadUrl: "http://127.0.0.1:9",
    deploy: async (contractName, _sourcePath, args) => {
      const contract = await ethers.deployContract(
        contractName,
        args.map((a) => (isAddressLike(a) ? toHex20(a) : a)),
      );
      return toHex20(await contract.getAddress());
    },
    typedDataSigners: signers.slice(0, 5),
    stop: async () => {},
  };
}

export async function tronEnv(): Promise<VaultEnv> {
  const node: Devnode = await startDevnode({ accounts: 5 });
  const tronWebs = node.accounts.map((a) => new TronWeb({ fullHost: node.url, privateKey: a.privateKey }));
  const deployer = tronWebs[0] as TronWeb;
  const owner = node.accounts[0] as { hex: string; base58: string };
  const deploy = async (path: string, parameters: readonly unknown[]) => {
    const { abi, bytecode } = artifact(path);
    const contract = await deployer.contract().new({
      abi: abi as never,
      bytecode: bytecode.replace(/^0x/, ""),
      parameters: [...parameters],
      feeLimit: 5_000_000_000,
    });
    return toHex20(String(contract.address));
  };
  const token = await deploy("mocks/TestBTT.sol/TestBTT.json", [owner.hex]);
  const vault = await deploy("vault/EscrowVault.sol/EscrowVault.json", [toBase58(token), owner.hex]);
  const backends = tronWebs.map((tw) => new TronWebBackend(tw, { pollIntervalMs: 50 }));
  const ownerBackend = backends[0] as Backend;
  return {
    kind: "tronweb",
    backends,
    readOnly: new TronWebBackend(new TronWeb({ fullHost: node.url }), { pollIntervalMs: 50 }),
    addresses: node.accounts.map((a) => toHex20(a.hex)),
    vault,
    token,
    chainId: NILE,
    deploymentFile: deploymentFile("development", vault, token, TX0),
    mint: async (to, amount) => {
      await writeAndWait(ownerBackend, { address: token, abi: testBTTAbi, functionName: "mint", args: [to, amount] });
    },
    increaseTime: async (seconds) => {
      node.chain.increaseTime(seconds);
      // A new block, so that the latest block's timestamp (what preflight checks read) moves too.
      await node.chain.mine(1);
    },
    now: async () => {
      const block = (await deployer.trx.getCurrentBlock()) as { block_header: { raw_data: { timestamp: number } } };
      return BigInt(Math.floor(block.block_header.raw_data.timestamp / 1000));
    },
    deadUrl: "http://127.0.0.1:9",
    deploy: async (_contractName, sourcePath, args) =>
      deploy(
        sourcePath,
        args.map((a) => (isAddressLike(a) ? toBase58(a) : a)),
      ),
    typedDataSigners: tronWebs,
    nodeUrl: node.url,
    privateKeys: node.accounts.map((a) => a.privateKey),
    stop: () => node.stop(),
  };
}
