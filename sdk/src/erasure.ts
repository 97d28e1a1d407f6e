// `@bttkit/sdk/erasure`: Reed-Solomon erasure coding in memory (browsers and Node). In a browser,
// call `initErasure(bytes)` with the package's `reed_solomon_erasure_bg.wasm` first; Node loads
// it itself. Shard files on disk are `@bttkit/sdk/node` (`encodeFile`, `recoverFile`).
export {
  DEFAULT_DATA_SHARDS,
  DEFAULT_PARITY_SHARDS,
  DEFAULT_STRIPE_SIZE,
  type EncodedShards,
  type EncodeOptions,
  type ErasureParameters,
  encodeShards,
  erasureParameters,
  initErasure,
  MAX_TOTAL_SHARDS,
  type MaybeShard,
  type RecoverOptions,
  reconstructShards,
  recoverData,
  shardSizeFor,
} from "./storage/erasure.js";
