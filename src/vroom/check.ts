/**
 * Independent checker of a VROOM-format answer against its VROOM-format problem. It reads
 * nothing from the solver nor from the translation (to-problem.ts): from the input's matrices and
 * the answer's step order alone it recomputes every step's arrival, waiting, cumulated travel
 * time and distance, the load after each step, each route's cost and the totals, and checks
 *   every task served at most once and listed unassigned otherwise; shipments' pickup before
 *   delivery on one route; time windows (service starts inside one; the vehicle's shift);
 *   capacity at every step; skills; max_tasks; max_distance; the gongpei extensions (reloads,
 *   release time).
 * `gongpei solve` runs it on every VROOM answer it prints, and the tests run it on both the CLI's
 * and the HTTP endpoint's answers.
 */
import type { VroomAnswer, VroomInput } from './vroom.schemas.ts';

export interface VroomCheck {
  readonly feasible: boolean;
  readonly violations: readonly string[];
}

type Amount = number[];

interface Task {
  readonly kind: 'job' | 'pickup' | 'delivery';
  readonly key: string;
  readonly loc: number;
  readonly setup: number;
  readonly service: number;
  readonly windows: readonly (readonly number[])[];
  readonly skills: readonly number[];
  readonly delivery: Amount;
  readonly pickup: Amount;
  readonly priority: number;
  /** Shipments: the index that ties pickup and delivery. */
  readonly shipment?: number;
}

