// 5. SpeedMarket(vault, owner, minGrace, maxGrace): the bandwidth market.
const { Deployment } = require("../deploy/lib.cjs");

module.exports = async (deployer, network) => {
  const d = await Deployment.open({ deployer, network, tronWeb, artifacts });
  await d.ensureDeployed("SpeedMarket", "SpeedMarket", [
    d.contract("EscrowVault").hex,
    d.hexOf("deployer"),
    d.config.speed.minGrace,
    d.config.speed.maxGrace,
  ]);
};
