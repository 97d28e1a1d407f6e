// The reference dApp: TronLink through the TronWallet adapter, and @bttkit/sdk for everything
// else. No private key is in the page: the wallet signs. The deployment comes from
// ./deployment.json (deployments/<network>.json, as `npm run deploy` writes it).
import {
  approveToken,
  type BidInfo,
  BttkitError,
  claim,
  closeBid,
  connectWallet,
  createSpeedClient,
  createStorageClient,
  createVaultClient,
  type Deployment,
  deposit,
  formatBtt,
  getBalance,
  getBid,
  getDeal,
  getHosts,
  getOpenBids,
  getTokenBalance,
  type Hex20,
  type InfohashInput,
  openBid,
  parseBtt,
  parseDeployment,
  type ReceiptSigner,
  receiptsFromJson,
  redeemBatch,
  refundBid,
  type SpeedClient,
  type StorageClient,
  scoreHosts,
  type TronWebLike,
  toBase58,
  topUp,
  type VaultClient,
  type WalletBackend,
  withdraw,
} from "@bttkit/sdk";
import { TronLinkAdapter } from "@tronweb3/tronwallet-adapter-tronlink";

// ---------------------------------------------------------------------------------------------
// Formatting: BTT with its unit, base58 addresses, ISO dates
// ---------------------------------------------------------------------------------------------
const btt = (amount: bigint) => `${formatBtt(amount)} BTT`;
const addr = (address: string) => toBase58(address);
const date = (seconds: bigint | number) => new Date(Number(seconds) * 1000).toISOString().replace(".000Z", "Z");
const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const input = (id: string) => $<HTMLInputElement>(id).value.trim();
const byTestId = (id: string) => document.querySelector(`[data-testid="${id}"]`) as HTMLElement;

function status(text: string, error = false): void {
  const el = $("status");
  el.textContent = text;
  el.className = error ? "error" : "";
}

function report(error: unknown): void {
  const typed = error instanceof BttkitError ? error : undefined;
  status(typed ? `${typed.code}: ${typed.shortMessage}` : `Error: ${String(error)}`, true);
  console.error(error);
}

/** Runs a UI action with its buttons disabled and errors reported. */
function action(id: string, run: () => Promise<void>): void {
  $(id).addEventListener("click", () => {
    const button = $<HTMLButtonElement>(id);
    button.disabled = true;
    run()
      .catch(report)
      .finally(() => {
        button.disabled = false;
      });
  });
}

// ---------------------------------------------------------------------------------------------
// Connection
// ---------------------------------------------------------------------------------------------
interface Session {
  backend: WalletBackend;
  account: Hex20;
  vault: VaultClient;
  speed: SpeedClient;
  storage: StorageClient | undefined;
}
let session: Session | undefined;
let deployment: Deployment | undefined;
const adapter = new TronLinkAdapter({ checkTimeout: 3_000 });

async function loadDeployment(): Promise<Deployment> {
  // ?deployment=<file> picks another deployment file served beside the page.
  const file = new URLSearchParams(location.search).get("deployment") ?? "deployment.json";
  const response = await fetch(`./${encodeURIComponent(file)}`);
  if (!response.ok) throw new BttkitError("DEPLOYMENT_NOT_FOUND", `${file}: HTTP ${response.status}`);
  return parseDeployment(await response.json());
}

function requireSession(): Session {
  if (!session) throw new BttkitError("WALLET_NOT_CONNECTED", "Connect TronLink first");
  return session;
}

async function connect(): Promise<void> {
  deployment ??= await loadDeployment();
  status("Connecting to TronLink…");
  const tronWeb =
    (window as { tronLink?: { tronWeb?: TronWebLike }; tronWeb?: TronWebLike }).tronLink?.tronWeb ??
    (window as { tronWeb?: TronWebLike }).tronWeb;
  session?.backend.close();
  session = undefined;
  const backend = await connectWallet({
    adapter,
    tronWeb: tronWeb as TronWebLike,
    chainId: deployment.chainId,
  });
  const account = (await backend.account()) as Hex20;
  const vault = await createVaultClient({ backend, deployment });
  const speed = await createSpeedClient({ backend, deployment, vault });
  const storage = deployment.contracts.StorageMarket ? await createStorageClient({ backend, deployment }) : undefined;
  session = { backend, account, vault, speed, storage };
  $("network").textContent = `${deployment.network} (chain ${deployment.chainId})`;
  $("account").textContent = addr(account);
  $<HTMLButtonElement>("connect").textContent = "Reconnect";
  status(`Connected as ${addr(account)}`);
  await refreshBalances();
}

