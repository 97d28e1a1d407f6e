// 1. The BTT token. Mainnet: the TRC-20 BTT named in deploy/networks.config.cjs (checked: code
// and 18 decimals; not deployed). Networks without BTT (development, Nile, Shasta): bttkit's
// 18-decimal TestBTT, owned (and minted) by the deploying account. Either way the registry's
// top-level `token` names it; `contracts.TestBTT` exists only where it was deployed.
// TronBox runs this file in a sandbox that provides `artifacts` and `tronWeb`; see deploy/lib.cjs
// for how steps are made idempotent.
const { Deployment } = require("../deploy/lib.cjs");

module.exports = async (deployer, network) => {
  const d = await Deployment.open({ deployer, network, tronWeb, artifacts });
  if (d.config.btt) {
    await d.ensureToken({ external: d.config.btt });
  } else {
    await d.ensureDeployed("TestBTT", "TestBTT", [d.hexOf("deployer")]);
    await d.ensureToken({ contractKey: "TestBTT" });
  }
};
