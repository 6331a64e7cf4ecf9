/**
 * `npm run bench:plan -- --parcels 12000`: wall time of a whole day, from the first parcel
 * submitted to all routes stored, split by phase (submit through the HTTP API, consolidation,
 * prepare, line-haul, village routes, finalize). Runs the demo path (SQLite file, API in
 * process, BullMQ workers when Redis answers) without the co-delivery comparison unless
 * `--savings` is given. Numbers measured on a shared 2-core machine are pessimistic.
 */
import { parseArgs } from 'node:util';
import { runDemo } from '../src/demo/run-demo.ts';

const { values } = parseArgs({
  options: {
    parcels: { type: 'string', default: '12000' },
    seed: { type: 'string', default: '1' },
    // Work budget per problem (solver iterations); the time limit is only a wall-clock cap.
    iterations: { type: 'string', default: '1000' },
    'time-limit': { type: 'string' },
    savings: { type: 'boolean', default: false },
    'no-redis': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
    // Production plans at the cut-off without waiting for the consolidate queue; prepare sorts the rest.
    'sort-wait': { type: 'string', default: '0' },
  },
});

const parcels = Number(values.parcels);
const result = await runDemo({
  parcels,
  seed: Number(values.seed),
  maxIterations: Number(values.iterations),
  ...(values['time-limit'] !== undefined ? { timeLimitMs: Number(values['time-limit']) } : {}),
  savings: values.savings,
  noRedis: values['no-redis'],
  dbFile: `data/bench-plan-${process.pid}.db`,
  quiet: true,
  sortWaitMs: Number(values['sort-wait']),
  pickupsFirst: true,
});
const t = result.timings;
const p = result.summary.timings;
const routesStoredMs = t.submitMs! + t.consolidateMs! + t.planMs! - (p.finalizeMs ?? 0);
const phases: [string, number][] = [
  ['(before the clock) pickups booked', t.pickupsMs!],
  ['submit parcels (HTTP, 1,000/batch)', t.submitMs!],
  [`consolidate (wait ≤ ${values['sort-wait']} ms)`, t.consolidateMs!],
  ['plan: prepare', p.prepareMs ?? 0],
  ['plan: line-haul', p.lineHaulMs ?? 0],
  ['plan: village routes (wall)', p.villagesWallMs ?? 0],
  ['plan: finalize', p.finalizeMs ?? 0],
];
if (values.json) {
  process.stdout.write(`${JSON.stringify({ parcels, mode: result.mode, routesStoredMs, phases: Object.fromEntries(phases), planTimings: p, summary: { parcels: result.summary.parcels, routes: result.summary.metrics.routes } })}\n`);
} else {
  process.stdout.write(`bench:plan — ${parcels} parcels, ${result.mode}, solver ${values.iterations} iterations per problem, savings ${values.savings ? 'on' : 'off'}\n`);
  for (const [name, ms] of phases) process.stdout.write(`  ${name.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s\n`);
  process.stdout.write(`  ${'first parcel → all routes stored'.padEnd(34)} ${(routesStoredMs / 1000).toFixed(2).padStart(7)} s  (target for 12,000: ≤ 30 s)\n`);
  process.stdout.write(`  planned ${result.summary.parcels.planned}/${result.summary.parcels.eligible} parcels on ${result.summary.metrics.routes} routes; unassigned ${JSON.stringify(result.summary.unassigned.byReason)}\n`);
}
const { rmSync } = await import('node:fs');
for (const f of ['', '-wal', '-shm']) rmSync(`data/bench-plan-${process.pid}.db${f}`, { force: true });
process.exit(0);
