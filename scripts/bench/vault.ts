// TRON energy of the vault's entry points, measured on the devnode (java-tron's schedule), next to
// a bare TRC-20 transferFrom and transfer measured in the same run. Run: npm run bench:vault

import { MaxUint256 } from "ethers";
import { bootTron } from "../../test/energy/tron.js";

const UNIT = 10n ** 18n;
const t = await bootTron({ accounts: 4 });
try {
  const [owner, alice, bob, market] = [0, 1, 2, 3].map((i) => t.who(i)) as [
    ReturnType<typeof t.who>,
    ReturnType<typeof t.who>,
    ReturnType<typeof t.who>,
    ReturnType<typeof t.who>,
  ];
  const btt = await t.deploy("TestBTT", [owner.address], owner);
  const vault = await t.deploy("EscrowVault", [btt.address, owner.address], owner);
  await t.send(owner, vault, "setMarket", [market.address, true]);
  for (const user of [alice, bob]) await t.send(owner, btt, "mint", [user.address, 1_000_000n * UNIT]);
  // A finite allowance, so every transferFrom also rewrites it (the dearer, common case).
  await t.send(alice, btt, "approve", [vault.address, 500_000n * UNIT]);
  await t.send(bob, btt, "approve", [alice.address, 500_000n * UNIT]);
  await t.send(owner, btt, "mint", [owner.address, UNIT]); // the bare transfers' recipient already holds tokens

  const rows: [string, number, string][] = [];
  const row = async (name: string, sent: Promise<{ energy: number }>, target = "") =>
    rows.push([name, (await sent).energy, target]);

  await row(
    "bare TRC-20 transferFrom (repeat)",
    t.send(alice, btt, "transferFrom", [bob.address, owner.address, UNIT]),
  );
  await row(
    "bare TRC-20 transferFrom (repeat, 2nd)",
    t.send(alice, btt, "transferFrom", [bob.address, owner.address, UNIT]),
  );
  await row("bare TRC-20 transfer (to a holder)", t.send(bob, btt, "transfer", [owner.address, UNIT]));
  await row("deposit (first)", t.send(alice, vault, "deposit", [100n * UNIT]));
  await row("deposit (repeat, finite allowance)", t.send(alice, vault, "deposit", [100n * UNIT]), "target <= 50,000");
  await t.send(alice, btt, "approve", [vault.address, MaxUint256]);
  await row(
    "deposit (repeat, unlimited allowance)",
    t.send(alice, vault, "deposit", [100n * UNIT]),
    "target <= 50,000",
  );
  await row("depositFor (repeat credit)", t.send(alice, vault, "depositFor", [alice.address, UNIT]));
  await row("withdraw (to an existing holder)", t.send(alice, vault, "withdraw", [UNIT]), "target <= 45,000");
  await row("withdrawTo (to an existing holder)", t.send(alice, vault, "withdrawTo", [owner.address, UNIT]));
  const deadline = BigInt(Math.floor(t.node.chain.now() / 1000)) + 3600n;
  await row("createEscrow", t.send(alice, vault, "createEscrow", [bob.address, owner.address, deadline, 10n * UNIT]));
  await row("releaseEscrow (partial)", t.send(alice, vault, "releaseEscrow", [1n, UNIT]));
  await t.send(alice, vault, "createEscrow", [bob.address, owner.address, deadline, 10n * UNIT]);
  await row("resolveEscrow", t.send(owner, vault, "resolveEscrow", [2n, 4n * UNIT]));
  t.node.chain.increaseTime(3601);
  await row("reclaimEscrow", t.send(alice, vault, "reclaimEscrow", [1n]));
  await t.send(alice, vault, "setMarketApproval", [market.address, true]);
  await row("market commit (first into the pool)", t.send(market, vault, "commit", [alice.address, 10n * UNIT]));
  await row("market commit (repeat)", t.send(market, vault, "commit", [alice.address, 10n * UNIT]));
  await row("market release (internal move, no token transfer)", t.send(market, vault, "release", [bob.address, UNIT]));

  const width = Math.max(...rows.map(([name]) => name.length));
  console.log("EscrowVault: TRON energy on the devnode (java-tron's schedule; no 21,000 base, no calldata)\n");
  for (const [name, energy, target] of rows) {
    console.log(`${name.padEnd(width)}  ${energy.toLocaleString("en-US").padStart(8)}  ${target}`);
  }
} finally {
  await t.node.stop();
}
