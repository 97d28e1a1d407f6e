/**
 * `npm run bench:devnode`: boot-to-first-answer time of the CLI process, and the round trip of
 * TronWeb's send({shouldPollResponse: true}) (trigger + sign + broadcast + poll) over ~50 sends.
 */
import { spawn } from "node:child_process";
import { TronWeb } from "tronweb";
import { compileProbe } from "../test/devnode/compile.js";
import { startDevnode } from "./src/index.js";

const SENDS = Number(process.env.BENCH_SENDS ?? 50);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

/** Spawns `tsx devnode/src/cli.ts --port 0` and polls until getnowblock answers. */
async function bootTime(): Promise<{ total: number; reported: string; firstTx: number }> {
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", "tsx", "devnode/src/cli.ts", "--port", "0", "--accounts", "10"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  try {
    let out = "";
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (c) => {
        out += c;
        const m = /listening on (http:\/\/[\d.:]+)/.exec(out);
        if (m) resolve(m[1]);
      });
      child.on("exit", (code) => reject(new Error(`devnode exited with ${code}`)));
    });
    for (;;) {
      try {
        const res = await fetch(`${url}/wallet/getnowblock`);
        if (res.ok && (await res.json()).blockID) break;
      } catch {
        // not up yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    const total = performance.now() - t0;
    // The transaction codec (tronweb) loads in the background: time the first built transaction too.
    const [from, to] = [...out.matchAll(/\(\d+\) (T\w{33})/g)].map((m) => m[1]);
    const res = await fetch(`${url}/wallet/createtransaction`, {
      method: "POST",
      body: JSON.stringify({ owner_address: from, to_address: to, amount: 1, visible: true }),
    });
    if (!(await res.json()).txID) throw new Error("createtransaction failed");
    return { total, reported: /\(booted in (\d+) ms\)/.exec(out)?.[1] ?? "?", firstTx: performance.now() - t0 };
  } finally {
    child.kill("SIGTERM");
  }
}

const boot = await bootTime();
console.log(
  `boot to first answered request (spawn tsx CLI -> getnowblock): ${boot.total.toFixed(0)} ms (in-process startDevnode: ${boot.reported} ms)`,
);
console.log(`boot to first built transaction (-> createtransaction): ${boot.firstTx.toFixed(0)} ms`);

const { DevnodeProbe } = compileProbe();
const t1 = performance.now();
const node = await startDevnode({ accounts: 2 });
const inProcess = performance.now() - t1;
try {
  const tronWeb = new TronWeb({ fullHost: node.url, privateKey: node.accounts[0].privateKey });
  const tx = await tronWeb.transactionBuilder.createSmartContract(
    { abi: DevnodeProbe.abi as never, bytecode: DevnodeProbe.bytecode, parameters: [1], feeLimit: 2_000_000_000 },
    node.accounts[0].hex,
  );
  await tronWeb.trx.sendRawTransaction(await tronWeb.trx.sign(tx));
  const c = tronWeb.contract(
    DevnodeProbe.abi as never,
    (tx as unknown as { contract_address: string }).contract_address,
  );
  // warm-up (JIT, first-use caches)
  for (let i = 0; i < 5; i++) await c.set(i).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
  const times: number[] = [];
  for (let i = 0; i < SENDS; i++) {
    const t = performance.now();
    await c.set(1000 + i).send({ shouldPollResponse: true, feeLimit: 100_000_000 });
    times.push(performance.now() - t);
  }
  const calls: number[] = [];
  for (let i = 0; i < SENDS; i++) {
    const t = performance.now();
    await c.value().call();
    calls.push(performance.now() - t);
  }
  console.log(`in-process startDevnode (second boot, modules loaded): ${inProcess.toFixed(1)} ms`);
  console.log(
    `send({shouldPollResponse:true}) x${SENDS}: median ${median(times).toFixed(1)} ms, p90 ${pct(times, 0.9).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms`,
  );
  console.log(`call() x${SENDS}: median ${median(calls).toFixed(1)} ms`);
} finally {
  await node.stop();
}
