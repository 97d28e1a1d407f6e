/** Preflight checks on an existing escrow, shared by release, reclaim and resolve. */

import type { Hex20 } from "../address.js";
import { addr, btt } from "../describe.js";
import { PreflightError } from "../errors.js";
import type { VaultClient } from "./client.js";
import { type EscrowInfo, escrow } from "./reads.js";

export async function loadEscrow(client: VaultClient, escrowId: bigint): Promise<EscrowInfo> {
  const found = await escrow(client, { escrowId });
  if (!found) throw new PreflightError("escrow-not-found", `No escrow ${escrowId}, or it has been fully paid out`);
  return found;
}

export function checkRole(escrowId: bigint, caller: Hex20, allowed: readonly Hex20[], role: string): void {
  if (!allowed.includes(caller)) {
    throw new PreflightError("escrow-unauthorized", `${addr(caller)} is not the ${role} of escrow ${escrowId}`);
  }
}

export function checkRemaining(escrowId: bigint, remaining: bigint, needed: bigint): void {
  if (needed > remaining) {
    throw new PreflightError(
      "escrow-insufficient",
      `Escrow ${escrowId} holds ${btt(remaining)}, ${btt(needed)} asked`,
      {
        needed,
        available: remaining,
      },
    );
  }
}
