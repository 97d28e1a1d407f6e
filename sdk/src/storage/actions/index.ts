export * from "./claimEarnings.js";
export * from "./dealReads.js";
export * from "./drawSeed.js";
export * from "./ensureApproval.js";
export * from "./exitShard.js";
export * from "./finalizeDeal.js";
export { type HostProfileInput, MAX_ENDPOINT_BYTES } from "./hostProfile.js";
export * from "./hostReads.js";
export {
  CHALLENGE_STATE,
  type ChallengeInfo,
  DEAL_STATUS,
  type DealInfo,
  recoverOfferSigner,
  type SignedOffer,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
} from "./internal.js";
export * from "./openChallenge.js";
export * from "./openDeal.js";
export * from "./registerHost.js";
export * from "./repairShard.js";
export * from "./requestOffer.js";
export * from "./requestUnstake.js";
export * from "./settlePeriod.js";
export * from "./signOffer.js";
export * from "./stake.js";
export * from "./submitProofs.js";
export * from "./updateHost.js";
export * from "./withdrawStake.js";
