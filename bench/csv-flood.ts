/**
 * `npm run bench:csv-flood [-- --rows N] [-- --dialect postgres]`
 *
 * How the API's event loop fares while CSV imports arrive (issue 13, finding 1). A real API
 * process (`gongpei serve`, SQLite by default, the Qin County network) on loopback; `/healthz` is
 * asked every 10 ms throughout and its latency is reported (p50 / p99 / max), in three phases:
 *
 * 1. idle (the baseline);
 * 2. three concurrent valid imports of the maximum size (CSV_MAX_ROWS rows, default 10,000);
 * 3. three concurrent 8 MB floods of 2,000,000 empty rows (`""` per line: a one-column header and
 *    rows of one empty field — the shape that parsed all 2 million records before refusing);
 *    the same with the real header and 16 empty cells per row; and imports of valid rows 2,000
 *    over the row limit.
 *
 * Also: each import's status and time, and the API process's peak resident memory (VmHWM).
 * Prints figures only; the behaviour is asserted in test/integration/http/csv-intake.test.ts.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadNetwork } from '../src/network/load.ts';
import type { DialectName } from '../src/db/database.ts';
import { CSV_COLUMNS } from '../src/parcels/parcel.schemas.ts';
import { createEnv, endRun, killAll, SHARED_REDIS_URL, startApi } from './reliability/harness.ts';

const { values } = parseArgs({ options: { rows: { type: 'string' }, dialect: { type: 'string' } } });
const rows = Number(values.rows ?? 10_000);
const dialect = (values.dialect ?? 'sqlite') as DialectName;

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Asks /healthz every `everyMs` until stopped; returns the latencies (ms). */
function pollHealth(base: string, everyMs = 10): { stop: () => Promise<number[]> } {
  const latencies: number[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const t0 = performance.now();
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(120_000) });
        await res.arrayBuffer();
      } catch {
        // counted as the time it took
      }
      latencies.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return latencies;
    },
  };
}

async function importCsv(base: string, key: string, body: string): Promise<{ status: number; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/v1/parcels/import`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'text/csv' }, body, signal: AbortSignal.timeout(300_000) });
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - t0 };
  } catch (err) {
    return { status: 0, ms: performance.now() - t0, ...(err instanceof Error ? { error: err.message } : {}) };
  }
}

function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m === null ? NaN : Number(m[1]) / 1024;
}

function line(label: string, lat: number[], extra = ''): string {
  const s = [...lat].sort((a, b) => a - b);
  return `${label.padEnd(44)} healthz n=${String(s.length).padStart(5)}  p50 ${percentile(s, 50).toFixed(1).padStart(7)} ms  p99 ${percentile(s, 99).toFixed(1).padStart(8)} ms  max ${s.at(-1)?.toFixed(1).padStart(8)} ms  ${extra}`;
}

const env = await createEnv(dialect, 3);
const api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix, extra: { RATE_LIMIT_PER_SECOND: '100000', RATE_LIMIT_BURST: '100000' } });
try {
  const pid = api.proc.pid;
  const stations = loadNetwork().stations.map((s) => s.code);
  const keys = [...env.keys.couriers.values()].map((k) => k[0]!);
  const validCsv = (tag: string): string =>
    [CSV_COLUMNS.join(','), ...Array.from({ length: rows }, (_, i) => CSV_COLUMNS.map((c) => ({ waybill: `CF${tag}${String(i).padStart(7, '0')}`, stationCode: stations[i % stations.length]!, weightG: String(500 + (i % 5000)), recipientName: '张三', recipientPhone: '13800001234' })[c as string] ?? '').join(','))].join('\n');
  const flood = `waybill\r\n${'""\r\n'.repeat(2_000_000)}`;

  process.stdout.write(`csv-flood bench — ${new Date().toISOString()}, ${dialect}, loopback, ${rows} rows per valid import, flood ${(Buffer.byteLength(flood) / 1e6).toFixed(1)} MB\n`);
  process.stdout.write(`load before: ${readFileSync('/proc/loadavg', 'utf8').trim()}\n`);

  let poll = pollHealth(api.base);
  await new Promise((r) => setTimeout(r, 2_000));
  process.stdout.write(`${line('idle', await poll.stop())}\n`);

  const bodies = [validCsv('a'), validCsv('b'), validCsv('c')];
  poll = pollHealth(api.base);
  const imports = await Promise.all(bodies.map((b, i) => importCsv(api.base, keys[i % keys.length]!, b)));
  process.stdout.write(`${line(`3 × valid ${rows}-row import`, await poll.stop(), imports.map((r) => `${r.status} in ${(r.ms / 1000).toFixed(2)} s`).join(', '))}\n`);

  const floodRuns: [string, string][] = [
    ['3 × 8 MB flood of 2,000,000 empty rows', flood],
    ['3 × 8 MB of 470,000 rows of 16 empty cells', `${CSV_COLUMNS.join(',')}\r\n${`${','.repeat(15)}\r\n`.repeat(470_000)}`],
    [`3 × ${rows + 2_000} valid rows (over the row limit)`, validCsv('o') + '\n' + validCsv('p').split('\n').slice(1, 2_001).join('\n')],
  ];
  for (const [label, body] of floodRuns) {
    poll = pollHealth(api.base);
    const floods = await Promise.all([0, 1, 2].map((i) => importCsv(api.base, keys[i % keys.length]!, body)));
    process.stdout.write(`${line(label, await poll.stop(), floods.map((r) => `${r.status} in ${(r.ms / 1000).toFixed(2)} s`).join(', '))}\n`);
  }
  process.stdout.write(`API peak RSS ${peakRssMb(pid).toFixed(0)} MB; load after: ${readFileSync('/proc/loadavg', 'utf8').trim()}\n`);
} finally {
  await endRun(env, api);
  killAll();
}
