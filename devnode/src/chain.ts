/**
 * The chain: blocks, transactions and their receipts, contracts, and the rules java-tron applies
 * before it accepts a transaction (dup, TaPoS, expiration, signature, contract validation).
 */
import { keccak_256 } from "@noble/hashes/sha3.js";
import { toStandardAbi, type WireEntry } from "./abi.js";
import { Bandwidth, bandwidthBytes, FEE_PARAMETERS, type NetCharge, StakedEnergy } from "./bandwidth.js";
import { type BlockRecord, makeBlock } from "./blocks.js";
import { bytesToHex, TronAddress } from "./encoding.js";
import { ENERGY_FACTOR_DECIMAL } from "./energy.js";
import { TronApiError } from "./errors.js";
import { EventStore } from "./events.js";
import { concat, createTronEVM } from "./evm.js";
import { type ExecOutcome, Executor } from "./executor.js";
import { Mutex } from "./mutex.js";
import { MAX_FEE_LIMIT, type ResolvedOptions } from "./options.js";
import { recoverSigner, SignatureFormatError } from "./signature.js";
import type { DecodedTx, RefBlock } from "./transaction.js";

export interface TxRecord {
  tx: DecodedTx;
  blockNumber: number;
  blockTimestamp: number;
  /** contractRet for /wallet/gettransactionbyid. */
  contractRet: string;
  info: Record<string, unknown>;
}

export interface ContractRecord {
  address: TronAddress;
  txID?: string;
  /** java-tron JSON ABI ({entrys}) as stored on chain. */
  abi?: { entrys: WireEntry[] };
  bytecode: Uint8Array;
  name: string;
  origin: TronAddress;
  consumeUserResourcePercent: number;
  originEnergyLimit: number;
}

/** The genesis block's parentHash on TRE (tronbox/tre), which TronWeb's tests expect of a local node. */
const TRE_GENESIS_PARENT_HASH = "957dc2d350daecc7bb6a38f3938ebde0a0c1cedafe15f0edae4256a2907449f6";
/** java-tron rejects transactions whose expiration lies more than a day past the head block. */
const MAX_EXPIRATION_MS = 24 * 3600 * 1000;
/** java-tron's limit on a transaction's serialized size. */
const MAX_TX_BYTES = 500 * 1024;
/** Energy cap for constant calls (java-tron's maxEnergyLimitForConstant default). */
const CONSTANT_ENERGY_LIMIT = 100_000_000n;

const hexMsg = (s: string) => Buffer.from(s).toString("hex");
const validateError = (msg: string) => new TronApiError("CONTRACT_VALIDATE_ERROR", msg);

export class Chain {
  readonly blocks: BlockRecord[] = [];
  readonly txs = new Map<string, TxRecord>();
  readonly contracts = new Map<string, ContractRecord>();
  readonly events = new EventStore();
  readonly unlocked = new Set<string>();
  readonly lock = new Mutex();
  readonly bandwidth = new Bandwidth(() => this.blocks[0].timestamp);
  readonly energy = new StakedEnergy((ms) => this.bandwidth.slot(ms));
  private pending: DecodedTx[] = [];
  private timer?: NodeJS.Timeout;
  private timeOffsetMs = 0;
  private lastBuiltTimestamp = 0;
  blockTime: number;

  private constructor(
    readonly opts: ResolvedOptions,
    readonly exec: Executor,
    readonly energyFactors: Map<string, bigint>,
  ) {
    this.blockTime = opts.blockTime;
  }

  static async create(opts: ResolvedOptions): Promise<Chain> {
    let chain: Chain | undefined;
    const factors = new Map<string, bigint>();
    const { evm, state } = await createTronEVM(
      opts.chainId,
      (n) => {
        const b = chain?.blocks[n];
        return b ? Buffer.from(b.blockID, "hex") : undefined;
      },
      { tvm: opts.tvm, factorOf: (a) => factors.get(Buffer.from(a).toString("hex")) ?? ENERGY_FACTOR_DECIMAL },
    );
    chain = new Chain(opts, new Executor(evm, state), factors);
    chain.blocks.push(makeBlock(0, opts.genesisTime ?? Date.now(), TRE_GENESIS_PARENT_HASH, []));
    chain.setBlockTime(opts.blockTime);
    return chain;
  }

