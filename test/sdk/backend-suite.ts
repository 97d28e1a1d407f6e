/**
 * Backend behaviour both implementations share, run by backend-ethers.test.ts and
 * backend-tronweb.test.ts against the same contracts.
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { toBase58, toTronHex } from "../../sdk/src/address.js";
import { trc20Abi } from "../../sdk/src/backend/abi.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { parseEventLogs, writeAndWait } from "../../sdk/src/contract.js";
import { InvalidAddressError, InvalidArgumentError } from "../../sdk/src/errors.js";
import { escrowVaultAbi } from "../../sdk/src/generated/abi/index.js";
import { BackendError, ContractRevertError, TimeoutError, TransactionFailedError } from "../../sdk/src/revert.js";
import type { VaultEnv } from "./backend-env.js";
import { rejectsWith } from "./expect-error.js";

export function runBackendSuite(name: string, makeEnv: () => Promise<VaultEnv>, makeDead: (url: string) => Backend) {
  describe(`${name} backend`, function () {
    this.timeout(120_000);
    let env: VaultEnv;
    let alice: Backend;

    before(async () => {
      env = await makeEnv();
      alice = env.backends[1] as Backend;
      await env.mint(env.addresses[1]!, 1_000n);
    });
    after(async () => {
      await env?.stop();
    });

    describe("chainId and account", () => {
      it("reports Nile's chain id (block.chainid, low 4 bytes)", async () => {
        expect(await alice.chainId()).to.equal(env.chainId);
      });
      it("gives the signer as 0x hex, and undefined when read-only", async () => {
        expect(await alice.account()).to.equal(env.addresses[1]);
        expect(await env.readOnly.account()).to.equal(undefined);
      });
    });

    describe("read", () => {
      it("decodes a uint256 as bigint and addresses as checksummed 0x hex", async () => {
        expect(
          await alice.read({ address: env.token, abi: trc20Abi, functionName: "balanceOf", args: [env.addresses[1]!] }),
        ).to.equal(1_000n);
        expect(await alice.read({ address: env.vault, abi: escrowVaultAbi, functionName: "token" })).to.equal(
          env.token,
        );
      });
      it("accepts base58, 41 hex and 0x addresses alike", async () => {
        for (const form of [toBase58(env.addresses[1]!), toTronHex(env.addresses[1]!), env.addresses[1]!]) {
          const balance = await env.readOnly.read({
            address: toBase58(env.token) as `T${string}`,
            abi: trc20Abi,
            functionName: "balanceOf",
            args: [form as `T${string}`],
          });
          expect(balance).to.equal(1_000n);
        }
      });
      it("decodes a struct into an object and a uint8 into a number", async () => {
        const escrow = await alice.read({
          address: env.vault,
          abi: escrowVaultAbi,
          functionName: "escrow",
          args: [99n],
        });
        expect(escrow).to.deep.equal({
          payer: "0x0000000000000000000000000000000000000000",
          deadline: 0n,
          payee: "0x0000000000000000000000000000000000000000",
          arbiter: "0x0000000000000000000000000000000000000000",
          operator: "0x0000000000000000000000000000000000000000",
          amount: 0n,
        });
        expect(await alice.read({ address: env.token, abi: trc20Abi, functionName: "decimals" })).to.equal(18);
      });
      it("rejects a bad contract address with InvalidAddressError", async () => {
        await rejectsWith(
          () => alice.read({ address: "Tnope" as `T${string}`, abi: trc20Abi, functionName: "decimals" }),
          InvalidAddressError,
        );
      });
      it("rejects an unknown function, a wrong argument count or type with InvalidArgumentError", async () => {
        const loose = alice as unknown as { read(p: object): Promise<unknown> };
        await rejectsWith(
          () => loose.read({ address: env.token, abi: trc20Abi, functionName: "nope", args: [] }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => loose.read({ address: env.token, abi: trc20Abi, functionName: "balanceOf", args: [] }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => loose.read({ address: env.token, abi: trc20Abi, functionName: "balanceOf", args: [42] }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => loose.read({ address: env.vault, abi: escrowVaultAbi, functionName: "escrow", args: ["x"] }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => loose.read({ address: env.vault, abi: escrowVaultAbi, functionName: "escrow", args: [-1n] }),
          InvalidArgumentError,
        );
      });
      it("rejects a call to an address without code with a typed error", async () => {
        const error = await rejectsWith(
          () => alice.read({ address: env.addresses[4]!, abi: trc20Abi, functionName: "decimals" }),
          Error as never,
        );
        expect(error).to.satisfy(
          (e: unknown) => e instanceof InvalidArgumentError || e instanceof TransactionFailedError,
        );
      });
      it("decodes a revert in a call into the custom error and its arguments", async () => {
        const loose = alice as unknown as { read(p: object): Promise<unknown> };
        const error = await rejectsWith(
          () => loose.read({ address: env.vault, abi: escrowVaultAbi, functionName: "withdraw", args: [5n] }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("VaultInsufficientBalance");
        expect(error.args).to.deep.equal({ account: env.addresses[1], balance: 0n, needed: 5n });
      });
    });

    describe("write and waitForReceipt", () => {
      it("sends, waits, and decodes the receipt's logs", async () => {
        const { txId } = await alice.write({
          address: env.token,
          abi: trc20Abi,
          functionName: "approve",
          args: [env.vault, 600n],
        });
        expect(txId).to.match(/^(0x)?[0-9a-f]{64}$/);
        const receipt = await alice.waitForReceipt(txId, { timeoutMs: 20_000 });
        expect(receipt.status).to.equal("success");
        expect(receipt.txId).to.equal(txId);
        expect(receipt.energyUsed > 0n).to.equal(true);
        expect(receipt.blockNumber > 0n).to.equal(true);
        expect(receipt.logs).to.have.length(1);
        expect(receipt.logs[0]?.eventName).to.equal("Approval");
        expect(receipt.logs[0]?.address).to.equal(env.token);
        expect(receipt.logs[0]?.args).to.deep.equal({ owner: env.addresses[1], spender: env.vault, value: 600n });
        expect(parseEventLogs(receipt.logs, trc20Abi, "Approval")).to.deep.equal([
          { owner: env.addresses[1], spender: env.vault, value: 600n },
        ]);
      });
      it("writeAndWait decodes VaultInsufficientBalance with its arguments", async () => {
        const error = await rejectsWith(
          () => writeAndWait(alice, { address: env.vault, abi: escrowVaultAbi, functionName: "withdraw", args: [7n] }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("VaultInsufficientBalance");
        expect(error.args).to.deep.equal({ account: env.addresses[1], balance: 0n, needed: 7n });
      });
      it("a revert is seen before sending (ethers estimates) or in the receipt (TronWeb broadcasts)", async () => {
        const send = () =>
          alice.write({ address: env.vault, abi: escrowVaultAbi, functionName: "withdraw", args: [9n] });
        if (env.kind === "ethers") {
          const error = await rejectsWith(send, ContractRevertError);
          expect(error.args).to.deep.equal({ account: env.addresses[1], balance: 0n, needed: 9n });
          return;
        }
        const { txId } = await send();
        const receipt = await alice.waitForReceipt(txId, { timeoutMs: 20_000 });
        expect(receipt.status).to.equal("reverted");
        expect(receipt.energyUsed > 0n).to.equal(true);
        expect(receipt.fee > 0n).to.equal(true);
        expect(receipt.logs).to.deep.equal([]);
        expect(receipt.error).to.be.instanceOf(ContractRevertError);
        const error = receipt.error as ContractRevertError;
        expect(error.errorName).to.equal("VaultInsufficientBalance");
        expect(error.args).to.deep.equal({ account: env.addresses[1], balance: 0n, needed: 9n });
      });
      it("rejects writes from a read-only backend with InvalidArgumentError", async () => {
        await rejectsWith(
          () => env.readOnly.write({ address: env.vault, abi: escrowVaultAbi, functionName: "withdraw", args: [1n] }),
          InvalidArgumentError,
        );
      });
      it("rejects bad write options with InvalidArgumentError", async () => {
        const loose = alice as unknown as { write(p: object): Promise<unknown> };
        await rejectsWith(
          () =>
            loose.write({
              address: env.vault,
              abi: escrowVaultAbi,
              functionName: "withdraw",
              args: [1n],
              callValue: -1n,
            }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () =>
            loose.write({ address: env.vault, abi: escrowVaultAbi, functionName: "withdraw", args: [1n], feeLimit: 5 }),
          InvalidArgumentError,
        );
      });
      it("rejects a malformed transaction id with InvalidArgumentError", async () => {
        await rejectsWith(() => alice.waitForReceipt("nope"), InvalidArgumentError);
        await rejectsWith(() => alice.waitForReceipt(42 as unknown as string), InvalidArgumentError);
        await rejectsWith(() => alice.waitForReceipt(`0x${"ab".repeat(32)}`, { timeoutMs: -1 }), InvalidArgumentError);
      });
      it("gives up on an unknown transaction with TimeoutError after timeoutMs", async () => {
        const started = Date.now();
        const id = env.kind === "ethers" ? `0x${"ab".repeat(32)}` : "ab".repeat(32);
        await rejectsWith(() => alice.waitForReceipt(id, { timeoutMs: 400 }), TimeoutError, 10_000);
        expect(Date.now() - started).to.be.lessThan(5_000);
      });
    });

    describe("estimateEnergy", () => {
      it("estimates a successful call", async () => {
        const energy = await alice.estimateEnergy({
          address: env.token,
          abi: trc20Abi,
          functionName: "approve",
          args: [env.vault, 1n],
        });
        expect(energy > 1_000n).to.equal(true);
      });
      it("rejects with the decoded revert when the call would revert", async () => {
        const error = await rejectsWith(
          () => alice.estimateEnergy({ address: env.vault, abi: escrowVaultAbi, functionName: "withdraw", args: [3n] }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("VaultInsufficientBalance");
      });
    });

    describe("getEvents", () => {
      before(async () => {
        await writeAndWait(alice, {
          address: env.token,
          abi: trc20Abi,
          functionName: "approve",
          args: [env.vault, 1_000n],
        });
        for (const amount of [100n, 200n, 300n]) {
          await writeAndWait(alice, {
            address: env.vault,
            abi: escrowVaultAbi,
            functionName: "deposit",
            args: [amount],
          });
        }
      });
      it("returns the contract's events of one name, oldest first, typed", async () => {
        const events = await env.readOnly.getEvents({
          address: env.vault,
          abi: escrowVaultAbi,
          eventName: "Deposited",
        });
        expect(events.map((e) => e.args.amount)).to.deep.equal([100n, 200n, 300n]);
        const first = events[0]!;
        expect(first.eventName).to.equal("Deposited");
        expect(first.args).to.deep.equal({ account: env.addresses[1], from: env.addresses[1], amount: 100n });
        expect(first.address).to.equal(env.vault);
        expect(first.logIndex).to.equal(1); // after the token's Transfer
        expect(first.txId).to.match(/^(0x)?[0-9a-f]{64}$/);
      });
      it("honours limit and fromBlock", async () => {
        const all = await env.readOnly.getEvents({ address: env.vault, abi: escrowVaultAbi, eventName: "Deposited" });
        const limited = await env.readOnly.getEvents({
          address: env.vault,
          abi: escrowVaultAbi,
          eventName: "Deposited",
          limit: 2,
        });
        expect(limited.map((e) => e.args.amount)).to.deep.equal([100n, 200n]);
        const later = await env.readOnly.getEvents({
          address: env.vault,
          abi: escrowVaultAbi,
          eventName: "Deposited",
          fromBlock: all[1]!.blockNumber,
        });
        expect(later.map((e) => e.args.amount)).to.deep.equal([200n, 300n]);
      });
      it("rejects an unknown event, a bad limit or fromBlock with InvalidArgumentError", async () => {
        const loose = env.readOnly as unknown as { getEvents(p: object): Promise<unknown> };
        await rejectsWith(
          () => loose.getEvents({ address: env.vault, abi: escrowVaultAbi, eventName: "Nope" }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => loose.getEvents({ address: env.vault, abi: escrowVaultAbi, eventName: "Deposited", limit: 0 }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => loose.getEvents({ address: env.vault, abi: escrowVaultAbi, eventName: "Deposited", fromBlock: -1n }),
          InvalidArgumentError,
        );
      });
    });

    describe("an unreachable node", () => {
      it("rejects with a BttkitError (BackendError or TimeoutError), within the request timeout", async () => {
        const dead = makeDead(env.deadUrl);
        const error2 = await rejectsWith(
          () => dead.read({ address: env.token, abi: trc20Abi, functionName: "decimals" }),
          Error as never,
          15_000,
        );
        expect(error2).to.satisfy((e: unknown) => e instanceof BackendError || e instanceof TimeoutError);
      });
    });
  });
}
