export * from "./actions/index.js";
export { type CreateSpeedClientParameters, createSpeedClient, marketAddress, type SpeedClient } from "./client.js";
export * from "./infohash.js";
export * from "./infohashInput.js";
export * from "./receipt.js";
export * from "./receiptBook.js";
export * from "./receiptJson.js";
export * from "./relay.js";
export * from "./signature.js";
