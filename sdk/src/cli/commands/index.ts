/**
 * The CLI's command groups. Each registers its commands on the program and reaches the chain
 * only through the `CliContext` (deployment, backend, clients), so adding a group is one file
 * and one line here.
 *
 * Extension points for the storage market (another engineer's):
 * - `host.ts`: `host register`, `host stake`, `host unbond`, `host info` over a HostRegistry client;
 * - `store.ts`: `store <file>` (erasure-code, pick hosts, collect offers, open the deal), with
 *   progress bars like `receipt redeem`;
 * - `keeper.ts`: `keeper` (a long-running loop: open and settle challenges);
 * - `hostAgent.ts`: `host-agent` (watch deals, answer challenges from local shard files).
 * Add their clients to `CliContext` beside `vault()` and `speed()` (e.g. `storage()`, from
 * `deployment()` and `backend()`), and their registration functions to `commandGroups`.
 */
import type { Command } from "commander";
import type { CliContext } from "../context.js";
import { registerBidCommands } from "./bid.js";
import { registerDealCommands } from "./deal.js";
import { registerHostCommands } from "./host.js";
import { registerNetCommands } from "./net.js";
import { registerReceiptCommands } from "./receipt.js";
import { registerStorageLoopCommands } from "./storageLoops.js";
import { registerStoreCommand } from "./store.js";
import { registerVaultCommands } from "./vault.js";

/** Registers a group of commands on the program. */
export type CommandGroup = (program: Command, ctx: CliContext) => void;

export const commandGroups: readonly CommandGroup[] = [
  registerVaultCommands,
  registerBidCommands,
  registerReceiptCommands,
  registerHostCommands,
  registerStoreCommand,
  registerDealCommands,
  registerStorageLoopCommands,
  registerNetCommands,
];
