/**
 * `npm run bench:routing` on a tiny hand-made set in a temporary directory: the table, the
 * summary, the results files, and the exit code when a solution fails the checker.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const dir = mkdtempSync(join(tmpdir(), 'gongpei-bench-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const solomon = (name: string, rows: string) =>
  `${name}\n\nVEHICLE\nNUMBER     CAPACITY\n  2          100\n\nCUSTOMER\nCUST NO.  XCOORD.    YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE TIME\n\n    0      0   0   0   0   1000   0\n${rows}`;

const set = join(dir, 'tiny');
mkdirSync(set);
// One customer at distance 5: the only solution drives 10.
writeFileSync(join(set, 'one.txt'), solomon('one', '    1      3   4   10   0   900   10\n'));
// Customer 2 is due before anyone can reach it: unservable.
writeFileSync(join(set, 'late.txt'), solomon('late', '    1      3   4   10   0   900   10\n    2      60  80  10   0   20   10\n'));
writeFileSync(join(set, 'BKS.csv'), 'instance,n_customers,bks,objective_note,source_repo_path\none,1,10,"hierarchical: 1 vehicles",hand\nlate,2,10,"",hand\n');

async function bench(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(TSX, [join(ROOT, 'bench/routing.ts'), set, '--time-per-100', '20', '--out', join(dir, 'results'), ...args], { cwd: ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bench:routing', () => {
  it('prints the table and summary and writes JSON and CSV results', async () => {
    const { code, stdout, stderr } = await bench('--filter', '^one$');
    expect(stderr).toMatch(/tiny: 1 instances/);
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^instance\s+n\s+BKS\s+cost\s+gap %\s+veh \(BKS\)\s+seconds\s+feasible$/);
    expect(lines[2]).toMatch(/^one\s+1\s+10\.00\s+10\.00\s+0\.00\s+1 \(1\)\s+[\d.]+\s+yes$/);
    expect(lines.at(-1)).toMatch(/^average gap 0\.00 % over 1 instances; feasible 1\/1; vehicles 1 vs BKS 1/);

    const files = readdirSync(join(dir, 'results'));
    const json = files.find((f) => /^routing-tiny-t20-s1-th1-\d{8}-\d{6}-partial\.json$/.test(f));
    expect(json, files.join(', ')).toBeDefined();
    expect(files).toContain(json!.replace(/\.json$/, '.csv'));
    const results = JSON.parse(readFileSync(join(dir, 'results', json!), 'utf8')) as { rows: { instance: string; routes: number[][]; feasible: boolean }[]; summary: { averageGapPercent: number } };
    expect(results.rows).toEqual([expect.objectContaining({ instance: 'one', routes: [[1]], feasible: true })]);
    expect(results.summary.averageGapPercent).toBe(0);
  });

  it('--threads N runs N searches per instance, keeps the best, and says the thread count in the summary and the file name', async () => {
    const { code, stdout } = await bench('--filter', '^one$', '--threads', '2', '--out', join(dir, 'results-threads'));
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').at(-1)).toMatch(/seed 1, 2 thread\(s\), load [\d.]+ → [\d.]+; another search beat search 0 on 0\/1 \(solver cost −0\.00 % on average\)$/);
    const json = readdirSync(join(dir, 'results-threads')).find((f) => /^routing-tiny-t20-s1-th2-\d{8}-\d{6}-partial\.json$/.test(f));
    expect(json).toBeDefined();
    const results = JSON.parse(readFileSync(join(dir, 'results-threads', json!), 'utf8')) as { threads: number; rows: { searchCosts: number[]; bestSearch: number }[]; summary: { threads: number } };
    expect(results.threads).toBe(2);
    expect(results.summary.threads).toBe(2);
    expect(results.rows[0]!.searchCosts).toHaveLength(2);
    expect(results.rows[0]!.searchCosts[1]).toBe(results.rows[0]!.searchCosts[0]);
    // Equal costs: the tie goes to search 0.
    expect(results.rows[0]!.bestSearch).toBe(0);
  });

  it('finds a set relative to GONGPEI_BENCHMARKS, passed through the config module', async () => {
    // A bare environment: nothing inherited, so no GONGPEI_BENCHMARKS but the one given here.
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', 'bench/routing.ts', 'tiny', '--filter', '^one$', '--time-limit', '0.2', '--out', join(dir, 'results-env')], { cwd: ROOT, env: { GONGPEI_BENCHMARKS: dir } });
    expect(stderr).toMatch(/tiny: 1 instances/);
    expect(stdout).toMatch(/^one\s+1\s+10\.00\s+10\.00\s+0\.00\s/m);
    expect(readdirSync(join(dir, 'results-env')).some((f) => f.startsWith('routing-tiny-flat0.2-s1-'))).toBe(true);
  });

  it('without the set, says in one line where the public sets come from and exits 2', async () => {
    for (const env of [{}, { GONGPEI_BENCHMARKS: join(dir, 'nowhere') }]) {
      const err = (await run(process.execPath, ['--import', 'tsx', 'bench/routing.ts', 'X'], { cwd: ROOT, env }).catch((e: unknown) => e)) as { code: number; stdout: string; stderr: string };
      expect(err.code).toBe(2);
      expect(err.stdout).toBe('');
      const lines = err.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^bench:routing: no benchmark set "X" \(not a folder; (GONGPEI_BENCHMARKS is not set|nor in GONGPEI_BENCHMARKS=.*nowhere)\); the public sets are not in the repository: X and Solomon come from CVRPLIB \(http:\/\/vrp\.galgos\.inf\.puc-rio\.br\/\), Gehring & Homberger and Li & Lim from SINTEF .*GONGPEI_BENCHMARKS/);
    }
  });

  it('exits 1 when a solution fails the independent checker', async () => {
    const { code, stdout, stderr } = await bench('--filter', 'late');
    expect(code).toBe(1);
    expect(stdout).toMatch(/^late\s.*NO: 1 customer\(s\) not served: 2$/m);
    expect(stderr).toMatch(/1 solution\(s\) failed the independent checker/);
  });
});