// The wallet's account or network changed: the clients are stale, connect again.
adapter.on("accountsChanged", () => {
  if (session) connect().catch(report);
});
adapter.on("chainChanged", () => {
  if (session) connect().catch(report);
});

// ---------------------------------------------------------------------------------------------
// Vault
// ---------------------------------------------------------------------------------------------
async function refreshBalances(): Promise<void> {
  const { vault } = requireSession();
  const [wallet, free] = await Promise.all([getTokenBalance(vault), getBalance(vault)]);
  byTestId("wallet-balance").textContent = btt(wallet);
  byTestId("vault-balance").textContent = btt(free);
}

action("connect", connect);
action("deposit", async () => {
  const { vault } = requireSession();
  const amount = parseBtt(input("vault-amount"));
  status(`Approving ${btt(amount)}…`);
  await approveToken(vault, { amount });
  status(`Depositing ${btt(amount)}…`);
  const result = await deposit(vault, { amount });
  await refreshBalances();
  status(`Deposited ${btt(amount)} (tx ${result.txId})`);
});
action("withdraw", async () => {
  const { vault } = requireSession();
  const amount = parseBtt(input("vault-amount"));
  status(`Withdrawing ${btt(amount)}…`);
  const result = await withdraw(vault, { amount });
  await refreshBalances();
  status(`Withdrew ${btt(amount)} (tx ${result.txId})`);
});

// ---------------------------------------------------------------------------------------------
// Speed
// ---------------------------------------------------------------------------------------------
let torrentBytes: Uint8Array | undefined;
/** Bids this account opened or saw listed as its own: kept in the table until refunded. */
const myBids = new Set<bigint>();
$<HTMLInputElement>("torrent-file").addEventListener("change", async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  torrentBytes = file ? new Uint8Array(await file.arrayBuffer()) : undefined;
  if (file) status(`Torrent file ${file.name} (${file.size} bytes)`);
});

function torrent(): InfohashInput {
  if (torrentBytes) return torrentBytes;
  const text = input("torrent");
  if (!text) throw new BttkitError("INVALID_ARGUMENT", "Paste a magnet link or drop a .torrent file");
  return text;
}

async function showBids(): Promise<void> {
  const { speed, account } = requireSession();
  // The SDK lists them best price first (then most budget left, then oldest).
  const { bids, infohash } = await getOpenBids(speed, { infohash: torrent() });
  for (const b of bids) if (b.downloader === account) myBids.add(b.bidId);
  // The user's own bids that left the open list (closed, expired) until they are refunded.
  const listed = new Set(bids.map((b) => b.bidId));
  const mine = await Promise.all([...myBids].filter((id) => !listed.has(id)).map((bidId) => getBid(speed, { bidId })));
  const waiting = mine.filter((b): b is BidInfo => b !== undefined && !b.refunded && b.downloader === account);
  const body = byTestId("bids").querySelector("tbody") as HTMLTableSectionElement;
  body.replaceChildren(...[...bids, ...waiting].map((b) => bidRow(b, b.downloader === account)));
  status(`${bids.length} open bid(s) on ${infohash.infohash} (v${infohash.version}), best price first`);
}

