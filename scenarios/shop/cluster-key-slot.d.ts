// cluster-key-slot (ioredis's own) ships no types: the one function the lab uses.
declare module 'cluster-key-slot' {
  /** The Redis Cluster slot of a key: CRC16 of its hash tag (the part in braces) or of the whole key, mod 16384. */
  export default function clusterKeySlot(key: string): number;
}
