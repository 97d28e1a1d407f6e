export { type CommandGroup, commandGroups } from "./commands/index.js";
export { CliContext, type CliIo, DEFAULT_NODES, type GlobalOptions } from "./context.js";
export { buildProgram, EXIT_ERROR, EXIT_OK, EXIT_USAGE, runCli } from "./program.js";
