// 2. EscrowVault(token, owner): the only contract that holds tokens. The deployer owns it until
// the wiring step (6) hands ownership to `owner` from deploy/networks.config.cjs, if set.
const { Deployment } = require("../deploy/lib.cjs");

module.exports = async (deployer, network) => {
  const d = await Deployment.open({ deployer, network, tronWeb, artifacts });
  await d.ensureDeployed("EscrowVault", "EscrowVault", [d.token().hex, d.hexOf("deployer")]);
};
