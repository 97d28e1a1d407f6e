export * from "./actions/index.js";
export { type CreateSpeedClientParameters, createSpeedClient, marketAddress, type SpeedClient } from "./client.js";
export * from "./infohash.js";
export * from "./infohashInput.js";
export {
  amountPayable,
  MAX_BID_ID,
  MAX_RECEIPT_BYTES,
  MIB,
  type PackedReceipt,
  type PayableInput,
  packReceipt,
  packReceiptKey,
  packRedemption,
  RECEIPT_TYPES,
  type Receipt,
  type Redemption,
  receiptMessage,
  receiptWorth,
  recoverReceiptSigner,
  type SignedReceipt,
  SPEED_DOMAIN_NAME,
  SPEED_DOMAIN_VERSION,
  type SpeedDomainInput,
  speedDomain,
  unpackReceiptKey,
  unpackRedemption,
} from "./receipt.js";
export * from "./receiptBook.js";
export * from "./receiptJson.js";
export {
  type PackedRelay,
  packRelay,
  packRelayTerms,
  RELAY_FEE_TYPES,
  type RelayFee,
  type SignedRelayFee,
} from "./relay.js";
export * from "./signature.js";
