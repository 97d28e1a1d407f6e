/** Deal reads: the deal, its challenge, its shard records, a shard's repair bounty. */

import { challengedSegments } from "../challenge.js";
import type { StorageClient } from "../client.js";
import type { ShardRecord } from "../records.js";
import {
  type ChallengeInfo,
  checkClient,
  checkDealId,
  checkParameters,
  checkShardIndex,
  currentRecords,
  type DealInfo,
} from "./internal.js";

export interface DealParameters {
  dealId: bigint;
}
/** `undefined` when no deal has the id. */
export type DealReturnType = DealInfo | undefined;

/** Deal `dealId` as stored (status 1 active, 2 completed, 3 lost), or `undefined`. */
export async function getDeal(client: StorageClient, parameters: DealParameters): Promise<DealReturnType> {
  checkClient(client);
  checkParameters(parameters, "deal");
  const dealId = checkDealId(parameters.dealId);
  const info = await client.market.read.deal([dealId]);
  return info.status === 0 ? undefined : info;
}

export interface ChallengeParameters {
  dealId: bigint;
}
export interface ChallengeReturnType extends ChallengeInfo {
  /** With an open challenge: the segments each shard must prove (same rule as the contract). */
  segments: bigint[][] | undefined;
}

/** The deal's current challenge (state 0 idle, 1 awaiting seed, 2 open), with the challenged segments when open. */
export async function getChallenge(
  client: StorageClient,
  parameters: ChallengeParameters,
): Promise<ChallengeReturnType> {
  checkClient(client);
  checkParameters(parameters, "challenge");
  const dealId = checkDealId(parameters.dealId);
  const [c, info] = await Promise.all([client.market.read.challenge([dealId]), client.market.read.deal([dealId])]);
  const segments =
    c.state === 2 && info.segmentCount > 0n
      ? Array.from({ length: info.shardCount }, (_, i) =>
          challengedSegments(c.seed, i, info.segmentCount, info.segmentsPerPeriod),
        )
      : undefined;
  return { ...c, segments };
}

export interface ShardRecordsParameters {
  dealId: bigint;
}
export type ShardRecordsReturnType = ShardRecord[];

/** The deal's current shard records (host, counters, terms), from the market's `shardRecords` view. */
export async function getShardRecords(
  client: StorageClient,
  parameters: ShardRecordsParameters,
): Promise<ShardRecordsReturnType> {
  checkClient(client);
  checkParameters(parameters, "shardRecords");
  const dealId = checkDealId(parameters.dealId);
  return (await currentRecords(client, dealId, undefined)).records;
}

export interface RepairBountyParameters {
  dealId: bigint;
  shard: number;
}

/** What is held for whoever first proves repaired shard `shard`. */
export async function getRepairBounty(client: StorageClient, parameters: RepairBountyParameters): Promise<bigint> {
  checkClient(client);
  checkParameters(parameters, "repairBounty");
  const dealId = checkDealId(parameters.dealId);
  return client.market.read.repairBounty([dealId, BigInt(checkShardIndex(parameters.shard))]);
}

// The names before the get* rule, kept for existing callers.
/** @deprecated Use `getDeal`. */
export const deal = getDeal;
/** @deprecated Use `getChallenge`. */
export const challenge = getChallenge;
/** @deprecated Use `getShardRecords`. */
export const shardRecords = getShardRecords;
/** @deprecated Use `getRepairBounty`. */
export const repairBounty = getRepairBounty;
