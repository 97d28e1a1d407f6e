// TRON energy of SpeedMarket's entry points, measured on the devnode (java-tron's schedule; no
// 21,000 base, and calldata costs bandwidth, not energy). Batches are per receipt.
// Run: npm run bench:speed
import { MaxUint256 } from "ethers";
import { speedDomain } from "../../sdk/src/speed/receipt.js";
import { bootTron, type Who } from "../../test/energy/tron.js";
import { DAY, HOUR, MIB, receipt, relay, UNIT, V1_HASH, V2_HASH } from "../../test/speed/fixtures.js";

const t = await bootTron({ accounts: 30 });
try {
  const signers = Array.from({ length: 30 }, (_, i) => t.who(i));
  const [owner, alice, bob, , , s1, , , relayer] = signers as Who[];
  if (!owner || !alice || !bob || !s1 || !relayer) throw new Error("accounts");
  const btt = await t.deploy("TestBTT", [owner.address], owner);
  const vault = await t.deploy("EscrowVault", [btt.address, owner.address], owner);
  const market = await t.deploy("SpeedMarket", [vault.address, owner.address, HOUR, 30n * DAY], owner);
  await t.send(owner, vault, "setMarket", [market.address, true]);
  const downloaders = signers.slice(1, 5);
  for (const user of downloaders) {
    await t.send(owner, btt, "mint", [user.address, 10_000n * UNIT]);
    await t.send(user, btt, "approve", [vault.address, MaxUint256]);
    await t.send(user, vault, "deposit", [1_000n * UNIT]);
    await t.send(user, vault, "setMarketApproval", [market.address, true]);
  }
  const domain = speedDomain({ chainId: t.node.chain.opts.chainId, verifyingContract: market.address });
  const seeders = signers.slice(10, 30);
  const rows: [string, number, string][] = [];
  const gas = async (label: string, sent: Promise<{ energy: number }>, budget: string, per = 1) =>
    rows.push([label, Math.floor((await sent).energy / per), budget]);

  const now = BigInt(Math.floor(t.node.chain.now() / 1000));
  const price = UNIT / 100n; // 0.01 BTT per MiB
  const open = (who: Who, hash: string, v: number, budget: bigint) =>
    t.send(who, market, "openBid", [hash, v, price, budget, now + 7n * DAY, DAY]);
  await gas("openBid (new infohash)", open(alice, V1_HASH, 1, 100n * UNIT), "<= 120,000");
  await gas("openBid (infohash with bids)", open(bob, V1_HASH, 1, 100n * UNIT), "<= 120,000");
  await gas("openBid (v2 infohash)", open(alice, V2_HASH, 2, 100n * UNIT), "<= 120,000");
  await gas("topUp", t.send(alice, market, "topUp", [1n, 10n * UNIT]), "-");

  const redeem = async (who: Who, bid: bigint, seeder: string, bytes: bigint) =>
    t.send(owner, market, "redeem", [await receipt(who.wallet, domain, bid, seeder, bytes)]);
  // Seeder s1 first redeems on bid 1 (a new seeder pays for its slot), then again (known seeder).
  await gas("redeem (first receipt of a seeder on a bid)", redeem(alice, 1n, s1.address, 10n * MIB), "-");
  await gas("redeem (seeder known to the bid)", redeem(alice, 1n, s1.address, 20n * MIB), "<= 45,000");

  // Batch: 10 seeders on bid 1, each already known.
  for (const s of seeders.slice(0, 10)) await redeem(alice, 1n, s.address, MIB);
  const sameBid = [];
  for (const s of seeders.slice(0, 10)) sameBid.push(await receipt(alice.wallet, domain, 1n, s.address, 2n * MIB));
  await gas(
    "redeemBatch 10 receipts, one bid, 10 known seeders (per receipt)",
    t.send(owner, market, "redeemBatch", [sameBid]),
    "<= 15,000",
    10,
  );

  // Batch: 10 bids (10 downloaders' bids) for one known seeder.
  const bids: bigint[] = [];
  for (let i = 0; i < 10; i++) {
    const d = downloaders[i % 4] as Who;
    await t.send(d, market, "openBid", [V2_HASH, 2, price, 10n * UNIT, now + 7n * DAY, DAY]);
    const id = (await t.call(market, "nextBidId"))[0] - 1n;
    bids.push(id);
    await redeem(d, id, s1.address, MIB);
  }
  const manyBids = [];
  for (let i = 0; i < 10; i++)
    manyBids.push(await receipt((downloaders[i % 4] as Who).wallet, domain, bids[i] as bigint, s1.address, 2n * MIB));
  await gas(
    "redeemBatch 10 receipts, 10 bids, one known seeder (per receipt)",
    t.send(owner, market, "redeemBatch", [manyBids]),
    "(<= 15,000)",
    10,
  );

  // Relayed: s1 authorises the relayer for 1 BTT in total; the first relayed call creates the
  // relayer's account, the second is the steady state.
  const terms = { seeder: s1.address, relayer: relayer.address, maxFee: UNIT, nonce: 1n, deadline: now + 30n * DAY };
  const relayed = async (bytes: bigint) =>
    t.send(relayer, market, "redeemRelayed", [
      await receipt(alice.wallet, domain, 1n, s1.address, bytes),
      await relay(s1.wallet, domain, terms, UNIT / 1000n),
    ]);
  await gas("redeemRelayed (first under this relayer)", relayed(30n * MIB), "-");
  await gas("redeemRelayed (known seeder and relayer)", relayed(40n * MIB), "<= 55,000");

  await gas("claim (seeder, 1 bid)", t.send(owner, market, "claim", [s1.address, [1n]]), "-");
  await gas("claim (seeder, 11 bids)", t.send(owner, market, "claim", [s1.address, [1n, ...bids]]), "-");
  await gas("claimRelayFees", t.send(owner, market, "claimRelayFees", [relayer.address, [s1.address]]), "-");

  await gas("closeBid (downloader, starts grace)", t.send(alice, market, "closeBid", [1n]), "<= 60,000");
  t.node.chain.increaseTime(Number(DAY) + 1);
  await gas("refundBid (after grace)", t.send(owner, market, "refundBid", [1n]), "<= 60,000");
  t.node.chain.increaseTime(Number(7n * DAY));
  await gas(
    "closeBid (expired past grace: close + refund in one call)",
    t.send(bob, market, "closeBid", [2n]),
    "<= 60,000",
  );

  console.log("SpeedMarket: TRON energy on the devnode (java-tron's schedule; batches per receipt)\n");
  const width = Math.max(...rows.map((r) => r[0].length));
  for (const [label, used, budget] of rows)
    console.log(`${label.padEnd(width)}  ${used.toLocaleString("en-US").padStart(8)}  ${budget}`);
} finally {
  await t.node.stop();
}
