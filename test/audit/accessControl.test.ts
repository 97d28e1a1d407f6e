// Access-control matrix: every restricted function of every deployable contract, called by every
// role and by a stranger. A role in `allowed` must get through (the call succeeds, as an eth_call
// from that address, on the row's state); every other role must be refused with the row's error.
// Contract roles (the registry, the storage market, the Speed market) call from their own addresses.
import { expect } from "chai";
import { type BaseContract, Interface } from "ethers";
import { receipt, relay } from "../speed/fixtures.js";
import { deploySystem, ethers, exitOffer, networkHelpers, recordsOf, type System, UNIT } from "./system.js";

const { loadFixture, time } = networkHelpers;

const ROLES = [
  "owner",
  "nominee",
  "pauser",
  "registry",
  "storageMarket",
  "speedMarket",
  "tenant",
  "host",
  "downloader",
  "seeder",
  "relayer",
  "arbiter",
  "keeper",
  "stranger",
] as const;
type Role = (typeof ROLES)[number];

interface Row {
  /** `Contract.function` as shown in the report. */
  name: string;
  target: (x: Ctx) => BaseContract;
  data: (x: Ctx) => Promise<string> | string;
  allowed: Role[];
  /** The custom error every other role gets. */
  error: string;
  /** State the row needs (runs in a snapshot that is rolled back). */
  setup?: (x: Ctx) => Promise<void>;
}

interface Ctx {
  sys: System;
  addr: Record<Role, string>;
}

async function context(): Promise<Ctx> {
  const sys = await loadFixture(deploySystem);
  const { s, speed, roles } = sys;
  const addr: Record<Role, string> = {
    owner: s.owner.address,
    nominee: roles.nominee.address,
    pauser: roles.pauser.address,
    registry: await s.registry.getAddress(),
    storageMarket: s.marketAddress,
    speedMarket: speed.address,
    tenant: s.tenant.address,
    host: roles.host.address,
    downloader: roles.downloader.address,
    seeder: roles.seeder.address,
    relayer: roles.relayer.address,
    arbiter: roles.arbiter.address,
    keeper: s.keeper.address,
    stranger: s.stranger.address,
  };
  return { sys, addr };
}

const enc = (c: BaseContract, fn: string, args: unknown[]) => c.interface.encodeFunctionData(fn, args);
const OWNABLE = "OwnableUnauthorizedAccount";

/**
 * The rows shared by every Ownable2Step contract. `renounceable` false: a PermanentOwnable, whose
 * renounceOwnership refuses everyone.
 */
function ownableRows(label: string, target: (x: Ctx) => BaseContract, renounceable = true): Row[] {
  return [
    {
      name: `${label}.transferOwnership`,
      target,
      data: (x) => enc(target(x), "transferOwnership", [x.addr.stranger]),
      allowed: ["owner"],
      error: OWNABLE,
    },
    {
      name: `${label}.renounceOwnership`,
      target,
      data: (x) => enc(target(x), "renounceOwnership", []),
      allowed: renounceable ? ["owner"] : [],
      error: renounceable ? OWNABLE : "OwnershipNotRenounceable",
    },
    {
      name: `${label}.acceptOwnership`,
      target,
      data: (x) => enc(target(x), "acceptOwnership", []),
      allowed: ["nominee"],
      error: OWNABLE,
    },
  ];
}

const vault = (x: Ctx) => x.sys.s.vault;
const registry = (x: Ctx) => x.sys.s.registry;
const speed = (x: Ctx) => x.sys.speed.market;
const hostingAt = async (x: Ctx) => ethers.getContractAt("StorageHosting", await x.sys.s.market.hosting());

