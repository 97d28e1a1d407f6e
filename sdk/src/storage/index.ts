// The storage market (`@bttkit/sdk/storage`), universal: pure tools, the client, one action per
// file, the deal tracker and host scoring. Erasure coding is `@bttkit/sdk/erasure`; preparing
// deals from files, the keeper and the host agent are `@bttkit/sdk/node`.

export type {
  DealManifest,
  DealParams,
  PrepareDealInput,
  PrepareDealParameters,
  PrepareDealProgress,
  PreparedDeal,
} from "../node/prepareDeal.js";
export * from "./actions/index.js";
export { challengedSegments, challengeSeed } from "./challenge.js";
export {
  type CreateStorageClientParameters,
  createStorageClient,
  type MarketConfig,
  type StorageClient,
  storageClientAbi,
  storageMarketAddress,
} from "./client.js";
export {
  buildTree,
  buildTreeFromChunks,
  DEFAULT_SEGMENT_SIZE,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  proofBlockRange,
  proveSegment,
  proveSegments,
  rootPath,
  rootsCommitment,
  type SegmentProof,
  type ShardTree,
  segmentCountOf,
  type TreeOptions,
  verifySegment,
} from "./merkle.js";
export {
  DEFAULT_MIN_SHARDS,
  DEFAULT_SEGMENTS_PER_PERIOD,
  DEFAULT_SHARDS,
  dealIdOf,
  MAX_OFFER_NONCE,
  MAX_SEGMENTS_PER_PERIOD,
  type OfferCalldata,
  offerCalldata,
  REPAIR_AUTHORIZATION_TYPES,
  type RepairAuthCalldata,
  STORAGE_MARKET_NAME,
  STORAGE_MARKET_VERSION,
  STORAGE_OFFER_TYPES,
  type StorageOffer,
  signRepairAuthorizationWithEthers,
  storageMarketDomain,
  storageOfferDigest,
  TENANT_REPAIR,
} from "./offer.js";
export {
  packShardRecord,
  packShardRecords,
  SHARD_FLAG_BOUNTY,
  SHARD_FLAG_LOST,
  type ShardRecord,
  shardRecordsHash,
  unpackShardRecord,
  unpackShardRecords,
} from "./records.js";
export * from "./scoring.js";
export { DealTracker, type DealTrackerOptions } from "./tracker.js";
