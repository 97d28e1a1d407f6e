#!/usr/bin/env node
/** `npm run devnode`: serve a devnode until interrupted, printing the test accounts like TRE. */
import { Command, InvalidArgumentError } from "commander";
import { startDevnode } from "./index.js";

/** Rejects anything but a non-negative integer (decimal, or 0x hex), before the node starts. */
function int(value: string): string {
  if (!/^(\d+|0x[0-9a-fA-F]+)$/.test(value)) throw new InvalidArgumentError("expected a non-negative integer");
  return value;
}

const program = new Command()
  .name("devnode")
  .description("TRON full-node HTTP API over an in-process EVM (bttkit)")
  .option("-p, --port <port>", "port on 127.0.0.1", int, "9090")
  .option("-a, --accounts <n>", "number of funded test accounts", int, "10")
  .option("-b, --balance <trx>", "balance of each test account, in TRX", int, "1000000")
  .option("-s, --seed <seed>", "seed the test keys derive from", "bttkit-devnode")
  .option("--chain-id <id>", "block.chainid (decimal or 0x hex); default Nile", int, "0xcd8690dc")
  .option("--energy-price <sun>", "sun per energy unit", int, "100")
  .option("--block-time <seconds>", "seconds between blocks; 0 mines each transaction at once", int, "0")
  .option("-v, --verbose", "log requests", false)
  .parse();

const o = program.opts();
const started = Date.now();
const node = await startDevnode({
  port: Number(o.port),
  accounts: Number(o.accounts),
  balance: BigInt(o.balance) * 1_000_000n,
  seed: o.seed,
  chainId: BigInt(o.chainId),
  energyPrice: Number(o.energyPrice),
  blockTime: Number(o.blockTime),
  verbose: o.verbose,
});

const lines = [
  `bttkit devnode listening on ${node.url} (booted in ${Date.now() - started} ms)`,
  `chain id ${node.chain.opts.chainId} (0x${node.chain.opts.chainId.toString(16)}), energy price ${node.chain.opts.energyPrice} sun`,
  "",
  `Available Accounts (${o.balance} TRX each)`,
  "==================",
  ...node.accounts.map((a, i) => `(${i}) ${a.base58} (${a.hex})`),
  "",
  "Private Keys",
  "==================",
  ...node.accounts.map((a, i) => `(${i}) ${a.privateKey}`),
  "",
  `fullHost: ${node.url}   accounts JSON: ${node.url}/admin/accounts-json   TRE RPC: POST ${node.url}/tre`,
];
console.log(lines.join("\n"));

for (const sig of ["SIGINT", "SIGTERM"] as const) {
  process.once(sig, () => {
    void node.stop().then(() => process.exit(0));
  });
}
