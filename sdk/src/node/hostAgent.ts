/**
 * The host agent: watches the deals its host serves, and for each open challenge computes the
 * segment asked of each of its shards (challenge.ts), reads it from the local shard file, builds
 * the Merkle proof (merkle.ts) and submits all of a deal's proofs in one `submitProofs`. It claims
 * what its shards have earned, and reports what it did and earned. Works on either backend.
 */
import { access, readdir } from "node:fs/promises";
import path from "node:path";
import { type Hex20, toHex20 } from "../address.js";
import { BttkitError, InvalidArgumentError } from "../errors.js";
import { toBttkitError } from "../revert.js";
import { claimable, claimEarnings } from "../storage/actions/claimEarnings.js";
import { drawSeed } from "../storage/actions/drawSeed.js";
import {
  CHALLENGE_STATE,
  checkBytes32List,
  checkClient,
  checkDealId,
  currentRecords,
  DEAL_STATUS,
} from "../storage/actions/internal.js";
import { type ShardProofInput, submitProofs } from "../storage/actions/submitProofs.js";
import { challengedSegments } from "../storage/challenge.js";
import type { StorageClient } from "../storage/client.js";
import { checkInterval, TickLoop } from "../storage/keeper.js";
import { proveSegments, type ShardTree } from "../storage/merkle.js";
import { SHARD_FLAG_LOST } from "../storage/records.js";
import { buildTreeFromFile, proveSegmentFromFile } from "./merkleFiles.js";
import { MANIFEST_FILE, readDealManifest } from "./prepareDeal.js";

/** One deal the agent serves. */
export interface HostAgentDeal {
  dealId: bigint;
  /** Every shard root of the deal (from its manifest). */
  roots: readonly string[];
  /** Shard i's local file, for the shards this host holds. */
  shardFile: (shard: number) => string;
}

export interface HostAgentOptions {
  deals?: readonly HostAgentDeal[];
  /** Claim earnings each tick once at least this much is owed (default 1; `false` never claims). */
  claim?: bigint | false;
  /** Draw a seed whose block is past instead of waiting for a keeper (default true). */
  drawSeeds?: boolean;
  /** Merkle level kept in memory per shard (merkle.ts); default 6. */
  cacheLevel?: number;
}

export interface HostAgentReport {
  proofs: { dealId: bigint; shards: number[]; txId: string; provenMask: bigint }[];
  claims: { dealId: bigint; amount: bigint; txId: string }[];
  seeds: { dealId: bigint; txId: string }[];
  waiting: { dealId: bigint; reason: string }[];
  errors: { dealId: bigint; error: BttkitError }[];
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

export class HostAgent {
  readonly client: StorageClient;
  private readonly deals = new Map<bigint, HostAgentDeal>();
  private readonly trees = new Map<string, ShardTree>();
  private readonly claimAt: bigint | false;
  private readonly drawSeeds: boolean;
  private readonly cacheLevel: number | undefined;
  private loop: TickLoop<HostAgentReport> | undefined;
  private claimedTotal = 0n;

  constructor(client: StorageClient, options: HostAgentOptions = {}) {
    checkClient(client);
    if (typeof options !== "object" || options === null) throw new InvalidArgumentError("options must be an object");
    this.client = client;
    this.claimAt = options.claim === undefined ? 1n : options.claim;
    if (this.claimAt !== false && (typeof this.claimAt !== "bigint" || this.claimAt < 1n)) {
      throw new InvalidArgumentError("claim must be a positive bigint or false");
    }
    this.drawSeeds = options.drawSeeds ?? true;
    this.cacheLevel = options.cacheLevel;
    for (const d of options.deals ?? []) this.addDeal(d);
  }

