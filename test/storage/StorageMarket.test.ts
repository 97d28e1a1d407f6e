import { expect } from "chai";
import { TronWeb } from "tronweb";
import {
  offerCalldata,
  signStorageOfferWithEthers,
  signStorageOfferWithTronWeb,
  storageMarketDomain,
  TENANT_REPAIR,
} from "../../sdk/src/storage/offer.js";
import { packShardRecords, unpackShardRecords } from "../../sdk/src/storage/records.js";
import {
  CONFIG,
  currentOf,
  deployStorage,
  ethers,
  handoverOffer,
  hostKey,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  recordsOf,
  type Storage,
  settle,
  UNIT,
} from "./fixtures.js";

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Free balances, pools and stakes that no rejected call may change. */
async function ledger(s: Storage) {
  const market = await s.market.getAddress();
  return {
    tenant: await s.vault.balanceOf(s.tenant.address),
    held: await s.vault.heldBy(market),
    locked: await Promise.all(s.hosts.slice(0, 31).map(async (h) => (await s.registry.stakeOf(h.address)).locked)),
  };
}

async function openFixture() {
  const s = await deployStorage();
  const d = await prepareDeal(s, { shardCount: 4, minShards: 2, shardSize: 3_000, periods: 4 });
  await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
  return { s, d };
}

