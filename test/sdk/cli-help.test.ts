/**
 * The CLI without a chain: `--help` of every command (found by walking the program, so a new
 * command is covered as soon as it exists), where the node URL comes from, the missing-key
 * message, and `npm run deploy -- --help`.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import type { Command } from "commander";
import { after, before, describe, it } from "mocha";
import { CliContext, type CliIo } from "../../sdk/src/cli/context.js";
import { buildProgram, runCli } from "../../sdk/src/cli/program.js";
import { runNode } from "../helpers/process.js";

function capture(env: NodeJS.ProcessEnv = {}): CliIo & { out: () => string; err: () => string } {
  let out = "";
  let err = "";
  return {
    stdout: {
      write: (s: string) => {
        out += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    stderr: {
      write: (s: string) => {
        err += s;
        return true;
      },
    } as unknown as NodeJS.WritableStream,
    env,
    out: () => out,
    err: () => err,
  };
}

function commandPaths(command: Command, prefix: string[] = []): string[][] {
  return command.commands.flatMap((sub) => [[...prefix, sub.name()], ...commandPaths(sub, [...prefix, sub.name()])]);
}

describe("bttkit CLI (no chain)", function () {
  this.timeout(120_000);
  const paths = commandPaths(buildProgram(new CliContext(capture())));

  it("has the commands a user needs", () => {
    const names = paths.map((p) => p.join(" "));
    for (const name of [
      "balance",
      "deposit",
      "bid open",
      "receipt redeem",
      "host register",
      "store",
      "keeper",
      "host-agent",
    ]) {
      expect(names).to.include(name);
    }
  });

  for (const path of [[], ...commandPaths(buildProgram(new CliContext(capture())))]) {
    it(`bttkit ${[...path, "--help"].join(" ")} prints its usage and exits 0`, async () => {
      const io = capture();
      const code = await runCli([...path, "--help"], io);
      expect(code, io.err()).to.equal(0);
      expect(io.out()).to.match(new RegExp(`^Usage: bttkit${path.length ? ` ${path.join(" ")}` : ""}[ \\n]`));
      expect(io.err()).to.equal("");
    });
  }

  describe("the node URL", () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), "bttkit-cli-node-"));
      const contract = {
        address: "TBXSw8fM4jpQkGc6zZjsVABFpVN7UvXPdV",
        hex: `41${"11".repeat(20)}`,
        txId: "0".repeat(64),
        block: 1,
      };
      writeFileSync(
        join(dir, "recorded.json"),
        JSON.stringify({
          network: "recorded",
          chainId: 1,
          contracts: { EscrowVault: contract },
          compiler: "x",
          commit: "y",
          fullHost: "http://127.0.0.1:9999",
        }),
      );
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    const urlWith = async (args: string[], env: NodeJS.ProcessEnv) => {
      const ctx = new CliContext(capture(env));
      let url: string | undefined;
      const program = buildProgram(ctx);
      program.command("probe").action(async () => {
        url = await ctx.nodeUrl();
      });
      await program.parseAsync(["--deployments", dir, ...args, "probe"], { from: "user" });
      return url;
    };

    it("is --node, then DEVNODE_URL, then the deployment's recorded fullHost, then the network's", async () => {
      const net = ["--network", "recorded"];
      expect(await urlWith([...net, "--node", "http://a:1"], { DEVNODE_URL: "http://b:2" })).to.equal("http://a:1");
      expect(await urlWith(net, { DEVNODE_URL: "http://b:2" })).to.equal("http://b:2");
      expect(await urlWith(net, {})).to.equal("http://127.0.0.1:9999");
      expect(await urlWith(["--network", "nile"], {})).to.equal("https://nile.trongrid.io");
      await urlWith(["--network", "nowhere"], {}).then(
        () => expect.fail("no node for an unknown network"),
        (error: Error) => expect(error.message).to.contain("DEVNODE_URL"),
      );
    });
  });

  it("without a key, a command that signs names BTTKIT_PRIVATE_KEY (exit 1)", async () => {
    const io = capture();
    const code = await runCli(
      ["--json", "receipt", "sign", "--bid", "1", "--seeder", "TBXSw8fM4jpQkGc6zZjsVABFpVN7UvXPdV", "--bytes", "1"],
      io,
    );
    expect(code).to.equal(1);
    expect(JSON.parse(io.out()).error.message).to.contain("BTTKIT_PRIVATE_KEY");
  });

  it("npm run deploy -- --help prints the usage and exits 0", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const run = await runNode(["--import", import.meta.resolve("tsx"), "scripts/deploy.ts", "--help"], {
      cwd: root,
      env: process.env,
      timeoutMs: 60_000,
    });
    expect(run.code, run.stderr).to.equal(0);
    expect(run.stdout).to.match(/^Usage: npm run deploy -- /);
  });
});
