/**
 * `npm run verify:reliability [-- --postgres] [-- --quick] [-- --parcels N] [-- --only 1,3]`
 *
 * Runs the reliability scenarios against real processes (API: `node bin/gongpei.js serve`,
 * worker: workers/main.ts) on loopback and prints one table: scenario, load held, faults
 * injected, bad inputs tried, parcels acknowledged, found, lost, duplicated. Exits 1 if anything
 * was lost or duplicated or any other guarantee broke (listed under the table).
 *
 * Default: intake on SQLite, 10,000 parcels through two API SIGKILLs, a 30 s Redis outage,
 * 10,000 fuzzed requests. `--postgres`: the intake scenarios on a throw-away PostgreSQL database
 * instead. `--quick`: small sizes and a 5 s outage (what the vitest suite uses). Scenario 4 always
 * runs both engines (PostgreSQL connection loss and SQLite busy).
 */
import { parseArgs } from 'node:util';
import type { DialectName } from '../../src/db/database.ts';
import { capturedLogs, killAll, RECIPIENT_NAME, RECIPIENT_PHONE, type ScenarioResult } from './harness.ts';
import { badInput } from './scenarios/bad-input.ts';
import { crashUnderLoad } from './scenarios/crash-under-load.ts';
import { postgresConnectionLoss, sqliteBusy } from './scenarios/database-trouble.ts';
import { isolation } from './scenarios/isolation.ts';
import { redisOutage } from './scenarios/redis-outage.ts';
import { workerCrash } from './scenarios/worker-crash.ts';

const { values } = parseArgs({
  options: {
    postgres: { type: 'boolean', default: false },
    quick: { type: 'boolean', default: false },
    parcels: { type: 'string' },
    fuzz: { type: 'string' },
    only: { type: 'string' },
  },
});
const quick = values.quick ?? false;
const dialect: DialectName = values.postgres ? 'postgres' : 'sqlite';
const parcels = Number(values.parcels ?? (quick ? 1_000 : 10_000));
const fuzzRequests = Number(values.fuzz ?? (quick ? 1_000 : 10_000));
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;

const scenarios: [string, () => Promise<ScenarioResult>][] = [
  ['1', () => crashUnderLoad({ dialect, parcels })],
  ['2', () => workerCrash({ dialect, parcels: quick ? 200 : 600 })],
  ['3', () => redisOutage({ dialect, parcels: quick ? 300 : 3_000, outageMs: quick ? 5_000 : 30_000 })],
  ['4', () => postgresConnectionLoss({ parcels: quick ? 40 : 200, outageMs: quick ? 3_000 : 10_000, lockMs: 2_000 })],
  ['4', () => sqliteBusy({ parcels: quick ? 100 : 500, outageMs: 0, lockMs: quick ? 2_000 : 3_000 })],
  ['5', () => badInput({ dialect, requests: fuzzRequests })],
  ['6', () => isolation({ dialect })],
];

function table(rows: readonly ScenarioResult[]): string {
  const head = ['scenario', 'db', 'load held', 'faults injected', 'bad inputs', 'acked', 'found', 'lost', 'dup', 'ok', 's'];
  const data = rows.map((r) => [
    r.scenario,
    r.database,
    r.load,
    r.faults,
    String(r.badInputs),
    String(r.acknowledged),
    String(r.found),
    String(r.lost),
    String(r.duplicated),
    r.lost === 0 && r.duplicated === 0 && r.failures.length === 0 ? 'yes' : 'NO',
    r.seconds.toFixed(0),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => d[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...data.map(line)].join('\n');
}

const results: ScenarioResult[] = [];
const started = Date.now();
process.once('SIGINT', () => {
  killAll();
  process.exit(130);
});
for (const [id, run] of scenarios) {
  if (only !== undefined && !only.has(id)) continue;
  process.stderr.write(`scenario ${id} …\n`);
  try {
    const r = await run();
    results.push(r);
    process.stderr.write(`scenario ${id}: ${r.failures.length === 0 && r.lost === 0 && r.duplicated === 0 ? 'ok' : 'FAILED'} in ${r.seconds.toFixed(0)} s\n`);
  } catch (err) {
    results.push({ scenario: `${id} (crashed)`, database: dialect, load: '-', faults: '-', badInputs: 0, acknowledged: 0, found: 0, lost: 0, duplicated: 0, failures: [`the scenario itself failed: ${(err as Error).stack ?? String(err)}`], seconds: 0 });
  } finally {
    killAll();
  }
}

// Personal data in any line any child process printed during the whole run.
const leaked = capturedLogs.join('').split('\n').filter((l) => l.includes(RECIPIENT_PHONE) || l.includes(RECIPIENT_NAME));
const logLines = capturedLogs.join('').split('\n').length;
results.push({
  scenario: '6 logs of the whole run',
  database: dialect,
  load: `${logLines} lines from every API and worker process`,
  faults: `searched for "${RECIPIENT_PHONE}", "${RECIPIENT_NAME}"`,
  badInputs: 0,
  acknowledged: 0,
  found: leaked.length,
  lost: 0,
  duplicated: 0,
  failures: leaked.length > 0 ? [`${leaked.length} log line(s) with a recipient phone or name, e.g. ${leaked[0]!.slice(0, 300)}`] : [],
  seconds: 0,
});

process.stdout.write(`\ngongpei reliability verification — ${new Date().toISOString()}, ${quick ? 'quick' : 'full'}, intake on ${dialect}, loopback, 2 shared cores (timings pessimistic)\n\n`);
process.stdout.write(`${table(results)}\n`);
const broken = results.filter((r) => r.failures.length > 0 || r.lost > 0 || r.duplicated > 0);
for (const r of broken) {
  process.stdout.write(`\n${r.scenario} (${r.database}):\n${r.failures.map((f) => `  - ${f}`).join('\n')}\n`);
}
const lost = results.reduce((s, r) => s + r.lost, 0);
const duplicated = results.reduce((s, r) => s + r.duplicated, 0);
process.stdout.write(`\n${broken.length === 0 ? 'PASS' : 'FAIL'}: lost ${lost}, duplicated ${duplicated}, scenarios with a broken guarantee ${broken.length}; ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.exit(broken.length === 0 ? 0 : 1);
