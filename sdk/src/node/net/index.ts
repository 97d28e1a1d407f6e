// Node-only network layer: the storage host's HTTP service and the tenant's client over it,
// and Speed's pay-per-piece BEP-10 extension with the seeder's receipt store on disk.
export { NetworkError, type NetworkErrorReason } from "../../net/errors.js";
export * from "../../net/hostApi.js";
export * from "../../net/shardAuth.js";
export * from "../../net/speedWire.js";
export { HostService, type HostServiceOptions, type SweepReport } from "./hostService.js";
export { requestJson, requestStream } from "./http.js";
export { ReceiptStore, type ReceiptStoreRedeemReport } from "./receiptStore.js";
export { type HeldDeal, type PendingUpload, ShardStore } from "./shardStore.js";
export * from "./speedExtension.js";
export * from "./tenant.js";
