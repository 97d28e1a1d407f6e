// The whole system over any token: vault, registry, storage market and Speed market, six staked
// hosts, a tenant, a downloader and a seeder, in the shape the storage fixtures' helpers expect.
import { type Signer, Wallet } from "ethers";
import { speedDomain } from "../../sdk/src/speed/receipt.js";
import { storageMarketDomain } from "../../sdk/src/storage/offer.js";
import { CONFIG, ethers, hostKey, networkHelpers, type Storage, UNIT } from "../storage/fixtures.js";

export const TOKENS = [
  "TestBTT",
  "MockUSDTLike",
  "MockUSDTStorage",
  "MockNoReturnToken",
  "MockReentrantToken",
  "MockFeeOnTransferToken",
  "MockSenderFeeToken",
  "MockHookToken",
] as const;
export type TokenName = (typeof TOKENS)[number];

export async function deployOver(name: TokenName, hostCount = 6) {
  const [owner, tenant, keeper, stranger, downloader, seeder, relayer] = await ethers.getSigners();
  // One of seven token types with different methods (mint, setFeeBps, arm): typed loosely on purpose.
  // biome-ignore lint/suspicious/noExplicitAny: the token type varies by test
  const token: any =
    name === "TestBTT" ? await ethers.deployContract(name, [owner!.address]) : await ethers.deployContract(name);
  if (name === "MockFeeOnTransferToken" || name === "MockSenderFeeToken") await token.setFeeBps(0);
  const tokenAddress = await token.getAddress();
  const vault = await ethers.deployContract("EscrowVault", [tokenAddress, owner!.address]);
  const vaultAddress = await vault.getAddress();
  const registry = await ethers.deployContract("HostRegistry", [vaultAddress, owner!.address, 86_400n]);
  const registryAddress = await registry.getAddress();
  const market = await ethers.deployContract("StorageMarket", [vaultAddress, registryAddress, CONFIG]);
  const marketAddress = await market.getAddress();
  const hosting = await ethers.getContractAt("IStorageHosting", marketAddress);
  const speed = await ethers.deployContract("SpeedMarket", [vaultAddress, owner!.address, 3_600n, 30n * 86_400n]);
  const speedAddress = await speed.getAddress();
  for (const m of [registryAddress, marketAddress, speedAddress]) await vault.setMarket(m, true);
  await vault.setPauser(owner!.address, true);
  await registry.setMarket(marketAddress, true);

  const fund = async (who: Signer, amount: bigint) => {
    await token.mint(await who.getAddress(), amount);
    await token.connect(who).approve(vaultAddress, amount);
    await vault.connect(who).deposit(amount);
  };
  await fund(tenant, 10_000n * UNIT);
  await vault.connect(tenant).setMarketApproval(marketAddress, true);
  await fund(downloader, 1_000n * UNIT);
  await vault.connect(downloader).setMarketApproval(speedAddress, true);
  const hosts: Wallet[] = [];
  for (let i = 0; i < hostCount; i++) {
    const host = new Wallet(hostKey(i), ethers.provider);
    await networkHelpers.setBalance(host.address, 10n ** 20n);
    await fund(host, 1_000n * UNIT);
    await vault.connect(host).setMarketApproval(registryAddress, true);
    await registry
      .connect(host)
      .setProfile({ capacity: 1n << 40n, pricePerGiBPerPeriod: UNIT, region: 0, endpoint: `h${i}` });
    await registry.connect(host).stake(500n * UNIT);
    hosts.push(host);
  }
  const { chainId } = await ethers.provider.getNetwork();
  const s = {
    owner: owner!,
    tenant: tenant!,
    keeper: keeper!,
    stranger: stranger!,
    btt: token,
    vault,
    registry,
    market,
    hosting,
    hosts,
    domain: storageMarketDomain(marketAddress, chainId),
    marketAddress,
  } as unknown as Storage;
  return {
    s,
    token,
    vault,
    registry,
    market,
    hosting,
    speed,
    speedAddress,
    speedDomain: speedDomain({ chainId, verifyingContract: speedAddress }),
    downloader: downloader!,
    seeder: seeder!,
    relayer: relayer!,
    hosts,
    fund,
  };
}

export type Deployed = Awaited<ReturnType<typeof deployOver>>;

/** Invariant 1 over the known accounts: the vault's tokens equal balances + pools + escrows. */
export async function internalTotal(x: Deployed, accounts: string[]): Promise<bigint> {
  let total = 0n;
  for (const a of accounts) total += await x.vault.balanceOf(a);
  for (const m of [await x.registry.getAddress(), x.s.marketAddress, x.speedAddress]) total += await x.vault.heldBy(m);
  return total;
}
