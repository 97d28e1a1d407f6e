export * from "./infohash.js";
export * from "./receipt.js";
export * from "./receiptBook.js";
export * from "./relay.js";
export * from "./signature.js";
