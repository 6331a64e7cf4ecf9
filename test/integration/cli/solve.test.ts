/**
 * `gongpei solve` end to end, as a user runs it: a child process through bin/gongpei.js on small
 * instance files written to a temporary directory.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/gongpei.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gongpei-solve-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Node ids deliberately not 1..n in file order, to see they come back exactly as numbered.
const CVRP = `NAME : tiny-cvrp
TYPE : CVRP
DIMENSION : 6
EDGE_WEIGHT_TYPE : EUC_2D
CAPACITY : 10
NODE_COORD_SECTION
1 50 50
2 10 10
3 12 10
4 90 90
5 90 92
6 50 10
DEMAND_SECTION
1 0
2 4
3 4
4 5
5 5
6 2
DEPOT_SECTION
1
-1
EOF
`;

// Li & Lim: shipments 1 → 2 and 4 → 3; customer 3's window forces 4 → 3 to be late in the day.
const PDPTW = [
  '3\t20\t1',
  '0\t0\t0\t0\t0\t500\t0\t0\t0',
  '1\t10\t0\t10\t0\t400\t5\t0\t2',
  '2\t20\t0\t-10\t0\t400\t5\t1\t0',
  '3\t0\t20\t-15\t100\t400\t5\t4\t0',
  '4\t0\t10\t15\t0\t400\t5\t0\t3',
].join('\n');

async function solveJson(file: string, ...args: string[]): Promise<{ stdout: string; parsed: Record<string, unknown> }> {
  const { stdout } = await run(process.execPath, [BIN, 'solve', file, '--json', ...args], { cwd: dir });
  return { stdout, parsed: JSON.parse(stdout) as Record<string, unknown> };
}

describe('gongpei solve', () => {
  it('prints exactly one JSON object with routes in the file’s node ids', async () => {
    const file = join(dir, 'tiny.vrp');
    writeFileSync(file, CVRP);
    const { stdout, parsed } = await solveJson(file, '--max-iterations', '200', '--seed', '7');
    expect(stdout.trim().split('\n')).toHaveLength(1);
    expect(Object.keys(parsed).sort()).toEqual(['cost', 'instance', 'routes', 'runtimeMs', 'seed', 'threads', 'unassigned']);
    expect(parsed.instance).toBe('tiny-cvrp');
    expect(parsed.seed).toBe(7);
    expect(parsed.unassigned).toEqual([]);
    const routes = parsed.routes as number[][];
    expect(routes.flat().sort()).toEqual([2, 3, 4, 5, 6]);
    // Capacity 10: {4, 5} fill a vehicle; the optimum pairs 2, 3 and 6 on one route.
    expect(routes.map((r) => [...r].sort()).sort()).toEqual([[2, 3, 6], [4, 5]]);
    expect(typeof parsed.cost).toBe('number');
    expect(typeof parsed.runtimeMs).toBe('number');
  });

  it('is reproducible with the same seed and iteration budget', async () => {
    const file = join(dir, 'pairs.txt');
    writeFileSync(file, PDPTW);
    const a = await solveJson(file, '--max-iterations', '100');
    const b = await solveJson(file, '--max-iterations', '100');
    expect(a.parsed.routes).toEqual(b.parsed.routes);
    expect(a.parsed.cost).toBe(b.parsed.cost);
    const routes = a.parsed.routes as number[][];
    for (const [pickup, delivery] of [[1, 2], [4, 3]] as const) {
      const route = routes.find((r) => r.includes(pickup))!;
      expect(route.indexOf(pickup)).toBeLessThan(route.indexOf(delivery));
    }
  });

  it('--threads N keeps the best of N searches, reproducible with the same seed, threads and iteration budget; a bad count is refused naming the option', async () => {
    const file = join(dir, 'pairs.txt');
    writeFileSync(file, PDPTW);
    const a = await solveJson(file, '--max-iterations', '100', '--threads', '2');
    const b = await solveJson(file, '--max-iterations', '100', '--threads', '2');
    expect(a.parsed.threads).toBe(2);
    expect(a.parsed.routes).toEqual(b.parsed.routes);
    expect(a.parsed.cost).toBe(b.parsed.cost);
    // Search 0 is the plain solve with the same seed: the best of two is never worse.
    const single = await solveJson(file, '--max-iterations', '100');
    expect(a.parsed.cost as number).toBeLessThanOrEqual(single.parsed.cost as number);
    for (const bad of ['0', '1.5', 'two']) {
      const err = (await run(process.execPath, [BIN, 'solve', file, '--threads', bad]).catch((e: unknown) => e)) as { code: number; stderr: string };
      expect(err.code).not.toBe(0);
      expect(err.stderr).toMatch(/--threads/);
    }
  });

  it('--fleet overrides the file’s fleet for the solver and the checker', async () => {
    const file = join(dir, 'tiny.vrp');
    writeFileSync(file, CVRP);
    // 20 units of demand, capacity 10: two vehicles carry it exactly, in two full routes.
    const { parsed } = await solveJson(file, '--max-iterations', '100', '--fleet', '2');
    expect(parsed.unassigned).toEqual([]);
    expect((parsed.routes as number[][]).map((r) => [...r].sort()).sort()).toEqual([[2, 3, 6], [4, 5]]);
    const { stdout } = await run(process.execPath, [BIN, 'solve', file, '--max-iterations', '50', '--fleet', '2'], { cwd: dir });
    expect(stdout).toMatch(/^vehicles\s+2 of 2$/m);
  });

  it('prints a human summary without --json', async () => {
    const file = join(dir, 'tiny.vrp');
    writeFileSync(file, CVRP);
    const { stdout } = await run(process.execPath, [BIN, 'solve', file, '--max-iterations', '50'], { cwd: dir });
    expect(stdout).toMatch(/^instance\s+tiny-cvrp \(vrplib, 5 customers/m);
    expect(stdout).toMatch(/^checker\s+feasible$/m);
    expect(stdout).toMatch(/^Route #1: /m);
  });

  it('solves a CVRPLIB file with an EXPLICIT matrix, costed on the file’s own numbers', async () => {
    const file = fileURLToPath(new URL('../../fixtures/explicit/hills-n8-k3.vrp', import.meta.url));
    const { parsed } = await solveJson(file, '--max-iterations', '200');
    expect(parsed.instance).toBe('hills-n8-k3');
    expect(parsed.unassigned).toEqual([]);
    const routes = parsed.routes as number[][];
    expect(routes.flat().sort()).toEqual([2, 3, 4, 5, 6, 7, 8]);
    // Recomputed here from the LOWER_ROW section, independently of the reader.
    const text = readFileSync(file, 'utf8');
    const section = text.slice(text.indexOf('EDGE_WEIGHT_SECTION') + 20, text.indexOf('DEMAND_SECTION')).trim().split(/\s+/).map(Number);
    const w = (a: number, b: number): number => {
      const [i, j] = a > b ? [a - 1, b - 1] : [b - 1, a - 1];
      return section[(i * (i - 1)) / 2 + j]!;
    };
    let cost = 0;
    for (const r of routes) [1, ...r, 1].forEach((id, k, all) => (cost += k === 0 ? 0 : w(all[k - 1]!, id)));
    expect(parsed.cost).toBe(cost);
    const { stdout } = await run(process.execPath, [BIN, 'solve', file, '--max-iterations', '50'], { cwd: dir });
    expect(stdout).toMatch(/distances from the file’s matrix/);
    expect(stdout).toMatch(/^checker\s+feasible$/m);
  });

  it('fails with a one-line message on a file it cannot read', async () => {
    const file = join(dir, 'junk.txt');
    writeFileSync(file, 'not an instance\n');
    const err = (await run(process.execPath, [BIN, 'solve', file, '--json']).catch((e: unknown) => e)) as { code: number; stderr: string; stdout: string };
    expect(err.code).toBe(2);
    expect(err.stdout).toBe('');
    expect(err.stderr.trim()).toMatch(/^gongpei: junk: not a VRPLIB, LKH-3 CVRPTW, Solomon or Li & Lim instance$/);
  });
});
