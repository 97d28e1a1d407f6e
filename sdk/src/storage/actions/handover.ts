/** Checks shared by repairShard and exitShard. */
import { type Hex20, toHex20 } from "../../address.js";
import { InvalidArgumentError, PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import { rootPath, rootsCommitment } from "../merkle.js";
import { SHARD_FLAG_LOST, type ShardRecord } from "../records.js";
import {
  checkBytes32List,
  checkDealId,
  checkOfferUsable,
  checkShardIndex,
  checkSignedOffer,
  currentRecords,
  loadDeal,
  type SignedOffer,
  type StorageActionOptions,
} from "./internal.js";

export interface HandoverParameters extends StorageActionOptions {
  dealId: bigint;
  shard: number;
  /** Every shard root of the deal (from its manifest): gives the shard's root and its path. */
  roots: readonly string[];
  /** The new host's signed offer at the shard's next generation (`requestOffer` with `dealId`). */
  offer: SignedOffer;
  /** The deal's opening records (what the market takes); default from the client's tracker. */
  records?: readonly bigint[];
}

export interface PreparedHandover {
  dealId: bigint;
  shard: number;
  words: bigint[];
  record: ShardRecord;
  shardRoot: `0x${string}`;
  path: `0x${string}`[];
  offer: SignedOffer;
}

export async function prepareHandover(
  client: StorageClient,
  parameters: HandoverParameters,
  kind: "repair" | "exit",
  caller: Hex20,
): Promise<PreparedHandover> {
  const dealId = checkDealId(parameters.dealId);
  const roots = checkBytes32List(parameters.roots, "roots");
  const shard = checkShardIndex(parameters.shard, roots.length);
  const offer = checkSignedOffer(parameters.offer, "offer");
  const skip = parameters.skipPreflight === true;
  const info = skip ? undefined : await loadDeal(client, dealId);
  const { words, records } = await currentRecords(client, dealId, parameters.records, info);
  const record = records[shard];
  if (!record) throw new InvalidArgumentError(`Shard ${shard} is out of range for ${records.length} records`);
  if (info && !skip) {
    if (rootsCommitment(roots) !== info.rootsCommitment.toLowerCase()) {
      throw new PreflightError("offer-mismatch", `The roots given are not deal ${dealId}'s`);
    }
    const lost = (record.flags & SHARD_FLAG_LOST) !== 0;
    if (kind === "repair" && !lost)
      throw new PreflightError("shard-state", `Shard ${shard} is not lost: nothing to repair`);
    if (kind === "exit" && lost) throw new PreflightError("shard-state", `Shard ${shard} is lost: repair it instead`);
    if (kind === "exit" && toHex20(record.host) !== caller) {
      throw new PreflightError("not-shard-host", `Only shard ${shard}'s host ${record.host} can hand it over`);
    }
    const o = offer.offer;
    const mismatch = (what: string) => {
      throw new PreflightError("offer-mismatch", `The offer is for another ${what}`);
    };
    if (o.dealId !== dealId) mismatch("deal");
    if (o.shardIndex !== shard) mismatch("shard");
    if (o.generation !== record.generation + 1)
      mismatch(`generation (${o.generation}; next is ${record.generation + 1})`);
    if (o.shardRoot.toLowerCase() !== roots[shard]) mismatch("shard root");
    if (o.price <= 0n || o.price > record.price) mismatch(`price (${o.price}; the shard's budget is ${record.price})`);
    if (o.collateral < record.collateral) {
      throw new PreflightError(
        "collateral-too-low",
        `The offer locks ${o.collateral} collateral; shard ${shard}'s host locked ${record.collateral}`,
        { needed: record.collateral, available: o.collateral },
      );
    }
    const host = toHex20(o.host);
    if (host === toHex20(record.host)) {
      throw new PreflightError(
        "duplicate-host",
        `${host} is the host that ${kind === "exit" ? "leaves" : "lost"} shard ${shard}`,
      );
    }
    if (records.some((r) => toHex20(r.host) === host && (r.flags & SHARD_FLAG_LOST) === 0)) {
      throw new PreflightError("duplicate-host", `${host} holds a live shard of deal ${dealId} already`);
    }
    const [{ timestamp }, stakeInfo, free] = await Promise.all([
      client.backend.getBlock(),
      client.registry.read.stakeOf([host]),
      client.registry.read.freeStakeOf([host]),
    ]);
    checkOfferUsable(client, offer, timestamp, "The offer");
    if (!stakeInfo.registered) throw new PreflightError("host-not-registered", `${host} is not a registered host`);
    if (free < o.collateral) {
      throw new PreflightError("host-free-stake", `${host} has ${free} free stake, ${o.collateral} needed`, {
        needed: o.collateral,
        available: free,
      });
    }
  }
  return { dealId, shard, words, record, shardRoot: roots[shard]!, path: rootPath(roots, shard), offer };
}