export function checkVroomAnswer(input: VroomInput, answer: VroomAnswer): VroomCheck {
  const violations: string[] = [];
  const fail = (m: string): void => {
    if (violations.length < 50) violations.push(m);
  };
  const dims = Math.max(0, ...input.vehicles.map((v) => v.capacity?.length ?? 0));
  const zero = (): Amount => new Array<number>(dims).fill(0);
  const amt = (a: readonly number[] | undefined): Amount => (a ? [...a] : zero());
  const tasks = new Map<string, Task>();
  (input.jobs ?? []).forEach((j) =>
    tasks.set(`job:${j.id}`, {
      kind: 'job',
      key: `job:${j.id}`,
      loc: j.location_index ?? -1,
      setup: j.setup ?? 0,
      service: j.service ?? 0,
      windows: j.time_windows ?? [],
      skills: j.skills ?? [],
      delivery: amt(j.delivery),
      pickup: amt(j.pickup),
      priority: j.priority ?? 0,
    }),
  );
  (input.shipments ?? []).forEach((s, i) => {
    for (const kind of ['pickup', 'delivery'] as const) {
      const st = s[kind];
      tasks.set(`${kind}:${st.id}`, {
        kind,
        key: `${kind}:${st.id}`,
        loc: st.location_index ?? -1,
        setup: st.setup ?? 0,
        service: st.service ?? 0,
        windows: st.time_windows ?? [],
        skills: s.skills ?? [],
        delivery: kind === 'delivery' ? amt(s.amount) : zero(),
        pickup: kind === 'pickup' ? amt(s.amount) : zero(),
        priority: s.priority ?? 0,
        shipment: i,
      });
    }
  });

  const served = new Set<string>();
  const usedVehicles = new Set<number>();
  let totalCost = 0;
  let totalDuration = 0;
  for (const route of answer.routes) {
    const vehicle = input.vehicles.find((v) => v.id === route.vehicle);
    const where = `vehicle ${route.vehicle}`;
    if (!vehicle) {
      fail(`${where}: no such vehicle`);
      continue;
    }
    if (usedVehicles.has(vehicle.id)) fail(`${where}: has two routes`);
    usedVehicles.add(vehicle.id);
    const m = input.matrices?.[vehicle.profile ?? 'car'];
    if (!m?.durations) {
      fail(`${where}: no durations matrix for its profile`);
      continue;
    }
    const f = vehicle.speed_factor ?? 1;
    const travelTime = (a: number, b: number): number => (a < 0 || b < 0 ? 0 : Math.round(m.durations![a]![b]! / f));
    const travelDist = (a: number, b: number): number => (a < 0 || b < 0 || !m.distances ? 0 : m.distances[a]![b]!);
    const perHour = vehicle.costs?.per_hour ?? 3600;
    const perKm = vehicle.costs?.per_km ?? 0;
    const edgeCost = (a: number, b: number): number =>
      a < 0 || b < 0 ? 0 : m.costs ? m.costs[a]![b]! : (perHour * travelTime(a, b)) / 3600 + (perKm * travelDist(a, b)) / 1000;
    const cap = vehicle.capacity ?? zero();
    const tw = vehicle.time_window ?? [-Infinity, Infinity];
    const [twStart, twEnd] = [tw[0]!, tw[1]!];
    const steps = route.steps;
    const hasStart = vehicle.start_index !== undefined;
    const hasEnd = vehicle.end_index !== undefined;
    if (hasStart && (steps[0]?.type !== 'start' || steps[0].location_index !== vehicle.start_index)) fail(`${where}: does not begin with its start`);
    if (hasEnd && (steps[steps.length - 1]?.type !== 'end' || steps[steps.length - 1]!.location_index !== vehicle.end_index)) fail(`${where}: does not finish at its end`);
    if (!hasStart && steps.some((s) => s.type === 'start')) fail(`${where}: a start step but the vehicle has no start`);
    if (!hasEnd && steps.some((s) => s.type === 'end')) fail(`${where}: an end step but the vehicle has no end`);

    // Trips: deliveries of each trip's jobs are on board when it leaves the start (or a reload).
    const trips: Amount[] = [zero()];
    for (const s of steps) {
      if (s.type === 'reload') trips.push(zero());
      else if (s.type === 'job') {
        const t = tasks.get(`job:${s.id}`);
        if (t) t.delivery.forEach((x, d) => (trips[trips.length - 1]![d]! += x));
      }
    }
    let trip = 0;
    let load = [...trips[0]!];
    let time = Number.NaN;
    let prevLoc = -1;
    let travel = 0;
    let distance = 0;
    let cost = vehicle.costs?.fixed ?? 0;
    let tasksDone = 0;
    const pickedAt = new Map<number, number>();
    const checkLoad = (what: string): void => {
      load.forEach((x, d) => {
        if (x > (cap[d] ?? 0)) fail(`${where}: load ${load.join('/')} over capacity ${cap.join('/')} ${what}`);
        if (x < 0) fail(`${where}: negative load ${what}`);
      });
    };
    checkLoad('leaving the start');
    steps.forEach((s, k) => {
      const here = s.type === 'start' ? (vehicle.start_index ?? -1) : s.type === 'end' ? (vehicle.end_index ?? -1) : s.type === 'reload' ? (vehicle.start_index ?? -1) : (tasks.get(`${s.type}:${s.id}`)?.loc ?? -1);
      if (s.type !== 'start' && Number.isNaN(time)) {
        // An open start: the route begins at its first task, at that step's arrival.
        time = s.arrival;
        if (time < twStart || time < (vehicle.release_time ?? -Infinity)) fail(`${where}: begins at ${time}, before its shift or release time`);
      } else if (s.type !== 'start') {
        time += travelTime(prevLoc, here);
        travel += travelTime(prevLoc, here);
        distance += travelDist(prevLoc, here);
        cost += edgeCost(prevLoc, here);
      }
      if (s.type === 'start') {
        time = s.arrival;
        if (time < twStart || time < (vehicle.release_time ?? -Infinity)) fail(`${where}: leaves at ${time}, before its shift or release time`);
      }
      if (s.arrival !== time) fail(`${where} step ${k} (${s.type} ${s.id ?? ''}): arrival ${s.arrival}, recomputed ${time}`);
      if (s.duration !== travel) fail(`${where} step ${k}: cumulated travel ${s.duration}, recomputed ${travel}`);
      if (m.distances && s.distance !== distance) fail(`${where} step ${k}: cumulated distance ${s.distance}, recomputed ${distance}`);
      if (s.waiting_time < 0) fail(`${where} step ${k}: negative waiting time`);
      const start = time + s.waiting_time;
      prevLoc = here;
      if (s.type === 'end') {
        if (time > twEnd) fail(`${where}: back at ${time}, after its shift ends at ${twEnd}`);
      } else if (s.type === 'reload') {
        trip++;
        // Whatever jobs picked up is unloaded and the next trip's deliveries are loaded;
        // shipments in transit stay on board.
        const inTransit = zero();
        for (const shipment of pickedAt.keys()) input.shipments?.[shipment]?.amount?.forEach((x, d) => (inTransit[d]! += x));
        load = inTransit.map((x, d) => x + (trips[trip]?.[d] ?? 0));
        if (s.service !== (vehicle.reload_time ?? 0)) fail(`${where} step ${k}: reload takes ${s.service}, the vehicle's reload_time is ${vehicle.reload_time ?? 0}`);
        time = start + s.service;
        checkLoad(`leaving reload ${trip}`);
      } else if (s.type !== 'start') {
        const t = tasks.get(`${s.type}:${s.id}`);
        if (!t) {
          fail(`${where} step ${k}: unknown ${s.type} ${s.id}`);
          return;
        }
        if (served.has(t.key)) fail(`${t.key} served twice`);
        served.add(t.key);
        tasksDone++;
        if (s.setup !== t.setup || s.service !== t.service) fail(`${where} step ${k}: setup/service ${s.setup}/${s.service}, the task's are ${t.setup}/${t.service}`);
        if (t.windows.length > 0 && !t.windows.some(([a, b]) => start >= a! && start <= b!)) fail(`${t.key}: service starts at ${start}, outside its time windows`);
        if (t.skills.some((x) => !(vehicle.skills ?? []).includes(x))) fail(`${t.key}: needs skills ${t.skills.join(',')}, vehicle ${vehicle.id} has ${(vehicle.skills ?? []).join(',')}`);
        if (t.kind === 'pickup') pickedAt.set(t.shipment!, k);
        if (t.kind === 'delivery') {
          if (!pickedAt.has(t.shipment!)) fail(`${t.key}: delivered before (or without) its pickup on this route`);
          pickedAt.delete(t.shipment!);
        }
        load = load.map((x, d) => x - t.delivery[d]! + t.pickup[d]!);
        checkLoad(`after ${t.key}`);
        time = start + t.setup + t.service;
      }
      if (s.load.length !== dims || s.load.some((x, d) => x !== load[d])) fail(`${where} step ${k}: load ${s.load.join('/')}, recomputed ${load.join('/')}`);
    });
    // An open end: the route ends with its last task, which must finish within the shift.
    if (!hasEnd && time > twEnd) fail(`${where}: last task done at ${time}, after its shift ends at ${twEnd}`);
    if (pickedAt.size > 0) fail(`${where}: a pickup without its delivery`);
    if (vehicle.max_tasks !== undefined && tasksDone > vehicle.max_tasks) fail(`${where}: ${tasksDone} tasks, max_tasks ${vehicle.max_tasks}`);
    if (vehicle.max_distance !== undefined && distance > vehicle.max_distance) fail(`${where}: drives ${distance}, max_distance ${vehicle.max_distance}`);
    if (route.duration !== travel) fail(`${where}: duration ${route.duration}, recomputed ${travel}`);
    if (m.distances && route.distance !== distance) fail(`${where}: distance ${route.distance}, recomputed ${distance}`);
    if (route.cost !== Math.round(cost)) fail(`${where}: cost ${route.cost}, recomputed ${Math.round(cost)}`);
    totalCost += route.cost;
    totalDuration += route.duration;
  }
  const unassigned = new Set(answer.unassigned.map((u) => `${u.type}:${u.id}`));
  for (const key of tasks.keys()) {
    if (served.has(key) && unassigned.has(key)) fail(`${key} both served and listed unassigned`);
    if (!served.has(key) && !unassigned.has(key)) fail(`${key} neither served nor listed unassigned`);
  }
  // A shipment is served whole or not at all.
  (input.shipments ?? []).forEach((s) => {
    if (served.has(`pickup:${s.pickup.id}`) !== served.has(`delivery:${s.delivery.id}`)) fail(`shipment ${s.pickup.id}→${s.delivery.id} half served`);
  });
  if (answer.summary.cost !== totalCost) fail(`summary cost ${answer.summary.cost}, routes sum to ${totalCost}`);
  if (answer.summary.duration !== totalDuration) fail(`summary duration ${answer.summary.duration}, routes sum to ${totalDuration}`);
  if (answer.summary.routes !== answer.routes.length) fail('summary routes count differs');
  if (answer.summary.unassigned !== answer.unassigned.length) fail('summary unassigned count differs');
  return { feasible: violations.length === 0, violations };
}
