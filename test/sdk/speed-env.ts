/**
 * The vault test environments (backend-env.ts) plus a SpeedMarket (grace bounds 1 h .. 30 d)
 * that the vault's owner authorises, and its deployment file.
 */

import type { Hex20 } from "../../sdk/src/address.js";
import { toBase58 } from "../../sdk/src/address.js";
import { writeAndWait } from "../../sdk/src/contract.js";
import type { DeploymentFile } from "../../sdk/src/deployments.js";
import { escrowVaultAbi } from "../../sdk/src/generated/abi/index.js";
import type { VaultEnv } from "./backend-env.js";

export const HOUR = 3_600n;
export const DAY = 86_400n;

export interface SpeedEnv extends VaultEnv {
  market: Hex20;
}

/** Deploys and authorises a SpeedMarket in `env`, and adds it to `env.deploymentFile`. */
export async function withSpeedMarket(env: VaultEnv): Promise<SpeedEnv> {
  const owner = env.addresses[0] as Hex20;
  const market = await env.deploy("SpeedMarket", "speed/SpeedMarket.sol/SpeedMarket.json", [
    env.vault,
    owner,
    HOUR.toString(),
    (30n * DAY).toString(),
  ]);
  await writeAndWait(env.backends[0]!, {
    address: env.vault,
    abi: escrowVaultAbi,
    functionName: "setMarket",
    args: [market, true],
  });
  const entry = {
    address: toBase58(market),
    hex: `41${market.slice(2).toLowerCase()}`,
    txId: "cd".repeat(32),
    block: 1,
  };
  const deploymentFile: DeploymentFile = {
    ...env.deploymentFile,
    contracts: { ...env.deploymentFile.contracts, SpeedMarket: entry },
  };
  return { ...env, market, deploymentFile };
}
