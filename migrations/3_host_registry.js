// 3. HostRegistry(vault, owner, unbondingDelay): host profiles, stake, unbonding and track records.
const { Deployment } = require("../deploy/lib.cjs");

module.exports = async (deployer, network) => {
  const d = await Deployment.open({ deployer, network, tronWeb, artifacts });
  await d.ensureDeployed("HostRegistry", "HostRegistry", [
    d.contract("EscrowVault").hex,
    d.hexOf("deployer"),
    d.config.registry.unbondingDelay,
  ]);
};
