// Storage market figures: TRON energy of the entry points (measured on the devnode), their EVM
// gas on Hardhat for comparison, and the SDK's Merkle tree cost against plain keccak.
//
//   npm run bench:storage                      # both parts, 1 GiB for the SDK part
//   BENCH_GIB=0.25 npm run bench:storage       # smaller SDK run
//   BENCH_SKIP_SDK=1 npm run bench:storage     # energy and EVM gas only
//   BENCH_SKIP_GAS=1 npm run bench:storage     # SDK only
//   BENCH_STRENGTH=1 npm run bench:storage     # also: one proof at 1, 2, 4, 8 segments per period (EVM gas)
//
// TRON energy comes from the energy-snapshot scenario run on the devnode (test/energy/scenario.ts,
// java-tron's schedule; the targets below are checked against it). EVM gas is measured on the
// in-process Hardhat chain twice: with the `cancun` hardfork (the EVM
// version the TVM implements and the contracts target; hardhat.config.ts pins it) and, for
// comparison, with osaka (where EIP-7623 raises the price of calldata-heavy transactions). On TRON, calldata costs bandwidth,
// not energy, so the energy of a proof is below both figures.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { getBytes, keccak256, toUtf8Bytes, Wallet } from "ethers";
import { network } from "hardhat";
import { challengedSegments } from "../../sdk/src/storage/challenge.js";
import { MerkleHasher } from "../../sdk/src/storage/keccak.js";
import { rootPath, rootsCommitment, ShardTreeBuilder, toHex } from "../../sdk/src/storage/merkle.js";
import {
  DEFAULT_SEGMENTS_PER_PERIOD,
  dealIdOf,
  offerCalldata,
  type StorageOffer,
  signStorageOfferWithEthers,
  storageMarketDomain,
} from "../../sdk/src/storage/offer.js";
import { measureEnergy } from "../../test/energy/scenario.js";

const UNIT = 10n ** 18n;
const GIB = 2 ** 30;
const SHARDS = 30;

/**
 * A 1 GiB shard whose every segment is the same random pattern: the tree is uniform, so its root
 * and any proof take O(depth) hashes, while segments and proofs are random-looking (realistic
 * calldata) bytes.
 */
function uniformShard(segmentSize: number, shardSize: number, seed: number) {
  const hasher = new MerkleHasher(segmentSize);
  const segment = new Uint8Array(randomBytes(segmentSize));
  segment[0] = seed;
  const count = shardSize / segmentSize;
  const depth = Math.log2(count);
  const levels: Uint8Array[] = [new Uint8Array(32)];
  hasher.hashLeaf(segment, 0, levels[0]!, 0);
  for (let l = 1; l <= depth; l++) {
    levels.push(new Uint8Array(32));
    hasher.hashNode(levels[l - 1]!, 0, levels[l - 1]!, 0, levels[l]!, 0);
  }
  return { segment, root: toHex(levels[depth]!), proof: levels.slice(0, depth).map(toHex), count };
}

