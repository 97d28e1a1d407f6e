/** Host profile input, shared by registerHost and updateHost. */
import { InvalidArgumentError } from "../../errors.js";
import { MAX_UINT64, MAX_UINT128 } from "./internal.js";

/** What a host advertises (IHostRegistry.Profile). */
export interface HostProfileInput {
  /** Bytes the host offers (below 2^64). */
  capacity: bigint;
  /** Asking price in token units per GiB per period (advisory; the signed offer binds). */
  pricePerGiBPerPeriod: bigint;
  /** ISO 3166-1 numeric country code, 0 for none. */
  region: number;
  /** Peer id or multiaddr/URL the host serves shards at (at most 256 bytes). */
  endpoint: string;
}

export const MAX_ENDPOINT_BYTES = 256;

export function checkProfile(profile: unknown): HostProfileInput {
  const p = profile as HostProfileInput;
  if (typeof p !== "object" || p === null) throw new InvalidArgumentError("profile must be an object");
  if (typeof p.capacity !== "bigint" || p.capacity < 0n || p.capacity > MAX_UINT64) {
    throw new InvalidArgumentError(`capacity must be a uint64 bigint, got ${String(p.capacity)}`);
  }
  if (
    typeof p.pricePerGiBPerPeriod !== "bigint" ||
    p.pricePerGiBPerPeriod < 0n ||
    p.pricePerGiBPerPeriod > MAX_UINT128
  ) {
    throw new InvalidArgumentError(
      `pricePerGiBPerPeriod must be a uint128 bigint, got ${String(p.pricePerGiBPerPeriod)}`,
    );
  }
  if (typeof p.region !== "number" || !Number.isInteger(p.region) || p.region < 0 || p.region > 0xffff) {
    throw new InvalidArgumentError(`region must be an ISO 3166-1 numeric code (0 to 65535), got ${String(p.region)}`);
  }
  if (typeof p.endpoint !== "string") throw new InvalidArgumentError("endpoint must be a string");
  const length = Buffer.byteLength(p.endpoint, "utf8");
  if (length > MAX_ENDPOINT_BYTES) {
    throw new InvalidArgumentError(`endpoint is ${length} bytes; at most ${MAX_ENDPOINT_BYTES} are allowed`);
  }
  return {
    capacity: p.capacity,
    pricePerGiBPerPeriod: p.pricePerGiBPerPeriod,
    region: p.region,
    endpoint: p.endpoint,
  };
}
