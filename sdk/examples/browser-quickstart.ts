// The README's browser quick start (a TronLink dApp), kept type-checked by `npm run typecheck`.
import { TronLinkAdapter } from "@tronweb3/tronwallet-adapter-tronlink";
import {
  connectWallet,
  createSpeedClient,
  createVaultClient,
  formatBtt,
  getBalance,
  openBid,
  parseBtt,
  parseDeployment,
  signReceipt,
  type TronWebLike,
} from "../src/index.js";

export async function browserQuickstart(nile: unknown, window: { tronLink?: { tronWeb?: TronWebLike } }) {
  const deployment = parseDeployment(nile); // deployments/nile.json, bundled with the app
  const backend = await connectWallet({
    adapter: new TronLinkAdapter(), // TronLink asks its user to connect
    tronWeb: window.tronLink?.tronWeb as TronWebLike, // its node; its key stays in TronLink
    chainId: deployment.chainId, // NetworkMismatchError when TronLink is on another network
  });
  const vault = await createVaultClient({ backend, deployment });
  console.log(`${formatBtt(await getBalance(vault))} BTT free in the vault`);

  const speed = await createSpeedClient({ backend, deployment, vault });
  const { bidId } = await openBid(speed, {
    infohash: "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a",
    pricePerMiB: parseBtt("0.01"),
    budget: parseBtt("5"),
    expiry: new Date(Date.now() + 3_600_000),
    approveMarket: true, // TronLink asks to sign each transaction
  });
  // TIP-712: TronLink shows the receipt and signs it.
  return signReceipt(speed, { bidId, seeder: "TBXSw8fM4jpQkGc6zZjsVABFpVN7UvXPdV", cumulativeBytes: 1n << 20n });
}
