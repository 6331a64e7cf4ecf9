/**
 * Seeded xorshift128 generator: the solver's only source of randomness, so that the same problem,
 * seed and iteration budget always give the same solution.
 */
export class Rng {
  #x: number;
  #y: number;
  #z: number;
  #w: number;

  constructor(seed: number) {
    // splitmix32 spreads a small seed over the four state words (an all-zero state would be stuck).
    let s = (seed | 0) ^ 0x9e3779b9;
    const mix = (): number => {
      s = (s + 0x9e3779b9) | 0;
      let t = s ^ (s >>> 16);
      t = Math.imul(t, 0x21f0aaad);
      t ^= t >>> 15;
      t = Math.imul(t, 0x735a2d97);
      return (t ^ (t >>> 15)) >>> 0;
    };
    this.#x = mix() | 1;
    this.#y = mix();
    this.#z = mix();
    this.#w = mix();
  }

  /** Uniform 32-bit unsigned integer. */
  nextU32(): number {
    const t = this.#x ^ (this.#x << 11);
    this.#x = this.#y;
    this.#y = this.#z;
    this.#z = this.#w;
    this.#w = (this.#w ^ (this.#w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    return this.#w;
  }

  /** Uniform float in [0, 1). */
  next(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  /** Fisher–Yates shuffle in place. */
  shuffle(a: Int32Array | number[]): void {
    for (let i = a.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
