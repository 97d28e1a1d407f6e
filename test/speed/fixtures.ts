import type { HardhatEthers } from "@nomicfoundation/hardhat-ethers/types";
import type { Signer, TypedDataDomain } from "ethers";
import {
  type PackedReceipt,
  packReceipt,
  packRedemption,
  signReceiptWithEthers,
  speedDomain,
} from "../../sdk/src/speed/receipt.js";
import { type PackedRelay, packRelay, type RelayFee, signRelayFeeWithEthers } from "../../sdk/src/speed/relay.js";

export const UNIT = 10n ** 18n;
export const MIB = 1n << 20n;
export const HOUR = 3600n;
export const DAY = 86_400n;
/** A v1 (btih) infohash, left-aligned in 32 bytes, and a v2 (btmh) one. */
export const V1_HASH = `0x${"c9e15763f722f23e98a29decdfae341b98d53056"}${"0".repeat(24)}` as const;
export const V2_HASH = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899" as const;

/**
 * Deploys test BTT, the vault and a SpeedMarket (grace bounds 1 h .. 30 d), authorises the market,
 * and funds four downloaders with 1,000 BTT each in the vault, approved for the market.
 */
export async function deploySpeed(ethers: HardhatEthers) {
  const signers = await ethers.getSigners();
  const [owner, alice, bob, carol, dave, s1, s2, s3, relayer, stranger] = signers;
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
  const vaultAddress = await vault.getAddress();
  const market = await ethers.deployContract("SpeedMarket", [vaultAddress, owner.address, HOUR, 30n * DAY]);
  const marketAddress = await market.getAddress();
  await vault.connect(owner).setMarket(marketAddress, true);
  await vault.connect(owner).setPauser(owner.address, true);
  for (const user of [alice, bob, carol, dave]) {
    await btt.connect(owner).mint(user.address, 10_000n * UNIT);
    await btt.connect(user).approve(vaultAddress, 2n ** 256n - 1n);
    await vault.connect(user).deposit(1_000n * UNIT);
    await vault.connect(user).setMarketApproval(marketAddress, true);
  }
  const { chainId } = await ethers.provider.getNetwork();
  const domain = speedDomain({ chainId, verifyingContract: marketAddress });
  return {
    btt,
    vault,
    vaultAddress,
    market,
    marketAddress,
    domain,
    chainId,
    owner,
    alice,
    bob,
    carol,
    dave,
    s1,
    s2,
    s3,
    relayer,
    stranger,
    signers,
  };
}

/** A receipt signed by `downloader` (ethers) and packed for the contract. */
export async function receipt(
  downloader: Signer,
  domain: TypedDataDomain,
  bidId: bigint,
  seeder: string,
  cumulativeBytes: bigint,
): Promise<PackedReceipt> {
  return packReceipt(await signReceiptWithEthers(downloader, domain, { bidId, seeder, cumulativeBytes }));
}

/** A relay authorisation signed by `seeder` (ethers) with the fee asked, packed. */
export async function relay(
  seeder: Signer,
  domain: TypedDataDomain,
  terms: RelayFee,
  fee: bigint,
): Promise<PackedRelay> {
  return packRelay(await signRelayFeeWithEthers(seeder, domain, terms), fee);
}

/** The `redemption` word of a `ReceiptRedeemed(seeder, redemption)` event. */
export function redeemed(bidId: bigint, cumulativeBytes: bigint, amount: bigint): bigint {
  return packRedemption({ bidId, cumulativeBytes, amount });
}
