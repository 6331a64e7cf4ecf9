import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  coalitionTable,
  coreViolations,
  repairIndividualRationality,
  roundToTotal,
  shapleyExact,
  shapleySampled,
} from '../../../src/settlement/cost-allocation.ts';

/** The airport game: a coalition pays for the longest runway any member needs. */
const airport = (needs: readonly number[]) => (mask: number) => Math.max(0, ...needs.filter((_, i) => (mask & (1 << i)) !== 0));

describe('Shapley value', () => {
  it('splits the airport game by runway segment (Littlechild & Owen)', () => {
    const phi = shapleyExact(3, airport([1, 2, 3]));
    expect(phi[0]).toBeCloseTo(1 / 3, 10);
    expect(phi[1]).toBeCloseTo(1 / 3 + 1 / 2, 10);
    expect(phi[2]).toBeCloseTo(1 / 3 + 1 / 2 + 1, 10);
  });

  it('is efficient, symmetric and gives a null player nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 1, maxLength: 8 }), (needs) => {
        const withNull = [...needs, 0];
        const phi = shapleyExact(withNull.length, airport(withNull));
        expect(phi.reduce((a, b) => a + b, 0)).toBeCloseTo(Math.max(...needs), 6);
        expect(phi[withNull.length - 1]).toBeCloseTo(0, 9);
        for (let i = 0; i < needs.length; i++) for (let j = 0; j < needs.length; j++) if (needs[i] === needs[j]) expect(phi[i]).toBeCloseTo(phi[j]!, 6);
      }),
      { numRuns: 50 },
    );
  });

  it('estimated from sampled join orders: efficient, repeatable and close to the exact value', () => {
    const needs = [5, 9, 2, 7, 7, 1, 3];
    const exact = shapleyExact(needs.length, airport(needs));
    const a = shapleySampled(needs.length, airport(needs), 4000, 7);
    const b = shapleySampled(needs.length, airport(needs), 4000, 7);
    expect(a).toEqual(b);
    expect(a.reduce((x, y) => x + y, 0)).toBeCloseTo(9, 9);
    for (let i = 0; i < needs.length; i++) expect(Math.abs(a[i]! - exact[i]!)).toBeLessThan(0.25);
  });
});

describe('the core', () => {
  // c(1)=c(2)=c(3)=6, c(12)=4, c(13)=c(23)=10, c(123)=10: the core is {(x1, x2, 6) : x1+x2 = 4},
  // but Shapley gives player 3 only 16/3, so couriers 1 and 2 together pay 14/3 > c(12) = 4.
  const costs: Record<number, number> = { 1: 6, 2: 6, 4: 6, 3: 4, 5: 10, 6: 10, 7: 10 };
  const game = (mask: number) => costs[mask]!;

  it('Shapley can be individually rational and still outside the core', () => {
    const phi = shapleyExact(3, game);
    expect(phi[2]).toBeCloseTo(16 / 3, 10);
    expect(phi.every((x, i) => x <= game(1 << i))).toBe(true);
    const v = coreViolations(3, coalitionTable(3, game), phi, 0.01);
    expect(v).toHaveLength(1);
    expect(v[0]!.members).toEqual([0, 1]);
    expect(v[0]!.excess).toBeCloseTo(2 / 3, 10);
  });

  it('finds no violation for an allocation in the core', () => {
    expect(coreViolations(3, coalitionTable(3, game), [2, 2, 6], 0.01)).toEqual([]);
  });
});

describe('rounding to whole fen', () => {
  it('sums to the total exactly, largest remainders first', () => {
    expect(roundToTotal([33.4, 33.3, 33.3], 100)).toEqual([34, 33, 33]);
    expect(roundToTotal([10 / 3, 10 / 3, 10 / 3], 10)).toEqual([4, 3, 3]);
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 12 }), (xs) => {
        const total = Math.round(xs.reduce((a, b) => a + b, 0));
        const r = roundToTotal(xs, total);
        expect(r.reduce((a, b) => a + b, 0)).toBe(total);
      }),
    );
  });
});

describe('individual rationality', () => {
  it('caps a share above the stand-alone cost and gives the excess to the gainers by their gain', () => {
    const out = repairIndividualRationality([50, 30, 20], [40, 50, 40]);
    expect(out.individuallyRational).toBe(true);
    expect(out.capped).toEqual([0]);
    expect(out.shares).toEqual([40, 35, 25]);
  });

  it('leaves the shares alone when the coalition does not save enough', () => {
    const out = repairIndividualRationality([50, 30, 20], [40, 30, 20]);
    expect(out.individuallyRational).toBe(false);
    expect(out.shares).toEqual([50, 30, 20]);
  });

  it('never pushes anyone above their stand-alone cost when the coalition saves', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.integer({ min: 0, max: 1000 })), { minLength: 1, maxLength: 10 }), (pairs) => {
        const shares = pairs.map(([s]) => s);
        const alone = pairs.map(([, a]) => a);
        const out = repairIndividualRationality(shares, alone);
        const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
        expect(sum(out.shares)).toBeCloseTo(sum(shares), 6);
        if (sum(alone) >= sum(shares)) {
          expect(out.individuallyRational).toBe(true);
          out.shares.forEach((x, i) => expect(x).toBeLessThanOrEqual(alone[i]! + 1e-9));
        }
      }),
    );
  });
});
