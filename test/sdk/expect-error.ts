/** Assertion helpers for SDK errors. */
import { expect } from "chai";
import { BttkitError } from "../../sdk/src/errors.js";

/** Runs `action` (bounded by `ms`), expects it to reject with a BttkitError of `type`; returns it. */
export async function rejectsWith<T extends BttkitError>(
  action: () => Promise<unknown>,
  type: abstract new (...args: never[]) => T,
  ms = 20_000,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((resolve) => {
    timer = setTimeout(() => resolve("hang"), ms);
  });
  let outcome: unknown;
  try {
    const result = await Promise.race([action().then(() => "resolved" as const), hang]);
    outcome = result;
  } catch (error) {
    outcome = error;
  } finally {
    clearTimeout(timer);
  }
  if (outcome === "hang") throw new Error(`expected a ${type.name}, but it did not settle within ${ms} ms`);
  if (outcome === "resolved") throw new Error(`expected a ${type.name}, but it resolved`);
  expect(outcome, String(outcome)).to.be.instanceOf(BttkitError);
  expect(outcome, `${(outcome as Error).name}: ${(outcome as Error).message}`).to.be.instanceOf(type);
  return outcome as T;
}
