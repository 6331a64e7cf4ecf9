/**
 * `gongpei solve problem.json` on VROOM-format problems, as a user runs it (a child process
 * through bin/gongpei.js): one JSON answer in VROOM's shape on stdout, whose routes the
 * independent checker accepts; a problem gongpei does not model stops with one line naming the
 * field and exit code 65.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { checkVroomAnswer } from '../../../src/vroom/check.ts';
import { parseVroomInput } from '../../../src/vroom/to-problem.ts';
import type { VroomAnswer } from '../../../src/vroom/vroom.schemas.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../../bin/gongpei.js', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../../fixtures/vroom/two-vans-matrices.json', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gongpei-vroom-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Failure = { code: number; stderr: string; stdout: string };

describe('gongpei solve on a VROOM-format problem', () => {
  it('prints one VROOM-format answer whose routes the independent checker accepts; the same again with the same seed', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'solve', FIXTURE, '--max-iterations', '200'], { cwd: dir });
    expect(stdout.trim().split('\n')).toHaveLength(1);
    const answer = JSON.parse(stdout) as VroomAnswer;
    expect(answer.code).toBe(0);
    expect(answer.routes.length).toBeGreaterThan(0);
    expect(answer.routes.every((r) => r.steps[0]!.type === 'start' && r.steps[r.steps.length - 1]!.type === 'end')).toBe(true);
    const input = parseVroomInput(JSON.parse(readFileSync(FIXTURE, 'utf8')));
    expect(checkVroomAnswer(input, answer).violations).toEqual([]);
    const again = JSON.parse((await run(process.execPath, [BIN, 'solve', FIXTURE, '--max-iterations', '200'], { cwd: dir })).stdout) as VroomAnswer;
    expect(again.routes).toEqual(answer.routes);
  });

  it('runs the problem’s own `threads` (or --threads) searches: the same answer again for the same seed, threads and budget', async () => {
    const problem = { ...(JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>), threads: 2 };
    const file = join(dir, 'two-threads.json');
    writeFileSync(file, JSON.stringify(problem));
    const first = JSON.parse((await run(process.execPath, [BIN, 'solve', file, '--max-iterations', '200'], { cwd: dir })).stdout) as VroomAnswer;
    const again = JSON.parse((await run(process.execPath, [BIN, 'solve', FIXTURE, '--max-iterations', '200', '--threads', '2'], { cwd: dir })).stdout) as VroomAnswer;
    expect(checkVroomAnswer(parseVroomInput(problem), first).violations).toEqual([]);
    expect(again.routes).toEqual(first.routes);

    writeFileSync(file, JSON.stringify({ ...problem, threads: 0 }));
    const err = (await run(process.execPath, [BIN, 'solve', file]).catch((e: unknown) => e)) as Failure;
    expect(err.code).toBe(65);
    expect(err.stderr).toMatch(/^gongpei: Invalid problem: threads: /);
  });

  it('exits 65 with one line naming a field it does not model, or saying the JSON is broken', async () => {
    const problem = JSON.parse(readFileSync(FIXTURE, 'utf8')) as { vehicles: Record<string, unknown>[] };
    problem.vehicles[0]!.max_travel_time = 7200;
    const file = join(dir, 'travel-time.json');
    writeFileSync(file, JSON.stringify(problem));
    const err = (await run(process.execPath, [BIN, 'solve', file]).catch((e: unknown) => e)) as Failure;
    expect(err.code).toBe(65);
    expect(err.stdout).toBe('');
    expect(err.stderr.trim().split('\n')).toHaveLength(1);
    expect(err.stderr).toMatch(/^gongpei: Invalid problem: vehicles\.0\.max_travel_time: max_travel_time is not supported/);

    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"vehicles": [');
    const err2 = (await run(process.execPath, [BIN, 'solve', broken]).catch((e: unknown) => e)) as Failure;
    expect(err2.code).toBe(65);
    expect(err2.stderr).toMatch(/^gongpei: not valid JSON/);
  });
});