function bidRow(b: BidInfo, mine: boolean): HTMLTableRowElement {
  const row = document.createElement("tr");
  row.dataset.bid = String(b.bidId);
  for (const text of [
    String(b.bidId),
    btt(b.pricePerMiB),
    btt(b.remaining),
    date(b.expiry),
    addr(b.downloader),
    b.status,
  ]) {
    const cell = document.createElement("td");
    cell.textContent = text;
    row.append(cell);
  }
  const buttons = document.createElement("td");
  if (mine) {
    const button = (label: string, run: () => Promise<string>) => {
      const el = document.createElement("button");
      el.textContent = label;
      el.dataset.testid = `${label.toLowerCase().replace(/ /g, "-")}-${b.bidId}`;
      el.addEventListener("click", () => {
        el.disabled = true;
        // The message shows once the table and balances show the result.
        run()
          .then(async (message) => {
            await showBids();
            await refreshBalances();
            status(message);
          })
          .catch(report)
          .finally(() => {
            el.disabled = false;
          });
      });
      buttons.append(el);
    };
    const { speed } = requireSession();
    button("Top up", async () => {
      const amount = parseBtt(input("bid-budget"));
      const r = await topUp(speed, { bidId: b.bidId, amount });
      return `Bid ${b.bidId} topped up by ${btt(amount)}: ${btt(r.remaining)} left`;
    });
    button("Close", async () => {
      const r = await closeBid(speed, { bidId: b.bidId });
      return `Bid ${b.bidId} closed; seeders may redeem until ${date(r.redeemableUntil)}`;
    });
    button("Refund", async () => {
      const r = await refundBid(speed, { bidId: b.bidId });
      return `Bid ${b.bidId} refunded: ${btt(r.refunded)} back in the vault`;
    });
  }
  row.append(buttons);
  return row;
}

action("show-bids", showBids);
action("open-bid", async () => {
  const { speed } = requireSession();
  const pricePerMiB = parseBtt(input("bid-price"));
  const budget = parseBtt(input("bid-budget"));
  const hours = Number(input("bid-hours"));
  if (!Number.isFinite(hours) || hours <= 0) throw new BttkitError("INVALID_ARGUMENT", "Hours must be positive");
  status("Opening the bid…");
  const result = await openBid(speed, {
    infohash: torrent(),
    pricePerMiB,
    budget,
    expiry: new Date(Date.now() + hours * 3_600_000),
    approveMarket: true,
  });
  myBids.add(result.bidId);
  await refreshBalances();
  await showBids();
  status(`Opened bid ${result.bidId}: ${btt(budget)} at ${btt(pricePerMiB)}/MiB`);
});

action("redeem", async () => {
  const { speed, account } = requireSession();
  const file = $<HTMLInputElement>("receipts-file").files?.[0];
  if (!file) throw new BttkitError("INVALID_ARGUMENT", "Choose a receipts file");
  const receipts = receiptsFromJson(JSON.parse(await file.text()), file.name);
  status(`Redeeming ${receipts.length} receipt(s)…`);
  const result = await redeemBatch(speed, { receipts });
  const redeemed = result.outcomes.filter((o) => o.status === "redeemed").length;
  const mine = [
    ...new Set(
      result.outcomes
        .filter((o) => o.status === "redeemed" && o.receipt.seeder === account)
        .map((o) => o.receipt.bidId),
    ),
  ];
  const claimed = mine.length > 0 ? (await claim(speed, { bidIds: mine })).amount : 0n;
  byTestId("redeem-result").textContent = result.outcomes
    .map((o) =>
      o.status === "redeemed"
        ? `bid ${o.receipt.bidId}: redeemed ${btt(o.amount)} for ${addr(o.receipt.seeder)}`
        : `bid ${o.receipt.bidId}: rejected (${o.reason})`,
    )
    .join("\n");
  await refreshBalances();
  status(
    `Redeemed ${redeemed} of ${result.outcomes.length} receipt(s) for ${btt(result.total)}; claimed ${btt(claimed)} into the vault`,
    redeemed === 0,
  );
});

// ---------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------
function requireStorage(): StorageClient {
  const { storage } = requireSession();
  if (!storage) throw new BttkitError("DEPLOYMENT_NOT_FOUND", "This deployment has no StorageMarket");
  return storage;
}

action("show-hosts", async () => {
  const storage = requireStorage();
  const scored = scoreHosts(await getHosts(storage));
  const body = byTestId("hosts").querySelector("tbody") as HTMLTableSectionElement;
  body.replaceChildren(
    ...scored.map(({ host, score, region }) => {
      const row = document.createElement("tr");
      for (const text of [
        addr(host.address),
        String(region),
        score.toFixed(3),
        btt(host.profile.pricePerGiBPerPeriod),
        btt(host.freeStake),
        `${host.trackRecord.proofsPassed} / ${host.trackRecord.proofsMissed}`,
        date(host.trackRecord.registeredAt),
      ]) {
        const cell = document.createElement("td");
        cell.textContent = text;
        row.append(cell);
      }
      return row;
    }),
  );
  status(`${scored.length} host(s), best score first`);
});