const ROWS: Row[] = [
  // EscrowVault -------------------------------------------------------------------------------
  {
    name: "EscrowVault.setMarket",
    target: vault,
    data: (x) => enc(vault(x), "setMarket", [x.addr.stranger, true]),
    allowed: ["owner"],
    error: OWNABLE,
  },
  {
    name: "EscrowVault.setPauser",
    target: vault,
    data: (x) => enc(vault(x), "setPauser", [x.addr.stranger, true]),
    allowed: ["owner"],
    error: OWNABLE,
  },
  ...ownableRows("EscrowVault", vault, false),
  {
    name: "EscrowVault.pause",
    target: vault,
    data: (x) => enc(vault(x), "pause", []),
    allowed: ["pauser", "owner"],
    error: "VaultNotPauser",
  },
  {
    name: "EscrowVault.unpause",
    target: vault,
    setup: async (x) => void (await x.sys.s.vault.connect(x.sys.roles.pauser).pause()),
    data: (x) => enc(vault(x), "unpause", []),
    allowed: ["pauser", "owner"],
    error: "VaultNotPauser",
  },
  // Markets commit only approved free balance; the tenant approved all three.
  {
    name: "EscrowVault.commit",
    target: vault,
    data: (x) => enc(vault(x), "commit", [x.addr.tenant, UNIT]),
    allowed: ["registry", "storageMarket", "speedMarket"],
    error: "VaultNotMarket",
  },
  {
    name: "EscrowVault.createEscrowFor",
    target: vault,
    data: async (x) =>
      enc(vault(x), "createEscrowFor", [
        x.addr.tenant,
        x.addr.seeder,
        x.addr.arbiter,
        BigInt(await time.latest()) + 10_000n,
        1n,
      ]),
    allowed: ["registry", "storageMarket", "speedMarket"],
    error: "VaultNotMarket",
  },
  // Paying out of a pool is bounded by what the caller holds: a non-market holds nothing.
  {
    name: "EscrowVault.release",
    target: vault,
    data: (x) => enc(vault(x), "release", [x.addr.stranger, 1n]),
    allowed: ["registry", "storageMarket", "speedMarket"],
    error: "VaultInsufficientHeld",
  },
  {
    name: "EscrowVault.releaseBatch",
    target: vault,
    data: (x) => enc(vault(x), "releaseBatch", [[x.addr.stranger], [1n]]),
    allowed: ["registry", "storageMarket", "speedMarket"],
    error: "VaultInsufficientHeld",
  },
  {
    name: "EscrowVault.transferHeld",
    target: vault,
    data: (x) => enc(vault(x), "transferHeld", [x.addr.speedMarket, 1n]),
    allowed: ["registry", "storageMarket", "speedMarket"],
    error: "VaultInsufficientHeld",
  },
  {
    name: "EscrowVault.releaseEscrow",
    target: vault,
    data: (x) => enc(vault(x), "releaseEscrow", [x.sys.escrowId, 1n]),
    allowed: ["tenant"],
    error: "VaultEscrowUnauthorized",
  },
  {
    name: "EscrowVault.reclaimEscrow",
    target: vault,
    setup: async (x) => time.increaseTo(x.sys.escrowDeadline + 1n),
    data: (x) => enc(vault(x), "reclaimEscrow", [x.sys.escrowId]),
    allowed: ["tenant"],
    error: "VaultEscrowUnauthorized",
  },
  {
    name: "EscrowVault.resolveEscrow",
    target: vault,
    data: (x) => enc(vault(x), "resolveEscrow", [x.sys.escrowId, 1n]),
    allowed: ["arbiter"],
    error: "VaultEscrowUnauthorized",
  },

  // HostRegistry ------------------------------------------------------------------------------
  {
    name: "HostRegistry.setMarket",
    target: registry,
    data: (x) => enc(registry(x), "setMarket", [x.addr.stranger, true]),
    allowed: ["owner"],
    error: OWNABLE,
  },
  ...ownableRows("HostRegistry", registry),
  {
    name: "HostRegistry.lockCollateral",
    target: registry,
    data: (x) => enc(registry(x), "lockCollateral", [[x.addr.host], [1n], [0n]]),
    allowed: ["storageMarket"],
    error: "RegistryNotMarket",
  },
  {
    name: "HostRegistry.lockSuccessor",
    target: registry,
    data: (x) => enc(registry(x), "lockSuccessor", [x.addr.host, 1n, 0n]),
    allowed: ["storageMarket"],
    error: "RegistryNotMarket",
  },
  {
    name: "HostRegistry.endTenures",
    target: registry,
    data: (x) => enc(registry(x), "endTenures", [[]]),
    allowed: ["storageMarket"],
    error: "RegistryNotMarket",
  },
  // Staking is for registered hosts (every deal host registered and approved the registry).
  {
    name: "HostRegistry.stake",
    target: registry,
    data: (x) => enc(registry(x), "stake", [1n]),
    allowed: ["host"],
    error: "RegistryNotRegistered",
  },

  // StorageMarket (no owner) ------------------------------------------------------------------
  {
    name: "StorageMarket.exitShard",
    target: (x) => x.sys.s.hosting,
    data: async (x) => {
      const { s, d } = x.sys;
      const { rootPath } = await import("../../sdk/src/storage/merkle.js");
      return enc(s.hosting, "exitShard", [
        d.dealId,
        await recordsOf(s, d.dealId),
        0,
        d.roots[0],
        rootPath(d.roots, 0),
        await exitOffer(x.sys),
      ]);
    },
    allowed: ["host"],
    error: "StorageNotShardHost",
  },

  // SpeedMarket -------------------------------------------------------------------------------
  {
    name: "SpeedMarket.setGraceBounds",
    target: speed,
    data: (x) => enc(speed(x), "setGraceBounds", [600n, 86_400n]),
    allowed: ["owner"],
    error: OWNABLE,
  },
  ...ownableRows("SpeedMarket", speed, false),
  {
    name: "SpeedMarket.topUp",
    target: speed,
    data: (x) => enc(speed(x), "topUp", [x.sys.speed.bidId, UNIT]),
    allowed: ["downloader"],
    error: "SpeedNotDownloader",
  },
  {
    name: "SpeedMarket.closeBid (before expiry)",
    target: speed,
    data: (x) => enc(speed(x), "closeBid", [x.sys.speed.bidId]),
    allowed: ["downloader"],
    error: "SpeedNotDownloader",
  },
  {
    name: "SpeedMarket.redeemRelayed (authorised relayer)",
    target: speed,
    data: async (x) => {
      const { speed: sp, roles } = x.sys;
      const r = await receipt(roles.downloader, sp.domain, sp.bidId, roles.seeder.address, 1n << 20n);
      const terms = {
        seeder: roles.seeder.address,
        relayer: roles.relayer.address,
        maxFee: UNIT,
        nonce: 1n,
        deadline: sp.expiry,
      };
      return enc(speed(x), "redeemRelayed", [r, await relay(roles.seeder, sp.domain, terms, 1n)]);
    },
    allowed: ["relayer"],
    error: "SpeedRelayWrongSigner",
  },

  // TestBTT (deployed as BTT on Nile and Shasta) ------------------------------------------------
  {
    name: "TestBTT.mint",
    target: (x) => x.sys.s.btt,
    data: (x) => enc(x.sys.s.btt, "mint", [x.addr.stranger, 1n]),
    allowed: ["owner"],
    error: OWNABLE,
  },
];

