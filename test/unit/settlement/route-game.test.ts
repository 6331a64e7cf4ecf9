import { describe, expect, it } from 'vitest';
import { allocateDay, shortcutRoute, type GameRoute, type GameStop } from '../../../src/settlement/route-game.ts';
import { settleDay } from '../../../src/settlement/settlement.ts';

// Points on a line, x in metres; the depot is point 0 at x = 0.
const X = [0, 10_000, 20_000, 30_000, 40_000];
const leg = (a: number, b: number) => Math.abs(X[a]! - X[b]!);

const depot = (): GameStop => ({ point: 0, serviceS: 0, users: [] });
const at = (point: number, ...users: string[]): GameStop => ({ point, serviceS: 600, users });

/** A van at 36 km/h: ¥50 a day (or `fixedFen`), ¥2 a km, ¥30 an hour. */
function route(id: string, stops: GameStop[], fixedFen = 5_000): GameRoute {
  let m = 0;
  let s = 0;
  for (let k = 1; k < stops.length; k++) m += leg(stops[k - 1]!.point, stops[k]!.point);
  for (const st of stops) s += st.serviceS;
  s += m / 10; // driving at 36 km/h = 10 m/s
  const kmFen = 2 * (m / 1000) * 100; // 200 fen per km
  const timeFen = (s / 3600) * 3_000; // ¥30 an hour
  return { id, costFen: Math.round(fixedFen + kmFen + timeFen), fixedFen, kmFen, distanceM: m, durationS: s, speedKmh: 36, stops };
}

describe('shortcut routes', () => {
  const r = route('r1', [depot(), at(1, 'A'), at(2, 'B'), at(4, 'A'), depot()]);

  it('costs exactly the stored route when everything is kept', () => {
    const full = shortcutRoute(r, () => true, leg);
    expect(full.costFen).toBeCloseTo(r.costFen, 9);
    expect(full.distanceM).toBeCloseTo(r.distanceM, 9);
  });

  it('skips the stops it does not keep and the whole day when nothing is left', () => {
    const onlyB = shortcutRoute(r, (k) => k === 2, leg);
    expect(onlyB.distanceM).toBeCloseTo(40_000, 9);
    expect(onlyB.costFen).toBeLessThan(r.costFen);
    expect(onlyB.fixedFen).toBe(5_000);
    expect(shortcutRoute(r, () => false, leg)).toMatchObject({ used: false, costFen: 0 });
  });
});

describe('Shapley shares of the route game', () => {
  const routes = [
    route('shared', [depot(), at(1, 'A'), at(2, 'A', 'B'), at(3, 'B'), depot()]),
    route('b-only', [depot(), at(4, 'B'), depot()], 8_000),
    route('c-far', [depot(), at(1, 'C'), at(4, 'A', 'C'), depot()]),
  ];
  const allocation = allocateDay(routes, leg);
  const share = (c: string) => allocation.shares.find((s) => s.courier === c)!;

  it('sums to the joint cost exactly, in whole fen', () => {
    const total = routes.reduce((a, r) => a + r.costFen, 0);
    expect(allocation.jointCostFen).toBe(total);
    expect(allocation.shares.reduce((a, s) => a + s.shareFen, 0)).toBe(total);
    for (const s of allocation.shares) expect(Number.isInteger(s.shareFen)).toBe(true);
    expect(allocation.exact).toBe(true);
  });

  it('splits a vehicle-day equally among the couriers on it and charges a lone user the whole route', () => {
    // A: half of "shared" + half of "c-far"; B: half of "shared" + all of "b-only"; C: half of "c-far".
    expect(share('A').parts.vehicleDaysFen).toBeCloseTo(2_500 + 2_500, 6);
    expect(share('B').parts.vehicleDaysFen).toBeCloseTo(2_500 + 8_000, 6);
    expect(share('C').parts.vehicleDaysFen).toBeCloseTo(2_500, 6);
    expect(share('B').routes).toBe(2);
  });

  it('charges each courier less than its own stops would cost on the same routes without the others', () => {
    for (const s of allocation.shares) expect(s.shareFen).toBeLessThan(s.onJointRoutesAloneFen);
    expect(allocation.coreViolations).toEqual([]);
  });

  it('settles against stand-alone costs: below them, or capped at them with the excess on the gainers', () => {
    const comfortable = settleDay(allocation, new Map(allocation.shares.map((s) => [s.courier, { costFen: s.onJointRoutesAloneFen + 1_000, missingItems: 0 }])));
    expect(comfortable.individuallyRational).toBe(true);
    expect(comfortable.couriers.every((c) => c.belowAlone && !c.capped)).toBe(true);

    // C's stand-alone plan is cheaper than its Shapley share (say it has its own nearby depot).
    const aloneC = share('C').shareFen - 500;
    const tight = settleDay(
      allocation,
      new Map([
        ['A', { costFen: share('A').shareFen + 2_000, missingItems: 0 }],
        ['B', { costFen: share('B').shareFen + 2_000, missingItems: 0 }],
        ['C', { costFen: aloneC, missingItems: 0 }],
      ]),
    );
    const c = tight.couriers.find((x) => x.courier === 'C')!;
    expect(c.capped).toBe(true);
    expect(c.shareFen).toBe(aloneC);
    expect(tight.individuallyRational).toBe(true);
    expect(tight.couriers.reduce((a, x) => a + x.shareFen, 0)).toBe(allocation.jointCostFen);
    expect(tight.couriers.find((x) => x.courier === 'A')!.shareFen).toBe(share('A').shareFen + 250);

    // Nobody can be made better off when the stand-alone costs sum to less than the joint cost.
    const hopeless = settleDay(allocation, new Map(allocation.shares.map((s) => [s.courier, { costFen: Math.round(s.shareFen * 0.9), missingItems: 0 }])));
    expect(hopeless.individuallyRational).toBe(false);
    expect(hopeless.couriers.map((x) => x.shareFen)).toEqual(allocation.shares.map((s) => s.shareFen));
  });
});

describe('many couriers on one route', () => {
  it('estimates the shares from sampled join orders above 12 couriers: repeatable and still summing to the cost', () => {
    const couriers = Array.from({ length: 14 }, (_, i) => `C${String(i).padStart(2, '0')}`);
    // Everyone at the far stop, and each courier also at one of the nearer ones.
    const many = route('bus', [depot(), ...couriers.map((c, i) => at(1 + (i % 3), c)), at(4, ...couriers), depot()]);
    const a = allocateDay([many], leg);
    expect(a.exact).toBe(false);
    expect(a.coreViolations).toBeNull();
    expect(a.shares.reduce((x, s) => x + s.shareFen, 0)).toBe(many.costFen);
    expect(allocateDay([many], leg).shares).toEqual(a.shares);
    // The vehicle-day is still split equally (every courier is symmetric in the fixed part).
    for (const s of a.shares) expect(s.parts.vehicleDaysFen).toBeCloseTo(5_000 / 14, 6);
  });
});
