/** Compiles the devnode test fixture with the pinned npm solc 0.8.29 (no download). */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

export interface Compiled {
  abi: Array<Record<string, unknown>>;
  bytecode: string;
}

let cache: Record<string, Compiled> | undefined;

export function compileProbe(): Record<string, Compiled> {
  if (cache) return cache;
  const solc = require("solc");
  const source = readFileSync(new URL("./fixtures/DevnodeProbe.sol", import.meta.url), "utf8");
  const input = {
    language: "Solidity",
    sources: { "DevnodeProbe.sol": { content: source } },
    settings: {
      optimizer: { enabled: true, runs: 200 },
      evmVersion: "cancun",
      outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
    },
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input)));
  const errors = (out.errors ?? []).filter((e: { severity: string }) => e.severity === "error");
  if (errors.length) throw new Error(errors.map((e: { formattedMessage: string }) => e.formattedMessage).join("\n"));
  cache = {};
  for (const [name, c] of Object.entries(
    out.contracts["DevnodeProbe.sol"] as Record<string, { abi: never; evm: { bytecode: { object: string } } }>,
  )) {
    cache[name] = { abi: c.abi, bytecode: c.evm.bytecode.object };
  }
  return cache;
}