// The storage market's hosting body refuses every direct call, whoever calls.
const HOSTING_DIRECT = ["claim", "repairShard", "exitShard", "shardRecords"] as const;

/** Every error any contract of the system can raise, to decode eth_call reverts. */
async function errorInterface(x: Ctx) {
  const fragments = [
    x.sys.s.vault,
    x.sys.s.registry,
    x.sys.s.market,
    x.sys.s.hosting,
    x.sys.speed.market,
    x.sys.s.btt,
  ].flatMap((c) => c.interface.fragments.filter((f) => f.type === "error"));
  const seen = new Set<string>();
  return new Interface(fragments.filter((f) => !seen.has(f.format()) && seen.add(f.format())));
}

async function callAs(iface: Interface, from: string, to: string, data: string): Promise<string> {
  try {
    await ethers.provider.call({ from, to, data });
    return "ok";
  } catch (e) {
    const revert = (e as { data?: string }).data;
    if (!revert || revert === "0x") return `revert without data (${(e as Error).message.slice(0, 80)})`;
    return iface.parseError(revert)?.name ?? `unknown error ${revert.slice(0, 10)}`;
  }
}

describe("Access-control matrix (all contracts x all roles)", () => {
  for (const row of ROWS) {
    it(`${row.name}: only ${row.allowed.join(", ") || "nobody"}; others get ${row.error}`, async () => {
      const x = await context();
      const snap = await networkHelpers.takeSnapshot();
      try {
        if (row.setup) await row.setup(x);
        const iface = await errorInterface(x);
        const to = await row.target(x).getAddress();
        const data = await row.data(x);
        const outcome: Record<string, string> = {};
        for (const role of ROLES) outcome[role] = await callAs(iface, x.addr[role], to, data);
        const expected = Object.fromEntries(ROLES.map((r) => [r, row.allowed.includes(r) ? "ok" : row.error]));
        expect(outcome).to.deep.equal(expected);
      } finally {
        await snap.restore();
      }
    });
  }

  it("EscrowVault.pause: the owner is not a pauser until it grants itself the role", async () => {
    const [owner, other] = await ethers.getSigners();
    const btt = await ethers.deployContract("TestBTT", [owner!.address]);
    const fresh = await ethers.deployContract("EscrowVault", [await btt.getAddress(), owner!.address]);
    for (const who of [owner!, other!]) {
      await expect(fresh.connect(who).pause())
        .to.be.revertedWithCustomError(fresh, "VaultNotPauser")
        .withArgs(who.address);
    }
  });

  // The other side of the matrix: entry points that are open to anyone by design (keepers,
  // relayers, housekeeping) succeed from every role, so restricting one by mistake shows up here.
  const OPEN: { name: string; target: (x: Ctx) => BaseContract; data: (x: Ctx) => Promise<string> | string }[] = [
    {
      name: "StorageMarket.openChallenge",
      target: (x) => x.sys.s.market,
      data: (x) => enc(x.sys.s.market, "openChallenge", [x.sys.d.dealId]),
    },
    {
      name: "SpeedMarket.redeem (for the seeder)",
      target: speed,
      data: async (x) =>
        enc(speed(x), "redeem", [
          await receipt(x.sys.roles.downloader, x.sys.speed.domain, x.sys.speed.bidId, x.addr.seeder, 1n << 20n),
        ]),
    },
    {
      name: "SpeedMarket.pruneBids",
      target: speed,
      data: (x) => enc(speed(x), "pruneBids", [ethers.ZeroHash, 2, 10n]),
    },
    {
      name: "EscrowVault.setMarketApproval (own)",
      target: vault,
      data: (x) => enc(vault(x), "setMarketApproval", [x.addr.speedMarket, true]),
    },
  ];
  for (const row of OPEN) {
    it(`${row.name}: open to every role`, async () => {
      const x = await context();
      const iface = await errorInterface(x);
      const to = await row.target(x).getAddress();
      const data = await row.data(x);
      for (const role of ROLES) expect(await callAs(iface, x.addr[role], to, data), role).to.equal("ok");
    });
  }

  for (const fn of HOSTING_DIRECT) {
    it(`StorageHosting.${fn} called directly: every role gets StorageHostingDirectCall`, async () => {
      const x = await context();
      const iface = await errorInterface(x);
      const hosting = await hostingAt(x);
      const offer = { hostExpiryNonce: 0n, terms: 0n, r: ethers.ZeroHash, vs: ethers.ZeroHash };
      const auth = { expiry: 0n, r: ethers.ZeroHash, vs: ethers.ZeroHash };
      const args: unknown[] = {
        claim: [1n, [], 1n],
        shardRecords: [1n, []],
        exitShard: [1n, [], 0n, ethers.ZeroHash, [], offer],
        repairShard: [1n, [], 0n, ethers.ZeroHash, [], offer, auth],
      }[fn];
      const data = (hosting.interface as Interface).encodeFunctionData(fn, args);
      for (const role of ROLES) {
        expect(await callAs(iface, x.addr[role], await hosting.getAddress(), data), role).to.equal(
          "StorageHostingDirectCall",
        );
      }
    });
  }
});
