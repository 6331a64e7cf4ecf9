/**
 * Issue 11 item 6, plans a dispatcher would sign: a driver's day per vehicle type (longest duty,
 * latest return), township vans out by early afternoon (the line-haul's unloading due early
 * enough, or the plan says why), and the figures the summary reports.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors.ts';
import { loadConfig } from '../../../src/config.ts';
import { daySettings } from '../../../src/planning/day-model.ts';
import { buildLineHaul, buildVillage, centreServiceS } from '../../../src/planning/build-problems.ts';
import { clockOf, dutyFigures, type DutyRoute } from '../../../src/planning/duty.ts';
import { solveLineHaul, solveVillage } from '../../../src/planning/plan-day.ts';
import { DEFAULT_DUTY, dutyOf, type DayModel, type SolveFn } from '../../../src/planning/types.ts';
import { solve } from '../../../src/solver/index.ts';
import { day, index, parcel, road } from './fixture.ts';

const solveInline: SolveFn = (problem, budget) => Promise.resolve(solve(problem, { seed: budget.seed, ...(budget.maxIterations !== undefined ? { maxIterations: budget.maxIterations } : {}) }));

describe('VEHICLE_DUTY', () => {
  it('defaults to a rural December day: vans and trucks back by 18:00 after at most 9.5–10 h, tricycles by 17:30 after 8 h', () => {
    const s = daySettings(loadConfig({}));
    expect(dutyOf(s, 'van')).toEqual({ maxDurationS: 9.5 * 3600, returnByS: 18 * 3600 });
    expect(dutyOf(s, 'e_tricycle')).toEqual({ maxDurationS: 8 * 3600, returnByS: 17.5 * 3600 });
    expect(dutyOf(s, 'line_haul_truck').returnByS).toBe(18 * 3600);
    expect(dutyOf(s, 'hovercraft')).toEqual(DEFAULT_DUTY['*']);
  });

  it('overrides the defaults per type and keeps the rest', () => {
    const s = daySettings(loadConfig({ VEHICLE_DUTY: 'van=8h@17:00, *=7.25h@16:30' }));
    expect(dutyOf(s, 'van')).toEqual({ maxDurationS: 8 * 3600, returnByS: 17 * 3600 });
    expect(dutyOf(s, 'boat')).toEqual({ maxDurationS: 7.25 * 3600, returnByS: 16.5 * 3600 });
    expect(dutyOf(s, 'e_tricycle')).toEqual(DEFAULT_DUTY.e_tricycle);
  });

  it('refuses a malformed entry, naming the variable', () => {
    for (const bad of ['van=9.5@18:00', 'van=9.5h@25:00', 'van=0h@18:00', 'van', 'Van=9h@18:00']) {
      let err: unknown;
      try {
        loadConfig({ VEHICLE_DUTY: bad });
      } catch (e) {
        err = e;
      }
      expect(err, bad).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).variable).toBe('VEHICLE_DUTY');
    }
  });
});

describe('a driver’s day in the problems', () => {
  const model = day([parcel('p1', 's-a1'), parcel('p2', 's-c1'), parcel('p3', 's-b1')]);

  it('gives every village vehicle its type’s latest return and longest duty', () => {
    const build = buildVillage(model, index, road, 'A', { releaseS: 9 * 3600 });
    for (const v of build.problem.vehicles) {
      const type = build.vehicles.get(v.id)!.type;
      expect(v.shift![1]).toBe(Math.min(model.settings.dayEndS, dutyOf(model.settings, type).returnByS));
      expect(v.maxDuration).toBe(dutyOf(model.settings, type).maxDurationS);
    }
  });

  it('gives the trucks theirs, and due times at the centres that let each centre’s vans leave by early afternoon', () => {
    const s = model.settings;
    const tight = buildLineHaul(model, index, road);
    for (const v of tight.problem.vehicles) expect(v.shift![1]).toBe(dutyOf(s, 'line_haul_truck').returnByS);
    for (const j of tight.problem.jobs) expect(j.timeWindows![0]![1]).toBe(Math.min(s.lineHaulLatestS, s.villageStartByS - s.sortingS - j.serviceTime));
    expect(tight.problem.jobs[0]!.serviceTime).toBe(centreServiceS(1, 0));
    const relaxed = buildLineHaul(model, index, road, { relaxed: true });
    for (const j of relaxed.problem.jobs) expect(j.timeWindows![0]![1]).toBe(s.lineHaulLatestS);
  });

  it('plans the line-haul against its latest unloading time, and says so, when the trucks cannot make early afternoon', async () => {
    const budget = { seed: 1, timeLimitMs: 60_000, maxIterations: 50 };
    const normal = await solveLineHaul(model, index, road, solveInline, budget);
    expect(normal.relaxed).toBeUndefined();
    expect(normal.result.unassigned).toEqual([]);
    // Vans due out at 08:30: no truck leaving at 07:00 can unload and let the centre sort by then.
    const early: DayModel = { ...model, settings: { ...model.settings, villageStartByS: 8.5 * 3600 } };
    const late = await solveLineHaul(early, index, road, solveInline, budget);
    expect(late.relaxed).toBe(true);
    expect(late.result.unassigned).toEqual([]);
    expect(late.lost.size).toBe(0);
  });
});

describe('duty figures', () => {
  const settings = daySettings(loadConfig({}));
  const hub = (hubId: string) => ({ kind: 'hub' as const, hubId });
  const km: Record<string, number> = { 'C>A': 10_000, 'A>B': 7_000, 'B>C': 12_000, 'C>B': 12_000, 'B>A': 7_000, 'A>C': 10_000, 'A>s1': 3_000, 's1>A': 3_000 };
  const name = (l: { kind: string; hubId?: string; code?: string }) => (l.kind === 'hub' ? l.hubId! : l.code!);
  const legMetres = (a: Parameters<typeof name>[0], b: Parameters<typeof name>[0]) => km[`${name(a)}>${name(b)}`] ?? 0;
  const routes: DutyRoute[] = [
    {
      tier: 'line_haul', hubId: 'C', vehicleId: 'truck-1', vehicleType: 'line_haul_truck', startS: 7 * 3600, endS: 11 * 3600, durationS: 4 * 3600,
      stops: [{ location: hub('C'), load: [900, 9, 9] }, { location: hub('A'), load: [0, 0, 0] }, { location: hub('B'), load: [0, 0, 0] }, { location: hub('C'), load: [0, 0, 0] }],
    },
    {
      tier: 'line_haul', hubId: 'C', vehicleId: 'truck-2', vehicleType: 'line_haul_truck', startS: 7 * 3600, endS: 10 * 3600, durationS: 3 * 3600,
      stops: [{ location: hub('C'), load: [500, 5, 5] }, { location: hub('B'), load: [40, 1, 1] }, { location: hub('C'), load: [40, 1, 1] }],
    },
    { tier: 'village', hubId: 'A', vehicleId: 'a-van', vehicleType: 'van', startS: 14.5 * 3600, endS: 17.5 * 3600, durationS: 3 * 3600, stops: [] },
    { tier: 'village', hubId: 'A', vehicleId: 'a-trike', vehicleType: 'e_tricycle', startS: 15 * 3600, endS: 17.75 * 3600, durationS: 2.75 * 3600, stops: [] },
    { tier: 'village', hubId: 'B', vehicleId: 'b-van', vehicleType: 'van', startS: 11 * 3600, endS: 20.75 * 3600, durationS: 9.75 * 3600, stops: [] },
    { tier: 'village', hubId: 'C', vehicleId: 'c-cold', vehicleType: 'cold_chain_van', startS: 7.5 * 3600, endS: 17 * 3600, durationS: 9.5 * 3600, stops: [] },
  ];
  const figures = dutyFigures(routes, settings, { countyHubId: 'C', legMetres, arrivals: new Map([['A', 13.5 * 3600], ['B', 9 * 3600]]), lineHaulRelaxed: true });

  it('counts truck kilometres with nothing on board, and which of them lead back to the county warehouse', () => {
    // truck-1 drives A → B and B → C empty; truck-2 carries produce back.
    expect(figures.emptyTruckLegs).toBe(2);
    expect(figures.emptyTruckKm).toBe(19);
    expect(figures.emptyReturnKm).toBe(12);
  });

  it('names the longest route, the last township out, the last van out and the last one back', () => {
    expect(figures.longestVillageRoute).toEqual({ vehicleId: 'b-van', hubId: 'B', hours: 9.8 });
    expect(figures.latestVillageStart).toEqual({ hubId: 'A', vehicleId: 'a-van', atS: 14.5 * 3600 });
    expect(figures.latestVanStart).toEqual({ hubId: 'A', vehicleId: 'a-trike', atS: 15 * 3600 });
    expect(figures.latestReturn).toEqual({ vehicleId: 'b-van', atS: 20.75 * 3600 });
    expect(clockOf(figures.latestReturn!.atS)).toBe('20:45');
  });

  it('lists routes over their duty, and townships out after early afternoon with the reason', () => {
    // b-van: 9.75 h > 9.5 h and back 20:45 > 18:00; a-trike back 17:45 > 17:30.
    expect(figures.overDuty.map((o) => o.vehicleId)).toEqual(['a-trike', 'b-van']);
    expect(figures.lateTownships).toEqual([{ hubId: 'A', startS: 14.5 * 3600, reason: 'line_haul_capacity' }]);
    const onTime = dutyFigures(routes, settings, { countyHubId: 'C', legMetres, arrivals: new Map([['A', 11 * 3600]]), lineHaulRelaxed: false });
    expect(onTime.lateTownships).toEqual([{ hubId: 'A', startS: 14.5 * 3600, reason: 'village_choice' }]);
  });
});

describe('a plan that depends on the machine’s load says so', () => {
  const model = day([parcel('p1', 's-a1'), parcel('p2', 's-a2'), parcel('p3', 's-a1', { weightG: 9_000 })]);
  const budget = { seed: 1, timeLimitMs: 60_000, maxIterations: 40 };

  it('marks a solve stopped by the wall-clock cap before its iteration budget, and only that', async () => {
    const full = await solveVillage(model, index, road, 'A', { arrivals: new Map([['A', 8 * 3600]]), lost: new Set() }, solveInline, budget);
    expect(full.capped).toBeUndefined();
    // The cap as the solver thread applies it: a deadline that has passed.
    const capAtOnce: SolveFn = (problem, b) => Promise.resolve(solve(problem, { seed: b.seed, maxIterations: b.maxIterations!, deadline: () => true }));
    const cut = await solveVillage(model, index, road, 'A', { arrivals: new Map([['A', 8 * 3600]]), lost: new Set() }, capAtOnce, budget);
    expect(cut.capped).toBe(true);
    expect(cut.routes.length).toBeGreaterThan(0);
  });
});
