// 4. StorageMarket(vault, registry, config): deals, challenges, settlement, repair. It has no
// owner (its rules are fixed at deployment) and creates its StorageHosting code body in its
// constructor, which is recorded as well.
const { Deployment } = require("../deploy/lib.cjs");

module.exports = async (deployer, network) => {
  const d = await Deployment.open({ deployer, network, tronWeb, artifacts });
  const s = d.config.storage;
  const market = await d.ensureDeployed("StorageMarket", "StorageMarket", [
    d.contract("EscrowVault").hex,
    d.contract("HostRegistry").hex,
    // IStorageMarketTypes.Config, as a tuple in declaration order.
    [s.responseWindow, s.seedDelay, s.missesToLose, s.withheldBps, s.slashBps, s.tenantSlashBps],
  ]);
  const hosting = await d.readAddress(market.hex, "hosting()");
  d.recordCreated("StorageHosting", "StorageHosting", hosting, "StorageMarket");
};
