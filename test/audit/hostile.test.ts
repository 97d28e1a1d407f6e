// Hostile environments on every entry point that moves tokens or calls out, across the markets'
// flows: odd tokens (USDT-like, no return value, re-entrant, fee-on-transfer, sender-side fee,
// transfer hooks), accounts that are contracts refusing tokens, and griefers who spend energy to
// hurt others.
// Only the vault calls the token (deposit, withdraw); markets move internal balances, so a hostile
// token or recipient can at worst block its own withdrawals, never another account's.
import { expect } from "chai";
import type { Signer } from "ethers";
import hre from "hardhat";
import { receipt } from "../speed/fixtures.js";
import {
  ethers,
  handoverOffer,
  networkHelpers,
  openAndDraw,
  prepareDeal,
  proofFor,
  proveShards,
  recordsOf,
  settle,
  UNIT,
} from "../storage/fixtures.js";
import { type Deployed, deployOver, internalTotal, type TokenName } from "./tokens.js";

const { time } = networkHelpers;
const MIB = 1n << 20n;
const V2 = "0x2a7b3c1d9e8f00112233445566778899aabbccddeeff00112233445566778899";
const PRICE = UNIT / 100n;

/** Every account of a deployment that can hold a free vault balance. */
function accountsOf(x: Deployed, extra: string[] = []) {
  return [x.s.tenant.address, x.downloader.address, x.seeder.address, ...x.hosts.map((h) => h.address), ...extra];
}

/** Opens a 4-shard deal (2 needed, 2 periods), proves shards 0-2 each period (shard 3 misses), finalizes. */
async function runDeal(x: Deployed, tenant: Signer = x.s.tenant) {
  const d = await prepareDeal(x.s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 2 });
  await x.market.connect(tenant).openDeal(d.params, d.roots, d.offers);
  for (let period = 0; period < 2; period++) {
    const seed = await openAndDraw(x.s, d.dealId);
    await proveShards(x.s, d, seed, [0, 1, 2]);
    await settle(x.s, d.dealId);
  }
  await x.market.finalizeDeal(d.dealId, await recordsOf(x.s, d.dealId));
  return d;
}

/** Opens a bid, redeems 10 MiB for `seeder`, claims, closes and refunds after the grace period. */
async function runBid(x: Deployed, seeder = x.seeder.address) {
  const expiry = BigInt(await time.latest()) + 86_400n;
  await x.speed.connect(x.downloader).openBid(V2, 2, PRICE, 10n * UNIT, expiry, 3_600n);
  const bidId = (await x.speed.nextBidId()) - 1n;
  await x.speed.redeem(await receipt(x.downloader, x.speedDomain, bidId, seeder, 10n * MIB));
  await x.speed.claim(seeder, [bidId]);
  await x.speed.connect(x.downloader).closeBid(bidId);
  await time.increase(3_601);
  await x.speed.refundBid(bidId);
  return bidId;
}

/** Withdraws every free balance in full and checks each wallet got exactly that. */
async function withdrawAll(x: Deployed, signers: Signer[]) {
  for (const who of signers) {
    const a = await who.getAddress();
    const free = await x.vault.balanceOf(a);
    if (free === 0n) continue;
    const before = await x.token.balanceOf(a);
    await x.vault.connect(who).withdraw(free);
    expect(await x.token.balanceOf(a)).to.equal(before + free);
  }
}

