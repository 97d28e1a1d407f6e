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
  #backend: Backend | undefined;
  #vault: Promise<VaultClient> | undefined;
  #speed: Promise<SpeedClient> | undefined;
  #storage: Promise<StorageClient> | undefined;

  constructor(io: CliIo) {
    this.io = io;
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

  /** The node URL: `--node`, else the network's default. */
  nodeUrl(): string {
    const url = this.options.node ?? DEFAULT_NODES[this.options.network];
    if (url === undefined) {
      throw new InvalidArgumentError(
        `No default node for network ${JSON.stringify(this.options.network)}: pass --node <url>`,
      );
    }
    return url;
  }

  /** A TronWeb backend on the node, signing with the key from the environment if there is one. */
  backend(): Backend {
    if (!this.#backend) {
      const privateKey = this.privateKey();
      this.#backend = createTronWebBackend({
        fullHost: this.nodeUrl(),
        ...(privateKey ? { privateKey } : {}),
        pollIntervalMs: 200,
      });
    }
    return this.#backend;
  }

  /** The signing account, or `undefined` on a read-only backend. */
  account(): Promise<Hex20 | undefined> {
    return this.backend().account();
  }

  vault(): Promise<VaultClient> {
    this.#vault ??= this.deployment().then((deployment) => createVaultClient({ backend: this.backend(), deployment }));
    return this.#vault;
  }

  speed(): Promise<SpeedClient> {
    this.#speed ??= Promise.all([this.deployment(), this.vault()]).then(([deployment, vault]) =>
      createSpeedClient({ backend: this.backend(), deployment, vault }),
    );
    return this.#speed;
  }

  storage(): Promise<StorageClient> {
    this.#storage ??= this.deployment().then((deployment) =>
      createStorageClient({ backend: this.backend(), deployment }),
    );
    return this.#storage;
  }

  /** Chain time (latest block), unix seconds. */
  async now(): Promise<bigint> {
    const backend = this.backend();
    return (await backend.getBlock()).timestamp;
  }
}