  get head(): BlockRecord {
    return this.blocks[this.blocks.length - 1];
  }

  get energyPrice(): bigint {
    return BigInt(this.opts.energyPrice);
  }

  now(): number {
    const { genesisTime } = this.opts;
    // Virtual clock: 3 s a block, as TRON's slots.
    if (genesisTime !== undefined) return genesisTime + this.head.number * 3000 + this.timeOffsetMs;
    return Date.now() + this.timeOffsetMs;
  }

  increaseTime(seconds: number): number {
    this.timeOffsetMs += Math.round(seconds * 1000);
    return this.timeOffsetMs / 1000;
  }

  /** The header fields java-tron puts on transactions it builds: TaPoS of the head block. */
  refBlock(): RefBlock {
    const h = this.head;
    // Strictly increasing, so two identical requests never build the same txID.
    this.lastBuiltTimestamp = Math.max(this.now(), this.lastBuiltTimestamp + 1);
    return {
      ref_block_bytes: (h.number & 0xffff).toString(16).padStart(4, "0"),
      ref_block_hash: h.blockID.slice(16, 32),
      expiration: h.timestamp + 60_000,
      timestamp: this.lastBuiltTimestamp,
    };
  }

  setBlockTime(seconds: number): void {
    this.blockTime = seconds;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    if (seconds > 0) {
      this.timer = setInterval(() => void this.lock.run(() => this.mineBlock()).catch(() => undefined), seconds * 1000);
      this.timer.unref();
    } else if (this.pending.length) {
      void this.lock.run(() => this.mineBlock());
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** /wallet/broadcasttransaction: validate as java-tron does, then mine (or queue) it. */
  async submit(tx: DecodedTx): Promise<void> {
    return this.lock.run(async () => {
      await this.validate(tx);
      this.pending.push(tx);
      if (this.blockTime === 0) await this.mineBlock();
    });
  }

  /** Mines `count` blocks; the first takes the pending transactions. */
  async mine(count = 1): Promise<void> {
    return this.lock.run(async () => {
      for (let i = 0; i < count; i++) await this.mineBlock();
    });
  }

  private async validate(tx: DecodedTx): Promise<void> {
    if (this.txs.has(tx.txID) || this.pending.some((p) => p.txID === tx.txID)) {
      throw new TronApiError("DUP_TRANSACTION_ERROR", "Dup transaction.");
    }
    if (tx.rawBytes.length > MAX_TX_BYTES) {
      throw new TronApiError(
        "TOO_BIG_TRANSACTION_ERROR",
        `Too big transaction, the size is ${tx.rawBytes.length} bytes`,
      );
    }
    this.checkTapos(tx);
    const headTime = this.head.timestamp;
    if (tx.expiration <= headTime) {
      throw new TronApiError(
        "TRANSACTION_EXPIRATION_ERROR",
        `Transaction expiration, transaction expiration time is ${tx.expiration}, but headBlockTime is ${headTime}`,
      );
    }
    if (tx.expiration > headTime + MAX_EXPIRATION_MS) {
      throw new TronApiError(
        "TRANSACTION_EXPIRATION_ERROR",
        `Transaction expiration time is ${tx.expiration}, but maximum acceptable expiration time is ${headTime + MAX_EXPIRATION_MS}`,
      );
    }
    this.checkSignature(tx);
    await this.checkResources(tx);
    await this.validateContract(tx);
  }

  /** Bandwidth bytes of a transaction, as java-tron's BandwidthProcessor counts them. */
  netBytes(tx: DecodedTx): number {
    return bandwidthBytes(
      tx.rawBytes.length,
      tx.signatures.map((s) => s.length / 2),
    );
  }

  private async createsAccount(tx: DecodedTx): Promise<boolean> {
    return !!tx.transfer && !(await this.exec.accountExists(tx.transfer.to));
  }

  /** What the transaction burns before it runs: bandwidth (or account creation) and the memo fee. */
  private async netCharge(tx: DecodedTx, timestamp: number): Promise<NetCharge & { memoFee: number }> {
    const charge = this.bandwidth.quote(tx.owner.hex, this.netBytes(tx), timestamp, await this.createsAccount(tx));
    return { ...charge, memoFee: tx.memo.length ? FEE_PARAMETERS.getMemoFee : 0 };
  }

  /** java-tron consumes bandwidth and the memo fee before the contract runs; refuses if unpaid. */
  private async checkResources(tx: DecodedTx): Promise<void> {
    if (!(await this.exec.accountExists(tx.owner))) return; // validateContract names the missing account
    const c = await this.netCharge(tx, this.now());
    const balance = await this.exec.getBalance(tx.owner);
    if (BigInt(c.netFee) > balance) {
      throw new TronApiError(
        "BANDWITH_ERROR",
        `Account resource insufficient error. account [${tx.owner.base58}] has insufficient bandwidth[${this.netBytes(tx)}] and balance[${c.netFee}] to create new account`,
      );
    }
    if (BigInt(c.netFee + c.memoFee) > balance) {
      throw new TronApiError(
        "BANDWITH_ERROR",
        `Account resource insufficient error. account [${tx.owner.base58}] has insufficient balance[${balance}] to pay memo fee[${c.memoFee}]`,
      );
    }
  }

  private checkTapos(tx: DecodedTx): void {
    const low = Number.parseInt(tx.refBlockBytes || "x", 16);
    for (let n = this.head.number; n >= 0 && n > this.head.number - 65536; n--) {
      if ((n & 0xffff) === low && this.blocks[n].blockID.slice(16, 32) === tx.refBlockHash) return;
    }
    throw new TronApiError(
      "TAPOS_ERROR",
      `Tapos check error: ref block ${tx.refBlockBytes}/${tx.refBlockHash} not found`,
    );
  }

  private checkSignature(tx: DecodedTx): void {
    if (tx.signatures.length === 0 && this.unlocked.has(tx.owner.hex)) return; // tre_unlockedAccounts
    // Every account has the owner permission (id 0) and a default active one (id 2), both its own key.
    if (tx.permissionId !== 0 && tx.permissionId !== 2)
      throw new TronApiError("SIGERROR", "Validate signature error: permission isn't exit");
    if (tx.signatures.length === 0)
      throw new TronApiError("SIGERROR", "Validate signature error: miss sig or contract");
    if (tx.signatures.length > 1) {
      throw new TronApiError(
        "SIGERROR",
        `Validate signature error: Signature count is ${tx.signatures.length} more than key counts of permission : 1`,
      );
    }
    let signer: TronAddress;
    try {
      signer = recoverSigner(tx.txIdBytes, tx.signatures[0]);
    } catch (e) {
      if (e instanceof SignatureFormatError)
        throw new TronApiError("SIGERROR", `Validate signature error: ${e.message}`);
      throw e;
    }
    if (!signer.equals(tx.owner)) {
      throw new TronApiError(
        "SIGERROR",
        `Validate signature error: ${signer.hex} is signed by ${signer.base58} but it is not contained of permission.`,
      );
    }
  }

  private async validateContract(tx: DecodedTx): Promise<void> {
    const x = this.exec;
    if (!(await x.accountExists(tx.owner))) throw validateError(`Account[${tx.owner.hex}] not exists`);
    const balance = await x.getBalance(tx.owner);
    if (tx.transfer) {
      const { to, amount } = tx.transfer;
      if (amount <= 0n) throw validateError("Amount must be greater than 0.");
      if (to.equals(tx.owner)) throw validateError("Cannot transfer TRX to yourself.");
      if ((await x.getCode(to)).length > 0) throw validateError("Cannot transfer TRX to a smartContract.");
      const activation = (await x.accountExists(to))
        ? 0n
        : BigInt(FEE_PARAMETERS.getCreateNewAccountFeeInSystemContract);
      if (balance < amount + activation)
        throw validateError(`Validate TransferContract error, balance is not sufficient.`);
      return;
    }
    if (tx.admin) return this.validateAdmin(tx);
    if (BigInt(tx.feeLimit) < 0n || BigInt(tx.feeLimit) > MAX_FEE_LIMIT) {
      throw validateError(`feeLimit must be >= 0 and <= ${MAX_FEE_LIMIT}`);
    }
    const value = tx.trigger?.callValue ?? tx.create?.callValue ?? 0n;
    const tokenValue = tx.trigger?.tokenValue ?? tx.create?.tokenValue ?? 0n;
    if (value < 0n) throw validateError("callValue must be >= 0");
    if (tokenValue !== 0n) throw validateError("TRC-10 token transfers are not supported by the devnode");
    if (balance < value) throw validateError("balance is not sufficient");
    if (tx.trigger && (await x.getCode(tx.trigger.contract)).length === 0) {
      throw validateError("No contract or not a smart contract");
    }
    if (tx.create && tx.create.bytecode.length === 0) throw validateError("bytecode is empty");
    if (tx.create && !tx.create.originAddress.equals(tx.owner))
      throw validateError("OwnerAddress is not equals OriginAddress");
  }

  /** UpdateSetting / UpdateEnergyLimit / ClearABI: only the contract's origin may, as java-tron checks. */
  private validateAdmin(tx: DecodedTx): void {
    const d = tx.admin;
    if (!d) return;
    const rec = this.contracts.get(d.contract.hex);
    if (!rec) throw validateError(`Contract does not exist`);
    if (!rec.origin.equals(tx.owner)) throw validateError(`Account[${tx.owner.hex}] is not the owner of the contract`);
    const p = d.consumeUserResourcePercent;
    if (p !== undefined && (p < 0 || p > 100)) throw validateError("percent not in [0, 100]");
    if (d.originEnergyLimit !== undefined && d.originEnergyLimit <= 0)
      throw validateError("origin energy limit must be > 0");
  }

  private async mineBlock(): Promise<void> {
    const number = this.head.number + 1;
    const timestamp = Math.max(this.now(), this.head.timestamp + 1);
    const txs = this.pending;
    this.pending = [];
    const included: string[] = [];
    for (const tx of txs) {
      try {
        // Interval mode: state may have moved since broadcast, so check again (java-tron does too).
        if (this.blockTime > 0) await this.validateContract(tx);
      } catch {
        continue;
      }
      this.txs.set(tx.txID, await this.apply(tx, number, timestamp));
      included.push(tx.txID);
    }
    this.blocks.push(makeBlock(number, timestamp, this.head.blockID, included));
  }

  /** Executes one transaction in block `number` and builds its java-tron TransactionInfo. */
  private async apply(tx: DecodedTx, number: number, timestamp: number): Promise<TxRecord> {
    const base = { id: tx.txID, blockNumber: number, blockTimeStamp: timestamp };
    const x = this.exec;
    // Bandwidth (or account creation) and the memo fee are burned first, as java-tron does.
    const net = await this.netCharge(tx, timestamp);
    const activation = (await this.createsAccount(tx)) ? FEE_PARAMETERS.getCreateNewAccountFeeInSystemContract : 0;
    this.bandwidth.consume(tx.owner.hex, net, timestamp);
    await x.setBalance(tx.owner, (await x.getBalance(tx.owner)) - BigInt(net.netFee + net.memoFee));
    const netReceipt = {
      ...(net.netUsage ? { net_usage: net.netUsage } : {}),
      ...(net.netFee ? { net_fee: net.netFee } : {}),
    };
    if (tx.transfer) {
      await x.setBalance(tx.owner, (await x.getBalance(tx.owner)) - tx.transfer.amount - BigInt(activation));
      await x.setBalance(tx.transfer.to, (await x.getBalance(tx.transfer.to)) + tx.transfer.amount);
      const fee = net.netFee + net.memoFee + activation;
      return {
        tx,
        blockNumber: number,
        blockTimestamp: timestamp,
        contractRet: "SUCCESS",
        info: { ...base, ...(fee ? { fee } : {}), contractResult: [""], receipt: netReceipt },
      };
    }
    if (tx.admin) {
      const d = tx.admin;
      const rec = this.contracts.get(d.contract.hex);
      if (rec) {
        if (d.consumeUserResourcePercent !== undefined) rec.consumeUserResourcePercent = d.consumeUserResourcePercent;
        if (d.originEnergyLimit !== undefined) rec.originEnergyLimit = d.originEnergyLimit;
        if (d.clearAbi) rec.abi = undefined;
      }
      const fee = net.netFee + net.memoFee;
      return {
        tx,
        blockNumber: number,
        blockTimestamp: timestamp,
        contractRet: "SUCCESS",
        info: { ...base, ...(fee ? { fee } : {}), contractResult: [""], receipt: netReceipt },
      };
    }
    const { trigger, create } = tx;
    if (!trigger && !create) throw new TronApiError("CONTRACT_VALIDATE_ERROR", `cannot execute ${tx.type}`);
    const price = this.energyPrice;
    const value = trigger?.callValue ?? create?.callValue ?? 0n;
    const share = await this.energyShare(tx, value, timestamp);
    // TRON: a new contract lives at 41 ++ keccak256(txID ++ owner)[12:].
    const createAddress = create
      ? TronAddress.fromBytes20(keccak_256(concat(tx.txIdBytes, tx.owner.bytes21)).slice(12))
      : undefined;
    const out = await this.exec.run({
      caller: tx.owner,
      to: trigger?.contract,
      data: trigger?.data ?? create?.bytecode ?? new Uint8Array(),
      value,
      energyLimit: share.limit,
      block: { number, timestamp },
      rootTxId: tx.txIdBytes,
      createAddress,
      energyPrice: price,
    });
    const bill = share.pay(Number(out.energyUsed));
    const fee = BigInt(bill.burned) * price;
    await this.exec.setBalance(tx.owner, (await this.exec.getBalance(tx.owner)) - fee);
    if (create && out.result === "SUCCESS" && createAddress) {
      const c = create;
      this.contracts.set(createAddress.hex, {
        address: createAddress,
        txID: tx.txID,
        abi: c.abi,
        bytecode: c.bytecode,
        name: c.name,
        origin: c.originAddress,
        consumeUserResourcePercent: c.consumeUserResourcePercent,
        originEnergyLimit: c.originEnergyLimit,
      });
      this.events.setAbi(createAddress, tx.clientAbi && toStandardAbi(tx.clientAbi).length ? tx.clientAbi : c.abi);
    }
    if (out.result === "SUCCESS") this.events.add({ number, timestamp }, tx.txID, out.logs);
    return {
      tx,
      blockNumber: number,
      blockTimestamp: timestamp,
      contractRet: out.result,
      info: this.renderInfo(base, out, fee, net, (createAddress ?? trigger?.contract)?.hex ?? "", bill),
    };
  }

  /**
   * The energy limit of a contract transaction and how its energy is paid, as java-tron's
   * VMActuator (getTotalEnergyLimitWithFixRatio) and ReceiptCapsule.payEnergyBill do it: the
   * caller's staked energy plus what its TRX buys (capped by fee_limit); a contract's origin adds
   * its own staked energy, up to origin_energy_limit, for the share consume_user_resource_percent
   * leaves to it. Staked energy is spent first; the rest is burned at the energy price.
   */
  private async energyShare(tx: DecodedTx, value: bigint, timestamp: number) {
    const price = this.energyPrice;
    const callerLeft = this.energy.left(tx.owner.hex, timestamp);
    const balance = await this.exec.getBalance(tx.owner);
    const fromBalance = Number((balance > value ? balance - value : 0n) / price);
    const callerLimit = Math.min(callerLeft + fromBalance, Number(BigInt(tx.feeLimit) / price));
    const rec = tx.trigger ? this.contracts.get(tx.trigger.contract.hex) : undefined;
    const origin = rec && !rec.origin.equals(tx.owner) ? rec : undefined;
    const percent = origin?.consumeUserResourcePercent ?? 100;
    const originLeft = origin && percent < 100 ? this.energy.left(origin.origin.hex, timestamp) : 0;
    const originCap = Math.min(originLeft, origin?.originEnergyLimit ?? 0);
    let originLimit = 0;
    if (origin && percent <= 0) originLimit = originCap;
    else if (origin && percent < 100)
      originLimit = Math.min(Math.floor((callerLimit * (100 - percent)) / percent), originCap);
    return {
      limit: BigInt(callerLimit + originLimit),
      pay: (used: number) => {
        const originUsage = origin ? Math.min(Math.floor((used * (100 - percent)) / 100), originCap) : 0;
        if (origin) this.energy.use(origin.origin.hex, originUsage, timestamp);
        const callerUsage = used - originUsage;
        const callerStaked = Math.min(callerLeft, callerUsage);
        this.energy.use(tx.owner.hex, callerStaked, timestamp);
        return { origin: originUsage, callerStaked, burned: callerUsage - callerStaked };
      },
    };
  }

  private renderInfo(
    base: Record<string, unknown>,
    out: ExecOutcome,
    energyFee: bigint,
    net: NetCharge & { memoFee: number },
    contract: string,
    bill: { callerStaked: number; origin: number },
  ) {
    const failed = out.result !== "SUCCESS";
    const fee = Number(energyFee) + net.netFee + net.memoFee;
    return {
      ...base,
      ...(fee ? { fee } : {}),
      contractResult: [bytesToHex(out.returnValue)],
      contract_address: contract,
      receipt: {
        ...(energyFee ? { energy_fee: Number(energyFee) } : {}),
        ...(bill.callerStaked ? { energy_usage: bill.callerStaked } : {}),
        ...(bill.origin ? { origin_energy_usage: bill.origin } : {}),
        energy_usage_total: Number(out.energyUsed),
        ...(net.netUsage ? { net_usage: net.netUsage } : {}),
        ...(net.netFee ? { net_fee: net.netFee } : {}),
        result: out.result,
      },
      ...(out.logs.length && !failed
        ? {
            log: out.logs.map((l) => ({
              // java-tron writes log addresses as 20-byte hex, without the 41 prefix.
              address: bytesToHex(l.address.bytes20),
              topics: l.topics.map(bytesToHex),
              data: bytesToHex(l.data),
            })),
          }
        : {}),
      ...(failed ? { result: "FAILED", resMessage: hexMsg(out.message ?? out.result) } : {}),
    };
  }

  /** triggerconstantcontract / estimateenergy: run on the head state and discard the changes. */
  async constantCall(req: {
    owner: TronAddress;
    to?: TronAddress;
    data: Uint8Array;
    value: bigint;
    energyLimit?: bigint;
  }): Promise<ExecOutcome> {
    return this.lock.run(async () => {
      if (req.value > 0n && (await this.exec.getBalance(req.owner)) < req.value)
        throw validateError("balance is not sufficient");
      return this.exec.dryRun({
        caller: req.owner,
        to: req.to,
        data: req.data,
        value: req.value,
        energyLimit: req.energyLimit ?? CONSTANT_ENERGY_LIMIT,
        block: { number: this.head.number + 1, timestamp: Math.max(this.now(), this.head.timestamp + 1) },
        rootTxId: new Uint8Array(32),
        createAddress: req.to ? undefined : TronAddress.fromBytes20(new Uint8Array(20).fill(0xcc)),
        energyPrice: this.energyPrice,
      });
    });
  }

  /** The least energy limit under which the call still succeeds (java-tron's estimateenergy). */
  async estimateEnergy(req: {
    owner: TronAddress;
    to?: TronAddress;
    data: Uint8Array;
    value: bigint;
  }): Promise<ExecOutcome & { required: bigint }> {
    const first = await this.constantCall(req);
    if (first.result !== "SUCCESS") return { ...first, required: 0n };
    // EIP-150 keeps 1/64 back at each call, so the used figure may not be enough as a limit.
    let lo = first.energyUsed;
    if ((await this.constantCall({ ...req, energyLimit: lo })).result === "SUCCESS") return { ...first, required: lo };
    // 64/63 per call level covers most call trees; fall back to the constant-call cap otherwise.
    let hi = (lo * 65n) / 63n + 10_000n;
    if (hi > CONSTANT_ENERGY_LIMIT || (await this.constantCall({ ...req, energyLimit: hi })).result !== "SUCCESS")
      hi = CONSTANT_ENERGY_LIMIT;
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if ((await this.constantCall({ ...req, energyLimit: mid })).result === "SUCCESS") hi = mid;
      else lo = mid;
    }
    return { ...first, required: hi };
  }

  contractAt(addr: TronAddress): ContractRecord | undefined {
    return this.contracts.get(addr.hex);
  }

  /** Registers an ABI for a contract the node did not deploy itself (factories, setCode). */
  registerAbi(addr: TronAddress, abi: unknown): void {
    this.events.setAbi(addr, abi);
    const rec = this.contracts.get(addr.hex);
    const entrys = toStandardAbi(abi);
    if (rec && !rec.abi) rec.abi = { entrys };
  }
}
