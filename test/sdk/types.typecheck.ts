/**
 * Compile-time tests of the SDK's ABI-inferred types, checked by `npm run typecheck` (tsc). Each
 * `@ts-expect-error` line must fail to compile; if it ever compiles, tsc reports the unused
 * directive and the check fails. Nothing here runs.
 */

import { trc20Abi } from "../../sdk/src/backend/abi.js";
import type { Backend } from "../../sdk/src/backend/types.js";
import { getContract } from "../../sdk/src/contract.js";
import { escrowVaultAbi } from "../../sdk/src/generated/abi/index.js";
import { balanceOf, createEscrow, deposit, type EscrowInfo, type VaultClient } from "../../sdk/src/vault/index.js";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_value?: T) => {};

export async function typeTests(backend: Backend, client: VaultClient) {
  const vault = getContract({ backend, address: "0x0000000000000000000000000000000000000001", abi: escrowVaultAbi });

  // Results are inferred from the ABI.
  const balance = await vault.read.balanceOf(["TJRabPrwbZy45sbavfcjinPJC18kjpRTv8"]);
  assertType<Equal<typeof balance, bigint>>();
  const token = await vault.read.token();
  assertType<Equal<typeof token, `0x${string}`>>();
  const info = await vault.read.escrow([1n]);
  assertType<Equal<typeof info.deadline, bigint>>();
  assertType<Equal<typeof info.payer, `0x${string}`>>();
  const decimals = await backend.read({ address: "41" as `41${string}`, abi: trc20Abi, functionName: "decimals" });
  assertType<Equal<typeof decimals, number>>();
  const { txId } = await vault.write.deposit([5n], { feeLimit: 100_000_000n });
  assertType<Equal<typeof txId, string>>();
  const events = await backend.getEvents({ address: vault.address, abi: escrowVaultAbi, eventName: "Deposited" });
  assertType<Equal<(typeof events)[number]["args"]["amount"], bigint>>();
  const escrowInfo: EscrowInfo | undefined = undefined;
  void escrowInfo;

  // @ts-expect-error: no such function
  await vault.read.balanceOff(["0x0000000000000000000000000000000000000001"]);
  // @ts-expect-error: deposit is not a view function
  await vault.read.deposit([1n]);
  // @ts-expect-error: balanceOf is not a state-changing function
  await vault.write.balanceOf(["0x0000000000000000000000000000000000000001"]);
  // @ts-expect-error: amount must be a bigint
  await vault.write.deposit(["1"]);
  // @ts-expect-error: wrong argument count
  await vault.write.withdrawTo(["0x0000000000000000000000000000000000000001"]);
  // @ts-expect-error: an address must be 0x..., T... or 41...
  await vault.read.balanceOf(["bob"]);
  // @ts-expect-error: no such event
  await backend.getEvents({ address: vault.address, abi: escrowVaultAbi, eventName: "Deposit" });
  // @ts-expect-error: functionName must be a view function of the ABI
  await backend.read({ address: vault.address, abi: trc20Abi, functionName: "approve", args: [vault.address, 1n] });
  // @ts-expect-error: amount must be a bigint
  await deposit(client, { amount: 1 });
  // @ts-expect-error: payee is required
  await createEscrow(client, { deadline: 1n, amount: 1n });
  // @ts-expect-error: account must be an address
  await balanceOf(client, { account: 5 });
}
