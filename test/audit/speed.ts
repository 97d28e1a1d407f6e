// The Speed market added to a storage fixture's vault, with one open bid.
import type { Signer } from "ethers";
import { speedDomain } from "../../sdk/src/speed/receipt.js";
import { ethers, type Storage, UNIT } from "../storage/fixtures.js";

export const V2_HASH = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899" as const;
export const PRICE = UNIT / 100n;

/** Deploys a SpeedMarket on `s.vault`, authorises it, and opens bid 1 for `downloader`. */
export async function deploySpeedOn(s: Storage, downloader: Signer) {
  const vaultAddress = await s.vault.getAddress();
  const market = await ethers.deployContract("SpeedMarket", [vaultAddress, s.owner.address, 3_600n, 30n * 86_400n]);
  const address = await market.getAddress();
  await s.vault.connect(s.owner).setMarket(address, true);
  const who = await downloader.getAddress();
  await s.btt.connect(s.owner).mint(who, 10_000n * UNIT);
  await s.btt.connect(downloader).approve(vaultAddress, ethers.MaxUint256);
  await s.vault.connect(downloader).deposit(1_000n * UNIT);
  await s.vault.connect(downloader).setMarketApproval(address, true);
  const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + 7n * 86_400n;
  await market.connect(downloader).openBid(V2_HASH, 2, PRICE, 100n * UNIT, expiry, 3_600n);
  const { chainId } = await ethers.provider.getNetwork();
  return { market, address, domain: speedDomain({ chainId, verifyingContract: address }), bidId: 1n, expiry };
}
