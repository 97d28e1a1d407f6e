import { addr } from "../../describe.js";
import { PreflightError } from "../../errors.js";
import type { StorageClient } from "../client.js";
import { checkProfile, type HostProfileInput } from "./hostProfile.js";
import {
  checkClient,
  checkOptions,
  checkParameters,
  requireSigner,
  type StorageActionError,
  type StorageActionOptions,
  type StorageActionReceipt,
  send,
} from "./internal.js";

export interface RegisterHostParameters extends StorageActionOptions, HostProfileInput {}
export type RegisterHostReturnType = StorageActionReceipt;
/** `PreflightError` checks: `no-signer`, `host-registered` (use `updateHost`). */
export type RegisterHostErrorType = StorageActionError;

/** Registers the signer as a storage host with its profile (`HostRegistry.setProfile`). */
export async function registerHost(
  client: StorageClient,
  parameters: RegisterHostParameters,
): Promise<RegisterHostReturnType> {
  checkClient(client);
  checkParameters(parameters, "registerHost");
  checkOptions(parameters);
  const profile = checkProfile(parameters);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const stake = await client.registry.read.stakeOf([signer]);
    if (stake.registered)
      throw new PreflightError("host-registered", `${addr(signer)} is registered already: use updateHost`);
  }
  return send(client, "registry", "setProfile", [profile], parameters);
}
