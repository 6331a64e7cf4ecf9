/**
 * Issue 11 item 7: the planner's default budget is work (solver iterations), not wall-clock, so a
 * township planned twice with the same seed gives the same routes even when the second run
 * competes with a CPU-bound thread. Under a wall-clock budget the busy run would do fewer
 * iterations and (on a problem this size) end with different routes.
 */
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { haversineRoadMatrix } from '../../../src/geo/matrix.ts';
import { plannerBudget } from '../../../src/pipeline/plan.deps.ts';
import { buildVillage } from '../../../src/planning/build-problems.ts';
import { indexNetwork } from '../../../src/planning/network-index.ts';
import type { DayParcel } from '../../../src/planning/types.ts';
import { SolverPool } from '../../../src/solver-host/solver-pool.ts';
import type { Solution } from '../../../src/solver/model.ts';
import { day, hub, station, vehicle } from './fixture.ts';

/** A township of 30 villages around centre T, with vans, tricycles and a cold-chain van. */
function township() {
  let x = 12345;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648);
  const stations = Array.from({ length: 30 }, (_, k) => station(`s-${k}`, 'T', 36.60 + rand() * 0.2, 112.55 + rand() * 0.2));
  const network = {
    hubs: [hub('C', 'county_warehouse', 36.756, 112.699), hub('T', 'township_centre', 36.70, 112.65)],
    stations,
    vehicles: [
      vehicle('truck-1', 'C', 'line_haul_truck'),
      vehicle('t-van-1', 'T', 'van'),
      vehicle('t-van-2', 'T', 'van'),
      vehicle('t-trike-1', 'T', 'e_tricycle'),
      vehicle('t-trike-2', 'T', 'e_tricycle'),
      vehicle('t-cold', 'T', 'cold_chain_van'),
    ],
  };
  const parcels: DayParcel[] = [];
  for (let i = 0; i < 300; i++) {
    const st = stations[Math.floor(rand() * stations.length)]!;
    parcels.push({ id: `p${i}`, courierCode: 'ZTO', stationCode: st.code, weightG: 500 + Math.floor(rand() * 4000), volumeCm3: 2000 + Math.floor(rand() * 20000), coldChain: rand() < 0.05 });
  }
  const index = indexNetwork(network);
  return { index, road: haversineRoadMatrix(index.points, 1.3), model: day(parcels) };
}

const routesOf = (s: Solution) => s.routes.map((r) => `${r.vehicleId}:${r.steps.map((st) => st.id ?? st.type).join(',')}`);

describe('the day planner’s default budget', () => {
  const pool = new SolverPool({ size: 1 });
  afterAll(() => pool.close());

  it('is a work budget: the same township and seed give the same plan on a quiet and on a busy machine', async () => {
    const budget = { seed: 7, ...plannerBudget(loadConfig({})) };
    expect(budget.maxIterations).toBeGreaterThan(0);
    const { index, road, model } = township();
    const problem = () => buildVillage(model, index, road, 'T', { releaseS: 9 * 3600 }).problem;

    const quiet = await pool.solve(problem(), budget);
    // A CPU-bound thread beside the solver for the whole second run.
    const hog = new Worker('const end = Date.now() + 60_000; while (Date.now() < end) {}', { eval: true });
    let busy: Solution;
    try {
      busy = await pool.solve(problem(), budget);
    } finally {
      await hog.terminate();
    }
    expect(quiet.routes.length).toBeGreaterThan(1);
    expect(busy.iterations).toBe(quiet.iterations);
    expect(routesOf(busy)).toEqual(routesOf(quiet));
    expect(busy.cost).toBe(quiet.cost);
  });
});
