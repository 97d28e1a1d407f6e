// The whole system on one chain for the audit suites: test BTT, the vault, the host registry, the
// storage market (with a 4-shard deal) and the Speed market (with a bid), and one signer per role.
import type { Wallet } from "ethers";
import {
  type DealSetup,
  deployStorageWith,
  ethers,
  handoverOffer,
  networkHelpers,
  prepareDeal,
  recordsOf,
  type Storage,
  UNIT,
} from "../storage/fixtures.js";
import { deploySpeedOn } from "./speed.js";

export { ethers, networkHelpers, UNIT };

export const HOUR = 3_600n;
export const DAY = 86_400n;

/**
 * The system with a live deal and a live bid:
 * - `s`: the storage fixture (owner, tenant, keeper, stranger, 6 staked hosts; deal shards 0..3 on hosts 0..3);
 * - a separate pauser, a downloader with bid 1, a seeder, a relayer, an arbiter and a nominee
 *   (pending owner of the vault, the registry and the Speed market);
 * - escrow 1: tenant -> seeder with the arbiter, no operator.
 */
export async function deploySystem() {
  const s: Storage = await deployStorageWith(6);
  const signers = await ethers.getSigners();
  const [pauser, downloader, seeder, relayer, arbiter, nominee] = signers.slice(4, 10) as typeof signers;
  const speed = await deploySpeedOn(s, downloader!);
  await s.vault.connect(s.owner).setPauser(pauser!.address, true);

  const d: DealSetup = await prepareDeal(s, {
    shardCount: 4,
    minShards: 2,
    shardSize: 64,
    segmentSize: 32,
    periods: 4,
  });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);

  // The tenant also approves the registry and the Speed market, so `commit` is tried by every market.
  await s.vault.connect(s.tenant).setMarketApproval(await s.registry.getAddress(), true);
  await s.vault.connect(s.tenant).setMarketApproval(speed.address, true);
  const deadline = BigInt((await ethers.provider.getBlock("latest"))!.timestamp) + DAY;
  await s.vault.connect(s.tenant).createEscrow(seeder!.address, arbiter!.address, deadline, 10n * UNIT);

  for (const c of [s.vault, s.registry, speed.market]) await c.connect(s.owner).transferOwnership(nominee!.address);
  return {
    s,
    d,
    speed,
    roles: {
      pauser: pauser!,
      downloader: downloader!,
      seeder: seeder!,
      relayer: relayer!,
      arbiter: arbiter!,
      nominee: nominee!,
      host: s.hosts[0]! as Wallet,
    },
    escrowId: 1n,
    escrowDeadline: deadline,
  };
}

export type System = Awaited<ReturnType<typeof deploySystem>>;

/** An exit offer for shard 0 of the deal from the spare host 4 (generation 1). */
export function exitOffer(sys: System) {
  return handoverOffer(sys.s, sys.d, 0, 1, sys.s.hosts[4]!);
}

export { recordsOf };
