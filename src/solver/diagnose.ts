/**
 * Why can a request not be served? Tried alone on every vehicle: a request no single-stop route
 * can serve is reported unassigned with the most specific reason, never dropped silently.
 */
import type { Data } from './data.ts';
import { requestNodes } from './data.ts';
import type { UnassignedReason } from './model.ts';
import type { RouteEvaluator } from './evaluate.ts';
import { FAIL_CAPACITY, FAIL_MAX_DISTANCE, FAIL_MAX_DURATION, FAIL_MAX_STOPS, FAIL_SKILL, FAIL_TIME_WINDOW } from './evaluate.ts';

/** null when some vehicle can serve request r on its own, else the reason. */
export function diagnoseRequest(data: Data, ev: RouteEvaluator, r: number): UnassignedReason | null {
  const nodes = requestNodes(data, r);
  const counts = new Map<number, number>();
  let anySkill = false;
  let anyCapacity = false;
  for (let v = 0; v < data.V; v++) {
    const c = ev.evaluate(v, nodes, nodes.length);
    if (Number.isFinite(c)) return null;
    if (ev.failure === FAIL_SKILL) continue;
    anySkill = true;
    if (ev.failure === FAIL_CAPACITY) continue;
    anyCapacity = true;
    counts.set(ev.failure, (counts.get(ev.failure) ?? 0) + 1);
  }
  if (data.V === 0) return 'no_feasible_route';
  if (!anySkill) return 'skill';
  if (!anyCapacity) return 'capacity';
  let best = -1;
  let bestCount = 0;
  for (const [code, n] of counts) if (n > bestCount) { best = code; bestCount = n; }
  switch (best) {
    case FAIL_TIME_WINDOW: return 'time_window';
    case FAIL_MAX_DISTANCE: return 'max_distance';
    case FAIL_MAX_DURATION: return 'max_duration';
    case FAIL_MAX_STOPS: return 'max_stops';
    case FAIL_CAPACITY: return 'capacity';
    case FAIL_SKILL: return 'skill';
    default: return 'no_feasible_route';
  }
}