async function gasFigures(
  label: string,
  hardfork: string | undefined,
  segmentSize: number,
  segmentsPerPeriod = DEFAULT_SEGMENTS_PER_PERIOD,
) {
  const connection = hardfork === undefined ? await network.create() : await network.create({ override: { hardfork } });
  const { ethers, networkHelpers } = connection;
  const [owner, tenant, keeper] = await ethers.getSigners();
  const btt = await ethers.deployContract("TestBTT", [owner!.address]);
  const vault = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner!.address]);
  const vaultAddress = await vault.getAddress();
  const registry = await ethers.deployContract("HostRegistry", [vaultAddress, owner!.address, 7n * 86_400n]);
  const registryAddress = await registry.getAddress();
  const config = {
    responseWindow: 3_600,
    seedDelay: 2,
    missesToLose: 3,
    withheldBps: 2_000,
    slashBps: 1_000,
    tenantSlashBps: 5_000,
  };
  const market = await ethers.deployContract("StorageMarket", [vaultAddress, registryAddress, config]);
  const marketAddress = await market.getAddress();
  await vault.setMarket(registryAddress, true);
  await vault.setMarket(marketAddress, true);
  await registry.setMarket(marketAddress, true);
  await btt.mint(tenant!.address, 1_000_000n * UNIT);
  await btt.connect(tenant!).approve(vaultAddress, ethers.MaxUint256);
  await vault.connect(tenant!).deposit(100_000n * UNIT);
  await vault.connect(tenant!).setMarketApproval(marketAddress, true);
  const hosts: Wallet[] = [];
  for (let i = 0; i < SHARDS; i++) {
    const host = new Wallet(keccak256(toUtf8Bytes(`bench host ${i}`)), ethers.provider);
    await networkHelpers.setBalance(host.address, 10n ** 20n);
    await btt.mint(host.address, 1_000n * UNIT);
    await btt.connect(host).approve(vaultAddress, ethers.MaxUint256);
    await vault.connect(host).deposit(1_000n * UNIT);
    await vault.connect(host).setMarketApproval(registryAddress, true);
    await registry
      .connect(host)
      .setProfile({ capacity: 1n << 40n, pricePerGiBPerPeriod: UNIT, region: 276, endpoint: `/dns/h${i}/tcp/4001` });
    await registry.connect(host).stake(500n * UNIT);
    hosts.push(host);
  }
  const shards = Array.from({ length: SHARDS }, (_, i) => uniformShard(segmentSize, GIB, i));
  const roots = shards.map((s) => s.root);
  const salt = keccak256(toUtf8Bytes("bench"));
  const params = {
    salt,
    shardSize: BigInt(GIB),
    segmentSize,
    periods: 12,
    periodLength: 86_400,
    minShards: 10,
    segmentsPerPeriod,
  };
  const dealId = dealIdOf(tenant!.address, salt);
  const { chainId } = await ethers.provider.getNetwork();
  const domain = storageMarketDomain(marketAddress, chainId);
  const expiry = BigInt((await ethers.provider.getBlock("latest"))!.timestamp + 3_600);
  const offers = [];
  for (let i = 0; i < SHARDS; i++) {
    const offer: StorageOffer = {
      dealId,
      shardIndex: i,
      generation: 0,
      host: hosts[i]!.address,
      shardRoot: roots[i]!,
      shardSize: params.shardSize,
      segmentSize,
      periods: params.periods,
      periodLength: params.periodLength,
      segmentsPerPeriod,
      price: 3n * UNIT + BigInt(i),
      collateral: 50n * UNIT,
      expiry,
      nonce: BigInt(i),
    };
    offers.push(offerCalldata(offer, await signStorageOfferWithEthers(hosts[i]!, domain, offer)));
  }
  /** Execution gas: gasUsed less the 21,000 base and calldata (EIP-2028), which TRON bills as bandwidth. */
  let lastExec = 0n;
  const gas = async (tx: Promise<{ data: string; wait(): Promise<{ gasUsed: bigint } | null> }>) => {
    const sent = await tx;
    const used = (await sent.wait())!.gasUsed;
    const bytes = getBytes(sent.data);
    const calldata = bytes.reduce((sum, b) => sum + (b === 0 ? 4n : 16n), 0n);
    lastExec = used - 21_000n - calldata;
    return used;
  };
  const figures: Record<string, bigint> = {};
  figures.openDeal30 = await gas(market.connect(tenant!).openDeal(params, roots, offers));
  let records = [...(await market.queryFilter(market.filters.ShardsUpdated(dealId))).at(-1)!.args.records];

  const openPeriod = async () => {
    const deal = await market.deal(dealId);
    await networkHelpers.time.increaseTo(Number(deal.start) + Number(deal.settledPeriods) * 86_400 + 1);
    figures.openChallenge = await gas(market.connect(keeper!).openChallenge(dealId));
    await networkHelpers.mine(2);
    figures.drawSeed = await gas(market.connect(keeper!).drawSeed(dealId));
    return (await market.challenge(dealId)).seed;
  };
  const settle = async () => {
    const c = await market.challenge(dealId);
    await networkHelpers.time.increaseTo(Number(c.deadline) + 1);
    const g = await gas(market.connect(keeper!).settle(dealId, records));
    records = [...(await market.queryFilter(market.filters.ShardsUpdated(dealId))).at(-1)!.args.records];
    return g;
  };
  const proofArgs = (seed: string, i: number) => {
    const s = shards[i]!;
    // Uniform tree: the same segment and path answer every index, once per challenged segment.
    const k = challengedSegments(seed, i, s.count, segmentsPerPeriod).length;
    return {
      segment: Buffer.concat(Array.from({ length: k }, () => s.segment)),
      proof: Array.from({ length: k }, () => s.proof).flat(),
    };
  };

  // Period 0: single proofs (the first pays the cold reads; later ones are the same shape).
  let seed = await openPeriod();
  const singles: bigint[] = [];
  for (let i = 0; i < SHARDS; i++) {
    const p = proofArgs(seed, i);
    singles.push(
      await gas(market.connect(keeper!).submitProof(dealId, i, roots[i]!, rootPath(roots, i), p.segment, p.proof)),
    );
  }
  figures.proofSingleExecLast = lastExec;
  figures.proofSingleFirst = singles[0]!;
  figures.proofSingleMax = singles.reduce((a, b) => (a > b ? a : b));
  figures.settle30AllProven = await settle();

  // Period 1: one batch of 30.
  seed = await openPeriod();
  const batch = Array.from({ length: SHARDS }, (_, i) => ({ shard: i, ...proofArgs(seed, i) }));
  const batchGas = await gas(market.connect(keeper!).submitProofs(dealId, roots, batch));
  figures.proofBatch30Total = batchGas;
  figures.proofBatch30PerProof = batchGas / BigInt(SHARDS);
  figures.proofBatch30ExecPerProof = lastExec / BigInt(SHARDS);
  figures.settle30AllProvenAgain = await settle();

  // Period 2: 5 shards miss (one miss each, nobody lost).
  seed = await openPeriod();
  await market.connect(keeper!).submitProofs(dealId, roots, batch.slice(5));
  figures.settle30FiveMissed = await settle();
  void rootsCommitment;
  const hosting = await ethers.getContractAt("IStorageHosting", marketAddress);
  figures.claimAll30 = await gas(hosting.claim(dealId, records, (1n << 30n) - 1n));

  console.log(
    `\n== EVM gas (Hardhat), ${label}, ${segmentSize}-byte segments, ${segmentsPerPeriod} per period, 1 GiB shards (depth ${shards[0]!.proof.length}) ==`,
  );
  for (const [k, v] of Object.entries(figures))
    console.log(`${k.padEnd(24)} ${v.toLocaleString("en-US").padStart(10)}`);
  await connection.close?.();
  return figures;
}

