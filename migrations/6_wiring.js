// 6. Wiring, each part read on chain first and sent only when missing:
// - the vault authorises the registry (stake commits) and both markets (setMarket);
// - the registry authorises the storage market (collateral locks, slashing: setMarket);
// - markets replaced by a redeployment are de-authorised;
// - the configured pausers may pause the vault (setPauser);
// - if `owner` is configured, ownership of the vault, the registry and the speed market is
//   offered to it (Ownable2Step: it must call acceptOwnership() to take it).
const { Deployment } = require("../deploy/lib.cjs");

module.exports = async (deployer, network) => {
  const d = await Deployment.open({ deployer, network, tronWeb, artifacts });
  const vault = d.contract("EscrowVault").hex;
  const registry = d.contract("HostRegistry").hex;
  const addr = (value) => [{ type: "address", value }];
  const setMarket = [{ type: "address" }, { type: "bool" }];
  const args = (types, ...values) => types.map((t, i) => ({ type: t.type, value: values[i] }));

  /** Sends only as the owner: says who must act when the deployer no longer owns `key`. */
  const asOwner = async (key, label, isDone, signature, params) => {
    if (await isDone()) return d.ensureState(label, key, isDone, signature, params);
    const owner = await d.readAddress(d.contract(key).hex, "owner()");
    if (owner !== d.hexOf("deployer")) {
      throw new Error(
        `${label}: ${key} is owned by ${tronWeb.address.fromHex(owner)}, not the deploying account ${d.from}; the owner must send ${signature} itself.`,
      );
    }
    return d.ensureState(label, key, isDone, signature, params);
  };

  for (const key of ["HostRegistry", "StorageMarket", "SpeedMarket"]) {
    const market = d.contract(key).hex;
    await asOwner(
      "EscrowVault",
      `EscrowVault.setMarket(${key})`,
      () => d.readBool(vault, "isMarket(address)", addr(market)),
      "setMarket(address,bool)",
      args(setMarket, market, true),
    );
  }
  const storage = d.contract("StorageMarket").hex;
  await asOwner(
    "HostRegistry",
    "HostRegistry.setMarket(StorageMarket)",
    () => d.readBool(registry, "isMarket(address)", addr(storage)),
    "setMarket(address,bool)",
    args(setMarket, storage, true),
  );

  // De-authorise markets that a redeployment replaced (while they still point at this vault).
  for (const key of ["HostRegistry", "StorageMarket", "SpeedMarket"]) {
    for (const old of d.contract(key).replaced ?? []) {
      await asOwner(
        "EscrowVault",
        `EscrowVault.setMarket(${key} ${old.address}, false)`,
        async () => !(await d.readBool(vault, "isMarket(address)", addr(old.hex))),
        "setMarket(address,bool)",
        args(setMarket, old.hex, false),
      );
      if (key === "StorageMarket") {
        await asOwner(
          "HostRegistry",
          `HostRegistry.setMarket(StorageMarket ${old.address}, false)`,
          async () => !(await d.readBool(registry, "isMarket(address)", addr(old.hex))),
          "setMarket(address,bool)",
          args(setMarket, old.hex, false),
        );
      }
    }
  }

  for (const p of d.config.pausers) {
    const pauser = d.hexOf(p);
    const name = p === "deployer" ? `deployer ${d.from}` : p;
    await asOwner(
      "EscrowVault",
      `EscrowVault.setPauser(${name})`,
      () => d.readBool(vault, "isPauser(address)", addr(pauser)),
      "setPauser(address,bool)",
      args(setMarket, pauser, true),
    );
  }

  if (d.config.owner) {
    const target = d.hexOf(d.config.owner);
    for (const key of ["EscrowVault", "HostRegistry", "SpeedMarket"]) {
      const hex = d.contract(key).hex;
      const isDone = async () =>
        (await d.readAddress(hex, "owner()")) === target || (await d.readAddress(hex, "pendingOwner()")) === target;
      await asOwner(
        key,
        `${key}.transferOwnership(${d.config.owner})`,
        isDone,
        "transferOwnership(address)",
        addr(target),
      );
    }
  }
  d.save(false);
};
