/**
 * The speed client and every speed action, run by speed-client.ethers.test.ts and
 * speed-client.tronweb.test.ts against the same contracts through the SDK alone: deposit ->
 * approve -> openBid -> the downloader signs receipts -> the seeder redeems one and a batch ->
 * close -> grace -> refund -> claim -> withdraw, with the preflight checks, decoded reverts and
 * bad input along the way.
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { type Hex20, toBase58 } from "../../sdk/src/address.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { writeAndWait } from "../../sdk/src/contract.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import {
  BttkitError,
  DeploymentNotFoundError,
  InvalidAddressError,
  InvalidAmountError,
  InvalidArgumentError,
  NetworkMismatchError,
  PreflightError,
} from "../../sdk/src/errors.js";
import { escrowVaultAbi } from "../../sdk/src/generated/abi/index.js";
import { ContractRevertError } from "../../sdk/src/revert.js";
import {
  bid,
  claim,
  claimRelayFees,
  closeBid,
  createSpeedClient,
  earnings,
  ensureMarketApproval,
  MIB,
  openBid,
  openBids,
  owed,
  payOwed,
  type ReceiptSigner,
  type RelayFee,
  receiptFromJson,
  receiptToJson,
  redeem,
  redeemBatch,
  redeemRelayed,
  refundBid,
  type SignedReceipt,
  type SignedRelayFee,
  type SpeedClient,
  signReceipt,
  signRelayFee,
  topUp,
} from "../../sdk/src/speed/index.js";
import { approveToken, balanceOf, deposit, withdraw } from "../../sdk/src/vault/index.js";
import type { VaultEnv } from "./backend-env.js";
import { rejectsWith } from "./expect-error.js";
import { HOUR, type SpeedEnv, withSpeedMarket } from "./speed-env.js";

const V1 = "c9e15763f722f23e98a29decdfae341b98d53056";
const MAGNET = `magnet:?xt=urn:btih:${V1}&dn=ubuntu`;
const V2 = `0x${"2a7b3c1d9e8f0011".repeat(4)}` as const;
const PRICE = 1_000n; // per MiB

export function runSpeedSuite(name: string, makeEnv: () => Promise<VaultEnv>) {
  describe(`speed client over ${name}`, function () {
    this.timeout(180_000);
    let env: SpeedEnv;
    /** downloader [1], seeder [2], relayer (also a second seeder) [3], stranger [4] */
    let downloader: SpeedClient;
    let seeder: SpeedClient;
    let relayer: SpeedClient;
    let stranger: SpeedClient;
    let reader: SpeedClient;
    let A: { downloader: Hex20; seeder: Hex20; relayer: Hex20; stranger: Hex20 };
    let signerOf: (i: number) => ReceiptSigner;
    let bidId: bigint;

    const clientFor = async (backend: Backend) => {
      const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
      return createSpeedClient({ backend, deployment, timeoutMs: 20_000 });
    };
    const sign = (i: number, bidId: bigint, seederAddress: string, cumulativeBytes: bigint) =>
      signReceipt(downloader, { signer: signerOf(i), bidId, seeder: seederAddress, cumulativeBytes });
    // The seeder's backend signs (Backend.signTypedData), as a wallet would.
    const signRelay = (i: number, relay: RelayFee): Promise<SignedRelayFee> =>
      signRelayFee(downloader, { ...relay, signer: env.backends[i] as Backend });

    before(async () => {
      env = await withSpeedMarket(await makeEnv());
      [downloader, seeder, relayer, stranger] = await Promise.all(env.backends.slice(1, 5).map(clientFor));
      reader = await clientFor(env.readOnly);
      A = {
        downloader: env.addresses[1]!,
        seeder: env.addresses[2]!,
        relayer: env.addresses[3]!,
        stranger: env.addresses[4]!,
      };
      signerOf = (i) => env.typedDataSigners[i] as ReceiptSigner;
      await env.mint(A.downloader, 100_000n);
    });
    after(async () => {
      await env?.stop();
    });

    describe("createSpeedClient", () => {
      it("binds the market and its vault, and reads the TIP-712 domain from the contract", async () => {
        expect(downloader.market.address).to.equal(env.market);
        expect(downloader.vault.vault.address).to.equal(env.vault);
        expect(downloader.domain).to.deep.equal({
          name: "bttkit SpeedMarket",
          version: "1",
          chainId: env.chainId,
          verifyingContract: env.market,
        });
      });
      it("accepts the market's address and a vault client, and rejects another vault", async () => {
        const byAddress = await createSpeedClient({
          backend: env.readOnly,
          address: toBase58(env.market) as `T${string}`,
        });
        expect(byAddress.market.address).to.equal(env.market);
        const withVault = await createSpeedClient({ backend: env.readOnly, address: env.market, vault: reader.vault });
        expect(withVault.vault).to.equal(reader.vault);
        await rejectsWith(
          () => createSpeedClient({ backend: env.readOnly, address: env.market, vault: env.token }),
          BttkitError,
        );
      });
      it("rejects another chain, a deployment without SpeedMarket, a non-market and bad parameters", async () => {
        const other = await memoryDeployments({ m: { ...env.deploymentFile, network: "m", chainId: 728126428 } }).load(
          "m",
        );
        await rejectsWith(() => createSpeedClient({ backend: env.readOnly, deployment: other }), NetworkMismatchError);
        const bare = await memoryDeployments({ x: { ...env.deploymentFile, network: "x", contracts: {} } }).load("x");
        await rejectsWith(
          () => createSpeedClient({ backend: env.readOnly, deployment: bare }),
          DeploymentNotFoundError,
        );
        await rejectsWith(() => createSpeedClient({ backend: env.readOnly, address: env.vault }), BttkitError);
        await rejectsWith(() => createSpeedClient(null as never), InvalidArgumentError);
        await rejectsWith(() => createSpeedClient({ backend: env.readOnly }), InvalidArgumentError);
        await rejectsWith(
          () => createSpeedClient({ backend: env.readOnly, address: "T1" as `T${string}` }),
          InvalidAddressError,
        );
      });
    });

    describe("full flow", () => {
      it("deposits into the vault", async () => {
        await approveToken(downloader.vault, { amount: 50_000n });
        expect((await deposit(downloader.vault, { amount: 50_000n })).credited).to.equal(50_000n);
      });

      it("openBid fails the preflight with market-approval until the market is approved", async () => {
        const expiry = (await env.now()) + 2n * HOUR;
        const error = await rejectsWith(
          () => openBid(downloader, { infohash: MAGNET, pricePerMiB: PRICE, budget: 10_000n, expiry }),
          PreflightError,
        );
        expect(error.check).to.equal("market-approval");
        const first = await ensureMarketApproval(downloader);
        expect(first.alreadyApproved).to.equal(false);
        expect(first.approval?.receipt.status).to.equal("success");
        expect((await ensureMarketApproval(downloader)).alreadyApproved).to.equal(true);
      });

      it("openBid on a magnet link commits the budget and returns the bid", async () => {
        const expiry = (await env.now()) + 2n * HOUR;
        const result = await openBid(downloader, { infohash: MAGNET, pricePerMiB: PRICE, budget: 10_000n, expiry });
        bidId = result.bidId;
        expect(result.infohash).to.deep.equal({ infohash: `0x${V1}${"0".repeat(24)}`, version: 1 });
        expect(result.grace).to.equal(HOUR);
        expect(await balanceOf(downloader.vault)).to.equal(40_000n);
        const info = await bid(reader, { bidId });
        expect(info).to.include({
          bidId,
          downloader: A.downloader,
          pricePerMiB: PRICE,
          remaining: 10_000n,
          version: 1,
        });
        expect(info?.status).to.equal("open");
        expect(info?.expiry).to.equal(expiry);
        expect(info?.redeemableUntil).to.equal(expiry + HOUR);
        expect(await bid(reader, { bidId: 999n })).to.equal(undefined);
      });

      it("openBid checks the vault balance and the expiry before sending", async () => {
        const expiry = (await env.now()) + HOUR;
        const short = await rejectsWith(
          () => openBid(downloader, { infohash: V2, pricePerMiB: 1n, budget: 40_001n, expiry }),
          PreflightError,
        );
        expect(short.check).to.equal("vault-balance");
        expect(short.available).to.equal(40_000n);
        const past = await rejectsWith(
          () => openBid(downloader, { infohash: V2, pricePerMiB: 1n, budget: 1n, expiry: 1_000n }),
          PreflightError,
        );
        expect(past.check).to.equal("expiry-not-future");
      });

      it("without preflight, a past expiry reverts with SpeedInvalidExpiry(expiry)", async () => {
        const error = await rejectsWith(
          () => openBid(downloader, { infohash: V2, pricePerMiB: 1n, budget: 1n, expiry: 1_000n, skipPreflight: true }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("SpeedInvalidExpiry");
        expect(error.args).to.deep.equal({ expiry: 1_000n });
      });

      it("a grace outside the bounds reverts with SpeedInvalidGrace(grace, min, max)", async () => {
        const expiry = (await env.now()) + HOUR;
        const error = await rejectsWith(
          () => openBid(downloader, { infohash: V2, pricePerMiB: 1n, budget: 1n, expiry, grace: 5n }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("SpeedInvalidGrace");
        expect(error.args).to.deep.equal({ grace: 5n, min: HOUR, max: 30n * 86_400n });
        expect(error.code).to.equal("CONTRACT_REVERT");
      });

      it("openBids lists the open bids on an infohash, best price first, across pages", async () => {
        const expiry = (await env.now()) + 2n * HOUR;
        const { bidId: better } = await openBid(downloader, {
          infohash: { infohash: `0x${V1}${"0".repeat(24)}`, version: 1 },
          pricePerMiB: 2n * PRICE,
          budget: 1_000n,
          expiry,
        });
        const { bidId: cheap } = await openBid(downloader, { infohash: V1, pricePerMiB: 10n, budget: 1_000n, expiry });
        const listed = await openBids(reader, { infohash: MAGNET, pageSize: 1 });
        expect(listed.bids.map((b) => b.bidId)).to.deep.equal([better, bidId, cheap]);
        expect(listed.truncated).to.equal(false);
        expect((await openBids(reader, { infohash: V2 })).bids).to.deep.equal([]);
        await closeBid(downloader, { bidId: cheap });
        const after = await openBids(reader, { infohash: V1 });
        expect(after.bids.map((b) => b.bidId)).to.deep.equal([better, bidId]);
      });

      it("the downloader signs receipts under the contract's domain; redeem pays the seeder", async () => {
        const r1 = await sign(1, bidId, toBase58(A.seeder), MIB);
        expect(r1.seeder).to.equal(A.seeder);
        expect(receiptFromJson(JSON.parse(JSON.stringify(receiptToJson(r1))))).to.deep.equal({
          ...r1,
          seeder: toBase58(A.seeder),
        });
        const digest = await reader.market.read.receiptDigest([bidId, A.seeder, MIB]);
        expect(digest).to.match(/^0x[0-9a-f]{64}$/);
        const result = await redeem(seeder, { receipt: r1 });
        expect(result.amount).to.equal(PRICE);
        const mine = await earnings(seeder, { bidIds: [bidId] });
        expect(mine.unclaimed).to.equal(PRICE);
        expect(mine.bids[0]).to.deep.equal({ bidId, cumulativeBytes: MIB, paid: PRICE, unclaimed: PRICE, owed: 0n });
      });

      it("redeem checks the receipt before sending: not newer, wrong signer, unknown bid", async () => {
        const old = await sign(1, bidId, A.seeder, MIB);
        const notNewer = await rejectsWith(() => redeem(seeder, { receipt: old }), PreflightError);
        expect(notNewer.check).to.equal("receipt-not-newer");
        const forged = await sign(4, bidId, A.seeder, 5n * MIB);
        const wrong = await rejectsWith(() => redeem(seeder, { receipt: forged }), PreflightError);
        expect(wrong.check).to.equal("receipt-wrong-signer");
        const unknown = await sign(1, 777n, A.seeder, MIB);
        expect((await rejectsWith(() => redeem(seeder, { receipt: unknown }), PreflightError)).check).to.equal(
          "bid-not-found",
        );
      });

      it("without preflight, a replay reverts with SpeedReceiptNotNewer(bidId, seeder, cumulativeBytes, recordedBytes)", async () => {
        const old = await sign(1, bidId, A.seeder, MIB);
        const error = await rejectsWith(
          () => redeem(stranger, { receipt: old, skipPreflight: true }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("SpeedReceiptNotNewer");
        expect(error.args).to.deep.equal({ bidId, seeder: A.seeder, cumulativeBytes: MIB, recordedBytes: MIB });
        const forged = await sign(4, bidId, A.seeder, 5n * MIB);
        const wrong = await rejectsWith(
          () => redeem(stranger, { receipt: forged, skipPreflight: true }),
          ContractRevertError,
        );
        expect(wrong.errorName).to.equal("SpeedWrongSigner");
        expect(wrong.args).to.deep.equal({ bidId, signer: A.stranger, downloader: A.downloader });
      });

      it("redeemBatch reports what became of each receipt, in order", async () => {
        const receipts: SignedReceipt[] = [
          await sign(1, bidId, A.seeder, 3n * MIB),
          await sign(1, bidId, A.relayer, 2n * MIB),
          await sign(1, bidId, A.seeder, 2n * MIB),
          await sign(4, bidId, A.relayer, 9n * MIB),
          await sign(1, 4_242n, A.seeder, MIB),
        ];
        const result = await redeemBatch(stranger, { receipts });
        expect(result.outcomes.map((o) => (o.status === "redeemed" ? o.amount : o.reason))).to.deep.equal([
          2n * PRICE,
          2n * PRICE,
          "NotNewer",
          "WrongSigner",
          "UnknownBid",
        ]);
        expect(result.outcomes[0]?.receipt).to.deep.equal(receipts[0]);
        expect(result.total).to.equal(4n * PRICE);
        expect((await bid(reader, { bidId }))?.remaining).to.equal(10_000n - 5n * PRICE);
      });

      it("redeemRelayed pays a relayer the fee the seeder signed for; claimRelayFees moves it to the vault", async () => {
        const deadline = (await env.now()) + HOUR;
        const relay = await signRelay(2, { seeder: A.seeder, relayer: A.relayer, maxFee: 100n, nonce: 0n, deadline });
        const receipt = await sign(1, bidId, A.seeder, 4n * MIB);
        const wrongRelayer = await rejectsWith(
          () => redeemRelayed(stranger, { receipt, relay, fee: 50n }),
          PreflightError,
        );
        expect(wrongRelayer.check).to.equal("receipt-wrong-signer");
        const result = await redeemRelayed(relayer, { receipt, relay, fee: 50n });
        expect(result.amount).to.equal(PRICE);
        expect(result.fee).to.equal(50n);
        const above = await sign(1, bidId, A.seeder, 5n * MIB);
        const cap = await rejectsWith(
          () => redeemRelayed(relayer, { receipt: above, relay, fee: 51n }),
          ContractRevertError,
        );
        expect(cap.errorName).to.equal("SpeedRelayFeeAboveCap");
        expect(cap.args).to.deep.equal({ fee: 51n, taken: 50n, maxFee: 100n });
        const before = await balanceOf(relayer.vault);
        expect((await claimRelayFees(relayer, { seeders: [A.seeder] })).amount).to.equal(50n);
        expect(await balanceOf(relayer.vault)).to.equal(before + 50n);
        const nothing = await rejectsWith(() => claimRelayFees(relayer, { seeders: [A.seeder] }), PreflightError);
        expect(nothing.check).to.equal("nothing-to-pay");
      });

      it("topUp adds budget to an open bid of the signer's only", async () => {
        expect((await topUp(downloader, { bidId, amount: 500n })).remaining).to.equal(10_000n - 6n * PRICE + 500n);
        const notMine = await rejectsWith(() => topUp(stranger, { bidId, amount: 1n }), PreflightError);
        expect(notMine.check).to.equal("not-downloader");
        const raw = await rejectsWith(
          () => topUp(stranger, { bidId, amount: 1n, skipPreflight: true }),
          ContractRevertError,
        );
        expect(raw.errorName).to.equal("SpeedNotDownloader");
        expect(raw.args).to.deep.equal({ bidId, caller: A.stranger });
      });

      it("closeBid starts the grace period; the bid takes no top-ups, and no refund before the grace ends", async () => {
        const notMine = await rejectsWith(() => closeBid(stranger, { bidId }), PreflightError);
        expect(notMine.check).to.equal("not-downloader");
        const now = await env.now();
        const result = await closeBid(downloader, { bidId });
        expect(result.redeemableUntil >= now + HOUR).to.equal(true);
        expect(result.refunded).to.equal(undefined);
        expect((await bid(reader, { bidId }))?.status).to.equal("closed");
        expect((await rejectsWith(() => topUp(downloader, { bidId, amount: 1n }), PreflightError)).check).to.equal(
          "bid-not-open",
        );
        expect((await rejectsWith(() => closeBid(downloader, { bidId }), PreflightError)).check).to.equal(
          "bid-not-open",
        );
        const early = await rejectsWith(() => refundBid(stranger, { bidId }), PreflightError);
        expect(early.check).to.equal("bid-not-refundable");
        const raw = await rejectsWith(() => refundBid(stranger, { bidId, skipPreflight: true }), ContractRevertError);
        expect(raw.errorName).to.equal("SpeedBidNotRefundable");
        expect(raw.args).to.deep.equal({ bidId, until: result.redeemableUntil });
      });

      it("seeders still redeem during the grace period", async () => {
        const last = await sign(1, bidId, A.seeder, 5n * MIB);
        expect((await redeem(seeder, { receipt: last })).amount).to.equal(PRICE);
      });

      it("after the grace period, refundBid returns the rest; receipts are no longer taken", async () => {
        await env.increaseTime(Number(HOUR) + 10);
        const late = await sign(1, bidId, A.seeder, 7n * MIB);
        expect((await rejectsWith(() => redeem(seeder, { receipt: late }), PreflightError)).check).to.equal(
          "bid-not-redeemable",
        );
        const before = await balanceOf(downloader.vault);
        const remaining = (await bid(reader, { bidId }))?.remaining as bigint;
        const result = await refundBid(stranger, { bidId });
        expect(result.refunded).to.equal(remaining);
        expect(await balanceOf(downloader.vault)).to.equal(before + remaining);
        expect((await bid(reader, { bidId }))?.status).to.equal("refunded");
        expect((await rejectsWith(() => refundBid(stranger, { bidId }), PreflightError)).check).to.equal(
          "bid-not-refundable",
        );
      });

      it("claim moves the seeder's earnings to its vault balance, and withdraw sends them out", async () => {
        const mine = await earnings(reader, { seeder: A.seeder, bidIds: [bidId] });
        const result = await claim(seeder, { bidIds: [bidId] });
        expect(result.amount).to.equal(mine.unclaimed);
        expect(result.amount).to.equal(5n * PRICE - 50n);
        expect(await balanceOf(seeder.vault)).to.equal(result.amount);
        await withdraw(seeder.vault, { amount: result.amount });
        expect(await balanceOf(seeder.vault)).to.equal(0n);
        expect((await rejectsWith(() => claim(seeder, { bidIds: [bidId] }), PreflightError)).check).to.equal(
          "nothing-to-pay",
        );
        const raw = await rejectsWith(
          () => claim(seeder, { bidIds: [bidId], skipPreflight: true }),
          ContractRevertError,
        );
        expect(raw.errorName).to.equal("SpeedNothingToPay");
        expect(raw.args).to.deep.equal({});
      });

      it("payOwed pays what a short budget owed, after a top-up", async () => {
        const expiry = (await env.now()) + 2n * HOUR;
        const { bidId: small } = await openBid(downloader, { infohash: V2, pricePerMiB: PRICE, budget: 400n, expiry });
        const r = await sign(1, small, A.seeder, MIB);
        expect((await redeem(seeder, { receipt: r })).amount).to.equal(400n);
        expect(await owed(seeder, { bidId: small })).to.equal(600n);
        expect(
          (await rejectsWith(() => payOwed(stranger, { bidId: small, seeder: A.seeder }), PreflightError)).check,
        ).to.equal("nothing-to-pay");
        await topUp(downloader, { bidId: small, amount: 1_000n });
        expect((await payOwed(stranger, { bidId: small, seeder: toBase58(A.seeder) as `T${string}` })).amount).to.equal(
          600n,
        );
        expect(await owed(reader, { bidId: small, seeder: A.seeder })).to.equal(0n);
      });
    });

    describe("a market the vault retired", () => {
      const setMarket = (active: boolean) =>
        writeAndWait(env.backends[0]!, {
          address: env.vault,
          abi: escrowVaultAbi,
          functionName: "setMarket",
          args: [env.market, active],
        });

      it("openBid and topUp fail the preflight with market-retired (VaultNotMarket without it); open bids still claim and close", async () => {
        const expiry = (await env.now()) + 2n * HOUR;
        const { bidId: open } = await openBid(downloader, { infohash: V2, pricePerMiB: PRICE, budget: 1_000n, expiry });
        await redeem(seeder, { receipt: await sign(1, open, A.seeder, MIB) });
        await setMarket(false);
        try {
          const args = { infohash: V2, pricePerMiB: PRICE, budget: 1_000n, expiry };
          expect((await rejectsWith(() => openBid(downloader, args), PreflightError)).check).to.equal("market-retired");
          expect(
            (await rejectsWith(() => topUp(downloader, { bidId: open, amount: 1n }), PreflightError)).check,
          ).to.equal("market-retired");
          const raw = await rejectsWith(
            () => topUp(downloader, { bidId: open, amount: 1n, skipPreflight: true }),
            ContractRevertError,
          );
          expect(raw.errorName).to.equal("VaultNotMarket");
          expect(raw.args).to.deep.equal({ market: env.market });
          await claim(seeder, { bidIds: [open] });
          await closeBid(downloader, { bidId: open });
          expect((await bid(reader, { bidId: open }))?.closedUntil).to.be.greaterThan(0);
        } finally {
          await setMarket(true);
        }
      });
    });

    describe("read-only clients", () => {
      it("can read but fail writes with no-signer", async () => {
        const error = await rejectsWith(() => closeBid(reader, { bidId: 1n }), PreflightError);
        expect(error.check).to.equal("no-signer");
        await rejectsWith(() => owed(reader, { bidId: 1n }), InvalidArgumentError);
      });
    });

    describe("bad input to every action", () => {
      const actions = {
        ensureMarketApproval,
        openBid,
        topUp,
        closeBid,
        refundBid,
        redeem,
        redeemBatch,
        redeemRelayed,
        payOwed,
        claim,
        claimRelayFees,
        bid,
        openBids,
        owed,
        earnings,
        signReceipt,
      } as Record<string, (client: unknown, parameters: unknown) => Promise<unknown>>;
      for (const [actionName, action] of Object.entries(actions)) {
        it(`${actionName} rejects junk with a BttkitError, never a plain Error or a hang`, async () => {
          const junk = {
            infohash: "not a hash",
            pricePerMiB: 1.5,
            budget: "1",
            expiry: "soon",
            bidId: -1n,
            bidIds: ["x"],
            amount: 1,
            receipt: { bidId: 1n, seeder: "nope", cumulativeBytes: 1n, signature: "0x" },
            receipts: [],
            relay: 5,
            fee: -1n,
            seeder: 7,
            seeders: "all",
            signer: {},
            cumulativeBytes: "many",
            timeoutMs: -1,
          };
          for (const [client, parameters] of [
            [null, {}],
            [{}, {}],
            [downloader, null],
            [downloader, 7],
            [downloader, junk],
          ] as const) {
            await rejectsWith(() => action(client, parameters), BttkitError, 15_000);
          }
        });
      }
      it("amounts and receipts are checked precisely", async () => {
        const expiry = (await env.now()) + HOUR;
        await rejectsWith(
          () => openBid(downloader, { infohash: V2, pricePerMiB: 0n, budget: 1n, expiry }),
          InvalidAmountError,
        );
        await rejectsWith(
          () => openBid(downloader, { infohash: V2, pricePerMiB: 1n << 72n, budget: 1n, expiry }),
          InvalidAmountError,
        );
        await rejectsWith(
          () => openBid(downloader, { infohash: { infohash: V2, version: 1 }, pricePerMiB: 1n, budget: 1n, expiry }),
          InvalidArgumentError,
        );
        await rejectsWith(() => topUp(downloader, { bidId: 1n << 40n, amount: 1n }), InvalidArgumentError);
        const good = await sign(1, 1n, A.seeder, MIB);
        await rejectsWith(() => redeem(seeder, { receipt: { ...good, signature: "0x1234" } }), InvalidArgumentError);
        await rejectsWith(() => redeem(seeder, { receipt: { ...good, seeder: "T1" } }), InvalidAddressError);
        await rejectsWith(() => redeemBatch(seeder, { receipts: new Array(501).fill(good) }), InvalidArgumentError);
        await rejectsWith(() => claim(seeder, { bidIds: [] }), InvalidArgumentError);
      });
    });
  });
}
