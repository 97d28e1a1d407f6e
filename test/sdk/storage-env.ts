/**
 * Test environments for the storage client suite: TestBTT, EscrowVault, HostRegistry and
 * StorageMarket wired together, behind EthersBackends on Hardhat or TronWebBackends on the devnode.
 * Accounts: [0] owner, [1] tenant, [2] keeper, [3..] hosts.
 */
import { readFileSync } from "node:fs";
import { AbiCoder } from "ethers";
import { network } from "hardhat";
import { TronWeb } from "tronweb";
import { type Devnode, startDevnode } from "../../devnode/src/index.js";
import { type Hex20, toBase58, toHex20 } from "../../sdk/src/address.js";
import { EthersBackend } from "../../sdk/src/backend/ethers.js";
import { TronWebBackend } from "../../sdk/src/backend/tronweb.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { writeAndWait } from "../../sdk/src/contract.js";
import type { DeploymentFile } from "../../sdk/src/deployments.js";
import { escrowVaultAbi, hostRegistryAbi } from "../../sdk/src/generated/abi/index.js";
import { testBTTAbi } from "../../sdk/src/generated/abi/mocks/index.js";
import type { OfferSigner } from "../../sdk/src/storage/actions/signOffer.js";
import { NILE } from "./backend-env.js";

export const STORAGE_CONFIG = {
  responseWindow: 600,
  seedDelay: 2,
  missesToLose: 2,
  withheldBps: 2_000,
  slashBps: 1_000,
  tenantSlashBps: 5_000,
};
export const UNBONDING_DELAY = 3_600n;

export interface StorageEnv {
  kind: "ethers" | "tronweb";
  backends: Backend[];
  readOnly: Backend;
  addresses: Hex20[];
  /** What signs offers for account i. */
  offerSigner(i: number): OfferSigner;
  /** Private key of account i (0x hex). */
  privateKey(i: number): string;
  market: Hex20;
  registry: Hex20;
  vault: Hex20;
  token: Hex20;
  chainId: bigint;
  deploymentFile: DeploymentFile;
  mint(to: Hex20, amount: bigint): Promise<void>;
  /** Moves chain time forward and mines a block. */
  increaseTime(seconds: number): Promise<void>;
  mine(blocks: number): Promise<void>;
  now(): Promise<bigint>;
  /** The node's URL (devnode) for CLI tests, or undefined. */
  url: string | undefined;
  stop(): Promise<void>;
}

function artifact(path: string): { abi: unknown[]; bytecode: string } {
  return JSON.parse(readFileSync(new URL(`../../artifacts/contracts/${path}`, import.meta.url), "utf8"));
}

function deploymentFile(name: string, c: Record<string, Hex20>): DeploymentFile {
  const entry = (a: Hex20) => ({
    address: toBase58(a),
    hex: `41${a.slice(2).toLowerCase()}`,
    txId: "ab".repeat(32),
    block: 0,
  });
  return {
    network: name,
    chainId: Number(NILE),
    contracts: Object.fromEntries(Object.entries(c).map(([k, v]) => [k, entry(v)])),
    compiler: { version: "0.8.29", evmVersion: "cancun" },
    commit: "0000000",
  };
}

/** The owner wires vault, registry and market. */
async function wire(owner: Backend, vault: Hex20, registry: Hex20, market: Hex20) {
  await writeAndWait(owner, { address: vault, abi: escrowVaultAbi, functionName: "setMarket", args: [registry, true] });
  await writeAndWait(owner, { address: vault, abi: escrowVaultAbi, functionName: "setMarket", args: [market, true] });
  await writeAndWait(owner, {
    address: registry,
    abi: hostRegistryAbi,
    functionName: "setMarket",
    args: [market, true],
  });
}

