// Public entry point of @bttkit/sdk. Each module re-exported here is documented in sdk/README.md.

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

// Generated ABIs (`as const`)
export * from "./generated/abi/index.js";
export * from "./generated/abi/mocks/index.js";

// Addresses and typed signatures
export { type Hex20, isTronAddress, TRON_ADDRESS_PREFIX, toBase58, toHex20, toTronHex } from "./address.js";
export {
  signTypedDataWithEthers,
  signTypedDataWithPrivateKey,
  signTypedDataWithTronWeb,
  type Tip712DomainInput,
  tip712Domain,
  type TronWebTypedDataSigner,
  tronChainId,
  type TypedDataTypes,
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
  encodeFile,
  encodeShards,
  type ErasureParameters,
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

// Vault client and actions
export * from "./vault/index.js";

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
