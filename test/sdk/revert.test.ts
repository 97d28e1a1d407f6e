import { expect } from "chai";
import { AbiCoder, BrowserProvider, Contract, getBytes, hexlify, id, toUtf8Bytes } from "ethers";
import { network } from "hardhat";
import { toBase58, toTronHex } from "../../sdk/src/address.js";
import { BttkitError, InvalidArgumentError } from "../../sdk/src/errors.js";
import { escrowVaultAbi } from "../../sdk/src/generated/abi/index.js";
import {
  BackendError,
  ContractRevertError,
  decodeRevert,
  isContractRevert,
  normalizeRevertData,
  TimeoutError,
  TransactionFailedError,
  toBttkitError,
} from "../../sdk/src/revert.js";

const connection = await network.create();
const { ethers, networkHelpers } = connection;

async function deployVault() {
  const [owner, alice, stranger] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner.address]);
  return { btt, vault, vaultAddress: await vault.getAddress(), owner, alice, stranger };
}

/** Runs `action`, expects it to throw, returns what it threw. */
async function thrown(action: () => Promise<unknown>): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

/** Revert data of `EscrowVault.withdraw(amount)` by `alice` with no balance, from a real call. */
async function withdrawRevertData(): Promise<{ data: string; alice: string; vaultAddress: string }> {
  const { vault, vaultAddress, alice } = await networkHelpers.loadFixture(deployVault);
  const error = (await thrown(() => vault.connect(alice).withdraw.staticCall(5n))) as { data: string };
  return { data: error.data, alice: alice.address, vaultAddress };
}

const hexText = (text: string) => hexlify(toUtf8Bytes(text)).slice(2);

