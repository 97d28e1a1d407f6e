import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "chai";
import { describe, it } from "mocha";
import { deployedContract, memoryDeployments, parseDeployment } from "../../sdk/src/deployments.js";
import { DeploymentNotFoundError, InvalidArgumentError, InvalidDeploymentError } from "../../sdk/src/errors.js";
import { fileDeployments, loadDeployment } from "../../sdk/src/node/deployments.js";
import { rejectsWith } from "./expect-error.js";

const VAULT_BASE58 = "TJRabPrwbZy45sbavfcjinPJC18kjpRTv8";
const VAULT_41 = "415cbdd86a2fa8dc4bddd8a8f69dba48572eec07fb";
const file = {
  network: "nile",
  chainId: 3448148188,
  contracts: { EscrowVault: { address: VAULT_BASE58, hex: VAULT_41, txId: "ab".repeat(32), block: 12 } },
  compiler: { version: "0.8.29", evmVersion: "cancun", optimizer: { enabled: true, runs: 200 } },
  commit: "b4fa9e6",
};

describe("sdk/deployments", () => {
  it("parses a deployment: chain id as bigint, hex as 0x 20-byte", () => {
    const d = parseDeployment(file, "nile");
    expect(d.chainId).to.equal(3448148188n);
    expect(d.contracts.EscrowVault?.address).to.equal(VAULT_BASE58);
    expect(d.contracts.EscrowVault?.hex).to.equal("0x5CbDd86a2FA8Dc4bDdd8a8f69dBa48572EeC07FB");
    expect(deployedContract(d, "EscrowVault").block).to.equal(12);
  });
  it("names the bad field with InvalidDeploymentError", () => {
    const bad = (patch: object) => () => parseDeployment({ ...file, ...patch });
    expect(bad({ chainId: "nile" })).to.throw(InvalidDeploymentError, /chainId/);
    expect(bad({ contracts: [] })).to.throw(InvalidDeploymentError, /contracts/);
    expect(bad({ commit: 5 })).to.throw(InvalidDeploymentError, /commit/);
    expect(bad({ compiler: 5 })).to.throw(InvalidDeploymentError, /compiler/);
    const entry = file.contracts.EscrowVault;
    expect(bad({ contracts: { EscrowVault: { ...entry, hex: `41${"00".repeat(20)}` } } })).to.throw(
      InvalidDeploymentError,
      /address/,
    );
    expect(bad({ contracts: { EscrowVault: { ...entry, address: "Tnope" } } })).to.throw(InvalidDeploymentError);
    expect(bad({ contracts: { EscrowVault: { ...entry, txId: "xyz" } } })).to.throw(InvalidDeploymentError, /txId/);
    expect(bad({ contracts: { EscrowVault: { ...entry, block: -1 } } })).to.throw(InvalidDeploymentError, /block/);
    expect(() => parseDeployment(null)).to.throw(InvalidDeploymentError);
  });
  it("says DEPLOYMENT_NOT_FOUND for a missing network, file or contract", async () => {
    const source = memoryDeployments({ nile: file });
    const missing = await rejectsWith(() => source.load("shasta"), DeploymentNotFoundError);
    expect(missing.code).to.equal("DEPLOYMENT_NOT_FOUND");
    expect(missing.network).to.equal("shasta");
    await rejectsWith(() => memoryDeployments({ shasta: file }).load("shasta"), DeploymentNotFoundError);
    const d = await source.load("nile");
    expect(() => deployedContract(d, "SpeedMarket")).to.throw(DeploymentNotFoundError, /SpeedMarket/);
    await rejectsWith(
      () => loadDeployment("nile", fileDeployments(join(tmpdir(), "no-such-dir"))),
      DeploymentNotFoundError,
    );
  });
  it("loads deployments/<network>.json from a directory, and refuses path tricks", async () => {
    const dir = mkdtempSync(join(tmpdir(), "bttkit-deployments-"));
    writeFileSync(join(dir, "nile.json"), JSON.stringify(file));
    writeFileSync(join(dir, "broken.json"), "{");
    const d = await loadDeployment("nile", fileDeployments(dir));
    expect(d.network).to.equal("nile");
    await rejectsWith(() => loadDeployment("broken", fileDeployments(dir)), InvalidDeploymentError);
    await rejectsWith(() => loadDeployment("../nile", fileDeployments(dir)), InvalidArgumentError);
    await rejectsWith(() => loadDeployment(5 as unknown as string, fileDeployments(dir)), InvalidArgumentError);
  });
});