async function sdkFigures(bytes: number) {
  // 16 MiB of random data fed again and again: the shard is never in memory. The host is shared,
  // so the plain hash and the trees are timed slice by slice, interleaved, over the same bytes:
  // load changes hit all of them alike.
  const chunk = new Uint8Array(randomBytes(16 * 2 ** 20));
  const sizes = [256, 512, 1024];
  const plain = keccak_256.create();
  const builders = sizes.map((segmentSize) => new ShardTreeBuilder({ segmentSize }));
  let plainMs = 0;
  const treeMs = sizes.map(() => 0);
  for (let sent = 0; sent < bytes; sent += chunk.length) {
    const slice = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
    let t = performance.now();
    plain.update(slice);
    plainMs += performance.now() - t;
    builders.forEach((b, i) => {
      t = performance.now();
      b.update(slice);
      treeMs[i]! += performance.now() - t;
    });
  }
  let t = performance.now();
  plain.digest();
  plainMs += performance.now() - t;
  console.log(
    `\n== SDK Merkle tree vs plain keccak_256 (@noble/hashes), same process, ${(bytes / GIB).toFixed(2)} GiB ==`,
  );
  console.log(
    `plain keccak_256 stream        ${(plainMs / 1000).toFixed(2)} s  (${(bytes / 2 ** 20 / (plainMs / 1000)).toFixed(0)} MiB/s)`,
  );
  sizes.forEach((segmentSize, i) => {
    t = performance.now();
    const tree = builders[i]!.finish();
    const ms = treeMs[i]! + performance.now() - t;
    const leafBlocks = Math.floor((segmentSize + 1) / 136) + 1;
    const blockRatio = ((bytes / segmentSize) * (leafBlocks + 1)) / (bytes / 136);
    console.log(
      `tree, ${String(segmentSize).padStart(4)}-byte segments    ${(ms / 1000).toFixed(2)} s  ratio ${(ms / plainMs).toFixed(2)}x` +
        `  (keccak permutations ${blockRatio.toFixed(2)}x; cached levels ${(tree.levels.reduce((a, l) => a + l.length, 0) / 2 ** 20).toFixed(1)} MiB)`,
    );
  });
}