describe("sdk/revert", () => {
  describe("decodeRevert", () => {
    it("decodes VaultInsufficientBalance from a real EscrowVault.withdraw revert, with named args", async () => {
      const { data, alice } = await withdrawRevertData();
      const decoded = decodeRevert(data);
      expect(decoded.errorName).to.equal("VaultInsufficientBalance");
      expect(decoded.signature).to.equal("VaultInsufficientBalance(address,uint256,uint256)");
      expect(decoded.selector).to.equal(id("VaultInsufficientBalance(address,uint256,uint256)").slice(0, 10));
      expect(decoded.args).to.deep.equal({ account: alice, balance: 0n, needed: 5n });
      expect(decoded.argValues).to.deep.equal([alice, 0n, 5n]);
      expect(decoded.data).to.equal(data);
    });

    it("accepts bare hex (TronWeb's contractResult), upper case and bytes alike", async () => {
      const { data } = await withdrawRevertData();
      for (const input of [data.slice(2), data.slice(2).toUpperCase(), getBytes(data)]) {
        const decoded = decodeRevert(input);
        expect(decoded.errorName).to.equal("VaultInsufficientBalance");
        expect(decoded.data).to.equal(data.toLowerCase());
      }
    });

    it("decodes against a caller-given ABI list, and says unknown when the error is not in it", async () => {
      const { data } = await withdrawRevertData();
      expect(decodeRevert(data, [escrowVaultAbi]).errorName).to.equal("VaultInsufficientBalance");
      const unknown = decodeRevert(data, []);
      expect(unknown.errorName).to.equal("unknown");
      expect(unknown.data).to.equal(data);
    });

    it("decodes Error(string) with its message", () => {
      const data = `0x08c379a0${AbiCoder.defaultAbiCoder().encode(["string"], ["nope"]).slice(2)}`;
      const decoded = decodeRevert(data);
      expect(decoded.errorName).to.equal("Error");
      expect(decoded.args).to.deep.equal({ message: "nope" });
      expect(decoded.reason).to.equal("nope");
    });

    it("decodes Panic(uint256) with the code's meaning", () => {
      const panic = (code: bigint) => `0x4e487b71${AbiCoder.defaultAbiCoder().encode(["uint256"], [code]).slice(2)}`;
      const overflow = decodeRevert(panic(0x11n));
      expect(overflow.errorName).to.equal("Panic");
      expect(overflow.args).to.deep.equal({ code: 0x11n });
      expect(overflow.reason).to.equal("arithmetic overflow or underflow");
      expect(decodeRevert(panic(0x32n)).reason).to.equal("array index out of bounds");
      expect(decodeRevert(panic(0x99n)).reason).to.match(/unknown panic code 0x99/);
    });

    it("keeps the data of an unknown selector, empty data, and a known selector with malformed args", () => {
      expect(decodeRevert("0xdeadbeef0102")).to.include({
        errorName: "unknown",
        selector: "0xdeadbeef",
        data: "0xdeadbeef0102",
      });
      expect(decodeRevert("")).to.include({ errorName: "unknown", selector: undefined, data: "0x" });
      expect(decodeRevert("0x")).to.include({ errorName: "unknown", data: "0x" });
      const truncated = `${id("VaultInsufficientBalance(address,uint256,uint256)").slice(0, 10)}00`;
      expect(decodeRevert(truncated)).to.include({ errorName: "unknown", data: truncated });
    });

    it("throws InvalidArgumentError on data that is not hex", () => {
      for (const bad of ["0xzz", "abc", "hello", 42 as unknown as string]) {
        expect(() => normalizeRevertData(bad)).to.throw(InvalidArgumentError);
      }
    });
  });

  describe("toBttkitError", () => {
    it("turns a plain ethers v6 CALL_EXCEPTION into ContractRevertError with the contract address", async () => {
      const { vaultAddress, alice } = await networkHelpers.loadFixture(deployVault);
      // A bare ethers provider over the same chain (not hardhat-ethers, which rethrows the node's error).
      const provider = new BrowserProvider(connection.provider);
      const vault = new Contract(vaultAddress, escrowVaultAbi, await provider.getSigner(alice.address));
      const cause = await thrown(() => vault.getFunction("withdraw").staticCall(7n));
      expect(cause).to.have.property("code", "CALL_EXCEPTION");
      const error = toBttkitError(cause);
      expect(error).to.be.instanceOf(ContractRevertError);
      expect(error).to.be.instanceOf(BttkitError);
      expect(error.code).to.equal("CONTRACT_REVERT");
      expect(error.cause).to.equal(cause);
      const revert = error as ContractRevertError;
      expect(revert.errorName).to.equal("VaultInsufficientBalance");
      expect(revert.args).to.deep.equal({ account: alice.address, balance: 0n, needed: 7n });
      expect(revert.contractAddress).to.equal(vaultAddress);
      expect(revert.shortMessage).to.equal(
        `Contract reverted with VaultInsufficientBalance(account: ${toBase58(alice.address)}, balance: 0, needed: 7)`,
      );
      expect(isContractRevert(error, "VaultInsufficientBalance")).to.equal(true);
      expect(isContractRevert(error, "VaultZeroAmount")).to.equal(false);
    });

    it("decodes hardhat-ethers' errors (the node's error with data) and takes the address from options", async () => {
      const { vault, vaultAddress } = await networkHelpers.loadFixture(deployVault);
      const error = toBttkitError(await thrown(() => vault.withdraw(0n)), { contractAddress: vaultAddress });
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).contractAddress).to.equal(vaultAddress);
      expect((error as ContractRevertError).errorName).to.equal("VaultZeroAmount");
      expect((error as ContractRevertError).args).to.deep.equal({});
    });

    it("decodes inherited OpenZeppelin errors (OwnableUnauthorizedAccount)", async () => {
      const { vault, stranger } = await networkHelpers.loadFixture(deployVault);
      const error = toBttkitError(await thrown(() => vault.connect(stranger).setMarket(stranger.address, true)));
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).to.equal("OwnableUnauthorizedAccount");
      expect((error as ContractRevertError).args).to.deep.equal({ account: stranger.address });
    });

    it("decodes a token's error bubbled up through the vault (TestBTT's ERC20InsufficientAllowance)", async () => {
      const { vault, vaultAddress, btt, owner } = await networkHelpers.loadFixture(deployVault);
      await btt.mint(owner.address, 10n);
      const error = toBttkitError(await thrown(() => vault.deposit(10n)));
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).to.equal("ERC20InsufficientAllowance");
      expect((error as ContractRevertError).args).to.deep.equal({ spender: vaultAddress, allowance: 0n, needed: 10n });
    });

    it("decodes TronWeb send()'s failure: error.output is the transaction info with bare-hex contractResult", async () => {
      const { data, alice, vaultAddress } = await withdrawRevertData();
      const tronError = Object.assign(new Error("REVERT opcode executed"), {
        error: "REVERT opcode executed",
        transaction: { txID: "ab".repeat(32) },
        output: {
          id: "ab".repeat(32),
          result: "FAILED",
          resMessage: hexText("REVERT opcode executed"),
          contractResult: [data.slice(2)],
          contract_address: toTronHex(vaultAddress),
          receipt: { energy_usage_total: 1234, result: "REVERT" },
        },
      });
      const error = toBttkitError(tronError);
      expect(error).to.be.instanceOf(ContractRevertError);
      const revert = error as ContractRevertError;
      expect(revert.errorName).to.equal("VaultInsufficientBalance");
      expect(revert.args).to.deep.equal({ account: alice, balance: 0n, needed: 5n });
      expect(revert.contractAddress).to.equal(toTronHex(vaultAddress));
      expect(revert.cause).to.equal(tronError);
    });

    it("decodes a raw triggerConstantContract response that reverted", async () => {
      const { data } = await withdrawRevertData();
      const response = {
        result: { code: "CONTRACT_EXE_ERROR", message: hexText("REVERT opcode executed") },
        constant_result: [data.slice(2)],
        transaction: { ret: [{ ret: "FAILED" }] },
      };
      const error = toBttkitError(response);
      expect(error).to.be.instanceOf(ContractRevertError);
      expect((error as ContractRevertError).errorName).to.equal("VaultInsufficientBalance");
    });

    it("types TRON's OUT_OF_ENERGY as TransactionFailedError, not a revert", () => {
      const error = toBttkitError({
        id: "cd".repeat(32),
        result: "FAILED",
        resMessage: hexText("Not enough energy for 'SSTORE' operation executing"),
        contractResult: [""],
        receipt: { result: "OUT_OF_ENERGY" },
      });
      expect(error).to.be.instanceOf(TransactionFailedError);
      expect(error.code).to.equal("TRANSACTION_FAILED");
      expect((error as TransactionFailedError).reason).to.equal("OUT_OF_ENERGY");
      expect((error as TransactionFailedError).transactionId).to.equal("cd".repeat(32));
    });

    it("types TronWeb's data-less texts as a revert of unknown reason", () => {
      for (const thrownValue of [
        "REVERT opcode executed",
        hexText("REVERT opcode executed"),
        new Error("The call has been reverted or has thrown an error. Error message: x"),
      ]) {
        const error = toBttkitError(thrownValue);
        expect(error).to.be.instanceOf(ContractRevertError);
        expect((error as ContractRevertError).errorName).to.equal("unknown");
        expect((error as ContractRevertError).data).to.equal("0x");
        expect(error.cause).to.equal(thrownValue);
      }
    });

    it("types a TronWeb broadcast refusal (error.error = TRON code) as TransactionFailedError", () => {
      const cause = Object.assign(new Error("Validate TransferContract error, balance is not sufficient."), {
        error: "CONTRACT_VALIDATE_ERROR",
      });
      const error = toBttkitError(cause);
      expect(error).to.be.instanceOf(TransactionFailedError);
      expect((error as TransactionFailedError).reason).to.equal("CONTRACT_VALIDATE_ERROR");
    });

    it("passes BttkitErrors through and wraps everything else as BackendError or TimeoutError", () => {
      const own = new InvalidArgumentError("x");
      expect(toBttkitError(own)).to.equal(own);
      const plain = new Error("socket hang up");
      const wrapped = toBttkitError(plain);
      expect(wrapped).to.be.instanceOf(BackendError);
      expect(wrapped.code).to.equal("BACKEND_ERROR");
      expect(wrapped.cause).to.equal(plain);
      expect(toBttkitError(undefined)).to.be.instanceOf(BackendError);
      const timeout = Object.assign(new Error("timeout"), { code: "TIMEOUT", shortMessage: "timeout" });
      expect(toBttkitError(timeout)).to.be.instanceOf(TimeoutError);
    });
  });
});