describe("Hostile environments", () => {
  describe("tokens through the markets' flows", () => {
    for (const name of [
      "TestBTT",
      "MockUSDTLike",
      "MockUSDTStorage",
      "MockNoReturnToken",
      "MockReentrantToken",
      "MockHookToken",
      "MockSenderFeeToken",
    ] as TokenName[]) {
      it(`${name}: a deal and a bid settle exactly, invariant 1 holds, and every free balance withdraws in full`, async () => {
        const x = await deployOver(name);
        await runDeal(x);
        await runBid(x);
        const accounts = accountsOf(x);
        expect(await x.token.balanceOf(await x.vault.getAddress())).to.equal(await internalTotal(x, accounts));
        // Hosts 0-2 earned 2 periods of 1 BTT; host 3 missed both and lost nothing beyond slashes.
        expect(await x.vault.heldBy(x.s.marketAddress)).to.equal(0n);
        expect(await x.vault.heldBy(x.speedAddress)).to.equal(0n);
        await withdrawAll(x, [x.s.tenant, x.downloader, x.seeder, ...x.hosts]);
        // What is left in the vault is exactly the hosts' stake in the registry's pool.
        expect(await x.token.balanceOf(await x.vault.getAddress())).to.equal(
          await x.vault.heldBy(await x.registry.getAddress()),
        );
      });
    }

    it("fee-on-transfer: refused at deposit; a fee switched on later blocks withdrawals (TokenPushShortfall) but loses nothing, and markets keep working", async () => {
      const x = await deployOver("MockFeeOnTransferToken");
      await x.token.setFeeBps(100);
      await x.token.mint(x.seeder.address, UNIT);
      await x.token.connect(x.seeder).approve(await x.vault.getAddress(), UNIT);
      await expect(x.vault.connect(x.seeder).deposit(UNIT)).to.be.revertedWithCustomError(
        x.vault,
        "VaultFeeOnTransferToken",
      );
      // Internal flows do not touch the token.
      await runBid(x);
      const free = await x.vault.balanceOf(x.seeder.address);
      expect(free).to.equal(10n * PRICE);
      await expect(x.vault.connect(x.seeder).withdraw(free)).to.be.revertedWithCustomError(
        x.vault,
        "TokenPushShortfall",
      );
      expect(await x.vault.balanceOf(x.seeder.address)).to.equal(free);
      await x.token.setFeeBps(0);
      await withdrawAll(x, [x.seeder, x.downloader]);
    });

    it("sender-side fee: refused at deposit (TokenPullOvercharged); a fee switched on later blocks withdrawals (TokenPushOvercharged) but loses nothing, and markets keep working", async () => {
      const x = await deployOver("MockSenderFeeToken");
      await x.token.setFeeBps(100);
      await x.token.mint(x.seeder.address, 2n * UNIT);
      await x.token.connect(x.seeder).approve(await x.vault.getAddress(), UNIT);
      await expect(x.vault.connect(x.seeder).deposit(UNIT))
        .to.be.revertedWithCustomError(x.vault, "TokenPullOvercharged")
        .withArgs(await x.token.getAddress(), x.seeder.address, UNIT, UNIT + UNIT / 100n);
      // Internal flows do not touch the token.
      await runBid(x);
      const free = await x.vault.balanceOf(x.seeder.address);
      expect(free).to.equal(10n * PRICE);
      await expect(x.vault.connect(x.seeder).withdraw(free))
        .to.be.revertedWithCustomError(x.vault, "TokenPushOvercharged")
        .withArgs(await x.token.getAddress(), free, free + free / 100n);
      expect(await x.vault.balanceOf(x.seeder.address)).to.equal(free);
      const accounts = accountsOf(x);
      expect(await x.token.balanceOf(await x.vault.getAddress())).to.equal(await internalTotal(x, accounts));
      await x.token.setFeeBps(0);
      await withdrawAll(x, [x.seeder, x.downloader]);
    });

    it("re-entrant token: a hook re-entering the vault's withdraw or deposit is refused (ReentrancyGuardReentrantCall)", async () => {
      const x = await deployOver("MockReentrantToken");
      const vault = await x.vault.getAddress();
      await runBid(x);
      for (const payload of [
        x.vault.interface.encodeFunctionData("withdraw", [1n]),
        x.vault.interface.encodeFunctionData("deposit", [1n]),
      ]) {
        await x.token.arm(vault, payload);
        await expect(x.vault.connect(x.seeder).withdraw(1n)).to.be.revertedWithCustomError(
          x.vault,
          "ReentrancyGuardReentrantCall",
        );
      }
    });

    it("re-entrant token: a hook re-entering a market during a withdraw (claim for a seeder) runs, and invariant 1 still holds", async () => {
      const x = await deployOver("MockReentrantToken");
      const expiry = BigInt(await time.latest()) + 86_400n;
      await x.speed.connect(x.downloader).openBid(V2, 2, PRICE, 10n * UNIT, expiry, 3_600n);
      await x.speed.redeem(await receipt(x.downloader, x.speedDomain, 1n, x.seeder.address, 10n * MIB));
      // The downloader withdraws; the token's hook claims the seeder's earnings in the middle.
      await x.token.arm(x.speedAddress, x.speed.interface.encodeFunctionData("claim", [x.seeder.address, [1n]]));
      const before = await x.token.balanceOf(x.downloader.address);
      await x.vault.connect(x.downloader).withdraw(UNIT);
      expect(await x.token.balanceOf(x.downloader.address)).to.equal(before + UNIT);
      expect(await x.vault.balanceOf(x.seeder.address)).to.equal(10n * PRICE);
      expect(await x.token.balanceOf(await x.vault.getAddress())).to.equal(await internalTotal(x, accountsOf(x)));
      await x.token.arm(ethers.ZeroAddress, "0x");
      await withdrawAll(x, [x.seeder, x.downloader]);
    });
  });

  describe("accounts that are contracts refusing tokens", () => {
    async function contractAccount(operator: Signer) {
      const account = await ethers.deployContract("MockContractAccount", [], operator);
      const address = await account.getAddress();
      const call = (
        target: { getAddress(): Promise<string>; interface: { encodeFunctionData(f: string, a: unknown[]): string } },
        fn: string,
        args: unknown[],
      ) => target.getAddress().then((to) => account.exec(to, target.interface.encodeFunctionData(fn, args)));
      return { account, address, call };
    }

    it("a seeder contract is paid into its vault balance; only its own withdraw fails, withdrawTo works, and nobody else is held up", async () => {
      const x = await deployOver("MockHookToken");
      const c = await contractAccount(x.seeder);
      await c.account.setRefuse(true);
      await runBid(x, c.address);
      const earned = await x.vault.balanceOf(c.address);
      expect(earned).to.equal(10n * PRICE);
      await expect(c.call(x.vault, "withdraw", [earned])).to.be.revertedWithCustomError(
        c.account,
        "ContractAccountRefuses",
      );
      expect(await x.vault.balanceOf(c.address)).to.equal(earned);
      // Everyone else, including a deal's hosts and tenant, withdraws in full.
      await runDeal(x);
      await withdrawAll(x, [x.s.tenant, x.downloader, ...x.hosts]);
      // The contract can send its balance to another wallet.
      await c.call(x.vault, "withdrawTo", [x.seeder.address, earned]);
      expect(await x.token.balanceOf(x.seeder.address)).to.equal(earned);
    });

    it("a tenant contract refusing tokens: its deal opens, settles and refunds into its vault balance; hosts are paid and withdraw", async () => {
      const x = await deployOver("MockHookToken");
      const c = await contractAccount(x.s.tenant);
      // Fund the contract's vault balance from the tenant (depositFor), approve the market, refuse tokens.
      await x.token.mint(x.s.tenant.address, 1_000n * UNIT);
      await x.token.connect(x.s.tenant).approve(await x.vault.getAddress(), 1_000n * UNIT);
      await x.vault.connect(x.s.tenant).depositFor(c.address, 1_000n * UNIT);
      await c.call(x.vault, "setMarketApproval", [x.s.marketAddress, true]);
      await c.account.setRefuse(true);
      const d = await prepareDeal({ ...x.s, tenant: { address: c.address } } as typeof x.s, {
        shardCount: 4,
        minShards: 2,
        shardSize: 512,
        segmentSize: 256,
        periods: 1,
      });
      await c.call(x.market, "openDeal", [d.params, d.roots, d.offers]);
      const seed = await openAndDraw(x.s, d.dealId);
      await proveShards(x.s, d, seed, [0, 1, 2, 3]);
      await settle(x.s, d.dealId);
      await x.market.finalizeDeal(d.dealId, await recordsOf(x.s, d.dealId));
      expect(await x.vault.balanceOf(c.address)).to.equal(1_000n * UNIT - 4n * UNIT);
      await expect(c.call(x.vault, "withdraw", [1n])).to.be.revertedWithCustomError(
        c.account,
        "ContractAccountRefuses",
      );
      await withdrawAll(x, x.hosts);
    });
  });

  describe("griefing: energy spent by one actor to hurt others", () => {
    it("spam bids on an infohash: redeeming the honest bid costs the same, paging and pruning are bounded by maxSteps", async () => {
      const x = await deployOver("TestBTT", 1);
      const expiry = BigInt(await time.latest()) + 10n * 86_400n;
      await x.speed.connect(x.downloader).openBid(V2, 2, PRICE, 100n * UNIT, expiry, 3_600n);
      // Execution gas only: the signature's zero bytes make calldata cost vary by a few gas.
      const redeemGas = async (bytes: bigint) => {
        const tx = await x.speed.redeem(await receipt(x.downloader, x.speedDomain, 1n, x.seeder.address, bytes));
        const calldata = ethers.getBytes(tx.data).reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
        return (await tx.wait())!.gasUsed - 21_000n - calldata;
      };
      await redeemGas(MIB);
      const before = await redeemGas(2n * MIB);
      // The griefer (the relayer signer) opens 40 one-unit bids that expire in an hour.
      const griefer = x.relayer;
      await x.fund(griefer, 100n);
      await x.vault.connect(griefer).setMarketApproval(x.speedAddress, true);
      const soon = BigInt(await time.latest()) + 3_600n;
      let spamGas = 0n;
      for (let i = 0; i < 40; i++) {
        spamGas += (await (await x.speed.connect(griefer).openBid(V2, 2, 1n, 1n, soon, 3_600n)).wait())!.gasUsed;
      }
      // Each spam bid costs the griefer a commitment and ~100k energy of its own.
      expect(spamGas / 40n).to.be.greaterThan(80_000n);
      // (Under coverage the instrumented code's gas is not comparable.)
      if (!hre.globalOptions.coverage) expect(await redeemGas(3n * MIB)).to.equal(before);
      // A page reads at most maxSteps bids; the honest bid is found by paging on.
      let cursor = 0n;
      const found: bigint[] = [];
      let pages = 0;
      do {
        const [ids, next] = await x.speed.openBids(V2, 2, cursor, 10n);
        expect(ids.length).to.be.at.most(10);
        found.push(...ids);
        cursor = next;
        pages++;
      } while (cursor !== 0n);
      expect(pages).to.equal(5);
      expect(found).to.include(1n);
      // Pruning the expired spam is bounded per call, and anyone can do it.
      await time.increase(3_601);
      const pruneGas = await x.speed.connect(x.seeder).pruneBids.estimateGas(V2, 2, 10n);
      expect(pruneGas).to.be.lessThan(100_000n);
      for (let i = 0; i < 4; i++) await x.speed.connect(x.seeder).pruneBids(V2, 2, 10n);
      const [ids, next] = await x.speed.openBids(V2, 2, 0n, 10n);
      expect([...ids, next]).to.deep.equal([1n, 0n]);
    });

    it("challenges: one per deal at a time; reopening, early draws, duplicate proofs and early settles revert; a stranger cannot make a host miss", async () => {
      const x = await deployOver("TestBTT", 4);
      const d = await prepareDeal(x.s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 2 });
      await x.market.connect(x.s.tenant).openDeal(d.params, d.roots, d.offers);
      const griefer = x.s.stranger;
      await x.market.connect(griefer).openChallenge(d.dealId);
      await expect(x.market.connect(griefer).openChallenge(d.dealId)).to.be.revertedWithCustomError(
        x.market,
        "StorageWrongChallengeState",
      );
      await expect(x.market.connect(griefer).drawSeed(d.dealId)).to.be.revertedWithCustomError(
        x.market,
        "StorageSeedNotReady",
      );
      // Waiting out the blockhash window does not decide the challenge on a zero hash: it reopens.
      await networkHelpers.mine(300);
      await expect(x.market.connect(griefer).drawSeed(d.dealId)).to.emit(x.market, "ChallengeOpened");
      expect((await x.market.challenge(d.dealId)).state).to.equal(1n);
      await networkHelpers.mine(3);
      await x.market.connect(griefer).drawSeed(d.dealId);
      const c = await x.market.challenge(d.dealId);
      // The response window runs from the draw, whoever opened the challenge.
      expect(c.deadline).to.equal(BigInt(await time.latest()) + 3_600n);
      const p = proofFor(d, c.seed, 0);
      await x.market.submitProof(d.dealId, 0, p.root, p.rootPath, p.segment, p.proof);
      await expect(x.market.connect(griefer).submitProof(d.dealId, 0, p.root, p.rootPath, p.segment, p.proof))
        .to.be.revertedWithCustomError(x.market, "StorageAlreadyProven")
        .withArgs(0);
      await expect(
        x.market.connect(griefer).settle(d.dealId, await recordsOf(x.s, d.dealId)),
      ).to.be.revertedWithCustomError(x.market, "StorageChallengeNotExpired");
      await proveShards(x.s, d, c.seed, [1, 2, 3]);
      await settle(x.s, d.dealId);
      const track = await x.registry.trackRecordOf(x.hosts[0]!.address);
      expect(track.proofsMissed).to.equal(0n);
      const records = await recordsOf(x.s, d.dealId);
      expect(records.length).to.equal(8);
    });

    it("deals are capped at 64 shards (StorageTooManyShards), which bounds settle, claim and finalize loops", async () => {
      const x = await deployOver("TestBTT", 1);
      const roots = Array.from({ length: 65 }, (_, i) => ethers.zeroPadValue(ethers.toBeHex(i + 1), 32));
      const offer = { hostExpiryNonce: 0n, terms: 0n, r: ethers.ZeroHash, vs: ethers.ZeroHash };
      const params = {
        salt: ethers.ZeroHash,
        shardSize: 256n,
        segmentSize: 256,
        periods: 1,
        periodLength: 86_400,
        minShards: 1,
        segmentsPerPeriod: 1,
      };
      await expect(
        x.market.connect(x.s.tenant).openDeal(
          params,
          roots,
          roots.map(() => offer),
        ),
      )
        .to.be.revertedWithCustomError(x.market, "StorageTooManyShards")
        .withArgs(65, 64);
      // 64 is allowed: the call goes on to check the (here expired) offers.
      await expect(
        x.market.connect(x.s.tenant).openDeal(
          params,
          roots.slice(1),
          roots.slice(1).map(() => offer),
        ),
      )
        .to.be.revertedWithCustomError(x.market, "StorageOfferExpired")
        .withArgs(0, 0);
    });

    it("a host cannot be griefed out of a shard by a replayed or stale exit offer", async () => {
      const x = await deployOver("TestBTT", 6);
      const d = await prepareDeal(x.s, { shardCount: 4, minShards: 2, shardSize: 512, segmentSize: 256, periods: 2 });
      await x.market.connect(x.s.tenant).openDeal(d.params, d.roots, d.offers);
      const offer = await handoverOffer(x.s, d, 0, 1, x.hosts[4]!);
      const rp = proofFor(d, ethers.ZeroHash, 0).rootPath;
      // Only the shard's host can hand it over.
      await expect(
        x.hosting.connect(x.s.stranger).exitShard(d.dealId, await recordsOf(x.s, d.dealId), 0, d.roots[0]!, rp, offer),
      ).to.be.revertedWithCustomError(x.market, "StorageNotShardHost");
      await x.hosting
        .connect(x.hosts[0]!)
        .exitShard(d.dealId, await recordsOf(x.s, d.dealId), 0, d.roots[0]!, rp, offer);
      // The same offer (generation 1) cannot be replayed to move the shard again.
      await expect(
        x.hosting.connect(x.hosts[4]!).exitShard(d.dealId, await recordsOf(x.s, d.dealId), 0, d.roots[0]!, rp, offer),
      ).to.be.revertedWithCustomError(x.market, "StorageOfferSignerMismatch");
    });
  });
});
