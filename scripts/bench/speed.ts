// Energy (gas) figures of SpeedMarket's entry points, gasUsed including the 21,000 base.
// Run: npm run bench:speed   (npx hardhat run scripts/bench/speed.ts)
// Energy on TRON follows the EVM schedule closely, but calldata costs bandwidth there, not
// energy (TRON.md); these figures charge calldata at the EVM's 16/4 gas per byte.
import { network } from "hardhat";
import { DAY, deploySpeed, MIB, receipt, relay, UNIT, V1_HASH, V2_HASH } from "../../test/speed/fixtures.js";

const { ethers, networkHelpers } = await network.create("hardhat");
const { time } = networkHelpers;
const f = await deploySpeed(ethers);
const { market, alice, bob, s1, relayer } = f;
const seeders = f.signers.slice(10, 30);
const rows: [string, bigint, string][] = [];

async function gas(
  label: string,
  tx: Promise<{ wait(): Promise<{ gasUsed: bigint } | null> }>,
  budget: string,
  per = 1n,
) {
  const rc = await (await tx).wait();
  if (!rc) throw new Error(`no receipt for ${label}`);
  rows.push([label, rc.gasUsed / per, budget]);
  return rc.gasUsed;
}

const now = BigInt(await time.latest());
const price = UNIT / 100n; // 0.01 BTT per MiB
await gas(
  "openBid (new infohash)",
  market.connect(alice).openBid(V1_HASH, 1, price, 100n * UNIT, now + 7n * DAY, DAY),
  "<= 120,000",
);
await gas(
  "openBid (infohash with bids)",
  market.connect(bob).openBid(V1_HASH, 1, price, 100n * UNIT, now + 7n * DAY, DAY),
  "<= 120,000",
);
await gas(
  "openBid (v2 infohash)",
  market.connect(alice).openBid(V2_HASH, 2, price, 100n * UNIT, now + 7n * DAY, DAY),
  "<= 120,000",
);
await gas("topUp", market.connect(alice).topUp(1n, 10n * UNIT), "-");

// Seeder s1 first redeems on bid 1 (a new seeder pays for its slot), then again (known seeder).
await gas(
  "redeem (first receipt of a seeder on a bid)",
  market.redeem(await receipt(alice, f.domain, 1n, s1.address, 10n * MIB)),
  "-",
);
await gas(
  "redeem (seeder known to the bid)",
  market.redeem(await receipt(alice, f.domain, 1n, s1.address, 20n * MIB)),
  "<= 45,000",
);

// Batch: 10 seeders on bid 1, each already known.
for (const s of seeders.slice(0, 10)) await market.redeem(await receipt(alice, f.domain, 1n, s.address, MIB));
const sameBid = [];
for (const s of seeders.slice(0, 10)) sameBid.push(await receipt(alice, f.domain, 1n, s.address, 2n * MIB));
await gas(
  "redeemBatch 10 receipts, one bid, 10 known seeders (per receipt)",
  market.redeemBatch(sameBid),
  "<= 15,000",
  10n,
);

// Batch: 10 bids (10 downloaders' bids) for one known seeder.
const bids: bigint[] = [];
for (let i = 0; i < 10; i++) {
  const d = f.signers[[1, 2, 3, 4][i % 4]!]!;
  await market.connect(d).openBid(V2_HASH, 2, price, 10n * UNIT, now + 7n * DAY, DAY);
  const id = (await market.nextBidId()) - 1n;
  bids.push(id);
  await market.redeem(await receipt(d, f.domain, id, s1.address, MIB));
}
const manyBids = [];
for (let i = 0; i < 10; i++)
  manyBids.push(await receipt(f.signers[[1, 2, 3, 4][i % 4]!]!, f.domain, bids[i]!, s1.address, 2n * MIB));
await gas(
  "redeemBatch 10 receipts, 10 bids, one known seeder (per receipt)",
  market.redeemBatch(manyBids),
  "(<= 15,000)",
  10n,
);

// Relayed: s1 authorises the relayer for 1 BTT in total; the first relayed call creates the
// relayer's account, the second is the steady state.
const deadline = now + 30n * DAY;
const terms = { seeder: s1.address, relayer: relayer.address, maxFee: UNIT, nonce: 1n, deadline };
await gas(
  "redeemRelayed (first under this relayer)",
  market
    .connect(relayer)
    .redeemRelayed(
      await receipt(alice, f.domain, 1n, s1.address, 30n * MIB),
      await relay(s1, f.domain, terms, UNIT / 1000n),
    ),
  "-",
);
await gas(
  "redeemRelayed (known seeder and relayer)",
  market
    .connect(relayer)
    .redeemRelayed(
      await receipt(alice, f.domain, 1n, s1.address, 40n * MIB),
      await relay(s1, f.domain, terms, UNIT / 1000n),
    ),
  "<= 55,000",
);

await gas("claim (seeder, 1 bid)", market.claim(s1.address, [1n]), "-");
await gas("claim (seeder, 11 bids)", market.claim(s1.address, [1n, ...bids]), "-");
await gas("claimRelayFees", market.claimRelayFees(relayer.address, [s1.address]), "-");

await gas("closeBid (downloader, starts grace)", market.connect(alice).closeBid(1n), "<= 60,000");
await time.increase(Number(DAY) + 1);
await gas("refundBid (after grace)", market.refundBid(1n), "<= 60,000");
await time.increase(Number(7n * DAY));
await gas("closeBid (expired past grace: close + refund in one call)", market.connect(bob).closeBid(2n), "<= 60,000");

console.log("SpeedMarket energy (gasUsed incl. 21,000 base; batches per receipt)\n");
const width = Math.max(...rows.map((r) => r[0].length));
for (const [label, used, budget] of rows)
  console.log(`${label.padEnd(width)}  ${used.toLocaleString("en-US").padStart(8)}  ${budget}`);
