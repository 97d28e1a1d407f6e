/**
 * The vault client and every vault action, run by vault-client.ethers.test.ts and
 * vault-client.tronweb.test.ts against the same contracts through the SDK alone.
 */
import { expect } from "chai";
import { after, before, describe, it } from "mocha";
import { type Hex20, toBase58, toTronHex } from "../../sdk/src/address.js";
import type { Backend } from "../../sdk/src/backend/types.js";
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
import { ContractRevertError } from "../../sdk/src/revert.js";
import {
  allowance,
  approveToken,
  balanceOf,
  createEscrow,
  createVaultClient,
  deposit,
  depositFor,
  escrow,
  heldBy,
  reclaimEscrow,
  releaseEscrow,
  resolveEscrow,
  setMarketApproval,
  tokenBalance,
  type VaultClient,
  withdraw,
  withdrawTo,
} from "../../sdk/src/vault/index.js";
import type { VaultEnv } from "./backend-env.js";
import { rejectsWith } from "./expect-error.js";

export function runVaultSuite(name: string, makeEnv: () => Promise<VaultEnv>) {
  describe(`vault client over ${name}`, function () {
    this.timeout(120_000);
    let env: VaultEnv;
    /** payer, payee, arbiter, stranger */
    let payer: VaultClient;
    let payee: VaultClient;
    let arbiter: VaultClient;
    let stranger: VaultClient;
    let reader: VaultClient;
    let A: { payer: Hex20; payee: Hex20; arbiter: Hex20; stranger: Hex20 };

    const clientFor = async (backend: Backend) => {
      const deployment = await memoryDeployments({ net: { ...env.deploymentFile, network: "net" } }).load("net");
      return createVaultClient({ backend, deployment, timeoutMs: 20_000 });
    };

    before(async () => {
      env = await makeEnv();
      [payer, payee, arbiter, stranger] = await Promise.all(env.backends.slice(1, 5).map(clientFor));
      reader = await clientFor(env.readOnly);
      A = {
        payer: env.addresses[1]!,
        payee: env.addresses[2]!,
        arbiter: env.addresses[3]!,
        stranger: env.addresses[4]!,
      };
      await env.mint(A.payer, 10_000n);
    });
    after(async () => {
      await env?.stop();
    });

    describe("createVaultClient", () => {
      it("binds the deployment's vault and reads its token", async () => {
        expect(payer.vault.address).to.equal(env.vault);
        expect(payer.token.address).to.equal(env.token);
        expect(payer.chainId).to.equal(env.chainId);
      });
      it("rejects a deployment of another chain with NetworkMismatchError", async () => {
        const deployment = await memoryDeployments({
          main: { ...env.deploymentFile, network: "main", chainId: 728126428 },
        }).load("main");
        const error = await rejectsWith(
          () => createVaultClient({ backend: env.readOnly, deployment }),
          NetworkMismatchError,
        );
        expect(error.expectedChainId).to.equal(728126428n);
        expect(error.actualChainId).to.equal(env.chainId);
        await rejectsWith(
          () => createVaultClient({ backend: env.readOnly, address: env.vault, chainId: 1n }),
          NetworkMismatchError,
        );
      });
      it("rejects a deployment without EscrowVault with DeploymentNotFoundError", async () => {
        const file = { ...env.deploymentFile, network: "x", contracts: {} };
        const deployment = await memoryDeployments({ x: file }).load("x");
        await rejectsWith(() => createVaultClient({ backend: env.readOnly, deployment }), DeploymentNotFoundError);
      });
      it("rejects bad parameters with InvalidArgumentError or InvalidAddressError", async () => {
        await rejectsWith(() => createVaultClient(null as never), InvalidArgumentError);
        await rejectsWith(() => createVaultClient({ backend: {} as never, address: env.vault }), InvalidArgumentError);
        await rejectsWith(() => createVaultClient({ backend: env.readOnly }), InvalidArgumentError);
        await rejectsWith(
          () => createVaultClient({ backend: env.readOnly, address: "0x12" as Hex20 }),
          InvalidAddressError,
        );
        await rejectsWith(
          () => createVaultClient({ backend: env.readOnly, address: env.vault, timeoutMs: 0 }),
          InvalidArgumentError,
        );
      });
    });

    describe("approveToken and allowance", () => {
      it("sets the vault's allowance on the signer's tokens", async () => {
        const { receipt } = await approveToken(payer, { amount: 5_000n });
        expect(receipt.status).to.equal("success");
        expect(await allowance(payer)).to.equal(5_000n);
        expect(await allowance(reader, { owner: toBase58(A.payer) as `T${string}` })).to.equal(5_000n);
      });
      it("rejects a negative or non-bigint amount with InvalidAmountError", async () => {
        await rejectsWith(() => approveToken(payer, { amount: -1n }), InvalidAmountError);
        await rejectsWith(() => approveToken(payer, { amount: 5 as unknown as bigint }), InvalidAmountError);
      });
    });

    describe("deposit", () => {
      it("pulls tokens and credits the signer", async () => {
        const tokensBefore = await tokenBalance(payer);
        const result = await deposit(payer, { amount: 1_000n });
        expect(result.credited).to.equal(1_000n);
        expect(result.receipt.logs.some((l) => l.eventName === "Deposited")).to.equal(true);
        expect(await balanceOf(payer)).to.equal(1_000n);
        expect(await tokenBalance(payer)).to.equal(tokensBefore - 1_000n);
      });
      it("fails the preflight with token-allowance when the allowance is short, sending nothing", async () => {
        const error = await rejectsWith(() => deposit(payer, { amount: 4_001n }), PreflightError);
        expect(error.check).to.equal("token-allowance");
        expect(error.needed).to.equal(4_001n);
        expect(error.available).to.equal(4_000n);
      });
      it("fails the preflight with token-balance when the wallet holds too little", async () => {
        const error = await rejectsWith(() => deposit(stranger, { amount: 1n }), PreflightError);
        expect(error.check).to.equal("token-balance");
      });
      it("rejects zero, negative and non-bigint amounts with InvalidAmountError", async () => {
        for (const amount of [0n, -5n, 1, "1", undefined, null]) {
          await rejectsWith(() => deposit(payer, { amount: amount as bigint }), InvalidAmountError);
        }
      });
      it("fails with no-signer on a read-only client", async () => {
        const error = await rejectsWith(() => deposit(reader, { amount: 1n }), PreflightError);
        expect(error.check).to.equal("no-signer");
      });
      it("without preflight, the token's own revert arrives decoded", async () => {
        const error = await rejectsWith(
          () => deposit(stranger, { amount: 1n, skipPreflight: true }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("ERC20InsufficientAllowance");
      });
    });

    describe("depositFor", () => {
      it("credits another account, given as base58", async () => {
        const result = await depositFor(payer, { account: toBase58(A.payee) as `T${string}`, amount: 200n });
        expect(result.credited).to.equal(200n);
        expect(await balanceOf(reader, { account: A.payee })).to.equal(200n);
      });
      it("rejects a malformed or zero account", async () => {
        await rejectsWith(
          () => depositFor(payer, { account: "T123" as `T${string}`, amount: 1n }),
          InvalidAddressError,
        );
        await rejectsWith(
          () => depositFor(payer, { account: "0x0000000000000000000000000000000000000000", amount: 1n }),
          InvalidArgumentError,
        );
      });
    });

    describe("withdraw", () => {
      it("sends free balance back to the signer's wallet", async () => {
        const tokensBefore = await tokenBalance(payee);
        await withdraw(payee, { amount: 50n });
        expect(await balanceOf(payee)).to.equal(150n);
        expect(await tokenBalance(payee)).to.equal(tokensBefore + 50n);
      });
      it("fails the preflight with vault-balance when the free balance is short", async () => {
        const error = await rejectsWith(() => withdraw(payee, { amount: 151n }), PreflightError);
        expect(error.check).to.equal("vault-balance");
        expect(error.available).to.equal(150n);
      });
      it("without preflight, reverts with VaultInsufficientBalance(account, balance, needed)", async () => {
        const error = await rejectsWith(
          () => withdraw(payee, { amount: 151n, skipPreflight: true }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("VaultInsufficientBalance");
        expect(error.args).to.deep.equal({ account: A.payee, balance: 150n, needed: 151n });
        expect(error.code).to.equal("CONTRACT_REVERT");
      });
      it("rejects bad amounts and options", async () => {
        await rejectsWith(() => withdraw(payee, { amount: 0n }), InvalidAmountError);
        await rejectsWith(() => withdraw(payee, { amount: 1n, timeoutMs: -5 }), InvalidArgumentError);
        await rejectsWith(
          () => withdraw(payee, { amount: 1n, feeLimit: 3 as unknown as bigint }),
          InvalidArgumentError,
        );
        await rejectsWith(() => withdraw(payee, undefined as never), InvalidArgumentError);
        await rejectsWith(() => withdraw(undefined as never, { amount: 1n }), InvalidArgumentError);
      });
    });

    describe("withdrawTo", () => {
      it("sends free balance to another wallet, given as 41 hex", async () => {
        const before = await tokenBalance(reader, { account: A.stranger });
        await withdrawTo(payee, { to: toTronHex(A.stranger) as `41${string}`, amount: 50n });
        expect(await tokenBalance(reader, { account: A.stranger })).to.equal(before + 50n);
        expect(await balanceOf(payee)).to.equal(100n);
      });
      it("rejects a malformed address, the zero address and the vault itself", async () => {
        await rejectsWith(() => withdrawTo(payee, { to: "0xnope" as Hex20, amount: 1n }), InvalidAddressError);
        await rejectsWith(() => withdrawTo(payee, { to: 42 as unknown as Hex20, amount: 1n }), InvalidAddressError);
        await rejectsWith(
          () => withdrawTo(payee, { to: "0x0000000000000000000000000000000000000000", amount: 1n }),
          InvalidArgumentError,
        );
        await rejectsWith(() => withdrawTo(payee, { to: env.vault, amount: 1n }), InvalidArgumentError);
      });
      it("fails the preflight with vault-balance", async () => {
        const error = await rejectsWith(() => withdrawTo(payee, { to: A.stranger, amount: 101n }), PreflightError);
        expect(error.check).to.equal("vault-balance");
      });
    });

    describe("setMarketApproval and heldBy", () => {
      it("approves and revokes a market", async () => {
        await setMarketApproval(payer, { market: A.stranger, approved: true });
        expect(await payer.vault.read.isMarketApproved([A.payer, A.stranger])).to.equal(true);
        await setMarketApproval(payer, { market: toBase58(A.stranger) as `T${string}`, approved: false });
        expect(await payer.vault.read.isMarketApproved([A.payer, A.stranger])).to.equal(false);
      });
      it("rejects a non-boolean flag and bad market addresses", async () => {
        await rejectsWith(
          () => setMarketApproval(payer, { market: A.stranger, approved: "yes" as unknown as boolean }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => setMarketApproval(payer, { market: "T" as `T${string}`, approved: true }),
          InvalidAddressError,
        );
      });
      it("reads what a market holds (nothing for a non-market)", async () => {
        expect(await heldBy(reader, { market: A.stranger })).to.equal(0n);
        await rejectsWith(() => heldBy(reader, { market: "x" as Hex20 }), InvalidAddressError);
      });
    });

    describe("escrows", () => {
      let escrowId: bigint;
      let deadline: bigint;

      it("createEscrow moves free balance into a new escrow and returns its id", async () => {
        deadline = (await env.now()) + 3_600n;
        const result = await createEscrow(payer, { payee: A.payee, arbiter: A.arbiter, deadline, amount: 300n });
        escrowId = result.escrowId;
        expect(await balanceOf(payer)).to.equal(700n);
        expect(await escrow(reader, { escrowId })).to.deep.equal({
          payer: A.payer,
          deadline,
          payee: A.payee,
          arbiter: A.arbiter,
          operator: "0x0000000000000000000000000000000000000000",
          amount: 300n,
        });
      });
      it("createEscrow fails the preflight with vault-balance, and rejects bad input", async () => {
        const error = await rejectsWith(
          () => createEscrow(payer, { payee: A.payee, deadline: deadline + 1n, amount: 10_000n }),
          PreflightError,
        );
        expect(error.check).to.equal("vault-balance");
        await rejectsWith(
          () => createEscrow(payer, { payee: A.payee, deadline: -1n, amount: 1n }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => createEscrow(payer, { payee: A.payee, deadline: 1n << 64n, amount: 1n }),
          InvalidArgumentError,
        );
        await rejectsWith(
          () => createEscrow(payer, { payee: A.payee, deadline, amount: 1n << 128n }),
          InvalidAmountError,
        );
        await rejectsWith(
          () => createEscrow(payer, { payee: "bad" as Hex20, deadline, amount: 1n }),
          InvalidAddressError,
        );
        await rejectsWith(
          () => createEscrow(payer, { payee: A.payee, arbiter: "bad" as Hex20, deadline, amount: 1n }),
          InvalidAddressError,
        );
      });
      it("createEscrow with a past deadline reverts with VaultEscrowDeadlineInPast", async () => {
        const error = await rejectsWith(
          () => createEscrow(payer, { payee: A.payee, deadline: 1n, amount: 1n }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("VaultEscrowDeadlineInPast");
        expect(error.args).to.deep.equal({ deadline: 1n });
      });
      it("releaseEscrow pays the payee part of it", async () => {
        await releaseEscrow(payer, { escrowId, amount: 100n });
        expect(await balanceOf(reader, { account: A.payee })).to.equal(200n);
        expect((await escrow(reader, { escrowId }))?.amount).to.equal(200n);
      });
      it("releaseEscrow checks role and remaining amount before sending", async () => {
        const unauthorized = await rejectsWith(() => releaseEscrow(stranger, { escrowId, amount: 1n }), PreflightError);
        expect(unauthorized.check).to.equal("escrow-unauthorized");
        const insufficient = await rejectsWith(() => releaseEscrow(payer, { escrowId, amount: 201n }), PreflightError);
        expect(insufficient.check).to.equal("escrow-insufficient");
        const missing = await rejectsWith(() => releaseEscrow(payer, { escrowId: 999n, amount: 1n }), PreflightError);
        expect(missing.check).to.equal("escrow-not-found");
        await rejectsWith(() => releaseEscrow(payer, { escrowId: -1n, amount: 1n }), InvalidArgumentError);
        await rejectsWith(
          () => releaseEscrow(payer, { escrowId: 1 as unknown as bigint, amount: 1n }),
          InvalidArgumentError,
        );
      });
      it("without preflight, a stranger's release reverts with VaultEscrowUnauthorized(escrowId, caller)", async () => {
        const error = await rejectsWith(
          () => releaseEscrow(stranger, { escrowId, amount: 1n, skipPreflight: true }),
          ContractRevertError,
        );
        expect(error.errorName).to.equal("VaultEscrowUnauthorized");
        expect(error.args).to.deep.equal({ escrowId, caller: A.stranger });
      });
      it("resolveEscrow lets the arbiter split what is left", async () => {
        const result = await resolveEscrow(arbiter, { escrowId, toPayee: 50n });
        expect(result.toPayee).to.equal(50n);
        expect(result.toPayer).to.equal(150n);
        expect(await escrow(reader, { escrowId })).to.equal(undefined);
        expect(await balanceOf(reader, { account: A.payee })).to.equal(250n);
        expect(await balanceOf(payer)).to.equal(850n);
      });
      it("resolveEscrow checks the arbiter and the amount", async () => {
        const { escrowId: id } = await createEscrow(payer, {
          payee: A.payee,
          arbiter: A.arbiter,
          deadline,
          amount: 10n,
        });
        const notArbiter = await rejectsWith(() => resolveEscrow(payer, { escrowId: id, toPayee: 1n }), PreflightError);
        expect(notArbiter.check).to.equal("escrow-unauthorized");
        const tooMuch = await rejectsWith(() => resolveEscrow(arbiter, { escrowId: id, toPayee: 11n }), PreflightError);
        expect(tooMuch.check).to.equal("escrow-insufficient");
        await rejectsWith(() => resolveEscrow(arbiter, { escrowId: id, toPayee: -1n }), InvalidAmountError);
      });
      it("reclaimEscrow reverts with VaultEscrowNotExpired before the deadline, and pays back after it", async () => {
        const { escrowId: id } = await createEscrow(payer, {
          payee: A.payee,
          deadline: (await env.now()) + 600n,
          amount: 40n,
        });
        const early = await rejectsWith(() => reclaimEscrow(payer, { escrowId: id }), ContractRevertError);
        expect(early.errorName).to.equal("VaultEscrowNotExpired");
        expect(early.args.escrowId).to.equal(id);
        const notPayer = await rejectsWith(() => reclaimEscrow(payee, { escrowId: id }), PreflightError);
        expect(notPayer.check).to.equal("escrow-unauthorized");
        await env.increaseTime(700);
        const before = await balanceOf(payer);
        const result = await reclaimEscrow(payer, { escrowId: id });
        expect(result.reclaimed).to.equal(40n);
        expect(await balanceOf(payer)).to.equal(before + 40n);
        await rejectsWith(() => reclaimEscrow(payer, { escrowId: "1" as unknown as bigint }), InvalidArgumentError);
      });
      it("escrow reads undefined for an unknown id and rejects a bad one", async () => {
        expect(await escrow(reader, { escrowId: 12_345n })).to.equal(undefined);
        await rejectsWith(() => escrow(reader, { escrowId: -2n }), InvalidArgumentError);
      });
    });

    describe("reads on a read-only client", () => {
      it("need an explicit account", async () => {
        await rejectsWith(() => balanceOf(reader), InvalidArgumentError);
        await rejectsWith(() => allowance(reader), InvalidArgumentError);
        await rejectsWith(() => tokenBalance(reader), InvalidArgumentError);
        expect(await balanceOf(reader, { account: toBase58(A.payer) as `T${string}` })).to.equal(
          await balanceOf(payer),
        );
      });
    });

    describe("bad input to every action", () => {
      const actions = {
        approveToken,
        deposit,
        depositFor,
        withdraw,
        withdrawTo,
        setMarketApproval,
        createEscrow,
        releaseEscrow,
        reclaimEscrow,
        resolveEscrow,
        balanceOf,
        heldBy,
        escrow,
        allowance,
        tokenBalance,
      } as Record<string, (client: unknown, parameters: unknown) => Promise<unknown>>;
      for (const [actionName, action] of Object.entries(actions)) {
        it(`${actionName} rejects junk with a BttkitError, never a plain Error or a hang`, async () => {
          for (const [client, parameters] of [
            [null, {}],
            [{}, {}],
            [payer, null],
            [payer, 7],
            [
              payer,
              {
                amount: "1",
                account: 1,
                owner: 5,
                to: [],
                market: {},
                escrowId: "x",
                toPayee: 1.5,
                payee: null,
                deadline: "soon",
              },
            ],
          ] as const) {
            await rejectsWith(() => action(client, parameters), BttkitError, 15_000);
          }
        });
      }
    });
  });
}
