/**
 * What every CLI command works with: the global options, resolved lazily (a command that needs
 * no chain never touches one) into a deployment, a TronWeb backend and the SDK's clients.
 */
import type { Hex20 } from "../address.js";
import { createTronWebBackend } from "../backend/createTronWebBackend.js";
import type { Backend } from "../backend/types.js";
import type { Deployment } from "../deployments.js";
import { InvalidArgumentError } from "../errors.js";
import { fileDeployments } from "../node/deployments.js";
import { createSpeedClient, type SpeedClient } from "../speed/client.js";
import { createStorageClient, type StorageClient } from "../storage/client.js";
import { createVaultClient, type VaultClient } from "../vault/client.js";

/** The global options, as commander parsed them. */
export interface GlobalOptions {
  network: string;
  node?: string;
  privateKeyEnv: string;
  deployments: string;
  json: boolean;
}

/** Where the CLI writes and what it reads from its process (injectable for tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** Full-node URLs of the networks the CLI knows; others need `--node`. */
export const DEFAULT_NODES: Readonly<Record<string, string>> = {
  development: "http://127.0.0.1:9090",
  nile: "https://nile.trongrid.io",
  shasta: "https://api.shasta.trongrid.io",
  mainnet: "https://api.trongrid.io",
};

export class CliContext {
  readonly io: CliIo;
  #options: GlobalOptions | undefined;
  #deployment: Promise<Deployment> | undefined;
  #backend: Promise<Backend> | undefined;
  #vault: Promise<VaultClient> | undefined;
  #speed: Promise<SpeedClient> | undefined;
  #storage: Promise<StorageClient> | undefined;

  /**
   * The exit code when the command returns: 0, or 1 when it ran but achieved nothing (e.g.
   * `receipt redeem` with every receipt rejected). Errors exit 1 (typed) or 2 (usage) anyway.
   */
  exitCode = 0;

  constructor(io: CliIo) {
    this.io = io;
  }

  /** Whether commander has parsed the global options yet. */
  get hasOptions(): boolean {
    return this.#options !== undefined;
  }

  /** Set once commander has parsed the global options (in a preAction hook). */
  setOptions(options: GlobalOptions): void {
    this.#options = options;
  }

  get options(): GlobalOptions {
    if (!this.#options) throw new InvalidArgumentError("The CLI options were not parsed");
    return this.#options;
  }

  get json(): boolean {
    return this.#options?.json ?? false;
  }

  /** `deployments/<network>.json` (or `--deployments <dir>`). */
  deployment(): Promise<Deployment> {
    this.#deployment ??= fileDeployments(this.options.deployments).load(this.options.network);
    return this.#deployment;
  }

  /**
   * The private key from the environment variable `--private-key-env` names, or `undefined`
   * (a read-only backend). The key never appears in arguments, output or errors.
   */
  privateKey(): string | undefined {
    const name = this.options.privateKeyEnv;
    const value = this.io.env[name];
    if (value === undefined || value === "") return undefined;
    const key = value.trim().replace(/^0x/, "");
    if (!/^[0-9a-fA-F]{64}$/.test(key)) {
      throw new InvalidArgumentError(`The environment variable ${name} does not hold a 32-byte hex private key`);
    }
    return key;
  }

  /** The signing key, or an error saying which variable to set. */
  requirePrivateKey(): string {
    const key = this.privateKey();
    if (key === undefined) {
      throw new InvalidArgumentError(`Set ${this.options.privateKeyEnv} to the signing account's private key`, {
        details: "or name another variable with --private-key-env <VAR>",
      });
    }
    return key;
  }

  /**
   * The node URL: `--node`, else `DEVNODE_URL`, else the `fullHost` recorded in the deployment,
   * else the network's well-known node.
   */
  async nodeUrl(): Promise<string> {
    const explicit = this.options.node ?? (this.io.env.DEVNODE_URL || undefined);
    if (explicit !== undefined) return explicit;
    const recorded = await this.deployment().then(
      (d) => d.fullHost,
      () => undefined,
    );
    const url = recorded ?? DEFAULT_NODES[this.options.network];
    if (url === undefined) {
      throw new InvalidArgumentError(
        `No node for network ${JSON.stringify(this.options.network)}: pass --node <url> or set DEVNODE_URL`,
      );
    }
    return url;
  }

  /** A TronWeb backend on the node, signing with the key from the environment if there is one. */
  backend(): Promise<Backend> {
    this.#backend ??= this.nodeUrl().then((fullHost) => {
      const privateKey = this.privateKey();
      return createTronWebBackend({ fullHost, ...(privateKey ? { privateKey } : {}), pollIntervalMs: 200 });
    });
    return this.#backend;
  }

  /** The signing account, or `undefined` on a read-only backend. */
  async account(): Promise<Hex20 | undefined> {
    return (await this.backend()).account();
  }

  vault(): Promise<VaultClient> {
    this.#vault ??= Promise.all([this.deployment(), this.backend()]).then(([deployment, backend]) =>
      createVaultClient({ backend, deployment }),
    );
    return this.#vault;
  }

  speed(): Promise<SpeedClient> {
    this.#speed ??= Promise.all([this.deployment(), this.vault(), this.backend()]).then(
      ([deployment, vault, backend]) => createSpeedClient({ backend, deployment, vault }),
    );
    return this.#speed;
  }

  storage(): Promise<StorageClient> {
    this.#storage ??= Promise.all([this.deployment(), this.backend()]).then(([deployment, backend]) =>
      createStorageClient({ backend, deployment }),
    );
    return this.#storage;
  }

  /** Chain time (latest block), unix seconds. */
  async now(): Promise<bigint> {
    return (await (await this.backend()).getBlock()).timestamp;
  }
}
