// Public entry point of @bttkit/sdk: the universal core (browsers and Node alike; no Node
// built-in, no ethers, TronWeb only through `createTronWebBackend`). Node-only tools are
// `@bttkit/sdk/node`, test mocks `@bttkit/sdk/testing`. Each module is documented in sdk/README.md.

// Addresses and typed signatures
export { type Hex20, isTronAddress, TRON_ADDRESS_PREFIX, toBase58, toHex20, toTronHex } from "./address.js";
// Backends: the only way clients reach a chain (TronWeb for TRON, ethers for EVM chains)
export { defaultLogAbis, trc20Abi } from "./backend/abi.js";
export {
  type CreateTronWebBackendParameters,
  createTronWebBackend,
} from "./backend/createTronWebBackend.js";
export { createEthersBackend, EthersBackend, type EthersBackendOptions } from "./backend/ethers.js";
export {
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
  Block,
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
  type KnownContractName,
  memoryDeployments,
  parseDeployment,
} from "./deployments.js";
// Storage: erasure coding (in memory; files are `@bttkit/sdk/node`)
export * from "./erasure.js";
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
  UserRejectedError,
  WalletNotConnectedError,
  WalletNotFoundError,
} from "./errors.js";
// Generated ABIs (`as const`)
export * from "./generated/abi/index.js";
export {
  type AbiLike,
  BackendError,
  ContractRevertError,
  type DecodedRevert,
  decodeRevert,
  defaultRevertAbis,
  ERROR_STRING_SELECTOR,
  erc20ErrorsAbi,
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
  speedDomain,
  toCompactSignature,
  unpackReceiptKey,
  unpackRedemption,
} from "./speed/index.js";

// Storage market: client, actions, deal tracker, host scoring, keeper and host agent
export * from "./storage/index.js";
export {
  addressOfPrivateKey,
  compactSignature,
  hashTypedData,
  isLowS,
  isTypedDataSigner,
  normalizeSignature,
  primaryTypeOf,
  privateKeySigner,
  recoverTypedDataSigner,
  type Tip712DomainInput,
  type TronWebTypedDataSigner,
  type TypedDataDomain,
  type TypedDataRequest,
  type TypedDataSigner,
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
// Wallets (TronLink and the other TronWallet adapters): signing without a key in the page
export { type ConnectWalletParameters, connectWallet, type TronWalletAdapter, WalletBackend } from "./wallet.js";