describe("StorageMarket", () => {
  describe("constructor", () => {
    it("reverts with StorageInvalidConfig on out-of-range rules", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const f = await ethers.getContractFactory("StorageMarket");
      const v = await s.vault.getAddress();
      const r = await s.registry.getAddress();
      for (const bad of [
        { responseWindow: 0 },
        { seedDelay: 0 },
        { seedDelay: 200 },
        { missesToLose: 0 },
        { slashBps: 10_001 },
      ]) {
        await expect(f.deploy(v, r, { ...CONFIG, ...bad })).to.be.revertedWithCustomError(
          s.market,
          "StorageInvalidConfig",
        );
      }
      await expect(f.deploy(ethers.ZeroAddress, r, CONFIG)).to.be.revertedWithCustomError(
        s.market,
        "StorageInvalidConfig",
      );
      // The limits themselves are allowed.
      const edge = { ...CONFIG, seedDelay: 128, withheldBps: 10_000, slashBps: 10_000, tenantSlashBps: 10_000 };
      const market = await f.deploy(v, r, edge);
      expect(await market.config()).to.deep.equal(Object.values(edge));
    });
  });

  describe("openDeal", () => {
    it("opens with ethers- and TronWeb-signed offers (both verified on chain)", async () => {
      const s = await networkHelpers.loadFixture(deployStorage);
      const d = await prepareDeal(s, { shardCount: 3, minShards: 1 });
      // Re-sign shard 1 with TronWeb, offline, with the same host key.
      const tronWeb = new TronWeb({ fullHost: "http://127.0.0.1:1", privateKey: hostKey(1).slice(2) });
      const sig = await signStorageOfferWithTronWeb(tronWeb, s.domain, d.unsigned[1]!);
      expect(sig).to.equal(await signStorageOfferWithEthers(s.hosts[1]!, s.domain, d.unsigned[1]!));
      d.offers[1] = offerCalldata(d.unsigned[1]!, sig);
      await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers))
        .to.emit(s.market, "DealOpened")
        .withArgs(
          d.dealId,
          s.tenant.address,
          ethers.ZeroHash === "" ? 0 : (v: string) => v.length === 66,
          d.params.shardSize,
          256,
          d.params.periods,
          d.params.periodLength,
          1,
          d.params.segmentsPerPeriod,
          3n * UNIT * BigInt(d.params.periods),
        );
      const deal = await s.market.deal(d.dealId);
      expect(deal.status).to.equal(1);
      expect(deal.segmentCount).to.equal(16n); // 4,000 bytes / 256, rounded up
      const recs = unpackShardRecords(await currentOf(s, d.dealId));
      expect(recs.map((r) => r.host)).to.deep.equal(s.hosts.slice(0, 3).map((h) => h.address));
    });

    describe("bad input: each a specific error, and nothing moves", () => {
      const cases: [
        string,
        (s: Storage, d: Awaited<ReturnType<typeof prepareDeal>>) => Promise<unknown>,
        string,
        unknown[]?,
      ][] = [
        ["zero shards", (s, d) => s.market.connect(s.tenant).openDeal(d.params, [], []), "StorageNoShards"],
        [
          "roots/offers mismatch",
          (s, d) => s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers.slice(1)),
          "StorageLengthMismatch",
        ],
        [
          "minShards 0",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, minShards: 0 }, d.roots, d.offers),
          "StorageInvalidMinShards",
        ],
        [
          "minShards > shards",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, minShards: 4 }, d.roots, d.offers),
          "StorageInvalidMinShards",
        ],
        [
          "segment size not a power of two",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, segmentSize: 300 }, d.roots, d.offers),
          "StorageInvalidSegmentSize",
        ],
        [
          "segment size too small",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, segmentSize: 16 }, d.roots, d.offers),
          "StorageInvalidSegmentSize",
        ],
        [
          "shard size 0",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, shardSize: 0n }, d.roots, d.offers),
          "StorageInvalidShardSize",
        ],
        [
          "zero periods",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, periods: 0 }, d.roots, d.offers),
          "StorageInvalidPeriods",
        ],
        [
          "period shorter than the response window",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, periodLength: 60 }, d.roots, d.offers),
          "StorageInvalidPeriodLength",
        ],
        [
          "zero segments per period",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, segmentsPerPeriod: 0 }, d.roots, d.offers),
          "StorageInvalidSegmentsPerPeriod",
          [0, 16],
        ],
        [
          "more than 16 segments per period",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, segmentsPerPeriod: 17 }, d.roots, d.offers),
          "StorageInvalidSegmentsPerPeriod",
          [17, 16],
        ],
        [
          "offer for other deal params (segments per period)",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, segmentsPerPeriod: 3 }, d.roots, d.offers),
          "StorageOfferSignerMismatch",
        ],
        [
          "offer for other deal params (periods)",
          (s, d) => s.market.connect(s.tenant).openDeal({ ...d.params, periods: 7 }, d.roots, d.offers),
          "StorageOfferSignerMismatch",
        ],
        [
          "offer for another shard root",
          (s, d) => s.market.connect(s.tenant).openDeal(d.params, [d.roots[1]!, d.roots[0]!, d.roots[2]!], d.offers),
          "StorageOfferSignerMismatch",
        ],
        [
          "offers swapped between shards",
          (s, d) => s.market.connect(s.tenant).openDeal(d.params, d.roots, [d.offers[1]!, d.offers[0]!, d.offers[2]!]),
          "StorageOfferSignerMismatch",
        ],
        [
          "another tenant replays the offers",
          (s, d) => s.market.connect(s.keeper).openDeal(d.params, d.roots, d.offers),
          "StorageOfferSignerMismatch",
        ],
      ];
      for (const [name, call, error, args] of cases) {
        it(`reverts with ${error} for ${name}`, async () => {
          const s = await networkHelpers.loadFixture(deployStorage);
          const d = await prepareDeal(s, { shardCount: 3, minShards: 1 });
          const before = await ledger(s);
          const reverted = expect(call(s, d)).to.be.revertedWithCustomError(s.market, error);
          await (args ? reverted.withArgs(...args) : reverted);
          expect(await ledger(s)).to.deep.equal(before);
        });
      }

      it("reverts with StorageTooManyShards above 64", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 1, minShards: 1 });
        const roots = Array(65).fill(d.roots[0]);
        const offers = Array(65).fill(d.offers[0]);
        await expect(s.market.connect(s.tenant).openDeal(d.params, roots, offers))
          .to.be.revertedWithCustomError(s.market, "StorageTooManyShards")
          .withArgs(65, 64);
      });

      it("reverts with StorageOfferExpired after the expiry", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 3, minShards: 1 });
        await networkHelpers.time.increase(3_601);
        const before = await ledger(s);
        await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers))
          .to.be.revertedWithCustomError(s.market, "StorageOfferExpired")
          .withArgs(0, d.unsigned[0]!.expiry);
        expect(await ledger(s)).to.deep.equal(before);
      });

      it("reverts with StorageOfferSignerMismatch for offers signed for another chain id or contract", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 3, minShards: 1 });
        const market = await s.market.getAddress();
        for (const domain of [
          storageMarketDomain(market, 728126428n),
          storageMarketDomain(s.stranger.address, 3448148188n),
        ]) {
          const offers = [...d.offers];
          offers[2] = offerCalldata(
            d.unsigned[2]!,
            await signStorageOfferWithEthers(s.hosts[2]!, domain, d.unsigned[2]!),
          );
          await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, offers)).to.be.revertedWithCustomError(
            s.market,
            "StorageOfferSignerMismatch",
          );
        }
      });

      it("rejects a high-s (malleable) signature", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 2, minShards: 1 });
        const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
        const sig = ethers.Signature.from(await signStorageOfferWithEthers(s.hosts[0]!, s.domain, d.unsigned[0]!));
        const highS = n - BigInt(sig.s);
        const vs = ((sig.yParity === 0 ? 1n : 0n) << 255n) | highS;
        const offers = [{ ...d.offers[0]!, vs: ethers.toBeHex(vs & ((1n << 256n) - 1n), 32) }, d.offers[1]!];
        // EIP-2098 keeps s in 255 bits: a high s at or above 2^255 can't even be written (it
        // becomes another signature); one below is refused by OpenZeppelin's check.
        const error = highS >= 1n << 255n ? "StorageOfferSignerMismatch" : "ECDSAInvalidSignatureS";
        await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, offers)).to.be.revertedWithCustomError(
          s.market,
          error,
        );
      });

      it("reverts with StorageDuplicateHost when one host signs two shards", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 3, minShards: 1 });
        const dup = { ...d.unsigned[2]!, host: s.hosts[0]!.address };
        const offers = [
          d.offers[0]!,
          d.offers[1]!,
          offerCalldata(dup, await signStorageOfferWithEthers(s.hosts[0]!, s.domain, dup)),
        ];
        const before = await ledger(s);
        await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, offers))
          .to.be.revertedWithCustomError(s.market, "StorageDuplicateHost")
          .withArgs(s.hosts[0]!.address);
        expect(await ledger(s)).to.deep.equal(before);
      });

      it("reverts with StorageDealExists when the same offers are replayed (same tenant and salt)", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 2, minShards: 1 });
        await s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers);
        const before = await ledger(s);
        await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers))
          .to.be.revertedWithCustomError(s.market, "StorageDealExists")
          .withArgs(d.dealId);
        expect(await ledger(s)).to.deep.equal(before);
      });

      it("reverts with the registry's errors for cancelled offers and short stake", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 2, minShards: 1 });
        await s.registry.connect(s.hosts[1]!).cancelOffers(1n);
        await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers)).to.be.revertedWithCustomError(
          s.registry,
          "RegistryOfferCancelled",
        );
        const big = await prepareDeal(s, { shardCount: 1, minShards: 1, collateral: 501n * UNIT });
        await expect(
          s.market.connect(s.tenant).openDeal(big.params, big.roots, big.offers),
        ).to.be.revertedWithCustomError(s.registry, "RegistryInsufficientFreeStake");
      });

      it("stops new deals while the vault is paused", async () => {
        const s = await networkHelpers.loadFixture(deployStorage);
        const d = await prepareDeal(s, { shardCount: 2, minShards: 1 });
        await s.vault.connect(s.owner).pause();
        await expect(s.market.connect(s.tenant).openDeal(d.params, d.roots, d.offers)).to.be.revertedWithCustomError(
          s.vault,
          "EnforcedPause",
        );
      });
    });
  });

  describe("challenges and proofs", () => {
    it("openChallenge: StorageDealNotFound, StorageWrongChallengeState when open; drawSeed: StorageSeedNotReady", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      await expect(s.market.openChallenge(123n)).to.be.revertedWithCustomError(s.market, "StorageDealNotFound");
      await expect(s.hosting.shardRecords(123n, []))
        .to.be.revertedWithCustomError(s.market, "StorageDealNotFound")
        .withArgs(123n);
      await s.market.openChallenge(d.dealId);
      await expect(s.market.openChallenge(d.dealId))
        .to.be.revertedWithCustomError(s.market, "StorageWrongChallengeState")
        .withArgs(d.dealId, 1);
      const c = await s.market.challenge(d.dealId);
      await expect(s.market.drawSeed(d.dealId))
        .to.be.revertedWithCustomError(s.market, "StorageSeedNotReady")
        .withArgs(c.seedBlock);
      // Once drawn, the seed is never drawn again (that would move the deadline and the segments).
      await networkHelpers.mine(CONFIG.seedDelay);
      await s.market.drawSeed(d.dealId);
      await expect(s.market.drawSeed(d.dealId))
        .to.be.revertedWithCustomError(s.market, "StorageWrongChallengeState")
        .withArgs(d.dealId, 2);
    });

    it("openChallenge reverts with StoragePeriodNotStarted before the next period", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, range(4));
      await settle(s, d.dealId);
      await expect(s.market.openChallenge(d.dealId)).to.be.revertedWithCustomError(s.market, "StoragePeriodNotStarted");
    });

    it("reopens (never decides on a zero hash) when the seed block is older than 256 blocks", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      await s.market.openChallenge(d.dealId);
      const old = (await s.market.challenge(d.dealId)).seedBlock;
      await networkHelpers.mine(300);
      await expect(s.market.drawSeed(d.dealId)).to.emit(s.market, "ChallengeOpened");
      const c = await s.market.challenge(d.dealId);
      expect(c.state).to.equal(1);
      expect(c.seedBlock).to.be.greaterThan(old + 256n);
      const p = proofFor(d, ethers.ZeroHash, 0);
      await expect(
        s.market.submitProof(d.dealId, 0, p.root, p.rootPath, p.segment, p.proof),
      ).to.be.revertedWithCustomError(s.market, "StorageSeedNotReady");
      await networkHelpers.mine(CONFIG.seedDelay);
      await s.market.drawSeed(d.dealId);
      expect((await s.market.challenge(d.dealId)).state).to.equal(2);
    });

    it("the first proof draws the seed; the seed and index match the SDK", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      await s.market.openChallenge(d.dealId);
      const c0 = await s.market.challenge(d.dealId);
      await networkHelpers.mine(CONFIG.seedDelay);
      const { challengeSeed } = await import("../../sdk/src/storage/challenge.js");
      const block = await ethers.provider.getBlock(Number(c0.seedBlock));
      const seed = challengeSeed(block!.hash!, d.dealId, 0);
      const p = proofFor(d, seed, 1);
      await expect(s.market.submitProof(d.dealId, 1, p.root, p.rootPath, p.segment, p.proof))
        .to.emit(s.market, "SeedDrawn")
        .withArgs(d.dealId, 0, seed, (x: bigint) => x > 0n);
      expect(await s.market.challengedSegments(d.dealId, 1)).to.deep.equal(p.indices);
      expect((await s.market.challenge(d.dealId)).provenMask).to.equal(2n);
    });

    it("rejects bad proofs with specific errors", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const seed = await openAndDraw(s, d.dealId);
      const p = proofFor(d, seed, 0);
      const m = s.market;
      await expect(m.submitProof(d.dealId, 7, p.root, p.rootPath, p.segment, p.proof))
        .to.be.revertedWithCustomError(m, "StorageShardOutOfRange")
        .withArgs(7, 4);
      await expect(m.submitProof(d.dealId, 0, p.root, p.rootPath, p.segment.subarray(1), p.proof))
        .to.be.revertedWithCustomError(m, "SegmentLengthMismatch")
        .withArgs(512, 511); // two segments of 256 bytes

      await expect(m.submitProof(d.dealId, 0, p.root, p.rootPath, p.segment, p.proof.slice(1)))
        .to.be.revertedWithCustomError(m, "SegmentProofDepthMismatch")
        .withArgs(8, 7); // two paths of depth 4
      await expect(m.submitProof(d.dealId, 0, p.root, p.rootPath.slice(1), p.segment, p.proof))
        .to.be.revertedWithCustomError(m, "SegmentProofDepthMismatch")
        .withArgs(2, 1);
      await expect(
        m.submitProof(d.dealId, 0, d.roots[1]!, p.rootPath, p.segment, p.proof),
      ).to.be.revertedWithCustomError(m, "StorageInvalidShardRoot");
      const wrong = new Uint8Array(p.segment);
      wrong[0] = wrong[0]! ^ 1;
      await expect(m.submitProof(d.dealId, 0, p.root, p.rootPath, wrong, p.proof))
        .to.be.revertedWithCustomError(m, "StorageInvalidProof")
        .withArgs(0, p.index);
      // A valid proof of another segment does not answer the challenge.
      const other = (p.index + 1) % 12;
      const { proveSegment, proofBlockRange } = await import("../../sdk/src/storage/merkle.js");
      const r = proofBlockRange(d.trees[0]!, other);
      const q = proveSegment(d.trees[0]!, other, d.shards[0]!.subarray(r.start, r.end));
      // Segment 0 answered with another valid segment and its path; segment 1 as challenged.
      const half = p.segment.length / 2;
      const swapped = Buffer.concat([q.segment, p.segment.subarray(half)]);
      const swappedProof = [...q.proof, ...p.proof.slice(p.proof.length / 2)];
      await expect(m.submitProof(d.dealId, 0, p.root, p.rootPath, swapped, swappedProof)).to.be.revertedWithCustomError(
        m,
        "StorageInvalidProof",
      );
      await m.submitProof(d.dealId, 0, p.root, p.rootPath, p.segment, p.proof);
      await expect(m.submitProof(d.dealId, 0, p.root, p.rootPath, p.segment, p.proof))
        .to.be.revertedWithCustomError(m, "StorageAlreadyProven")
        .withArgs(0);
      const c = await m.challenge(d.dealId);
      await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
      const p1 = proofFor(d, seed, 1);
      await expect(
        m.submitProof(d.dealId, 1, p1.root, p1.rootPath, p1.segment, p1.proof),
      ).to.be.revertedWithCustomError(m, "StorageChallengeExpired");
    });

    it("submitProofs checks the roots once, skips proven shards, reverts on a bad one", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const seed = await openAndDraw(s, d.dealId);
      const batch = range(4).map((i) => ({
        shard: i,
        segment: proofFor(d, seed, i).segment,
        proof: proofFor(d, seed, i).proof,
      }));
      await expect(s.market.submitProofs(d.dealId, d.roots.slice(1), batch)).to.be.revertedWithCustomError(
        s.market,
        "StorageLengthMismatch",
      );
      await expect(
        s.market.submitProofs(d.dealId, [d.roots[1]!, d.roots[0]!, d.roots[2]!, d.roots[3]!], batch),
      ).to.be.revertedWithCustomError(s.market, "StorageInvalidShardRoot");
      await s.market.submitProofs(d.dealId, d.roots, batch.slice(0, 2));
      await expect(s.market.submitProofs(d.dealId, d.roots, batch))
        .to.emit(s.market, "ProofsAccepted")
        .withArgs(d.dealId, 0, 15n);
    });

    it("settle: StorageChallengeNotExpired before the deadline, StorageStaleRecords for wrong records, once per challenge", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      await openAndDraw(s, d.dealId);
      const records = await recordsOf(s, d.dealId);
      await expect(s.market.settle(d.dealId, records)).to.be.revertedWithCustomError(
        s.market,
        "StorageChallengeNotExpired",
      );
      const c = await s.market.challenge(d.dealId);
      // At the deadline itself proofs are still due.
      await networkHelpers.time.setNextBlockTimestamp(c.deadline);
      await expect(s.market.settle(d.dealId, records))
        .to.be.revertedWithCustomError(s.market, "StorageChallengeNotExpired")
        .withArgs(c.deadline);
      await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
      const forged = [...records];
      forged[1] = forged[1]! + 1n;
      await expect(s.market.settle(d.dealId, forged))
        .to.be.revertedWithCustomError(s.market, "StorageStaleRecords")
        .withArgs(d.dealId);
      await expect(s.market.settle(d.dealId, records.slice(2))).to.be.revertedWithCustomError(
        s.market,
        "StorageStaleRecords",
      );
      await s.market.settle(d.dealId, records);
      await expect(s.market.settle(d.dealId, await recordsOf(s, d.dealId))).to.be.revertedWithCustomError(
        s.market,
        "StorageWrongChallengeState",
      );
    });

    it("loses the deal below minShards and refunds the tenant everything but earned pay", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const tenant0 = await s.vault.balanceOf(s.tenant.address);
      for (let p = 0; p < CONFIG.missesToLose; p++) {
        const seed = await openAndDraw(s, d.dealId);
        await proveShards(s, d, seed, [0]); // only shard 0 answers; minShards is 2
        await settle(s, d.dealId);
      }
      const deal = await s.market.deal(d.dealId);
      expect(deal.status).to.equal(3);
      expect(await s.vault.heldBy(await s.market.getAddress())).to.equal(0n);
      // Host 0 earned 3 periods in full; the other 3 lost 3 × 10% of 10 BTT each, all to the tenant.
      expect(await s.vault.balanceOf(s.tenant.address)).to.equal(
        tenant0 + 16n * UNIT - 3n * UNIT + 9n * (UNIT / 10n) * 10n,
      );
      await expect(s.market.openChallenge(d.dealId))
        .to.be.revertedWithCustomError(s.market, "StorageDealNotActive")
        .withArgs(d.dealId, 3);
    });
  });

  describe("hosting: claim, repair, exit, finalize", () => {
    it("finalizeDeal reverts with StorageDealNotOver before the last period", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      await expect(s.market.finalizeDeal(d.dealId, await recordsOf(s, d.dealId)))
        .to.be.revertedWithCustomError(s.market, "StorageDealNotOver")
        .withArgs(d.dealId, 0, 4);
    });

    it("repairShard reverts with StorageWrongShardState for a live shard; exitShard with StorageNotShardHost for others", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const offer = await handoverOffer(s, d, 0, 1, s.hosts[10]!);
      const rp = proofFor(d, ethers.ZeroHash, 0).rootPath;
      const records = await recordsOf(s, d.dealId);
      await expect(s.hosting.connect(s.tenant).repairShard(d.dealId, records, 0, d.roots[0]!, rp, offer, TENANT_REPAIR))
        .to.be.revertedWithCustomError(s.market, "StorageWrongShardState")
        .withArgs(0, false);
      await expect(s.hosting.connect(s.hosts[1]!).exitShard(d.dealId, records, 0, d.roots[0]!, rp, offer))
        .to.be.revertedWithCustomError(s.market, "StorageNotShardHost")
        .withArgs(0, s.hosts[0]!.address);
      await expect(
        s.hosting.connect(s.hosts[0]!).exitShard(d.dealId, records, 0, d.roots[1]!, rp, offer),
      ).to.be.revertedWithCustomError(s.market, "StorageInvalidShardRoot");
    });

    it("exitShard rejects a replacement that is already a host, asks more, or replays a generation", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const rp = proofFor(d, ethers.ZeroHash, 0).rootPath;
      const records = await recordsOf(s, d.dealId);
      const exit = (offer: Awaited<ReturnType<typeof handoverOffer>>) =>
        s.hosting.connect(s.hosts[0]!).exitShard(d.dealId, records, 0, d.roots[0]!, rp, offer);
      await expect(exit(await handoverOffer(s, d, 0, 1, s.hosts[1]!))).to.be.revertedWithCustomError(
        s.market,
        "StorageDuplicateHost",
      );
      await expect(exit(await handoverOffer(s, d, 0, 1, s.hosts[10]!, { price: 2n * UNIT })))
        .to.be.revertedWithCustomError(s.market, "StorageInvalidPrice")
        .withArgs(2n * UNIT, UNIT);
      await expect(exit(await handoverOffer(s, d, 0, 0, s.hosts[10]!))).to.be.revertedWithCustomError(
        s.market,
        "StorageOfferSignerMismatch",
      );
      const ok = await handoverOffer(s, d, 0, 1, s.hosts[10]!);
      await expect(exit(ok))
        .to.emit(s.market, "ShardReassigned")
        .withArgs(d.dealId, 0, s.hosts[0]!.address, s.hosts[10]!.address, 1, false);
      // The same offer can't be used again: the generation moved on to 1, offers now need 2.
      await expect(
        s.hosting.connect(s.hosts[10]!).exitShard(d.dealId, await recordsOf(s, d.dealId), 0, d.roots[0]!, rp, ok),
      ).to.be.revertedWithCustomError(s.market, "StorageOfferSignerMismatch");
    });

    it("claim pays only the non-withheld part, once", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const seed = await openAndDraw(s, d.dealId);
      await proveShards(s, d, seed, range(4));
      await settle(s, d.dealId);
      const before = await s.vault.balanceOf(s.hosts[2]!.address);
      const others = await s.vault.balanceOf(s.hosts[1]!.address);
      await s.hosting.claim(d.dealId, await recordsOf(s, d.dealId), 0b100n);
      expect(await s.vault.balanceOf(s.hosts[2]!.address)).to.equal(before + (UNIT * 8n) / 10n);
      expect(await s.vault.balanceOf(s.hosts[1]!.address)).to.equal(others); // not in the mask
      await s.hosting.claim(d.dealId, await recordsOf(s, d.dealId), 0b100n);
      expect(await s.vault.balanceOf(s.hosts[2]!.address)).to.equal(before + (UNIT * 8n) / 10n);
    });

    it("the hosting code body refuses direct calls", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const body = await ethers.getContractAt("IStorageHosting", await s.market.hosting());
      await expect(body.claim(d.dealId, [], 1n)).to.be.revertedWithCustomError(body, "StorageHostingDirectCall");
    });

    it("records round-trip through the SDK packer", async () => {
      const { s, d } = await networkHelpers.loadFixture(openFixture);
      const words = await recordsOf(s, d.dealId);
      expect(packShardRecords(unpackShardRecords(words))).to.deep.equal(words);
      expect((await s.market.deal(d.dealId)).shardsHash).to.equal(
        (await import("../../sdk/src/storage/records.js")).shardRecordsHash(words),
      );
    });
  });
});
