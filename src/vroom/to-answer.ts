/**
 * A solver `Solution` → VROOM's answer: routes with start / job / pickup / delivery / end steps
 * (and our `reload` steps), cumulated travel time and distance per step, load after each step,
 * totals per route and for the whole solution, unassigned tasks with their type (and our
 * `reason`). Times come from the solver's exact evaluation (arrival, service start); travel,
 * distance and cost are summed here from the problem's own matrices.
 */
import type { Route, Solution } from '../solver/model.ts';
import type { TaskRef, VroomModel } from './to-problem.ts';
import type { VroomAnswer, VroomRoute, VroomStep, VroomUnassigned } from './vroom.schemas.ts';

export interface AnswerTimes {
  readonly loadingMs: number;
  readonly solvingMs: number;
}

function add(into: number[], a: readonly number[] | undefined): void {
  if (!a) return;
  for (let d = 0; d < into.length; d++) into[d]! += a[d] ?? 0;
}

function taskFields(t: TaskRef): Pick<VroomStep, 'id' | 'description' | 'location' | 'location_index'> {
  return {
    id: t.id,
    ...(t.description === undefined ? {} : { description: t.description }),
    ...(t.location === undefined ? {} : { location: [...t.location] }),
    location_index: t.locationIndex,
  };
}

export function toVroomAnswer(model: VroomModel, solution: Solution, times: AnswerTimes): VroomAnswer {
  const D = model.dimensions;
  const load = (l: readonly number[]): number[] => (D > 0 ? l.slice(0, D) : []);
  const routes: VroomRoute[] = [];
  for (const route of solution.routes) {
    if (!route.steps.some((s) => s.type === 'job' || s.type === 'pickup' || s.type === 'delivery')) continue;
    routes.push(toRoute(model, route, load));
  }
  const totals = {
    cost: 0,
    setup: 0,
    service: 0,
    duration: 0,
    waiting_time: 0,
    priority: 0,
    delivery: new Array<number>(D).fill(0),
    pickup: new Array<number>(D).fill(0),
    distance: 0,
  };
  for (const r of routes) {
    totals.cost += r.cost;
    totals.setup += r.setup;
    totals.service += r.service;
    totals.duration += r.duration;
    totals.waiting_time += r.waiting_time;
    totals.priority += r.priority;
    add(totals.delivery, r.delivery);
    add(totals.pickup, r.pickup);
    totals.distance += r.distance ?? 0;
  }
  const hasDistance = model.travel.every((t) => t.distance !== null);
  const unassigned: VroomUnassigned[] = [];
  for (const u of solution.unassigned) {
    const tasks = u.kind === 'job' ? [model.jobTask.get(u.id)] : (model.shipmentTasks.get(u.id) ?? []);
    for (const t of tasks) {
      if (!t) continue;
      // The solver's "not worth it" is, with VROOM's priorities, "others ranked first".
      unassigned.push({ type: t.type, ...taskFields(t), id: t.id, reason: u.reason === 'not_worth_it' ? 'lower_priority' : u.reason });
    }
  }
  const { distance, ...rest } = totals;
  return {
    code: 0,
    summary: {
      ...rest,
      ...(hasDistance ? { distance } : {}),
      violations: [],
      routes: routes.length,
      unassigned: unassigned.length,
      computing_times: { loading: Math.round(times.loadingMs), solving: Math.round(times.solvingMs) },
      iterations: solution.iterations,
    },
    unassigned,
    routes,
  };
}

function toRoute(model: VroomModel, route: Route, load: (l: readonly number[]) => number[]): VroomRoute {
  const vi = model.vehicleIndex.get(route.vehicleId)!;
  const vehicle = model.input.vehicles[vi]!;
  const { duration: dur, distance: dist } = model.travel[vi]!;
  const L = model.problem.locationCount;
  const D = model.dimensions;
  const steps: VroomStep[] = [];
  const delivery = new Array<number>(D).fill(0);
  const pickup = new Array<number>(D).fill(0);
  let travel = 0;
  let distance = 0;
  let setup = 0;
  let service = 0;
  let waiting = 0;
  let priority = 0;
  let prev = -1;
  for (const step of route.steps) {
    if (prev >= 0) {
      travel += dur[prev * L + step.location]!;
      distance += dist ? dist[prev * L + step.location]! : 0;
    }
    prev = step.location;
    const common = { duration: travel, violations: [], load: load(step.load), ...(dist ? { distance } : {}) };
    if (step.type === 'start' || step.type === 'end') {
      const located = step.type === 'start' ? vehicle.start_index !== undefined : vehicle.end_index !== undefined;
      if (!located) continue; // an open route: VROOM has no step for the missing end
      const coords = step.type === 'start' ? vehicle.start : vehicle.end;
      steps.push({
        type: step.type,
        // The start step's time is the departure (the solver delays it to avoid waiting).
        arrival: step.type === 'start' ? step.departure : step.arrival,
        setup: 0,
        service: 0,
        waiting_time: 0,
        ...(coords ? { location: [...coords] } : {}),
        location_index: step.location,
        ...common,
      });
      continue;
    }
    if (step.type === 'reload') {
      const wait = step.serviceStart - step.arrival;
      waiting += wait;
      steps.push({ type: 'reload', arrival: step.arrival, setup: 0, service: step.departure - step.serviceStart, waiting_time: wait, location_index: step.location, ...common });
      continue;
    }
    const id = step.id ?? '';
    let task: TaskRef | undefined;
    let amount: readonly number[] | undefined;
    if (step.type === 'job') {
      task = model.jobTask.get(id);
      const job = task ? model.input.jobs?.[task.index] : undefined;
      add(delivery, job?.delivery);
      add(pickup, job?.pickup);
    } else {
      const pair = model.shipmentTasks.get(id);
      task = pair?.[step.type === 'pickup' ? 0 : 1];
      amount = task ? model.input.shipments?.[task.index]?.amount : undefined;
      add(step.type === 'pickup' ? pickup : delivery, amount);
    }
    if (!task) throw new Error(`the solver returned a task the problem does not have: ${id}`);
    const wait = step.serviceStart - step.arrival;
    waiting += wait;
    setup += task.setup;
    service += task.service;
    priority += task.priority;
    steps.push({ type: task.type, arrival: step.arrival, setup: task.setup, service: task.service, waiting_time: wait, ...taskFields(task), ...common });
  }
  return {
    vehicle: vehicle.id,
    steps,
    // The solver's cost is in the model's unit: fixed costs divide exactly, travel is rounded once.
    cost: Math.round(route.cost * model.costPerUnit),
    setup,
    service,
    duration: travel,
    waiting_time: waiting,
    priority,
    violations: [],
    delivery,
    pickup,
    ...(vehicle.description === undefined ? {} : { description: vehicle.description }),
    ...(dist ? { distance } : {}),
  };
}