if (!process.env.BENCH_SKIP_GAS) {
  const results: Record<string, Record<string, bigint>> = {};
  for (const segmentSize of [256, 512]) {
    results[`cancun-${segmentSize}`] = await gasFigures("hardfork cancun (TVM target)", "cancun", segmentSize);
  }
  results["osaka-256"] = await gasFigures("hardfork osaka (EIP-7623 calldata floor), for comparison", "osaka", 256);
  const energy = await measureEnergy();
  console.log("\n== TRON energy (devnode, the energy-snapshot scenario, 256-byte segments, 1 GiB shards) ==");
  for (const [k, v] of Object.entries(energy).filter(([k]) => k.startsWith("StorageMarket.")))
    console.log(`${k.padEnd(44)} ${v.toLocaleString("en-US").padStart(10)}`);
  console.log("\n== targets (TRON energy) ==");
  const check = (name: string, value: number, limit: number) =>
    console.log(
      `${name.padEnd(34)} ${value.toLocaleString("en-US").padStart(9)} <= ${limit.toLocaleString("en-US").padStart(9)}  ${value <= limit ? "ok" : "MISSED"}`,
    );
  const e = (k: string) => energy[k] ?? Number.NaN;
  check("one proof (1 GiB shard)", e("StorageMarket.submitProof"), 60_000);
  check("batch of 28, per proof", Math.floor(e("StorageMarket.submitProofs (28)") / 28), 35_000);
  check("open a 30-shard deal", e("StorageMarket.openDeal (30 shards)"), 600_000);
  check("settle a period of 30 shards", e("StorageMarket.settle (30 shards, 1 missed)"), 150_000);
}
if (process.env.BENCH_STRENGTH) {
  // Proof strength: a host keeping a fraction f of its shard passes a period with f**k.
  const rows: string[] = [];
  for (const k of [1, 2, 4, 8]) {
    const f = await gasFigures("hardfork cancun", "cancun", 256, k);
    const miss90 = 1 - 0.9 ** k;
    const cells = [f.proofSingleMax!, f.proofSingleExecLast!, f.proofBatch30PerProof!, f.proofBatch30ExecPerProof!];
    rows.push(
      `${String(k).padStart(2)}  ${cells.map((v) => v.toLocaleString("en-US").padStart(11)).join(" ")}  ${(miss90 * 100).toFixed(1).padStart(5)}%`,
    );
  }
  console.log("\n== proof strength: EVM gas per proof, 256-byte segments, 1 GiB shards (cancun) ==");
  console.log("exec = gasUsed less the 21,000 base and calldata (TRON bills those as bandwidth, not energy)");
  console.log(" k   single max single exec batch/proof  batch exec  P(catch a host keeping 90%) per period");
  for (const r of rows) console.log(r);
}
if (!process.env.BENCH_SKIP_SDK) await sdkFigures(Math.round(Number(process.env.BENCH_GIB ?? "1") * GIB));
