// Minimal types for bencode (what speedWire.ts touches).
declare module "bencode" {
  const bencode: {
    encode(value: unknown): Uint8Array;
    decode(data: Uint8Array): unknown;
  };
  export default bencode;
}
