// Packaging: `npm pack` ships a fresh dist/ (prepack build) and no sources or TypeChain; the
// tarball installs in an empty project (npm's cache first, else the npm registry) and imports
// from ES modules and CommonJS (Node 22's require of the ESM build), every subpath resolves, and
// its `bttkit` runs. Prints the tarball's size and file count.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { expect } from "chai";
import { after, before, describe, it } from "mocha";

const run = promisify(execFile);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
// Children run on this Node (22), also through `#!/usr/bin/env node` and npm's scripts.
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH}` };

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

describe("sdk/pack (tarball)", function () {
  this.timeout(600_000);
  let dir: string;
  let app: string;
  let pack: PackResult;

  before(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "bttkit-pack-"));
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", dir], {
      cwd: path.join(root, "sdk"),
      env,
      maxBuffer: 64 << 20,
    });
    pack = (JSON.parse(stdout.slice(stdout.indexOf("["))) as PackResult[])[0] as PackResult;
    app = path.join(dir, "app");
    await run("mkdir", ["-p", app]);
    await writeFile(path.join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", path.join(dir, pack.filename)], {
      cwd: app,
      env,
      maxBuffer: 64 << 20,
    });
  });
  after(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("ships the built dist/ and the bin, without sources, TypeChain or the CLI's libraries", async () => {
    const files = pack.files.map((f) => f.path);
    console.log(
      `      ${pack.filename}: ${(pack.size / 1024).toFixed(0)} KB packed, ${(pack.unpackedSize / 1024).toFixed(0)} KB unpacked, ${files.length} files`,
    );
    for (const f of ["dist/index.js", "dist/index.d.ts", "dist/node/index.js", "dist/cli/main.js", "bin/bttkit.js"]) {
      expect(files).to.include(f);
    }
    expect(
      files.filter(
        (f) => f.startsWith("src/") || f.includes("typechain") || (f.endsWith(".ts") && !f.endsWith(".d.ts")),
      ),
    ).to.deep.equal([]);
    const manifest = JSON.parse(await readFile(path.join(app, "node_modules/@bttkit/sdk/package.json"), "utf8"));
    expect(Object.keys(manifest.dependencies)).to.not.include.oneOf(["commander", "cli-progress", "ethers", "tronweb"]);
    expect(manifest.peerDependencies).to.have.keys(["ethers", "tronweb"]);
    expect(manifest.sideEffects).to.equal(false);
  });

  const probe = `
    const base58 = sdk.toBase58("0x${"11".repeat(20)}");
    const amount = sdk.formatBtt(sdk.parseBtt("1.5"));
    const subpaths = [vault.createVaultClient, speed.openBid, storage.openDeal, erasure.encodeShards, node.prepareDeal, node.fileDeployments, testing.testBTTAbi].map((x) => typeof x);
    const typed = new sdk.InvalidAmountError("x", "d") instanceof sdk.BttkitError;
    console.log(JSON.stringify({ base58, amount, subpaths, typed }));`;
  const expected = {
    base58: "TBXSw8fM4jpQkGc6zZjsVABFpVN7UvXPdV",
    amount: "1.5",
    subpaths: ["function", "function", "function", "function", "function", "function", "object"],
    typed: true,
  };
  const names = ["vault", "speed", "storage", "erasure", "node", "testing"];

  it("imports from an ES module: the root and every subpath", async () => {
    const source = `import * as sdk from "@bttkit/sdk";\n${names.map((n) => `import * as ${n} from "@bttkit/sdk/${n}";`).join("\n")}\n${probe}`;
    await writeFile(path.join(app, "esm.mjs"), source);
    const { stdout } = await run(process.execPath, ["esm.mjs"], { cwd: app, env });
    expect(JSON.parse(stdout)).to.deep.equal(expected);
  });

  it("requires from CommonJS (Node 22 loads the ES module build)", async () => {
    const source = `const sdk = require("@bttkit/sdk");\n${names.map((n) => `const ${n} = require("@bttkit/sdk/${n}");`).join("\n")}\n${probe}`;
    await writeFile(path.join(app, "cjs.cjs"), source);
    const { stdout } = await run(process.execPath, ["cjs.cjs"], { cwd: app, env });
    expect(JSON.parse(stdout.trim().split("\n").pop() as string)).to.deep.equal(expected);
  });

  it("runs the installed bttkit", async () => {
    const { stdout } = await run(path.join(app, "node_modules/.bin/bttkit"), ["--help"], { cwd: app, env });
    expect(stdout).to.match(/^Usage: bttkit/);
    const deploy = await run(path.join(app, "node_modules/.bin/bttkit"), ["bid", "open", "--help"], { cwd: app, env });
    expect(deploy.stdout).to.match(/Usage: bttkit bid open/);
  });
});
