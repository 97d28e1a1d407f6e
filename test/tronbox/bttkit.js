// `tronbox test test/tronbox/bttkit.js --network development` (TronBox reads only .js tests). TronBox
// first runs the migrations with --reset against the devnode, then this suite with its globals:
// `contract`, `artifacts`, `tronWeb`/`tronWrap`, `assert`. Run by test/deploy/tronbox-test.test.ts.
//
// Hardhat's mocha (`npm test`) also loads every .js file under test/; without TronBox's globals
// this file defines nothing there.
if (typeof contract === "function" && typeof artifacts !== "undefined" && typeof tronWrap !== "undefined") {
  const TestBTT = artifacts.require("TestBTT");
  const EscrowVault = artifacts.require("EscrowVault");
  const HostRegistry = artifacts.require("HostRegistry");
  const StorageMarket = artifacts.require("StorageMarket");
  const SpeedMarket = artifacts.require("SpeedMarket");
  const UNIT = 10n ** 18n;
  const hex = (a) => tronWeb.address.toHex(a).toLowerCase();

  contract("bttkit on the devnode", (accounts) => {
    let btt;
    let vault;
    let registry;
    let storage;
    let speed;

    before(async () => {
      btt = await TestBTT.deployed();
      vault = await EscrowVault.deployed();
      registry = await HostRegistry.deployed();
      storage = await StorageMarket.deployed();
      speed = await SpeedMarket.deployed();
    });

    it("the migrations wired the markets into the vault and the storage market into the registry", async () => {
      assert.equal(hex(await vault.token()), hex(btt.address));
      for (const market of [registry, storage, speed]) assert.isTrue(await vault.isMarket(market.address));
      assert.isTrue(await registry.isMarket(storage.address));
      assert.isTrue(await vault.isPauser(accounts[0]));
      assert.equal(hex(await storage.vault()), hex(vault.address));
      assert.equal(hex(await speed.vault()), hex(vault.address));
    });

    it("a deposit, a pause that stops commitments but not withdrawals", async () => {
      const user = accounts[1];
      await btt.mint(user, 10n * UNIT);
      await btt.approve(vault.address, 10n * UNIT, { from: user });
      await vault.deposit(4n * UNIT, { from: user });
      assert.equal(BigInt(await vault.balanceOf(user)), 4n * UNIT);
      await vault.pause();
      assert.isTrue(await vault.paused());
      await vault.withdraw(UNIT, { from: user });
      assert.equal(BigInt(await vault.balanceOf(user)), 3n * UNIT);
      assert.equal(BigInt(await btt.balanceOf(user)), 7n * UNIT);
      await vault.unpause();
      assert.isFalse(await vault.paused());
    });

    it("TRE RPCs: tre_mine advances the chain", async () => {
      const before = (await tronWeb.trx.getCurrentBlock()).block_header.raw_data.number;
      await tronWrap.send("tre_mine", [{ blocks: 3 }]);
      const after = (await tronWeb.trx.getCurrentBlock()).block_header.raw_data.number;
      assert.equal(after, before + 3);
    });
  });
}
