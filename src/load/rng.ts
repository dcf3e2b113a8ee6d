/**
 * The load's source of random choices (./workload.ts draws every choice of a cohort's plan from
 * it): mulberry32, a small seeded generator, so a run's workload can be played again from its seed.
 */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0;
  }
  next(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(xs: readonly T[]): T {
    if (!xs.length) throw new Error('pick from nothing');
    // in range by construction: next() is below 1, so int(n) is below n
    return xs[this.int(xs.length)]!;
  }
}
