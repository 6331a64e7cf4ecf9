/**
 * Solver throughput and quality at a fixed amount of work, so that runs compare on a shared
 * machine: a fixed iteration budget per instance (same seed + iterations ⇒ same solution), CPU
 * time from process.cpuUsage (other processes matter less than with wall time), iterations per
 * CPU second, and the cost re-checked by the independent checker with its gap to the BKS.
 *
 *   npm run bench:speed -- [INSTANCE:ITERATIONS ...] [--seed N]
 *   npm run bench:speed -- --same-work bench/results/routing-X-t6-….json [--filter REGEX]
 *
 * INSTANCE is a path, or relative to GONGPEI_BENCHMARKS (the public sets' folder); the default is
 * X/X-n106-k14.vrp:1500 X/X-n204-k19.vrp:1000 X/X-n308-k13.vrp:500. `--same-work` replays the
 * instances of a bench:routing results file at the iteration counts that run reached, which
 * compares a change with that run at equal work ("quality at equal iterations"; with the it/s
 * ratio, quality at equal time). One solve at a time, in this process (run it with
 * `node --cpu-prof --import tsx` to profile the core alone).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../src/config.ts';
import { listBenchmarkSet } from '../src/formats/benchmark-set.ts';
import { loadInstance } from '../src/formats/index.ts';
import { toFileRoutes } from '../src/formats/solution-routes.ts';
import { checkSolution } from '../src/formats/verify.ts';
import { solve } from '../src/solver/index.ts';

const DEFAULT_RUNS = ['X/X-n106-k14.vrp:1500', 'X/X-n204-k19.vrp:1000', 'X/X-n308-k13.vrp:500'];

interface Run {
  path: string;
  iterations: number;
  bks: number | null;
  /** The gap the replayed run reached, for comparison. */
  before: number | null;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function inSets(benchmarks: string | undefined, file: string): string {
  if (existsSync(file) || benchmarks === undefined) return file;
  return join(benchmarks, file);
}

function fromArgs(args: readonly string[], benchmarks: string | undefined): Run[] {
  return args.map((run) => {
    const at = run.lastIndexOf(':');
    const file = at > 0 ? run.slice(0, at) : run;
    const path = inSets(benchmarks, file);
    const name = file.split('/').pop()?.replace(/\..*$/, '') ?? file;
    const set = listBenchmarkSet(dirname(path));
    return { path, iterations: at > 0 ? integer(run.slice(at + 1)) : 1000, bks: set.entries.find((e) => e.name === name)?.bks?.bks ?? null, before: null };
  });
}

function fromResults(file: string, filter: RegExp | undefined, benchmarks: string | undefined): Run[] {
  const results = JSON.parse(readFileSync(file, 'utf8')) as { set: string; rows: { instance: string; iterations: number; bks: number | null; gapPercent: number | null }[] };
  const set = listBenchmarkSet(inSets(benchmarks, results.set));
  return results.rows.filter((r) => !filter || filter.test(r.instance)).map((r) => {
    const entry = set.entries.find((e) => e.name === r.instance);
    if (!entry) throw new Error(`${r.instance} is not in ${results.set}`);
    return { path: entry.instancePath, iterations: r.iterations, bks: r.bks, before: r.gapPercent };
  });
}

async function main(): Promise<void> {
  const program = new Command('bench:speed')
    .argument('[runs...]', 'INSTANCE:ITERATIONS pairs')
    .option('--seed <n>', 'solver seed', integer, 1)
    .option('--same-work <results.json>', 'replay a bench:routing results file at its iteration counts')
    .option('--filter <regex>', 'with --same-work: only instances whose name matches')
    .parse();
  const opts = program.opts<{ seed: number; sameWork?: string; filter?: string }>();
  const benchmarks = loadConfig().GONGPEI_BENCHMARKS;
  const runs = opts.sameWork !== undefined
    ? fromResults(opts.sameWork, opts.filter === undefined ? undefined : new RegExp(opts.filter), benchmarks)
    : fromArgs(program.args.length > 0 ? program.args : DEFAULT_RUNS, benchmarks);
  process.stdout.write(`instance            n  iterations  cpu s   it/s        cost   gap %  (before)  (seed ${opts.seed})\n`);
  const gaps: number[] = [];
  const befores: number[] = [];
  let cpuTotal = 0;
  let itTotal = 0;
  for (const run of runs) {
    const loaded = await loadInstance(run.path);
    const n = loaded.problem.jobs.length + 2 * (loaded.problem.shipments?.length ?? 0);
    const started = process.cpuUsage();
    const solution = solve(loaded.problem, { seed: opts.seed, maxIterations: run.iterations });
    const used = process.cpuUsage(started);
    const cpu = (used.user + used.system) / 1e6;
    cpuTotal += cpu;
    itTotal += solution.iterations;
    const check = checkSolution(loaded.instance, toFileRoutes(loaded, solution).routes);
    const gap = run.bks === null ? null : (100 * (check.cost - run.bks)) / run.bks;
    if (gap !== null) gaps.push(gap);
    if (run.before !== null) befores.push(run.before);
    process.stdout.write(
      `${loaded.instance.name.padEnd(16)} ${String(n).padStart(4)} ${String(solution.iterations).padStart(11)} ${cpu.toFixed(2).padStart(6)} `
      + `${(solution.iterations / cpu).toFixed(0).padStart(6)} ${String(check.cost).padStart(11)} ${gap === null ? '      —' : gap.toFixed(2).padStart(7)}`
      + `  ${run.before === null ? '' : `(${run.before.toFixed(2)})`}${check.feasible ? '' : `  INFEASIBLE: ${check.violations[0] ?? ''}`}\n`,
    );
  }
  const mean = (xs: number[]): string => (xs.length === 0 ? '—' : (xs.reduce((s, x) => s + x, 0) / xs.length).toFixed(3));
  process.stdout.write(`average gap ${mean(gaps)} %${befores.length > 0 ? ` (before ${mean(befores)} %)` : ''}; ${itTotal} iterations in ${cpuTotal.toFixed(1)} CPU s\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:speed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