  /**
   * An agent serving every `deal.json` (with a `dealId`) found in `dir` or its subfolders one
   * level down, shard files beside each manifest. Only the shards present locally are proven.
   */
  static async fromShardDir(client: StorageClient, dir: string, options: HostAgentOptions = {}): Promise<HostAgent> {
    const agent = new HostAgent(client, options);
    const candidates = [path.join(dir, MANIFEST_FILE)];
    try {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) candidates.push(path.join(dir, entry.name, MANIFEST_FILE));
      }
    } catch (error) {
      throw new InvalidArgumentError(`Could not read the shard directory ${dir}`, { cause: error });
    }
    for (const file of candidates) {
      if (!(await exists(file))) continue;
      const m = await readDealManifest(file);
      if (m.dealId === undefined) continue;
      const base = path.dirname(file);
      agent.addDeal({ dealId: BigInt(m.dealId), roots: m.roots, shardFile: (i) => path.join(base, m.shardFiles[i]!) });
    }
    return agent;
  }

  addDeal(deal: HostAgentDeal): void {
    if (typeof deal !== "object" || deal === null || typeof deal.shardFile !== "function") {
      throw new InvalidArgumentError("deal must be { dealId, roots, shardFile }");
    }
    const dealId = checkDealId(deal.dealId);
    this.deals.set(dealId, { dealId, roots: checkBytes32List(deal.roots, "roots"), shardFile: deal.shardFile });
  }

  removeDeal(dealId: bigint): void {
    this.deals.delete(dealId);
  }

  watching(): bigint[] {
    return [...this.deals.keys()];
  }

  /** What this agent's claims have paid so far. */
  get claimed(): bigint {
    return this.claimedTotal;
  }

  /** One pass over every deal. Never rejects: failures are in the report. */
  async tick(): Promise<HostAgentReport> {
    const report: HostAgentReport = { proofs: [], claims: [], seeds: [], waiting: [], errors: [] };
    let me: Hex20 | undefined;
    try {
      me = await this.client.backend.account();
    } catch (error) {
      report.errors.push({ dealId: -1n, error: toBttkitError(error) });
      return report;
    }
    if (!me) {
      report.errors.push({ dealId: -1n, error: new InvalidArgumentError("The host agent needs a signing backend") });
      return report;
    }
    for (const deal of [...this.deals.values()]) {
      try {
        await this.serve(deal, me, report);
      } catch (error) {
        report.errors.push({ dealId: deal.dealId, error: error instanceof BttkitError ? error : toBttkitError(error) });
      }
    }
    return report;
  }

  private async serve(deal: HostAgentDeal, me: Hex20, report: HostAgentReport): Promise<void> {
    const client = this.client;
    const { dealId } = deal;
    const info = await client.market.read.deal([dealId]);
    if (info.status !== DEAL_STATUS.active) {
      report.waiting.push({ dealId, reason: info.status === DEAL_STATUS.none ? "no such deal" : "deal ended" });
      return;
    }
    const { records: current } = await currentRecords(client, dealId, undefined, info);
    const records = current.map((r, shard) => ({ ...r, shard }));
    const mine = records.filter((r) => toHex20(r.host) === me && (r.flags & SHARD_FLAG_LOST) === 0);
    if (mine.length === 0) return void report.waiting.push({ dealId, reason: "hosts no live shard" });
    let c = await client.market.read.challenge([dealId]);
    const head = await client.backend.getBlock();
    if (
      c.state === CHALLENGE_STATE.awaitingSeed &&
      this.drawSeeds &&
      (head.number === 0n || head.number > c.seedBlock)
    ) {
      const r = await drawSeed(client, { dealId, skipPreflight: true });
      report.seeds.push({ dealId, txId: r.txId });
      c = await client.market.read.challenge([dealId]);
    }
    if (c.state === CHALLENGE_STATE.open && head.timestamp <= c.deadline) {
      const due = mine.filter((r) => (c.provenMask & (1n << BigInt(r.shard))) === 0n);
      const proofs: ShardProofInput[] = [];
      for (const r of due) {
        const file = deal.shardFile(r.shard);
        if (!(await exists(file))) {
          report.errors.push({ dealId, error: new InvalidArgumentError(`Shard ${r.shard}'s file ${file} is missing`) });
          continue;
        }
        const tree = await this.treeOf(deal, r.shard, info.segmentSize);
        const indices = challengedSegments(c.seed, r.shard, info.segmentCount, info.segmentsPerPeriod);
        const p = await proveSegments(indices, (index) => proveSegmentFromFile(tree, file, index));
        proofs.push({ shard: r.shard, segment: p.segment, proof: p.proof });
      }
      if (proofs.length > 0) {
        const r = await submitProofs(client, { dealId, roots: deal.roots, proofs, skipPreflight: true });
        report.proofs.push({ dealId, shards: proofs.map((p) => p.shard), txId: r.txId, provenMask: r.provenMask });
      }
    } else {
      report.waiting.push({ dealId, reason: `challenge state ${c.state}` });
    }
    if (this.claimAt !== false) {
      const owed = mine.reduce((sum, r) => sum + claimable(r, client.config.withheldBps), 0n);
      if (owed >= this.claimAt) {
        const r = await claimEarnings(client, { dealId, shards: mine.map((m) => m.shard), skipPreflight: true });
        const amount = r.paid.filter((p) => p.host === me).reduce((sum, p) => sum + p.amount, 0n);
        this.claimedTotal += amount;
        report.claims.push({ dealId, amount, txId: r.txId });
      }
    }
  }

  /** The shard's tree, built once from its file and checked against the deal's root. */
  private async treeOf(deal: HostAgentDeal, shard: number, segmentSize: number): Promise<ShardTree> {
    const key = `${deal.dealId}:${shard}`;
    let tree = this.trees.get(key);
    if (!tree) {
      const options = { segmentSize, ...(this.cacheLevel !== undefined ? { cacheLevel: this.cacheLevel } : {}) };
      tree = await buildTreeFromFile(deal.shardFile(shard), options);
      if (tree.root !== deal.roots[shard]?.toLowerCase()) {
        throw new InvalidArgumentError(
          `Shard ${shard}'s local file does not match its root: it is corrupt or another shard`,
        );
      }
      this.trees.set(key, tree);
    }
    return tree;
  }

  /**
   * Everything paid to this host by the market, from its events: pay (`HostPaid`, claims and
   * ends of tenure) and repair bounties (`RepairBountyPaid`), per deal.
   */
  async earnings(options: { fromBlock?: bigint } = {}): Promise<{ total: bigint; byDeal: Map<bigint, bigint> }> {
    const me = await this.client.backend.account();
    if (!me) throw new InvalidArgumentError("The host agent needs a signing backend");
    const fromBlock = options.fromBlock ?? this.client.fromBlock;
    const byDeal = new Map<bigint, bigint>();
    for (const eventName of ["HostPaid", "RepairBountyPaid"] as const) {
      const events = await this.client.backend.getEvents({
        address: this.client.market.address,
        abi: this.client.market.abi,
        eventName,
        fromBlock,
        limit: 10_000,
      });
      for (const e of events) {
        if (toHex20(e.args.host) !== me) continue;
        byDeal.set(e.args.dealId, (byDeal.get(e.args.dealId) ?? 0n) + e.args.amount);
      }
    }
    return { total: [...byDeal.values()].reduce((a, b) => a + b, 0n), byDeal };
  }

  start(options: { intervalMs?: number; onReport?: (report: HostAgentReport) => void } = {}): void {
    if (this.loop?.isRunning) return;
    this.loop = new TickLoop(() => this.tick(), checkInterval(options.intervalMs ?? 15_000), options.onReport);
    this.loop.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }
}
