import { spawn } from "node:child_process";

export interface ProcessResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface RunNodeOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The child is killed (SIGKILL) after this long; its output so far is returned. */
  timeoutMs: number;
}

/**
 * Runs `node <args>` and collects its output. Asynchronous on purpose: a devnode the child talks to
 * may run in this process, and a spawnSync would block it and deadlock.
 */
export function runNode(args: string[], options: RunNodeOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs);
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The child's stdout as JSON, or an error that shows what it printed instead. */
export function jsonOf(run: ProcessResult): ReturnType<typeof JSON.parse> {
  try {
    return JSON.parse(run.stdout);
  } catch {
    throw new Error(`stdout is not JSON (exit ${run.code}):\n${run.stdout}\n${run.stderr}`);
  }
}
