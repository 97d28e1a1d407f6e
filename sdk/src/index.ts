// Public entry point of @bttkit/sdk. Each module re-exported here is documented in sdk/README.md.

// Addresses and typed signatures
export { type Hex20, isTronAddress, TRON_ADDRESS_PREFIX, toBase58, toHex20, toTronHex } from "./address.js";
// Backends: the only way clients reach a chain (TronWeb for TRON, ethers for EVM chains)
export { defaultLogAbis, trc20Abi } from "./backend/abi.js";
export { createEthersBackend, EthersBackend, type EthersBackendOptions } from "./backend/ethers.js";
export {
  type CreateTronWebBackendParameters,
  createTronWebBackend,
  DEFAULT_FEE_LIMIT,
  MAX_FEE_LIMIT,
  TronWebBackend,
  type TronWebBackendOptions,
  type TronWebLike,
} from "./backend/tronweb.js";
export type {
  AbiInputValue,
  AbiInputValues,
  AddressInput,
  Backend,
  ContractEvent,
  DecodedLog,
  EventArgs,
  EventName,
  FunctionArgs,
  FunctionName,
  FunctionResult,
  GetEventsParameters,
  Hex,
  ReadFunctionName,
  ReadParameters,
  Receipt,
  WaitOptions,
  WriteFunctionName,
  WriteOptions,
  WriteParameters,
  WriteResult,
} from "./backend/types.js";
// Typed contracts
export {
  type Contract,
  type ContractEstimates,
  type ContractReads,
  type ContractWrites,
  type GetContractParameters,
  getContract,
  parseEventLogs,
  type ReadOptions,
  writeAndWait,
} from "./contract.js";
// Deployments
export {
  type DeployedContract,
  type Deployment,
  type DeploymentFile,
  type DeploymentFileContract,
  type DeploymentSource,
  deployedContract,
  fileDeployments,
  type KnownContractName,
  loadDeployment,
  memoryDeployments,
  parseDeployment,
} from "./deployments.js";
// Errors
export {
  BttkitError,
  type BttkitErrorCode,
  type BttkitErrorOptions,
  DeploymentNotFoundError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidArgumentError,
  InvalidDeploymentError,
  NetworkMismatchError,
  type PreflightCheck,
  PreflightError,
  ShardSizeMismatchError,
  TooFewShardsError,
} from "./errors.js";
// Generated ABIs (`as const`)
export * from "./generated/abi/index.js";
export * from "./generated/abi/mocks/index.js";
export {
  type AbiLike,
  BackendError,
  ContractRevertError,
  type DecodedRevert,
  decodeRevert,
  defaultRevertAbis,
  ERROR_STRING_SELECTOR,
  isContractRevert,
  normalizeRevertData,
  PANIC_REASONS,
  PANIC_SELECTOR,
  TimeoutError,
  type ToBttkitErrorOptions,
  TransactionFailedError,
  toBttkitError,
} from "./revert.js";
export * from "./speed/actions/index.js";
// Speed client and actions
export {
  type CreateSpeedClientParameters,
  createSpeedClient,
  marketAddress,
  type SpeedClient,
} from "./speed/client.js";
// Speed (bandwidth market): pure tools (infohashes, TIP-712 receipts and relay fees, packing)
export {
  amountPayable,
  type CompactSignature,
  checkInfohash,
  type Infohash,
  type InfohashInput,
  type InfohashVersion,
  infohashesFromMagnet,
  infohashesFromTorrent,
  infohashFromHex,
  infohashFromMagnet,
  infohashFromTorrent,
  infohashFromTorrentFile,
  infohashToHex,
  MAX_BID_ID,
  MAX_RECEIPT_BYTES,
  MIB,
  type PackedReceipt,
  type PackedRelay,
  type PayableInput,
  packReceipt,
  packReceiptKey,
  packRedemption,
  packRelay,
  packRelayTerms,
  RECEIPT_TYPES,
  RELAY_FEE_TYPES,
  type Receipt as SpeedReceipt,
  ReceiptBook,
  type ReceiptBookJson,
  type Redemption,
  type RelayFee,
  receiptFromJson,
  receiptMessage,
  receiptsFromJson,
  receiptToJson,
  receiptWorth,
  recoverReceiptSigner,
  resolveInfohash,
  SECP256K1_N,
  type SignedReceipt,
  type SignedReceiptJson,
  type SignedRelayFee,
  SPEED_DOMAIN_NAME,
  SPEED_DOMAIN_VERSION,
  type SpeedDomainInput,
  signReceiptWithEthers,
  signReceiptWithPrivateKey,
  signReceiptWithTronWeb,
  signRelayFeeWithEthers,
  signRelayFeeWithTronWeb,
  speedDomain,
  toCompactSignature,
  unpackReceiptKey,
  unpackRedemption,
} from "./speed/index.js";
// Storage: erasure coding
export {
  DEFAULT_DATA_SHARDS,
  DEFAULT_PARITY_SHARDS,
  DEFAULT_STRIPE_SIZE,
  defaultShardFileName,
  type EncodedFile,
  type EncodedShards,
  type EncodeFileOptions,
  type EncodeOptions,
  type ErasureParameters,
  encodeFile,
  encodeShards,
  erasureParameters,
  initErasure,
  MAX_TOTAL_SHARDS,
  type RecoverFileOptions,
  type RecoverOptions,
  reconstructShards,
  recoverData,
  recoverFile,
  shardSizeFor,
} from "./storage/erasure.js";

// Storage market: client, actions, deal tracker, host scoring, keeper and host agent
export * from "./storage/index.js";
export {
  signTypedDataWithEthers,
  signTypedDataWithPrivateKey,
  signTypedDataWithTronWeb,
  type Tip712DomainInput,
  type TronWebTypedDataSigner,
  type TypedDataTypes,
  tip712Domain,
  tronChainId,
} from "./tip712.js";
// Amounts
export {
  type AmountInput,
  BTT_DECIMALS,
  BTT_UNIT,
  formatBtt,
  formatTrx,
  formatUnits,
  parseBtt,
  parseTrx,
  parseUnits,
  SUN_PER_TRX,
  TRX_DECIMALS,
} from "./units.js";
// Vault client and actions
export * from "./vault/index.js";
