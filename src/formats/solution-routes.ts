/**
 * Maps a solver `Solution` back to the instance file's numbering: one list of node ids per
 * non-empty route (depot and reloads excluded), and the node ids of whatever was left
 * unassigned (both ends of an unassigned shipment).
 */
import type { Solution } from '../solver/model.ts';
import type { LoadedInstance } from './types.ts';

export interface FileSolution {
  readonly routes: number[][];
  readonly unassigned: number[];
}

export function toFileRoutes(loaded: Pick<LoadedInstance, 'nodeIds' | 'problem'>, solution: Solution): FileSolution {
  const routes: number[][] = [];
  for (const route of solution.routes) {
    const ids: number[] = [];
    for (const step of route.steps) {
      if (step.type === 'job' || step.type === 'pickup' || step.type === 'delivery') ids.push(loaded.nodeIds[step.location]!);
    }
    if (ids.length > 0) routes.push(ids);
  }
  const jobLocation = new Map(loaded.problem.jobs.map((j) => [j.id, j.location]));
  const shipmentLocations = new Map((loaded.problem.shipments ?? []).map((s) => [s.id, [s.pickup.location, s.delivery.location]]));
  const unassigned: number[] = [];
  for (const u of solution.unassigned) {
    const locations = u.kind === 'job' ? [jobLocation.get(u.id)] : (shipmentLocations.get(u.id) ?? []);
    for (const loc of locations) if (loc !== undefined) unassigned.push(loaded.nodeIds[loc]!);
  }
  return { routes, unassigned };
}
