// The README's storage quick start, kept type-checked by `npm run typecheck`.
import {
  approveToken,
  createStorageClient,
  createTronWebBackend,
  createVaultClient,
  deposit,
  getHosts,
  openDeal,
  parseBtt,
  pickHosts,
  privateKeySigner,
  requestOffer,
  type SignedOffer,
  signOffer,
  toBase58,
} from "../src/index.js";
import { HostAgent, loadDeployment, prepareDeal } from "../src/node/index.js";

/** `hostKeys` stand in for the hosts' own signing services (a host signs offers for its shards). */
export async function storageQuickstart(fullHost: string, tenantKey: string, hostKeys: Map<string, string>) {
  // hostKeys: base58 host address -> its private key.
  const deployment = await loadDeployment("nile");
  const tenant = createTronWebBackend({ fullHost, privateKey: tenantKey });
  const storage = await createStorageClient({ backend: tenant, deployment });

  // 1. Erasure-code the file (10 data + 20 parity shards), build the shard trees, write deal.json.
  const prepared = await prepareDeal("./backup.tar", { periods: 30, outDir: "./backup.shards" });

  // 2. Pick 30 hosts by score (reliability, price, stake, age), spread over regions.
  const hosts = pickHosts(await getHosts(storage), { n: 30 });

  // 3. One offer per shard, signed by its host.
  const offers: SignedOffer[] = [];
  for (const [shard, { host }] of hosts.entries()) {
    const address = toBase58(host.address) as `T${string}`;
    const offer = await requestOffer(storage, {
      deal: prepared,
      shard,
      host: address,
      price: parseBtt("0.1"),
      collateral: parseBtt("3"),
    });
    offers.push(await signOffer(storage, { offer, signer: privateKeySigner(hostKeys.get(address) as string) }));
  }

  // 4. Fund the vault and open the deal: the whole price moves into the deal's escrow.
  const vault = await createVaultClient({ backend: tenant, deployment });
  await approveToken(vault, { amount: parseBtt("100") });
  await deposit(vault, { amount: parseBtt("100") });
  const { dealId, escrow } = await openDeal(storage, { deal: prepared, offers, approveMarket: true });

  // 5. Each host runs an agent over its shard files: it answers challenges and claims its pay.
  const agent = await HostAgent.fromShardDir(storage, "./backup.shards");
  agent.start({ intervalMs: 15_000 });
  return { dealId, escrow, agent };
}
