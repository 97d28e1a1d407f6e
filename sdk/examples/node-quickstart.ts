// The README's Node quick start, kept type-checked by `npm run typecheck`.
import {
  approveToken,
  claim,
  createSpeedClient,
  createTronWebBackend,
  createVaultClient,
  deposit,
  openBid,
  parseBtt,
  redeem,
  signReceipt,
} from "../src/index.js";
import { loadDeployment } from "../src/node/index.js";

export async function quickstart(fullHost: string, downloaderKey: string, seederKey: string, seeder: string) {
  const deployment = await loadDeployment("nile"); // reads deployments/nile.json
  const downloader = createTronWebBackend({ fullHost, privateKey: downloaderKey });

  // Put BTT into the vault: approve it once, then deposit.
  const vault = await createVaultClient({ backend: downloader, deployment });
  await approveToken(vault, { amount: parseBtt("100") });
  await deposit(vault, { amount: parseBtt("100") });

  // Bid on a torrent: 0.01 BTT per MiB, 50 BTT budget, open for a day.
  const speed = await createSpeedClient({ backend: downloader, deployment });
  const { bidId } = await openBid(speed, {
    infohash: "magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a",
    pricePerMiB: parseBtt("0.01"),
    budget: parseBtt("50"),
    expiry: new Date(Date.now() + 86_400_000),
    approveMarket: true,
  });

  // Off chain: the downloader signs a cumulative receipt for what the seeder served.
  const receipt = await signReceipt(speed, {
    // No signer: the downloader's backend signs (a wallet would ask its user).
    bidId,
    seeder,
    cumulativeBytes: 256n * 2n ** 20n,
  });

  // The seeder (or anyone) redeems it, then moves the earnings to its vault balance.
  const seederSpeed = await createSpeedClient({
    backend: createTronWebBackend({ fullHost, privateKey: seederKey }),
    deployment,
  });
  await redeem(seederSpeed, { receipt });
  await claim(seederSpeed, { bidIds: [bidId] }); // the seeder defaults to the signer
}
