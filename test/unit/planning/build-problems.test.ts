import { describe, expect, it } from 'vitest';
import { buildLineHaul, buildVillage, villageHubs } from '../../../src/planning/build-problems.ts';
import { packChunks } from '../../../src/planning/loads.ts';
import { servingHub } from '../../../src/planning/network-index.ts';
import { day, index, parcel, pickup, road } from './fixture.ts';

describe('network index', () => {
  it('puts the county warehouse first and leaves inactive vehicles out', () => {
    expect(index.hubPoint.get('C')).toBe(0);
    expect(index.points).toHaveLength(3 + 4);
    expect(index.lineHaulFleet.map((v) => v.id)).toEqual(['truck-1', 'truck-2']);
    expect(index.villageFleet.get('B')!.map((v) => v.id)).toEqual(['b-trike']);
  });

  it('sends cold-chain items of a township without a cold-chain vehicle to the county warehouse', () => {
    expect(servingHub(index, index.stations.get('s-b1')!, true)).toBe('C');
    expect(servingHub(index, index.stations.get('s-b1')!, false)).toBe('B');
    expect(servingHub(index, index.stations.get('s-a1')!, true)).toBe('A');
  });
});

describe('packing loads into visits', () => {
  it('keeps chunks within capacity and every item exactly once', () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ id: `p${i}`, load: [100, 10, 1] as [number, number, number] }));
    const chunks = packChunks(items, [350, 1000, 100]);
    expect(chunks.map((c) => c.ids.length)).toEqual([3, 3, 3, 1]);
    expect(chunks.flatMap((c) => c.ids)).toEqual(items.map((i) => i.id));
    expect(chunks[0]!.load).toEqual([300, 30, 3]);
  });

  it('gives an oversize item a chunk of its own', () => {
    const chunks = packChunks([{ id: 'big', load: [900, 1, 1] }, { id: 'small', load: [10, 1, 1] }], [500, 100, 100]);
    expect(chunks.map((c) => c.ids)).toEqual([['big'], ['small']]);
  });
});

describe('line-haul problem', () => {
  const d = day(
    [parcel('p1', 's-a1'), parcel('p2', 's-a2'), parcel('p3', 's-b1'), parcel('p4', 's-c1'), parcel('p5', 's-b1', { coldChain: true }), parcel('p6', 's-a1', { coldChain: true })],
    [pickup('k1', 's-a1'), pickup('k2', 's-b1', { coldChain: true })],
  );
  const build = buildLineHaul(d, index, road);

  it('has one job per township centre with its consolidated load, and collects none of today’s produce', () => {
    expect(build.problem.jobs.map((j) => j.id)).toEqual(['lh:A:0', 'lh:B:0']);
    const a = build.jobs.get('lh:A:0')!;
    expect([...a.parcelIds].sort()).toEqual(['p1', 'p2', 'p6']);
    // k1 is collected today by A's vans, after the truck has left A: it rides tomorrow's line-haul.
    expect(a.pickupIds).toEqual([]);
    expect(build.problem.jobs[0]!.delivery).toEqual([3 * 1200, 3 * 8000, 3]);
    expect(build.problem.jobs[0]!.pickup).toEqual([0, 0, 0]);
    // county-seat parcels and B's cold-chain items go straight from the county warehouse
    expect(build.jobs.get('lh:B:0')!.parcelIds).toEqual(['p3']);
    expect(build.jobs.get('lh:B:0')!.pickupIds).toEqual([]);
  });

  it('collects at each centre the produce it holds from the previous day, and only that', () => {
    const held = { ...d, heldPickups: [{ ...pickup('h1', 's-a1'), hubId: 'A' }, { ...pickup('h2', 's-b1', { pieces: 3 }), hubId: 'B' }, { ...pickup('h3', 's-c1'), hubId: 'C' }] };
    const b = buildLineHaul(held, index, road);
    expect(b.jobs.get('lh:A:0')!.pickupIds).toEqual(['h1']);
    expect(b.jobs.get('lh:B:0')!.pickupIds).toEqual(['h2']);
    expect(b.problem.jobs.find((j) => j.id === 'lh:B:0')!.pickup).toEqual([5000, 20000, 3]);
    // Produce at the county warehouse is there already.
    expect([...b.jobs.values()].flatMap((c) => c.pickupIds)).not.toContain('h3');
    // A centre with only held produce is visited for it.
    const onlyProduce = buildLineHaul({ ...day([parcel('p1', 's-a1')]), heldPickups: [{ ...pickup('h2', 's-b1'), hubId: 'B' }] }, index, road);
    expect(onlyProduce.problem.jobs.map((j) => j.id)).toEqual(['lh:A:0', 'lh:B:0']);
    expect(onlyProduce.jobs.get('lh:B:0')).toMatchObject({ parcelIds: [], pickupIds: ['h2'] });
  });

  it('uses the county trucks, released after sorting, with centre time windows', () => {
    expect(build.problem.vehicles.map((v) => v.id)).toEqual(['truck-1', 'truck-2']);
    expect(build.problem.vehicles[0]!.releaseTime).toBe(7 * 3600);
    // Unloading due early enough that the centre's sorting ends, and its vans leave, by 14:00.
    const job = build.problem.jobs[0]!;
    expect(job.timeWindows).toEqual([[7 * 3600, 13 * 3600 - job.serviceTime]]);
    expect(build.problem.dimensions).toBe(3);
    expect(build.problem.locationCount).toBe(3);
    expect(build.problem.profiles[0]!.distance).toHaveLength(9);
  });

  it('splits a big centre load into half-truck jobs', () => {
    const heavy = day(Array.from({ length: 40 }, (_, i) => parcel(`h${i}`, 's-a1', { weightG: 100_000 })));
    const b = buildLineHaul(heavy, index, road);
    // 4,000 kg in jobs of at most 750 kg (seven 100 kg parcels each)
    expect(b.problem.jobs.map((j) => j.id)).toEqual(['lh:A:0', 'lh:A:1', 'lh:A:2', 'lh:A:3', 'lh:A:4', 'lh:A:5']);
    for (const j of b.problem.jobs) expect(j.delivery[0]).toBeLessThanOrEqual(750_000);
    expect(b.problem.vehicles[0]!.maxTrips).toBe(3); // trucks may loop up to lineHaulTrips times
    expect(b.problem.jobs.reduce((n, j) => n + j.delivery[2]!, 0)).toBe(40);
  });

  it('reports parcels to unknown stations instead of planning them', () => {
    const b = buildLineHaul(day([parcel('x', 'nowhere')]), index, road);
    expect(b.unassigned).toEqual([{ kind: 'parcel', id: 'x', stationCode: 'nowhere', tier: 'line_haul', reason: 'unknown_station' }]);
  });
});

