/**
 * `bttkit`: the SDK's command line. Exit codes: 0 success, 1 a typed error (a `BttkitError`:
 * `code: message` on stderr, or `{"error": {"code", "message", ...}}` on stdout with `--json`),
 * 2 a usage error (unknown command or option, missing or malformed argument).
 */
import { Command, CommanderError, Option } from "commander";
import { BttkitError, InvalidArgumentError, PreflightError } from "../errors.js";
import { toBttkitError } from "../revert.js";
import { commandGroups } from "./commands/index.js";
import { CliContext, type CliIo, type GlobalOptions } from "./context.js";
import { printError, toJson } from "./output.js";

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

/** Builds the program; commands write through `ctx.io`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("bttkit")
    .description("bttkit: BTT storage and bandwidth markets on TRON")
    .version("0.1.0")
    .addOption(
      new Option("--network <name>", "deployment to use: deployments/<name>.json").default(
        ctx.io.env.BTTKIT_NETWORK ?? "development",
      ),
    )
    .option(
      "--node <url>",
      "full-node URL (TronWeb fullHost); default: $DEVNODE_URL, else the deployment's recorded node, else the network's",
    )
    .option("--private-key-env <VAR>", "environment variable holding the signing key", "BTTKIT_PRIVATE_KEY")
    .option("--deployments <dir>", "directory of deployment files", ctx.io.env.BTTKIT_DEPLOYMENTS_DIR ?? "deployments")
    .option("--json", "machine-readable output", false)
    .showHelpAfterError("(run with --help for usage)")
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .exitOverride()
    .hook("preAction", (thisCommand) => {
      ctx.setOptions(thisCommand.opts<GlobalOptions>());
    });
  for (const register of commandGroups) register(program, ctx);
  // Subcommands inherit the exit override and output settings.
  const configure = (command: Command) => {
    for (const sub of command.commands) {
      sub.exitOverride().configureOutput({
        writeOut: (s) => ctx.io.stdout.write(s),
        writeErr: (s) => ctx.io.stderr.write(s),
      });
      configure(sub);
    }
  };
  configure(program);
  return program;
}

/** Runs the CLI on `argv` (without the node and script paths); resolves with the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx = new CliContext(io);
  const program = buildProgram(ctx);
  const json = argv.includes("--json");
  try {
    await program.parseAsync([...argv], { from: "user" });
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version") {
        return EXIT_OK;
      }
      if (json) io.stdout.write(`${toJson({ error: { code: "USAGE", message: error.message } })}\n`);
      return EXIT_USAGE;
    }
    let typed = error instanceof BttkitError ? error : toBttkitError(error);
    // A write without a key fails deep in the SDK ("no signer"): say which variable to set.
    const noSigner =
      (typed instanceof PreflightError && typed.check === "no-signer") || /read-only backend/.test(typed.shortMessage);
    if (noSigner && ctx.hasOptions && ctx.privateKey() === undefined) {
      typed = new InvalidArgumentError(`Set ${ctx.options.privateKeyEnv} to the signing account's private key`, {
        details: `${typed.shortMessage}; or name another variable with --private-key-env <VAR>`,
        cause: typed,
      });
    }
    printError(io, json, typed);
    return EXIT_ERROR;
  }
}