export async function storageEthersEnv(accounts = 9): Promise<StorageEnv> {
  const { ethers, networkHelpers } = await network.create("hardhat");
  const signers = (await ethers.getSigners()).slice(0, accounts);
  const owner = signers[0]!;
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const token = toHex20(await btt.getAddress());
  const vault = toHex20(await (await ethers.deployContract("EscrowVault", [token, owner.address])).getAddress());
  const registry = toHex20(
    await (await ethers.deployContract("HostRegistry", [vault, owner.address, UNBONDING_DELAY])).getAddress(),
  );
  const market = toHex20(
    await (await ethers.deployContract("StorageMarket", [vault, registry, STORAGE_CONFIG])).getAddress(),
  );
  const backends = signers.map((s) => new EthersBackend(s));
  await wire(backends[0]!, vault, registry, market);
  // Hardhat's default accounts: the well-known mnemonic's keys.
  const keys = signers.map(
    (_, i) =>
      ethers.HDNodeWallet.fromPhrase(
        "test test test test test test test test test test test junk",
        undefined,
        `m/44'/60'/0'/0/${i}`,
      ).privateKey,
  );
  return {
    kind: "ethers",
    backends,
    readOnly: new EthersBackend(ethers.provider),
    addresses: signers.map((s) => toHex20(s.address)),
    offerSigner: (i) => ({ ethers: signers[i]! }),
    privateKey: (i) => keys[i]!,
    market,
    registry,
    vault,
    token,
    chainId: NILE,
    deploymentFile: deploymentFile("hardhat", {
      EscrowVault: vault,
      HostRegistry: registry,
      StorageMarket: market,
      TestBTT: token,
    }),
    mint: async (to, amount) => {
      await (await btt.connect(owner).mint(to, amount)).wait();
    },
    increaseTime: async (seconds) => {
      await networkHelpers.time.increase(seconds);
    },
    mine: async (blocks) => {
      await networkHelpers.mine(blocks);
    },
    now: async () => BigInt(await networkHelpers.time.latest()),
    url: undefined,
    stop: async () => {},
  };
}

export async function storageTronEnv(accounts = 9): Promise<StorageEnv> {
  const node = await startDevnode({ accounts });
  try {
    return await tronEnvOn(node);
  } catch (error) {
    await node.stop(); // a failed setup must not leave the server keeping the process alive
    throw error;
  }
}

async function tronEnvOn(node: Devnode): Promise<StorageEnv> {
  const tronWebs = node.accounts.map((a) => new TronWeb({ fullHost: node.url, privateKey: a.privateKey }));
  const deployer = tronWebs[0]!;
  const owner = node.accounts[0]!;
  // TronWeb can't encode tuple constructor arguments: they go in ABI-encoded (rawParameter).
  const deploy = async (path: string, types: string[], values: unknown[]) => {
    const { abi, bytecode } = artifact(path);
    const contract = await deployer.contract().new({
      abi: abi as never,
      bytecode: bytecode.replace(/^0x/, ""),
      rawParameter: AbiCoder.defaultAbiCoder().encode(types, values),
      feeLimit: 10_000_000_000,
    } as never);
    return toHex20(String(contract.address));
  };
  const ownerHex = toHex20(owner.hex);
  const token = await deploy("mocks/TestBTT.sol/TestBTT.json", ["address"], [ownerHex]);
  const vault = await deploy("vault/EscrowVault.sol/EscrowVault.json", ["address", "address"], [token, ownerHex]);
  const registry = await deploy(
    "hosts/HostRegistry.sol/HostRegistry.json",
    ["address", "address", "uint64"],
    [vault, ownerHex, UNBONDING_DELAY],
  );
  const c = STORAGE_CONFIG;
  const market = await deploy(
    "storage/StorageMarket.sol/StorageMarket.json",
    ["address", "address", "tuple(uint32,uint16,uint8,uint16,uint16,uint16)"],
    [vault, registry, [c.responseWindow, c.seedDelay, c.missesToLose, c.withheldBps, c.slashBps, c.tenantSlashBps]],
  );
  const backends = tronWebs.map((tw) => new TronWebBackend(tw, { pollIntervalMs: 30, feeLimit: 2_000_000_000n }));
  await wire(backends[0]!, vault, registry, market);
  const key = (i: number) => {
    const k = node.accounts[i]!.privateKey;
    return k.startsWith("0x") ? k : `0x${k}`;
  };
  return {
    kind: "tronweb",
    backends,
    readOnly: new TronWebBackend(new TronWeb({ fullHost: node.url }), { pollIntervalMs: 30 }),
    addresses: node.accounts.map((a) => toHex20(a.hex)),
    offerSigner: (i) => ({ privateKey: key(i) }),
    privateKey: key,
    market,
    registry,
    vault,
    token,
    chainId: NILE,
    deploymentFile: deploymentFile("development", {
      EscrowVault: vault,
      HostRegistry: registry,
      StorageMarket: market,
      TestBTT: token,
    }),
    mint: async (to, amount) => {
      await writeAndWait(backends[0]!, { address: token, abi: testBTTAbi, functionName: "mint", args: [to, amount] });
    },
    increaseTime: async (seconds) => {
      node.chain.increaseTime(seconds);
      await node.chain.mine(1);
    },
    mine: async (blocks) => {
      await node.chain.mine(blocks);
    },
    now: async () => {
      const block = (await deployer.trx.getCurrentBlock()) as { block_header: { raw_data: { timestamp: number } } };
      return BigInt(Math.floor(block.block_header.raw_data.timestamp / 1000));
    },
    url: node.url,
    stop: () => node.stop(),
  };
}
