// Minimal types for the untyped npm packages infohash.ts uses (only what it touches).
declare module "magnet-uri" {
  interface MagnetDecoded {
    infoHash?: string;
    infoHashV2?: string;
    [field: string]: unknown;
  }
  function decode(uri: string): MagnetDecoded;
  const magnet: { decode: typeof decode };
  export default magnet;
  export { decode };
}

declare module "bencode" {
  function decode(data: Uint8Array): unknown;
  function encode(data: unknown): Uint8Array;
  const bencode: { decode: typeof decode; encode: typeof encode };
  export default bencode;
}
