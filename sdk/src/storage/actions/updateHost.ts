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

export interface UpdateHostParameters extends StorageActionOptions, HostProfileInput {}
export type UpdateHostReturnType = StorageActionReceipt;
/** `PreflightError` checks: `no-signer`, `host-not-registered` (use `registerHost`). */
export type UpdateHostErrorType = StorageActionError;

/** Replaces the signer's host profile (`HostRegistry.setProfile`). */
export async function updateHost(
  client: StorageClient,
  parameters: UpdateHostParameters,
): Promise<UpdateHostReturnType> {
  checkClient(client);
  checkParameters(parameters, "updateHost");
  checkOptions(parameters);
  const profile = checkProfile(parameters);
  const signer = await requireSigner(client);
  if (!parameters.skipPreflight) {
    const stake = await client.registry.read.stakeOf([signer]);
    if (!stake.registered) throw new PreflightError("host-not-registered", `${addr(signer)} is not a registered host`);
  }
  return send(client, "registry", "setProfile", [profile], parameters);
}
