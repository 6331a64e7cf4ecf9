/**
 * mulberry32: a tiny, fast 32-bit PRNG, good enough to scatter estimated station points and to
 * generate synthetic demo days; same seed ⇒ same sequence, so both are repeatable.
 * (The routing core keeps its own xorshift in src/solver/rng.ts: it must import nothing.)
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
