// `@bttkit/sdk/node`: the Node-only tools, apart from the universal core so that no browser
// bundle meets a Node built-in: deployments from disk, .torrent files, shard files and
// manifests, the long-running keeper and host agent loops, and the network layer (host service,
// tenant store and retrieve, the Speed wire extension).
export {
  type CreateTronWebBackendParameters,
  createTronWebBackend,
} from "../backend/createTronWebBackend.js";
export * from "../storage/keeper.js";
export * from "./deployments.js";
export * from "./erasureFiles.js";
export * from "./hostAgent.js";
export * from "./infohashFile.js";
export * from "./merkleFiles.js";
export * from "./net/index.js";
export {
  DEFAULT_PERIOD_LENGTH,
  dealManifest,
  MANIFEST_FILE,
  MANIFEST_FORMAT,
  MAX_DEAL_SHARDS,
  prepareDeal,
  preparedDealId,
  readDealManifest,
} from "./prepareDeal.js";
