// The storage market: pure tools (erasure coding is exported from ../index.ts directly), the
// client, one action per file, the deal tracker, host scoring, the keeper and the host agent.
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
export * from "./hostAgent.js";
export * from "./keeper.js";
export {
  buildTree,
  buildTreeFromChunks,
  buildTreeFromFile,
  DEFAULT_SEGMENT_SIZE,
  MAX_SEGMENT_SIZE,
  MIN_SEGMENT_SIZE,
  proofBlockRange,
  proveSegment,
  proveSegmentFromFile,
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
  signStorageOfferWithEthers,
  signStorageOfferWithTronWeb,
  storageMarketDomain,
  storageOfferDigest,
  TENANT_REPAIR,
} from "./offer.js";
export * from "./prepareDeal.js";
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