type Cell = "proven" | "missed" | "lost" | "repaired" | "pending";

action("show-deals", async () => {
  const storage = requireStorage();
  const { account } = requireSession();
  const tenantInput = input("tenant");
  const tenant = tenantInput ? toBase58(tenantInput) : addr(account);
  const market = { address: storage.market.address, abi: storage.market.abi };
  const from = { fromBlock: storage.fromBlock, limit: 1_000 };
  const [opened, settled, reassigned] = await Promise.all([
    storage.backend.getEvents({ ...market, ...from, eventName: "DealOpened" }),
    storage.backend.getEvents({ ...market, ...from, eventName: "PeriodSettled" }),
    storage.backend.getEvents({ ...market, ...from, eventName: "ShardReassigned" }),
  ]);
  const mine = opened.filter((e) => addr(e.args.tenant) === tenant);
  const container = $("deals");
  const parts: HTMLElement[] = [legend()];
  for (const e of mine) {
    const dealId = e.args.dealId;
    const info = await getDeal(storage, { dealId });
    const shards = info ? info.shardCount : 0;
    const periods = Number(e.args.periods);
    const grid: Cell[][] = Array.from({ length: shards }, () =>
      Array.from({ length: periods }, () => "pending" as Cell),
    );
    const settledHere = settled.filter((s) => s.args.dealId === dealId);
    for (const s of settledHere) {
      const p = Number(s.args.period);
      for (let i = 0; i < shards && p < periods; i++) {
        const bit = 1n << BigInt(i);
        const row = grid[i] as Cell[];
        row[p] =
          (BigInt(s.args.lostMask) & bit) !== 0n
            ? "lost"
            : (BigInt(s.args.missedMask) & bit) !== 0n
              ? "missed"
              : (BigInt(s.args.provenMask) & bit) !== 0n
                ? "proven"
                : (row[p] as Cell);
      }
    }
    // A repair shows in the first period settled after it.
    for (const r of reassigned.filter((x) => x.args.dealId === dealId && x.args.repair)) {
      const period = settledHere.filter((s) => s.blockNumber <= r.blockNumber).length;
      const row = grid[Number(r.args.shard)];
      if (row && period < periods) row[period] = "repaired";
    }
    const heading = document.createElement("h3");
    const status = info ? (["none", "active", "completed", "lost"][info.status] ?? String(info.status)) : "unknown";
    const hex = dealId.toString(16).padStart(64, "0");
    heading.title = `deal ${dealId}`;
    heading.textContent = `Deal 0x${hex.slice(0, 8)}…${hex.slice(-6)}: ${shards} shards × ${periods} periods of ${e.args.periodLength} s, escrow ${btt(e.args.escrow)}, ${status}, opened in block ${e.blockNumber}`;
    parts.push(heading, picture(grid, periods));
  }
  container.replaceChildren(...parts);
  status(`${mine.length} deal(s) of ${tenant}`);
});

function legend(): HTMLElement {
  const el = document.createElement("div");
  el.className = "legend";
  for (const kind of ["proven", "missed", "lost", "repaired", "pending"]) {
    const item = document.createElement("span");
    item.innerHTML = `<i class="cell ${kind}"></i>${kind}`;
    el.append(item);
  }
  return el;
}

function picture(grid: Cell[][], periods: number): HTMLElement {
  const el = document.createElement("div");
  el.className = "grid";
  el.dataset.testid = "deal-grid";
  el.style.gridTemplateColumns = `repeat(${periods}, 14px)`;
  grid.forEach((row, shard) => {
    row.forEach((cell, period) => {
      const c = document.createElement("i");
      c.className = `cell ${cell}`;
      c.title = `shard ${shard}, period ${period}: ${cell}`;
      el.append(c);
    });
  });
  return el;
}

// Exposed for the browser test: what the page knows, without reaching into its internals.
(window as { bttkitApp?: unknown }).bttkitApp = {
  connected: () => session !== undefined,
  signer: (): ReceiptSigner | undefined => session?.backend,
};
