import { describe, expect, it } from 'vitest';
import { compareDay, metricsOfWork, type CourierAlone, type WorkRoute, type WorkStop } from '../../../src/settlement/work.ts';

// Points on a line (metres); the depot is point 0.
const X = [0, 10_000, 20_000, 30_000, 60_000];
const leg = (a: number, b: number) => Math.abs(X[a]! - X[b]!);
const depot: WorkStop = { point: 0, serviceS: 0, items: [] };
const at = (point: number, ...items: string[]): WorkStop => ({ point, serviceS: 300, items });

function route(vehicleId: string, stops: WorkStop[]): WorkRoute {
  let m = 0;
  for (let k = 1; k < stops.length; k++) m += leg(stops[k - 1]!.point, stops[k]!.point);
  const durationS = m / 10 + stops.reduce((a, s) => a + s.serviceS, 0);
  const kmFen = (200 * m) / 1000;
  const fixedFen = 5_000;
  return { vehicleId, vehicleType: 'van', costFen: Math.round(fixedFen + kmFen + (durationS / 3600) * 3_000), fixedFen, kmFen, distanceM: m, durationS, speedKmh: 36, stops };
}

const courierOf = new Map([
  ['a1', 'A'],
  ['a2', 'A'],
  ['a-far', 'A'],
  ['b1', 'B'],
  ['b2', 'B'],
]);

describe('equal work', () => {
  // The joint van serves a1, b1, a2, b2 but not a-far (left for tomorrow); A alone serves a1, a2
  // and a-far (60 km out); B alone could not fit b2.
  const joint = [route('van-1', [depot, at(1, 'a1', 'b1'), at(2, 'a2'), at(3, 'b2'), depot])];
  const alone: CourierAlone[] = [
    { courier: 'A', routes: [route('van-1', [depot, at(1, 'a1'), at(2, 'a2'), at(4, 'a-far'), depot])], unassigned: [] },
    { courier: 'B', routes: [route('van-1', [depot, at(1, 'b1'), depot])], unassigned: ['b2'] },
  ];
  const day = compareDay(joint, courierOf, alone, leg, { seed: 1, timeLimitMs: 100 }, 1);

  it('compares only items both sides served, shortcutting the rest', () => {
    expect(day.savings!.equalWork).toEqual({ items: 3, jointOnly: 1, aloneOnly: 1 });
    // A alone, without a-far: depot → 1 → 2 → depot = 40 km, not 120 km.
    expect(day.savings!.perCourier.A!.km).toBe(40);
    // The joint van, without b2 (B alone could not serve it): 40 km instead of 60 km.
    expect(day.savings!.joint.km).toBe(40);
    expect(day.savings!.joint.unassigned).toBe(1);
    expect(metricsOfWork(joint, () => true, leg).km).toBe(60);
  });

  it('splits the whole joint cost and says when a stand-alone cost covers less work', () => {
    const s = day.settlement;
    expect(s.couriers.reduce((a, c) => a + c.shareFen, 0)).toBe(joint[0]!.costFen);
    const b = s.couriers.find((c) => c.courier === 'B')!;
    expect(b.aloneMissingItems).toBe(1);
    expect(s.couriers.find((c) => c.courier === 'A')!.aloneMissingItems).toBe(0);
    expect(s.aloneTotalFen).toBe(s.couriers.reduce((a, c) => a + c.aloneFen!, 0));
  });

  it('gives shares without a comparison when the day was planned without the stand-alone plans', () => {
    const plain = compareDay(joint, courierOf, null, leg, { seed: 1, timeLimitMs: 100 });
    expect(plain.savings).toBeNull();
    expect(plain.settlement.individuallyRational).toBeNull();
    expect(plain.settlement.couriers.map((c) => c.aloneFen)).toEqual([null, null]);
    expect(plain.settlement.couriers.map((c) => c.shareFen)).toEqual(day.settlement.couriers.map((c) => c.shapleyFen));
  });
});
