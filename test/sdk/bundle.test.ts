// Issue 14's budget: the universal core bundles for the browser with no Node built-in, without
// ethers or TronWeb, and the budget app (vault balance, open a bid, sign a receipt over an
// injected TronWeb) costs at most 50 KB gzip of SDK code. Prints the size.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { expect } from "chai";
import * as esbuild from "esbuild";
import { describe, it } from "mocha";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BUDGET_GZIP = 50 * 1024;

async function bundle(entry: string | { contents: string }, external: string[] = []) {
  const result = await esbuild.build({
    ...(typeof entry === "string"
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.contents, resolveDir: root, loader: "ts" as const } }),
    bundle: true,
    platform: "browser",
    format: "esm",
    minify: true,
    write: false,
    metafile: true,
    logLevel: "silent",
    external,
    // The package as an app sees it: its sources under sdk/ (sdk/package.json's sideEffects
    // applies), resolved through the export map's subpaths.
    alias: {
      "@bttkit/sdk/vault": path.join(root, "sdk/src/vault/index.ts"),
      "@bttkit/sdk/speed": path.join(root, "sdk/src/speed/index.ts"),
      "@bttkit/sdk/storage": path.join(root, "sdk/src/storage/index.ts"),
      "@bttkit/sdk/erasure": path.join(root, "sdk/src/erasure.ts"),
      "@bttkit/sdk/wallet": path.join(root, "sdk/src/wallet.ts"),
      "@bttkit/sdk": path.join(root, "sdk/src/index.ts"),
    },
  });
  const output = result.outputFiles[0]?.contents ?? new Uint8Array();
  // What reached the output (tree shaking left it in), not everything esbuild parsed.
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0]?.inputs ?? {})
    .filter(([, v]) => v.bytesInOutput > 0)
    .map(([k]) => k);
  return { gzip: gzipSync(output).length, minified: output.length, inputs };
}

const packagesIn = (inputs: string[]) =>
  new Set(inputs.flatMap((i) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(i)?.[1] ?? []));

describe("sdk/bundle (browser)", function () {
  this.timeout(120_000);

  it(`bundles the budget app within ${BUDGET_GZIP / 1024} KB gzip, without ethers, TronWeb or Node built-ins`, async () => {
    const { gzip, minified, inputs } = await bundle(path.join(root, "test/sdk/fixtures/budget-app.ts"));
    console.log(`      budget app: ${(gzip / 1024).toFixed(1)} KB gzip (${(minified / 1024).toFixed(1)} KB minified)`);
    const packages = packagesIn(inputs);
    for (const name of ["ethers", "tronweb", "parse-torrent"]) expect([...packages]).to.not.include(name);
    expect(inputs.filter((i) => i.includes("generated/abi/mocks"))).to.deep.equal([]);
    expect(gzip).to.be.at.most(BUDGET_GZIP);
  });

  for (const entry of [
    "@bttkit/sdk",
    "@bttkit/sdk/vault",
    "@bttkit/sdk/speed",
    "@bttkit/sdk/storage",
    "@bttkit/sdk/erasure",
    "@bttkit/sdk/wallet",
  ]) {
    it(`${entry}: every export bundles for the browser with no Node built-in`, async () => {
      // `export *` keeps every export alive, so nothing is shaken away that could hide a Node import.
      // TronWeb (which brings ethers) is a peer the root's createTronWebBackend imports: left out.
      const { inputs } = await bundle({ contents: `export * from "${entry}";` }, ["tronweb"]);
      expect(inputs.filter((i) => i.startsWith("node:") || /^(fs|path|crypto|module)$/.test(i))).to.deep.equal([]);
      const packages = [...packagesIn(inputs)];
      for (const name of ["ethers", "parse-torrent"]) expect(packages).to.not.include(name);
    });
  }
});
