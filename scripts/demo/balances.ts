/**
 * Balances for `npm start`'s report: each participant's wallet BTT, free vault balance and host
 * stake, before and after; and the vault's books (its token balance against every internal account).
 */
import {
  createStorageClient,
  type Deployment,
  deployedContract,
  getContract,
  type Hex20,
  heldBy,
} from "../../sdk/src/index.js";
import { testBTTAbi } from "../../sdk/src/testing.js";
import type { DemoEnv, Participant } from "./env.js";
import { btt, delta, print } from "./output.js";

export interface Holdings {
  wallet: bigint;
  free: bigint;
  stake: bigint;
}

export type Snapshot = Map<Hex20, Holdings>;

export const worth = (h: Holdings) => h.wallet + h.free + h.stake;

export async function books(env: DemoEnv) {
  const reader = await createStorageClient({ backend: env.reader, deployment: env.deployment });
  const address = (d: Deployment, name: string) => deployedContract(d, name).hex;
  return {
    reader,
    async snapshot(participants: readonly Participant[]): Promise<Snapshot> {
      const rows = await Promise.all(
        participants.map(async (p) => {
          const [wallet, free, stake] = await Promise.all([
            reader.vault.token.read.balanceOf([p.address]),
            reader.vault.vault.read.balanceOf([p.address]),
            reader.registry.read.stakeOf([p.address]).then((s) => s.stake),
          ]);
          return [p.address, { wallet, free, stake }] as const;
        }),
      );
      return new Map(rows);
    },
    /** The vault's token balance and what it owes, per internal account. */
    async vault(participants: readonly Participant[]) {
      const d = env.deployment;
      const [tokenBalance, supply, registry, storage, speed, snap] = await Promise.all([
        reader.vault.token.read.balanceOf([reader.vault.vault.address]),
        getContract({ backend: env.reader, address: reader.vault.token.address, abi: testBTTAbi }).read.totalSupply([]),
        heldBy(reader.vault, { market: address(d, "HostRegistry") }),
        heldBy(reader.vault, { market: address(d, "StorageMarket") }),
        heldBy(reader.vault, { market: address(d, "SpeedMarket") }),
        this.snapshot(participants),
      ]);
      const rows = [...snap.values()];
      const free = rows.reduce((s, h) => s + h.free, 0n);
      const stakes = rows.reduce((s, h) => s + h.stake, 0n);
      const wallets = rows.reduce((s, h) => s + h.wallet, 0n);
      return { tokenBalance, supply, registry, storage, speed, free, stakes, wallets };
    },
  };
}

/** Before/after rows for the participants of interest. */
export function printHoldings(rows: { label: string; p: Participant }[], before: Snapshot, after: Snapshot): void {
  const w = 15;
  print(
    `  ${"".padEnd(26)} ${"wallet BTT".padStart(w)} ${"vault free".padStart(w)} ${"stake".padStart(w)}   ${"change (all three)".padStart(w + 3)}`,
  );
  for (const { label, p } of rows) {
    const b = before.get(p.address)!;
    const a = after.get(p.address)!;
    print(`  ${label.padEnd(26)} ${btt(b.wallet, w)} ${btt(b.free, w)} ${btt(b.stake, w)}   before`);
    print(
      `  ${"".padEnd(26)} ${btt(a.wallet, w)} ${btt(a.free, w)} ${btt(a.stake, w)}   after  ${delta(worth(a) - worth(b), w)}`,
    );
  }
}
