/**
 * The reference dApp (apps/web) in a real browser: Debian's headless Chromium, driven by
 * playwright-core, loads the built page against a devnode. The page's "TronLink" is a
 * TronLink-compatible provider injected before the page runs (`window.tronLink` with a TronWeb
 * holding a devnode key, as the extension holds the user's): the dApp itself never sees a key,
 * it goes through `@tronweb3/tronwallet-adapter-tronlink` and `@bttkit/sdk/wallet`. Flows: vault
 * deposit and withdraw, Speed bids (open, list best price first, top up, close, refund), a seeder
 * redeeming a receipts file, storage hosts with their scores, a tenant's deals; and a wrong
 * network and a refused signature, typed in the page. Screenshots go to test/artifacts/web/.
 *
 * The page and the devnode are served from one origin (the devnode under /node), as a real
 * deployment would sit behind one host: the devnode sends no CORS headers.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, request, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { AbiCoder } from "ethers";
import { after, before, describe, it } from "mocha";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { TronWeb } from "tronweb";
import { toBase58, toHex20 } from "../../sdk/src/address.js";
import { writeAndWait } from "../../sdk/src/contract.js";
import type { DeploymentFile } from "../../sdk/src/deployments.js";
import { memoryDeployments } from "../../sdk/src/deployments.js";
import { escrowVaultAbi } from "../../sdk/src/generated/abi/index.js";
import { HostAgent, Keeper, prepareDeal } from "../../sdk/src/node/index.js";
import { createSpeedClient } from "../../sdk/src/speed/client.js";
import { signReceiptWithPrivateKey } from "../../sdk/src/speed/receipt.js";
import { receiptToJson } from "../../sdk/src/speed/receiptJson.js";
import { deal, openDeal, registerHost, requestOffer, signOffer, stake } from "../../sdk/src/storage/actions/index.js";
import { createStorageClient } from "../../sdk/src/storage/client.js";
import { privateKeySigner } from "../../sdk/src/tip712.js";
import { BTT_UNIT } from "../../sdk/src/units.js";
import { approveToken, createVaultClient, deposit } from "../../sdk/src/vault/index.js";
import { type StorageEnv, storageTronEnv } from "./storage-env.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const ARTIFACTS = path.join(root, "test/artifacts/web");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const MAGNET = "magnet:?xt=urn:btih:c9e15763f722f23e98a29decdfae341b98d53056&dn=ubuntu";
const USER = 1; // the TronLink account
const SEEDER = 4;
const TENANT = 5;

const MIME: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
};

describe("reference dApp in headless Chromium (apps/web)", function () {
  this.timeout(600_000);
  let env: StorageEnv;
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  let profile: string;
  let deploymentFile: DeploymentFile;
  let keys: string[];
  let shardDir: string;

  /** A page whose TronLink holds account `index`'s key; `refuse` makes it decline signatures. */
  async function walletPage(index: number, options: { refuse?: boolean; query?: string } = {}): Promise<Page> {
    const page = await context.newPage();
    page.on("pageerror", (error) => console.log(`      [page error] ${error.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" || process.env.BTTKIT_WEB_DEBUG) console.log(`      [page ${m.type()}] ${m.text()}`);
    });
    await page.addInitScript({ path: path.join(root, "node_modules/tronweb/dist/TronWeb.js") });
    // A string, not a function: the test runner's transpiler decorates functions with helpers
    // that do not exist in the page.
    await page.addInitScript({
      content: `(() => {
        const tronWeb = new window.TronWeb.TronWeb({ fullHost: location.origin + "/node", privateKey: ${JSON.stringify(keys[index])} });
        if (${JSON.stringify(options.refuse ?? false)}) {
          const declined = () => Promise.reject("Confirmation declined by user");
          tronWeb.trx.sign = declined;
          tronWeb.trx._signTypedData = declined;
        }
        window.tronWeb = tronWeb;
        window.tronLink = {
          ready: true,
          tronWeb,
          request: async ({ method }) =>
            method === "tron_requestAccounts" ? { code: 200, message: "The site is already in the whitelist" } : null,
        };
      })();`,
    });
    await page.goto(`${origin}/index.html${options.query ?? ""}`);
    return page;
  }

  const statusOf = (page: Page) => page.getByTestId("status").textContent();
  async function waitForStatus(page: Page, pattern: RegExp, timeout = 60_000): Promise<string> {
    await page
      .waitForFunction(
        ([source, flags]) =>
          new RegExp(source, flags).test(document.querySelector("[data-testid=status]")?.textContent ?? ""),
        [pattern.source, pattern.flags],
        { timeout },
      )
      .catch(async (error: unknown) => {
        throw new Error(`status ${JSON.stringify(await statusOf(page))} never matched ${pattern}: ${String(error)}`);
      });
    return (await statusOf(page)) as string;
  }
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  before(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
    env = await storageTronEnv(6);
    keys = Array.from({ length: 6 }, (_, i) => env.privateKey(i).replace(/^0x/, ""));
    // A SpeedMarket beside the storage market, on the same vault.
    const deployer = new TronWeb({ fullHost: env.url as string, privateKey: keys[0] as string });
    const artifact = JSON.parse(
      await readFile(path.join(root, "artifacts/contracts/speed/SpeedMarket.sol/SpeedMarket.json"), "utf8"),
    );
    const created = await deployer.contract().new({
      abi: artifact.abi,
      bytecode: artifact.bytecode.replace(/^0x/, ""),
      rawParameter: AbiCoder.defaultAbiCoder().encode(
        ["address", "address", "uint256", "uint256"],
        [env.vault, env.addresses[0], 3_600, 30 * 86_400],
      ),
      feeLimit: 10_000_000_000,
    } as never);
    const market = toHex20(String(created.address));
    await writeAndWait(env.backends[0]!, {
      address: env.vault,
      abi: escrowVaultAbi,
      functionName: "setMarket",
      args: [market, true],
    });
    deploymentFile = {
      ...env.deploymentFile,
      contracts: {
        ...env.deploymentFile.contracts,
        SpeedMarket: {
          address: toBase58(market),
          hex: `41${market.slice(2).toLowerCase()}`,
          txId: "cd".repeat(32),
          block: 0,
        },
      },
    };
    const deployment = await memoryDeployments({ development: deploymentFile }).load("development");
    await env.mint(env.addresses[USER]!, 1_000n * BTT_UNIT);
    // Two storage hosts, registered and staked, in two regions.
    for (const [i, region] of [
      [2, 276],
      [3, 392],
    ] as const) {
      await env.mint(env.addresses[i]!, 500n * BTT_UNIT);
      const vault = await createVaultClient({ backend: env.backends[i]!, deployment });
      await approveToken(vault, { amount: 500n * BTT_UNIT });
      await deposit(vault, { amount: 500n * BTT_UNIT });
      const storage = await createStorageClient({ backend: env.backends[i]!, deployment });
      await registerHost(storage, {
        capacity: 1n << 40n,
        pricePerGiBPerPeriod: (BTT_UNIT / 10n) * BigInt(i),
        region,
        endpoint: `https://host${i}.example`,
      });
      await stake(storage, { amount: 200n * BTT_UNIT * BigInt(i - 1), approveMarket: true });
    }
    expect(await createSpeedClient({ backend: env.readOnly, deployment })).to.have.property("chainId", env.chainId);

    // A tenant's deal over the two hosts, one shard each: host 2 proves every period, host 3
    // never does, so its shard is missed, then lost (missesToLose 2). Period 2 stays pending.
    const tenant = await createStorageClient({ backend: env.backends[TENANT]!, deployment });
    const tenantVault = await createVaultClient({ backend: env.backends[TENANT]!, deployment });
    await env.mint(env.addresses[TENANT]!, 100n * BTT_UNIT);
    await approveToken(tenantVault, { amount: 100n * BTT_UNIT });
    await deposit(tenantVault, { amount: 100n * BTT_UNIT });
    shardDir = await mkdtemp(path.join(tmpdir(), "bttkit-web-deal-"));
    const prepared = await prepareDeal(
      new Uint8Array(3_000).map((_, i) => i & 0xff),
      {
        dataShards: 1,
        parityShards: 1,
        segmentSize: 256,
        periods: 3,
        periodLength: 700,
        outDir: shardDir,
      },
    );
    const offers = [];
    for (const [shard, i] of [2, 3].entries()) {
      const hostClient = await createStorageClient({ backend: env.backends[i]!, deployment });
      const offer = await requestOffer(tenant, {
        deal: prepared,
        shard,
        host: env.addresses[i]!,
        price: BTT_UNIT,
        collateral: BTT_UNIT,
      });
      offers.push(await signOffer(hostClient, { offer, signer: privateKeySigner(keys[i] as string) }));
    }
    const { dealId } = await openDeal(tenant, { deal: prepared, offers, approveMarket: true });
    const keeper = new Keeper(await createStorageClient({ backend: env.backends[0]!, deployment }), {
      deals: [dealId],
    });
    const prover = new HostAgent(await createStorageClient({ backend: env.backends[2]!, deployment }), {
      deals: [{ dealId, roots: prepared.roots, shardFile: (i: number) => prepared.shardPaths![i]! }],
    });
    const start = (await deal(tenant, { dealId }))!.start;
    for (const period of [0, 1]) {
      const startsAt = start + BigInt(period * 700);
      const now = await env.now();
      if (now < startsAt) await env.increaseTime(Number(startsAt - now));
      await keeper.tick(); // open the challenge
      await env.mine(3);
      await keeper.tick(); // draw the seed
      const proved = await prover.tick();
      expect(proved.errors.map((e) => String(e.error))).to.deep.equal([]);
      await env.increaseTime(601);
      const settled = await keeper.tick();
      expect(settled.actions.map((a) => a.kind)).to.include("settle");
    }

    const { build } = await import("vite");
    await build({
      root: path.join(root, "apps/web"),
      logLevel: "warn",
      configFile: path.join(root, "apps/web/vite.config.ts"),
    });
    const dist = path.join(root, "apps/web/dist");
    const devnode = new URL(env.url as string);
    server = createServer((req, res) => {
      const url = new URL(req.url ?? "/", "http://x");
      if (url.pathname.startsWith("/node/")) {
        const forward = request(
          {
            host: devnode.hostname,
            port: devnode.port,
            path: url.pathname.slice(5) + url.search,
            method: req.method,
            headers: { ...req.headers, host: devnode.host },
          },
          (reply) => {
            res.writeHead(reply.statusCode ?? 502, reply.headers);
            reply.pipe(res);
          },
        );
        forward.on("error", () => res.writeHead(502).end());
        req.pipe(forward);
        return;
      }
      if (url.pathname === "/deployment.json")
        return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(deploymentFile));
      if (url.pathname === "/wrong.json") {
        return void res
          .writeHead(200, { "content-type": "application/json" })
          .end(JSON.stringify({ ...deploymentFile, chainId: 728126428 }));
      }
      const file = path.join(dist, path.normalize(url.pathname).replace(/^(\.\.[/\\])+/, ""));
      readFile(file).then(
        (body) =>
          res.writeHead(200, { "content-type": MIME[path.extname(file)] ?? "application/octet-stream" }).end(body),
        () => res.writeHead(404).end(),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await mkdir(ARTIFACTS, { recursive: true });
    profile = await mkdtemp(path.join(tmpdir(), "bttkit-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 1000 },
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });

  after(async () => {
    await context?.close();
    server?.close();
    await env?.stop();
    if (profile) await rm(profile, { recursive: true, force: true });
    if (shardDir) await rm(shardDir, { recursive: true, force: true });
  });

  let page: Page;

  it("connects TronLink and shows the balances in BTT", async () => {
    page = await walletPage(USER);
    await page.getByTestId("connect").click();
    const text = await waitForStatus(page, /^Connected as T/);
    expect(text).to.contain(toBase58(env.addresses[USER]!));
    expect(await page.getByTestId("account").textContent()).to.equal(toBase58(env.addresses[USER]!));
    expect(await page.getByTestId("wallet-balance").textContent()).to.equal("1000 BTT");
    expect(await page.getByTestId("vault-balance").textContent()).to.equal("0 BTT");
    await shot(page, "01-connected");
  });

  it("deposits and withdraws through the vault", async () => {
    await page.getByTestId("vault-amount").fill("100");
    await page.getByTestId("deposit").click();
    await waitForStatus(page, /^Deposited 100 BTT/);
    expect(await page.getByTestId("vault-balance").textContent()).to.equal("100 BTT");
    await page.getByTestId("vault-amount").fill("25.5");
    await page.getByTestId("withdraw").click();
    await waitForStatus(page, /^Withdrew 25\.5 BTT/);
    expect(await page.getByTestId("vault-balance").textContent()).to.equal("74.5 BTT");
    expect(await page.getByTestId("wallet-balance").textContent()).to.equal("925.5 BTT");
    await shot(page, "02-vault");
  });

  it("opens bids on a magnet link and lists them best price first; tops up, closes, refunds", async () => {
    await page.getByTestId("torrent").fill(MAGNET);
    for (const [price, budget] of [
      ["0.01", "5"],
      ["0.02", "3"],
    ]) {
      await page.getByTestId("bid-price").fill(price as string);
      await page.getByTestId("bid-budget").fill(budget as string);
      await page.getByTestId("open-bid").click();
      await waitForStatus(page, new RegExp(`^Opened bid \\d+: ${budget} BTT at ${price} BTT/MiB`));
    }
    const rows = () => page.locator("[data-testid=bids] tbody tr");
    expect(await rows().count()).to.equal(2);
    const prices = await page.locator("[data-testid=bids] tbody tr td:nth-child(2)").allTextContents();
    expect(prices).to.deep.equal(["0.02 BTT", "0.01 BTT"]);
    const expiry = await page.locator("[data-testid=bids] tbody tr td:nth-child(4)").first().textContent();
    expect(expiry).to.match(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const downloader = await page.locator("[data-testid=bids] tbody tr td:nth-child(5)").first().textContent();
    expect(downloader).to.equal(toBase58(env.addresses[USER]!));
    const [second, first] = (await rows().evaluateAll((trs) =>
      trs.map((tr) => (tr as HTMLElement).dataset.bid),
    )) as string[];
    await shot(page, "03-bids");

    await page.getByTestId("bid-budget").fill("1");
    await page.getByTestId(`top-up-${first}`).click();
    await waitForStatus(page, new RegExp(`^Bid ${first} topped up by 1 BTT: 6 BTT left`));
    await page.getByTestId(`close-${second}`).click();
    const closed = await waitForStatus(
      page,
      new RegExp(`^Bid ${second} closed; seeders may redeem until \\d{4}-\\d\\d-\\d\\dT`),
    );
    expect(closed).to.match(/Z$/);
    // After the grace period the downloader takes back what is left.
    await env.increaseTime(3_601);
    await page.getByTestId("show-bids").click();
    await waitForStatus(page, /open bid\(s\)/);
    // The closed bid stays in the table, as closed, until it is refunded.
    expect(await rows().count()).to.equal(2);
    expect(await page.locator(`[data-testid=bids] tr[data-bid="${second}"] td:nth-child(6)`).textContent()).to.equal(
      "closed",
    );
    await shot(page, "04-bids-after-close");
  });

  it("refunds a closed bid after its grace period", async () => {
    await page.getByTestId("bid-price").fill("0.001");
    await page.getByTestId("bid-budget").fill("2");
    await page.getByTestId("open-bid").click();
    const opened = await waitForStatus(page, /^Opened bid (\d+): 2 BTT/);
    const id = /^Opened bid (\d+)/.exec(opened)?.[1] as string;
    const vaultBefore = await page.getByTestId("vault-balance").textContent();
    await page.getByTestId(`close-${id}`).click();
    await waitForStatus(page, new RegExp(`^Bid ${id} closed`));
    await env.increaseTime(3_601);
    await page.getByTestId(`refund-${id}`).click();
    await waitForStatus(page, new RegExp(`^Bid ${id} refunded: 2 BTT back in the vault`));
    const btt = (text: string | null) => Number((text ?? "").replace(/ BTT$/, ""));
    expect(btt(await page.getByTestId("vault-balance").textContent())).to.equal(btt(vaultBefore) + 2);
  });

  it("as a seeder, redeems a receipts file and claims into the vault", async () => {
    const deployment = await memoryDeployments({ development: deploymentFile }).load("development");
    const speed = await createSpeedClient({ backend: env.readOnly, deployment });
    const bidId = BigInt(
      (await page.locator("[data-testid=bids] tbody tr").first().getAttribute("data-bid")) as string,
    );
    const receipt = signReceiptWithPrivateKey(keys[USER] as string, speed.domain, {
      bidId,
      seeder: toBase58(env.addresses[SEEDER]!),
      cumulativeBytes: 100n << 20n,
    });
    const seeder = await walletPage(SEEDER);
    await seeder.getByTestId("connect").click();
    await waitForStatus(seeder, /^Connected as T/);
    await seeder.getByTestId("receipts-file").setInputFiles({
      name: "receipts.json",
      mimeType: "application/json",
      buffer: Buffer.from(JSON.stringify([receiptToJson(receipt)])),
    });
    await seeder.getByTestId("redeem").click();
    const text = await waitForStatus(seeder, /^Redeemed 1 of 1 receipt\(s\) for 1 BTT; claimed 1 BTT into the vault/);
    expect(text).to.not.contain("e+");
    expect(await seeder.getByTestId("vault-balance").textContent()).to.equal("1 BTT");
    expect(await seeder.getByTestId("redeem-result").textContent()).to.contain(toBase58(env.addresses[SEEDER]!));
    await shot(seeder, "05-seeder-redeemed");
    // The same file again: nothing new to redeem, shown as an error.
    await seeder.getByTestId("redeem").click();
    await waitForStatus(seeder, /^Redeemed 0 of 1 receipt/);
    expect(await seeder.locator("#status.error").count()).to.equal(1);
    await seeder.close();
  });

  it("lists storage hosts with their scores and regions, and a tenant's deals", async () => {
    await page.getByTestId("show-hosts").click();
    await waitForStatus(page, /^2 host\(s\), best score first/);
    const rows = await page
      .locator("[data-testid=hosts] tbody tr")
      .evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent)));
    expect(rows.map((r) => r[0]).sort()).to.deep.equal(
      [toBase58(env.addresses[2]!), toBase58(env.addresses[3]!)].sort(),
    );
    expect(rows.map((r) => r[1]).sort()).to.deep.equal(["276", "392"]);
    for (const r of rows) {
      expect(Number(r[2])).to.be.within(0, 1);
      expect(r[3]).to.match(/ BTT$/);
      expect(r[6]).to.match(/^\d{4}-\d\d-\d\dT.*Z$/);
    }
    await page.getByTestId("show-deals").click();
    await waitForStatus(page, /^0 deal\(s\) of T/);
    // The tenant's deal: 2 shards x 3 periods, as settled on chain.
    await page.getByTestId("tenant").fill(toBase58(env.addresses[TENANT]!));
    await page.getByTestId("show-deals").click();
    await waitForStatus(page, /^1 deal\(s\) of T/);
    const cells = await page
      .locator("[data-testid=deal-grid] i")
      .evaluateAll((is) => is.map((i) => (i as HTMLElement).className.replace("cell ", "")));
    // Row-major: shard 0 (host 2, proves), shard 1 (host 3, silent).
    expect(cells).to.deep.equal(["proven", "proven", "pending", "missed", "lost", "pending"]);
    expect(await page.locator("#deals h3").textContent()).to.match(
      /2 shards × 3 periods of 700 s, escrow 6 BTT, (active|completed|lost)/,
    );
    await shot(page, "06-storage");
  });

  it("a wallet on another network is a typed error in the page", async () => {
    const wrong = await walletPage(USER, { query: "?deployment=wrong.json" });
    await wrong.getByTestId("connect").click();
    const text = await waitForStatus(wrong, /^NETWORK_MISMATCH: Wrong network/);
    expect(text).to.contain("728126428");
    expect(await wrong.getByTestId("account").textContent()).to.equal("");
    await shot(wrong, "07-wrong-network");
    await wrong.close();
  });

  it("a refused signature is a typed error, and nothing is sent", async () => {
    const refusing = await walletPage(USER, { refuse: true });
    await refusing.getByTestId("connect").click();
    await waitForStatus(refusing, /^Connected as T/);
    const before = await refusing.getByTestId("vault-balance").textContent();
    await refusing.getByTestId("vault-amount").fill("1");
    await refusing.getByTestId("withdraw").click();
    await waitForStatus(refusing, /^USER_REJECTED: The wallet refused the transaction/);
    await shot(refusing, "08-refused");
    await refusing.getByTestId("connect").click();
    await waitForStatus(refusing, /^Connected as T/);
    expect(await refusing.getByTestId("vault-balance").textContent()).to.equal(before);
    await refusing.close();
  });
});
