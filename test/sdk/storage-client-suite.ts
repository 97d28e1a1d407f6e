/**
 * The storage client, its actions, the deal tracker, the keeper and the host agent, run by
 * storage-client.ethers.test.ts and storage-client.tronweb.test.ts against the same contracts
 * through the SDK alone: a whole deal of 2 data + 2 parity shards over four periods, with a host
 * whose agent stops, its shard lost and slashed, repaired onto a new host, and the deal ended.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import type { Hex20 } from "../../sdk/src/address.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import { BttkitError, InvalidAmountError, InvalidArgumentError, PreflightError } from "../../sdk/src/errors.js";
import { HostAgent, Keeper, prepareDeal, preparedDealId } from "../../sdk/src/node/index.js";
import { ContractRevertError } from "../../sdk/src/revert.js";
import { reconstructShards } from "../../sdk/src/storage/erasure.js";
import {
  challenge,
  claimEarnings,
  createStorageClient,
  deal,
  drawSeed,
  exitShard,
  finalizeDeal,
  host,
  listHosts,
  openChallenge,
  openDeal,
  type PreparedDeal,
  pickHosts,
  registerHost,
  repairBounty,
  repairShard,
  requestOffer,
  requestUnstake,
  SHARD_FLAG_LOST,
  type SignedOffer,
  type StorageClient,
  settlePeriod,
  shardRecords,
  signOffer,
  stake,
  submitProofs,
  trackRecord,
  updateHost,
  withdrawStake,
} from "../../sdk/src/storage/index.js";
import { approveToken, balanceOf, deposit, heldBy, setMarketApproval } from "../../sdk/src/vault/index.js";
import { rejectsWith } from "./expect-error.js";
import type { StorageEnv } from "./storage-env.js";
import { STORAGE_CONFIG } from "./storage-env.js";

const PRICE = 100n;
const COLLATERAL = 1_000n;
const STAKE = 5_000n;
const PERIODS = 4;
const PERIOD_LENGTH = 3_600;
const HOSTS = [3, 4, 5, 6, 7];

export function runStorageSuite(name: string, makeEnv: () => Promise<StorageEnv>) {
  describe(`storage client over ${name}`, function () {
    this.timeout(240_000);
    let env: StorageEnv;
    let tenant: StorageClient;
    let keeperClient: StorageClient;
    let reader: StorageClient;
    let hostClients: StorageClient[];
    let dir: string;
    let prepared: PreparedDeal;
    let dealId: bigint;
    let agents: HostAgent[] = [];
    const A = (i: number) => env.addresses[i] as Hex20;

    const clientFor = async (backend: Backend) => {
      const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
      return createStorageClient({ backend, deployment, timeoutMs: 30_000 });
    };

    before(async () => {
      env = await makeEnv();
      dir = await mkdtemp(path.join(tmpdir(), "bttkit-storage-"));
      [tenant, keeperClient, ...hostClients] = await Promise.all(
        [1, 2, ...HOSTS].map((i) => clientFor(env.backends[i]!)),
      );
      reader = await clientFor(env.readOnly);
      for (const i of [1, ...HOSTS]) await env.mint(A(i), 20_000n);
    });
    after(async () => {
      for (const agent of agents) await agent.stop();
      await env?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    describe("createStorageClient", () => {
      it("reads the market's registry, vault, TIP-712 domain and rules", async () => {
        expect(tenant.market.address).to.equal(env.market);
        expect(tenant.registry.address).to.equal(env.registry);
        expect(tenant.vault.vault.address).to.equal(env.vault);
        expect(tenant.domain.verifyingContract).to.equal(env.market);
        expect(tenant.domain.chainId).to.equal(env.chainId);
        expect(tenant.config.missesToLose).to.equal(STORAGE_CONFIG.missesToLose);
      });
      it("rejects an address that is not a StorageMarket with a BttkitError", async () => {
        await rejectsWith(() => createStorageClient({ backend: env.readOnly, address: env.vault }), BttkitError);
        await rejectsWith(() => createStorageClient({ backend: env.readOnly }), InvalidArgumentError);
        await rejectsWith(() => createStorageClient(null as never), InvalidArgumentError);
      });
    });

    describe("hosts", () => {
      it("deposit, then stake fails the preflight with market-approval until the registry is approved", async () => {
        for (const c of hostClients) {
          await approveToken(c.vault, { amount: 10_000n });
          await deposit(c.vault, { amount: 10_000n });
        }
        const unregistered = await rejectsWith(() => stake(hostClients[0]!, { amount: STAKE }), PreflightError);
        expect(unregistered.check).to.equal("host-not-registered");
      });
      it("registerHost registers each host; a second registerHost fails with host-registered", async () => {
        for (const [k, c] of hostClients.entries()) {
          await registerHost(c, {
            capacity: 1n << 30n,
            pricePerGiBPerPeriod: 10n + BigInt(k),
            region: k % 2 === 0 ? 276 : 250,
            endpoint: `/dns/host${k}/tcp/4001`,
          });
        }
        const again = await rejectsWith(
          () => registerHost(hostClients[0]!, { capacity: 1n, pricePerGiBPerPeriod: 1n, region: 0, endpoint: "" }),
          PreflightError,
        );
        expect(again.check).to.equal("host-registered");
        await updateHost(hostClients[0]!, {
          capacity: 1n << 31n,
          pricePerGiBPerPeriod: 10n,
          region: 276,
          endpoint: "/dns/h0",
        });
        expect((await host(reader, { address: A(HOSTS[0]!) })).profile.endpoint).to.equal("/dns/h0");
      });
      it("stake needs the registry's vault approval, then commits free balance", async () => {
        const error = await rejectsWith(() => stake(hostClients[0]!, { amount: STAKE }), PreflightError);
        expect(error.check).to.equal("market-approval");
        for (const c of hostClients) {
          await setMarketApproval(c.vault, { market: c.registry.address, approved: true });
          await stake(c, { amount: STAKE });
        }
        const info = await host(reader, { address: A(HOSTS[1]!) });
        expect(info.stake.stake).to.equal(STAKE);
        expect(info.freeStake).to.equal(STAKE);
        expect(info.stake.registered).to.equal(true);
        const short = await rejectsWith(() => stake(hostClients[0]!, { amount: 100_000n }), PreflightError);
        expect(short.check).to.equal("vault-balance");
      });
      it("requestUnstake and withdrawStake go through unbonding, with their preflights", async () => {
        const c = hostClients[4]!;
        const none = await rejectsWith(() => withdrawStake(c), PreflightError);
        expect(none.check).to.equal("nothing-unbonding");
        const tooMuch = await rejectsWith(() => requestUnstake(c, { amount: STAKE + 1n }), PreflightError);
        expect(tooMuch.check).to.equal("host-free-stake");
        const { readyAt } = await requestUnstake(c, { amount: 100n });
        expect(readyAt > 0n).to.equal(true);
        const early = await rejectsWith(() => withdrawStake(c), PreflightError);
        expect(early.check).to.equal("unbonding-not-ready");
        await env.increaseTime(3_601);
        const before = await balanceOf(c.vault);
        const { withdrawn } = await withdrawStake(c);
        expect(withdrawn).to.equal(100n);
        expect(await balanceOf(c.vault)).to.equal(before + 100n);
        await stake(c, { amount: 100n });
      });
      it("listHosts finds every registered host; scoring picks distinct hosts across regions", async () => {
        const hosts = await listHosts(reader);
        expect(hosts.map((h) => h.address)).to.have.members(HOSTS.map(A));
        const picked = pickHosts(hosts, { n: 4, now: await env.now(), regionPenalty: Number.POSITIVE_INFINITY });
        expect(new Set(picked.map((p) => p.address)).size).to.equal(4);
        expect(picked.filter((p) => p.region === 276).length).to.equal(2);
        expect((await trackRecord(reader, { address: A(HOSTS[0]!) })).proofsPassed).to.equal(0n);
      });
    });

    describe("a whole deal", () => {
      let offers: SignedOffer[];
      let keeper: Keeper;
      let before: { free: bigint[]; stakes: bigint[] };
      const accounts = () => [1, ...HOSTS].map(A);
      const snapshot = async () => ({
        free: await Promise.all(accounts().map((a) => balanceOf(reader.vault, { account: a }))),
        stakes: await Promise.all(HOSTS.map(async (i) => (await host(reader, { address: A(i) })).stake.stake)),
      });

      it("prepareDeal erasure-codes a file into 4 shards with roots, files and a manifest", async () => {
        const file = new Uint8Array(1_000).map((_, i) => (i * 31 + 7) & 0xff);
        const input = path.join(dir, "file.bin");
        await writeFile(input, file);
        let hashed = 0;
        prepared = await prepareDeal(input, {
          dataShards: 2,
          parityShards: 2,
          segmentSize: 32,
          periods: PERIODS,
          periodLength: PERIOD_LENGTH,
          outDir: path.join(dir, "deal"),
          onProgress: (stage, done) => {
            if (stage === "hash") hashed = done;
          },
        });
        expect(hashed).to.equal(4);
        expect(prepared.roots).to.have.length(4);
        expect(prepared.params.shardSize).to.equal(512n);
        expect(prepared.params.minShards).to.equal(2);
        const manifest = JSON.parse(await readFile(prepared.manifestPath!, "utf8"));
        expect(manifest.roots).to.deep.equal(prepared.roots);
        dealId = preparedDealId(prepared, A(1));
      });

      it("hosts sign the offers the tenant requests; signOffer refuses another host's key", async () => {
        offers = [];
        for (let i = 0; i < 4; i++) {
          const offer = await requestOffer(tenant, {
            deal: prepared,
            shard: i,
            host: A(HOSTS[i]!),
            price: PRICE,
            collateral: COLLATERAL,
          });
          expect(offer.dealId).to.equal(dealId);
          offers.push(await signOffer(hostClients[i]!, { offer, signer: env.offerSigner(HOSTS[i]!) }));
        }
        const wrong = await rejectsWith(
          () => signOffer(hostClients[0]!, { offer: offers[1]!.offer, signer: env.offerSigner(HOSTS[0]!) }),
          PreflightError,
        );
        expect(wrong.check).to.equal("offer-signature");
      });

      it("openDeal's preflight catches a missing approval, duplicate hosts, expired offers and mismatches", async () => {
        await approveToken(tenant.vault, { amount: 20_000n });
        await deposit(tenant.vault, { amount: 20_000n });
        const approval = await rejectsWith(() => openDeal(tenant, { deal: prepared, offers }), PreflightError);
        expect(approval.check).to.equal("market-approval");
        await setMarketApproval(tenant.vault, { market: tenant.market.address, approved: true });

        const dupOffer = await requestOffer(tenant, {
          deal: prepared,
          shard: 1,
          host: A(HOSTS[0]!),
          price: PRICE,
          collateral: COLLATERAL,
        });
        const dup = await signOffer(hostClients[0]!, { offer: dupOffer, signer: env.offerSigner(HOSTS[0]!) });
        const duplicate = await rejectsWith(
          () => openDeal(tenant, { deal: prepared, offers: [offers[0]!, dup, offers[2]!, offers[3]!] }),
          PreflightError,
        );
        expect(duplicate.check).to.equal("duplicate-host");

        const stale = await requestOffer(tenant, {
          deal: prepared,
          shard: 2,
          host: A(HOSTS[2]!),
          price: PRICE,
          collateral: COLLATERAL,
          expiry: 1_000n,
        });
        const expiredOffer = await signOffer(hostClients[2]!, { offer: stale, signer: env.offerSigner(HOSTS[2]!) });
        const expired = await rejectsWith(
          () => openDeal(tenant, { deal: prepared, offers: [offers[0]!, offers[1]!, expiredOffer, offers[3]!] }),
          PreflightError,
        );
        expect(expired.check).to.equal("offer-expired");

        const swapped = await rejectsWith(
          () => openDeal(tenant, { deal: prepared, offers: [offers[1]!, offers[0]!, offers[2]!, offers[3]!] }),
          PreflightError,
        );
        expect(swapped.check).to.equal("offer-mismatch");
        const forged = { ...offers[3]!, signature: offers[2]!.signature };
        const badSig = await rejectsWith(
          () => openDeal(tenant, { deal: prepared, offers: [offers[0]!, offers[1]!, offers[2]!, forged] }),
          PreflightError,
        );
        expect(badSig.check).to.equal("offer-signature");
      });

      it("openDeal commits the whole price and locks each host's collateral", async () => {
        before = await snapshot();
        const result = await openDeal(tenant, { deal: prepared, offers });
        expect(result.dealId).to.equal(dealId);
        expect(result.escrow).to.equal(PRICE * 4n * BigInt(PERIODS));
        expect(result.records.map((r) => r.host)).to.deep.equal(HOSTS.slice(0, 4).map(A));
        expect(await balanceOf(tenant.vault)).to.equal(before.free[0]! - result.escrow);
        expect((await host(reader, { address: A(HOSTS[0]!) })).stake.locked).to.equal(COLLATERAL);
        const stored = await deal(reader, { dealId });
        expect(stored?.status).to.equal(1);
        expect(stored?.segmentCount).to.equal(16n);
        // A reader that saw nothing rebuilds the records from ShardsUpdated events.
        expect((await shardRecords(reader, { dealId })).map((r) => r.host)).to.deep.equal(HOSTS.slice(0, 4).map(A));
      });

      it("a second openDeal with the same salt reverts with StorageDealExists(dealId), decoded", async () => {
        const error = await rejectsWith(
          () => openDeal(tenant, { deal: prepared, offers, skipPreflight: true }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("StorageDealExists");
        expect(error.args).to.deep.equal({ dealId });
      });

      const toPeriod = async (period: number) => {
        const info = (await deal(reader, { dealId }))!;
        const startsAt = info.start + BigInt(period * PERIOD_LENGTH);
        const now = await env.now();
        if (now < startsAt) await env.increaseTime(Number(startsAt - now));
      };
      /** Keeper opens and draws; the given agents prove; time passes the deadline; the keeper settles. */
      const runPeriod = async (period: number, provers: HostAgent[], beforeDeadline?: () => Promise<void>) => {
        await toPeriod(period);
        const opened = await keeper.tick();
        expect(opened.errors, String(opened.errors[0]?.error)).to.deep.equal([]);
        expect(opened.actions.map((a) => a.kind)).to.deep.equal(["openChallenge"]);
        await env.mine(STORAGE_CONFIG.seedDelay + 1);
        const drawn = await keeper.tick();
        expect(drawn.actions.map((a) => a.kind)).to.deep.equal(["drawSeed"]);
        const c = await challenge(reader, { dealId });
        expect(c.state).to.equal(2);
        expect(c.segments).to.have.length(4);
        for (const agent of provers) {
          const report = await agent.tick();
          expect(report.errors, String(report.errors[0]?.error)).to.deep.equal([]);
        }
        await beforeDeadline?.();
        await env.increaseTime(STORAGE_CONFIG.responseWindow + 1);
        const settled = await keeper.tick();
        expect(settled.errors, String(settled.errors[0]?.error)).to.deep.equal([]);
        return settled.actions.find((a) => a.kind === "settle")!;
      };

      it("period 0: the keeper challenges, every agent proves in a batch, the keeper settles", async () => {
        keeper = new Keeper(keeperClient, { deals: [dealId] });
        const shardFile = (i: number) => prepared.shardPaths![i]!;
        agents = hostClients
          .slice(0, 4)
          .map((c) => new HostAgent(c, { deals: [{ dealId, roots: prepared.roots, shardFile }] }));
        // Host 0's agent runs as a loop; the others are ticked by the test.
        agents[0]!.start({ intervalMs: 100 });
        const settled = await runPeriod(0, agents.slice(1), async () => {
          const until = Date.now() + 30_000;
          while (((await challenge(reader, { dealId })).provenMask & 1n) === 0n) {
            if (Date.now() > until) throw new Error("host 0's agent loop did not prove");
            await new Promise((resolve) => setTimeout(resolve, 50));
          }
          await agents[0]!.stop();
        });
        expect(settled.missedMask).to.equal(0n);
        expect(settled.period).to.equal(0n);
      });

      it("periods 1-2: host 0's agent is stopped; it misses twice, loses the shard and is slashed", async () => {
        const first = await runPeriod(1, agents.slice(1));
        expect(first.missedMask).to.equal(1n);
        expect(first.lostMask).to.equal(0n);
        // The running agents claimed what period 0 earned them (80% of it; 20% is withheld).
        expect(agents[1]!.claimed).to.equal((PRICE * 8n) / 10n);
        const second = await runPeriod(2, agents.slice(1));
        expect(second.lostMask).to.equal(1n);
        const records = await shardRecords(reader, { dealId });
        expect(records[0]!.flags & SHARD_FLAG_LOST).to.equal(SHARD_FLAG_LOST);
        const slash = 2n * (COLLATERAL / 10n);
        expect(await repairBounty(reader, { dealId, shard: 0 })).to.equal(slash / 2n);
        const h0 = await host(reader, { address: A(HOSTS[0]!) });
        expect(h0.stake.stake).to.equal(STAKE - slash);
        expect(h0.stake.locked).to.equal(0n);
        expect([h0.trackRecord.proofsPassed, h0.trackRecord.proofsMissed, h0.trackRecord.dealsLost]).to.deep.equal([
          1n,
          2n,
          1,
        ]);
      });

      it("the lost shard is rebuilt from the others and repaired onto a new host; exit is refused to strangers", async () => {
        const shards = await Promise.all(prepared.shardPaths!.map((p) => readFile(p)));
        const rebuilt = reconstructShards(
          shards.map((s, i) => (i === 0 ? undefined : new Uint8Array(s))),
          { dataShards: 2, parityShards: 2 },
        )[0]!;
        expect(Buffer.from(rebuilt).equals(shards[0]!)).to.equal(true);
        const repairFile = path.join(dir, "repair-shard-000.bin");
        await writeFile(repairFile, rebuilt);

        const offer = await requestOffer(tenant, {
          dealId,
          shardRoot: prepared.roots[0]!,
          shard: 0,
          host: A(HOSTS[4]!),
          price: PRICE,
          collateral: COLLATERAL,
        });
        expect(offer.generation).to.equal(1);
        const signed = await signOffer(hostClients[4]!, { offer, signer: env.offerSigner(HOSTS[4]!) });
        const notHost = await rejectsWith(
          () => exitShard(tenant, { dealId, shard: 1, roots: prepared.roots, offer: signed }),
          PreflightError,
        );
        expect(notHost.check).to.equal("not-shard-host");
        const notLost = await rejectsWith(
          () => repairShard(tenant, { dealId, shard: 1, roots: prepared.roots, offer: signed }),
          PreflightError,
        );
        expect(notLost.check).to.equal("shard-state");
        const result = await repairShard(tenant, { dealId, shard: 0, roots: prepared.roots, offer: signed });
        expect(result.generation).to.equal(1n);
        expect(result.newHost).to.equal(A(HOSTS[4]!));
        agents.push(
          new HostAgent(hostClients[4]!, {
            deals: [{ dealId, roots: prepared.roots, shardFile: () => repairFile }],
          }),
        );
      });

      it("period 3: the repairer proves and earns the bounty; the keeper settles and ends the deal; balances are exact", async () => {
        await runPeriod(3, agents.slice(1));
        const ending = await keeper.tick(); // nothing left: the deal already ended in the settling tick
        expect(ending.errors).to.deep.equal([]);
        const info = await deal(reader, { dealId });
        expect(info?.status).to.equal(2);
        expect(info?.escrow).to.equal(0n);
        expect(await heldBy(reader.vault, { market: env.market })).to.equal(0n);

        const after = await snapshot();
        const gain = (k: number) => after.free[k]! - before.free[k]!;
        const slash = 2n * (COLLATERAL / 10n);
        const paid0 = (PRICE * 8n) / 10n; // one passed period, withheld part forfeited
        expect(gain(1)).to.equal(paid0 - 0n); // host 0
        for (const k of [2, 3, 4]) expect(gain(k), `host ${k - 1}`).to.equal(PRICE * BigInt(PERIODS));
        expect(gain(5)).to.equal(PRICE + slash / 2n); // the repairer: one period and the bounty
        const escrow = PRICE * 4n * BigInt(PERIODS);
        const hostPay = paid0 + 3n * PRICE * BigInt(PERIODS) + PRICE;
        expect(gain(0)).to.equal(-escrow + (escrow - hostPay) + slash / 2n); // tenant
        expect(after.stakes[0]).to.equal(STAKE - slash);
        for (const k of [1, 2, 3, 4]) expect(after.stakes[k]).to.equal(STAKE);
        for (const i of HOSTS) expect((await host(reader, { address: A(i) })).stake.locked).to.equal(0n);
        // Conservation: what the tenant and hosts gained equals the slash.
        expect(after.free.reduce((a, b) => a + b, 0n) - before.free.reduce((a, b) => a + b, 0n)).to.equal(slash);

        const earned = await agents[1]!.earnings();
        expect(earned.total).to.equal(PRICE * BigInt(PERIODS));
        expect((await agents[4]!.earnings()).total).to.equal(PRICE + slash / 2n);
        const record = await trackRecord(reader, { address: A(HOSTS[1]!) });
        expect([record.proofsPassed, record.proofsMissed, record.dealsCompleted]).to.deep.equal([4n, 0n, 1]);
      });

      it("actions on the ended deal fail their preflight with deal-not-active", async () => {
        const error = await rejectsWith(() => openChallenge(keeperClient, { dealId }), PreflightError);
        expect(error.check).to.equal("deal-not-active");
        const fin = await rejectsWith(() => finalizeDeal(keeperClient, { dealId }), PreflightError);
        expect(fin.check).to.equal("deal-not-active");
      });
    });

    describe("loops and bad input", () => {
      it("keeper and agent loops run bounded ticks and stop", async () => {
        const keeper = new Keeper(keeperClient, { deals: [123n] });
        const reports: number[] = [];
        keeper.start({ intervalMs: 100, onReport: (r) => reports.push(r.errors.length) });
        await new Promise((resolve) => setTimeout(resolve, 400));
        await keeper.stop();
        expect(reports.length).to.be.greaterThan(0);
        // The unknown deal is reported, not thrown, and then dropped.
        expect(reports[0]).to.equal(1);
        expect(keeper.deals()).to.deep.equal([]);
        const agent = new HostAgent(hostClients[1]!, {});
        agent.start({ intervalMs: 100 });
        await agent.stop();
        expect(() => keeper.start({ intervalMs: 5 })).to.throw(InvalidArgumentError);
      });

      it("every action rejects junk with a BttkitError, never a plain Error or a hang", async () => {
        const actions = {
          registerHost,
          updateHost,
          stake,
          requestUnstake,
          withdrawStake,
          host,
          trackRecord,
          listHosts,
          requestOffer,
          signOffer,
          openDeal,
          openChallenge,
          drawSeed,
          submitProofs,
          settlePeriod,
          repairShard,
          exitShard,
          claimEarnings,
          finalizeDeal,
          deal,
          challenge,
          shardRecords,
          repairBounty,
        } as Record<string, (client: unknown, parameters: unknown) => Promise<unknown>>;
        const junk = {
          amount: "1",
          dealId: "x",
          shard: 1.5,
          roots: 7,
          offers: {},
          offer: null,
          proofs: "none",
          records: [1],
          address: 5,
          capacity: -1,
          host: [],
          price: 1,
          signer: 3,
          limit: -4,
          deal: 9,
        };
        for (const [actionName, action] of Object.entries(actions)) {
          for (const [client, parameters] of [
            [null, {}],
            [{}, {}],
            [tenant, null],
            [tenant, 7],
            [tenant, junk],
          ] as const) {
            await rejectsWith(() => action(client, parameters), BttkitError, 15_000).catch((error: Error) => {
              throw new Error(`${actionName}(${JSON.stringify(parameters)}): ${error.message}`);
            });
          }
        }
        await rejectsWith(() => stake(tenant, { amount: 0n }), InvalidAmountError);
        await rejectsWith(() => prepareDeal(new Uint8Array(10), { periods: 0 }), InvalidArgumentError);
        await rejectsWith(() => prepareDeal(new Uint8Array(10), { periods: 1, segmentSize: 33 }), InvalidArgumentError);
        await rejectsWith(
          () => prepareDeal(new Uint8Array(10), { periods: 1, dataShards: 40, parityShards: 30 }),
          InvalidArgumentError,
        );
        await rejectsWith(() => prepareDeal(path.join(dir, "missing.bin"), { periods: 1 }), InvalidArgumentError);
        expect(() => new Keeper(null as never)).to.throw(InvalidArgumentError);
        expect(() => new HostAgent(tenant, { claim: -1n })).to.throw(InvalidArgumentError);
      });
    });
  });
}