describe('village problems', () => {
  const d = day(
    [parcel('p1', 's-a1'), parcel('p2', 's-a1'), parcel('p3', 's-a2'), parcel('p6', 's-a1', { coldChain: true }), parcel('p5', 's-b1', { coldChain: true }), parcel('p4', 's-c1')],
    [pickup('k1', 's-a2')],
  );

  it('lists the hubs with work, county warehouse first', () => {
    expect(villageHubs(d, index)).toEqual(['C', 'A']);
  });

  it('aggregates per station, separates cold-chain visits, and releases after the line-haul', () => {
    const b = buildVillage(d, index, road, 'A', { releaseS: 9 * 3600 });
    expect(b.problem.jobs.map((j) => j.id)).toEqual(['v:s-a1:dry:0', 'v:s-a1:cold:0', 'v:s-a2:dry:0']);
    expect(b.problem.jobs[0]!.delivery).toEqual([2400, 16000, 2]);
    expect(b.problem.jobs[1]!.skills).toEqual(['cold_chain']);
    expect(b.problem.jobs[2]!.pickup).toEqual([5000, 20000, 2]);
    expect(b.problem.jobs[2]!.timeWindows).toEqual([[9 * 3600, 17 * 3600]]);
    const byId = new Map(b.problem.vehicles.map((v) => [v.id, v]));
    expect([...byId.keys()].sort()).toEqual(['a-cold', 'a-trike', 'a-van']);
    for (const v of b.problem.vehicles) expect(v.releaseTime).toBe(9 * 3600);
    expect(byId.get('a-trike')!.maxTrips).toBe(3);
    expect(byId.get('a-trike')!.maxDistance).toBe(60_000);
    expect(byId.get('a-cold')!.skills).toEqual(['cold_chain']);
    expect(byId.get('a-van')!.skills).toBeUndefined();
    // trikes and vans drive at different speeds: one travel profile each
    expect(b.problem.profiles).toHaveLength(2);
    expect(byId.get('a-trike')!.profile).not.toBe(byId.get('a-van')!.profile);
  });

  it('has the county warehouse serve the county seat and cold-chain items of townships without a cold van', () => {
    const b = buildVillage(d, index, road, 'C', { releaseS: 7 * 3600 });
    expect(b.problem.jobs.map((j) => j.id)).toEqual(['v:s-b1:cold:0', 'v:s-c1:dry:0']);
    expect(b.problem.vehicles.map((v) => v.id)).toEqual(['c-cold', 'c-van']);
  });

  it('splits a station load into visits the smallest vehicle can carry', () => {
    const big = day(Array.from({ length: 20 }, (_, i) => parcel(`h${i}`, 's-a1', { weightG: 40_000 })));
    const b = buildVillage(big, index, road, 'A', { releaseS: 9 * 3600 });
    // 800 kg for a hub with a 700 kg van, a 700 kg cold van and a 300 kg tricycle: 300 + 300 + 200
    expect(b.problem.jobs.map((j) => j.delivery[0])).toEqual([280_000, 280_000, 240_000]);
  });

  it('splits a station whose load exceeds every vehicle over several visits', () => {
    const many = day(Array.from({ length: 30 }, (_, i) => parcel(`h${i}`, 's-b1', { weightG: 25_000 })));
    const b = buildVillage(many, index, road, 'B', { releaseS: 9 * 3600 });
    expect(b.problem.jobs.map((j) => j.id)).toEqual(['v:s-b1:dry:0', 'v:s-b1:dry:1', 'v:s-b1:dry:2']);
    for (const j of b.problem.jobs) expect(j.delivery[0]).toBeLessThanOrEqual(300_000);
  });

  it('leaves out items lost on the line-haul', () => {
    const b = buildVillage(d, index, road, 'A', { releaseS: 9 * 3600, exclude: new Set(['p1', 'p2', 'p6']) });
    expect(b.problem.jobs.map((j) => j.id)).toEqual(['v:s-a2:dry:0']);
  });

  it('reports items at a hub without vehicles as no_vehicle', () => {
    const noFleet = { ...index, villageFleet: new Map() };
    const b = buildVillage(day([parcel('p3', 's-a2')]), noFleet, road, 'A', { releaseS: 0 });
    expect(b.problem.jobs).toHaveLength(0);
    expect(b.unassigned.map((u) => [u.id, u.reason])).toEqual([['p3', 'no_vehicle']]);
  });
});
