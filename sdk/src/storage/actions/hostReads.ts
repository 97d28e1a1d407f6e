/** Host reads: one host's profile, stake and track record; every registered host. */
import { type Hex20, toHex20 } from "../../address.js";
import type { AddressInput, FunctionResult } from "../../backend/types.js";
import { InvalidArgumentError } from "../../errors.js";
import type { hostRegistryAbi } from "../../generated/abi/index.js";
import type { StorageClient } from "../client.js";
import { accountOrSigner, checkClient, checkParameters } from "./internal.js";

export type HostProfile = FunctionResult<typeof hostRegistryAbi, "profileOf">;
export type HostStake = FunctionResult<typeof hostRegistryAbi, "stakeOf">;
export type HostTrackRecord = FunctionResult<typeof hostRegistryAbi, "trackRecordOf">;

/** Everything the registry knows of one host. */
export interface HostInfo {
  address: Hex20;
  profile: HostProfile;
  stake: HostStake;
  /** Stake that can be locked by a new deal or start unbonding. */
  freeStake: bigint;
  trackRecord: HostTrackRecord;
}

export interface HostParameters {
  /** Default: the signer. */
  address?: AddressInput;
}
export type HostReturnType = HostInfo;

/** `address`'s profile, stake, free stake and track record (`stake.registered` false for a stranger). */
export async function getHost(client: StorageClient, parameters: HostParameters = {}): Promise<HostReturnType> {
  checkClient(client);
  checkParameters(parameters, "host");
  const address = await accountOrSigner(client, parameters.address, "address");
  const [profile, stakeInfo, freeStake, trackRecord] = await Promise.all([
    client.registry.read.profileOf([address]),
    client.registry.read.stakeOf([address]),
    client.registry.read.freeStakeOf([address]),
    client.registry.read.trackRecordOf([address]),
  ]);
  return { address, profile, stake: stakeInfo, freeStake, trackRecord };
}

export interface TrackRecordParameters {
  /** Default: the signer. */
  address?: AddressInput;
}
export type TrackRecordReturnType = HostTrackRecord;

/**
 * `address`'s track record: proofs passed and missed, deals completed and lost, registration
 * time. Folded in when each shard tenure ends, so it lags running deals (IHostRegistry).
 */
export async function getTrackRecord(
  client: StorageClient,
  parameters: TrackRecordParameters = {},
): Promise<TrackRecordReturnType> {
  checkClient(client);
  checkParameters(parameters, "trackRecord");
  const address = await accountOrSigner(client, parameters.address, "address");
  return client.registry.read.trackRecordOf([address]);
}

export interface ListHostsParameters {
  /** First block scanned; default the client's `fromBlock`. */
  fromBlock?: bigint;
  /** Most hosts returned (default 1,000, at most 10,000). */
  limit?: number;
  /** Keep hosts that are no longer registered (default false). */
  includeUnregistered?: boolean;
}
export type ListHostsReturnType = HostInfo[];

/**
 * Every host that registered (`ProfileSet` with `firstTime`), oldest first, with its current
 * profile, stake and track record. The registry has no enumerable list: this scans its events.
 */
export async function getHosts(
  client: StorageClient,
  parameters: ListHostsParameters = {},
): Promise<ListHostsReturnType> {
  checkClient(client);
  checkParameters(parameters, "listHosts");
  const limit = parameters.limit ?? 1_000;
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new InvalidArgumentError(`limit must be an integer from 1 to 10000, got ${String(limit)}`);
  }
  const fromBlock = parameters.fromBlock ?? client.fromBlock;
  if (typeof fromBlock !== "bigint" || fromBlock < 0n) throw new InvalidArgumentError("fromBlock must be a bigint");
  const seen = new Set<Hex20>();
  let cursor = fromBlock;
  for (;;) {
    const events = await client.backend.getEvents({
      address: client.registry.address,
      abi: client.registry.abi,
      eventName: "ProfileSet",
      fromBlock: cursor,
      limit: 1_000,
    });
    let fresh = 0;
    for (const event of events) {
      if (!event.args.firstTime) continue;
      const address = toHex20(event.args.host);
      if (!seen.has(address)) fresh++;
      seen.add(address);
    }
    const last = events.at(-1);
    if (events.length < 1_000 || !last || seen.size >= limit || (fresh === 0 && last.blockNumber === cursor)) break;
    cursor = last.blockNumber;
  }
  const addresses = [...seen].slice(0, limit);
  const out: HostInfo[] = [];
  // Bounded parallelism: 8 hosts (32 reads) at a time.
  for (let i = 0; i < addresses.length; i += 8) {
    const batch = await Promise.all(addresses.slice(i, i + 8).map((address) => host(client, { address })));
    out.push(...batch);
  }
  return parameters.includeUnregistered ? out : out.filter((h) => h.stake.registered);
}

// The names before the get* rule, kept for existing callers.
/** @deprecated Use `getHost`. */
export const host = getHost;
/** @deprecated Use `getTrackRecord`. */
export const trackRecord = getTrackRecord;
/** @deprecated Use `getHosts`. */
export const listHosts = getHosts;
