/**
 * Routing-core quality benchmark: solves every instance of one benchmark set with a budget of
 * `--time-per-100` seconds per 100 customers, re-checks every solution with the independent
 * checker (src/formats/verify.ts, no solver code), and reports the gap to the best-known
 * solution under the set's own convention.
 *
 *   npm run bench:routing -- SET_DIR [--time-per-100 6 | --time-limit S] [--seed 1] [--threads 1] [--filter REGEX] [--max-n N] [--fleet N]
 *
 * SET_DIR is a set folder of the public benchmark sets (X, solomon/distance_trunc1,
 * solomon/hierarchical_exact, gehring_homberger_200, li_lim_100), given as a path or relative
 * to GONGPEI_BENCHMARKS. The sets are not in the repository (test/fixtures holds a few instances
 * for the tests only). `--threads N` runs N independent searches per instance on N solver threads
 * (the solver host's parallel search), each with the instance's full wall-clock budget, and keeps
 * the best. Results go to bench/results/routing-<set>-t<budget>-s<seed>-th<threads>-<date>.{json,csv}.
 * Exits 1 when any solution fails the checker (including customers left unserved), 2 on a
 * missing set or bad arguments.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { loadConfig } from '../src/config.ts';
import { listBenchmarkSet, type SetEntry } from '../src/formats/benchmark-set.ts';
import { loadInstance, readInstanceFile } from '../src/formats/index.ts';
import { toFileRoutes } from '../src/formats/solution-routes.ts';
import { checkSolution } from '../src/formats/verify.ts';
import { getConfig } from '../src/config.ts';
import { SolverPool } from '../src/solver-host/solver-pool.ts';

interface BenchOptions {
  timePer100: number;
  timeLimit?: number;
  seed: number;
  filter?: string;
  maxN?: number;
  fleet?: number;
  threads: number;
  out: string;
}

export interface BenchRow {
  instance: string;
  n: number;
  bks: number | null;
  bksVehicles: number | null;
  cost: number;
  gapPercent: number | null;
  vehicles: number;
  budgetSeconds: number;
  seconds: number;
  iterations: number;
  /** The solver's cost of each search (its objective in the file's units), and the one kept. */
  searchCosts: number[];
  bestSearch: number;
  feasible: boolean;
  violations: string[];
  routes: number[][];
}

const HERE = dirname(fileURLToPath(import.meta.url));

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

const PUBLIC_SETS =
  'the public sets are not in the repository: X and Solomon come from CVRPLIB (http://vrp.galgos.inf.puc-rio.br/), Gehring & Homberger and Li & Lim from SINTEF (https://www.sintef.no/projectweb/top/); pass a set folder, or set GONGPEI_BENCHMARKS to the folder that holds them';

/** The set folder: the argument as a path, else relative to GONGPEI_BENCHMARKS; one line when neither exists. */
function resolveSetDir(dir: string, benchmarks: string | undefined): string {
  if (existsSync(dir)) return resolve(dir);
  const inBenchmarks = benchmarks === undefined ? undefined : join(benchmarks, dir);
  if (inBenchmarks !== undefined && existsSync(inBenchmarks)) return resolve(inBenchmarks);
  const where = benchmarks === undefined ? 'GONGPEI_BENCHMARKS is not set' : `nor in GONGPEI_BENCHMARKS=${benchmarks}`;
  throw new Error(`no benchmark set "${dir}" (not a folder; ${where}); ${PUBLIC_SETS}`);
}

/**
 * The folder set names are relative to: GONGPEI_BENCHMARKS when the set is inside it, else the
 * parent of the folder holding the set's BKS table (so solomon/distance_trunc1, whose table is
 * in solomon/, keeps its two-part name however it was given).
 */
function namesRoot(setDir: string, bksFile: string | undefined, benchmarks: string | undefined): string {
  if (benchmarks !== undefined) {
    const inside = relative(resolve(benchmarks), setDir);
    if (!inside.startsWith('..') && !isAbsolute(inside)) return resolve(benchmarks);
  }
  return dirname(bksFile === undefined ? setDir : dirname(bksFile));
}

const mean = (xs: readonly number[]): number => (xs.length === 0 ? Number.NaN : xs.reduce((s, x) => s + x, 0) / xs.length);
const pct = (x: number): string => (Number.isNaN(x) ? '—' : `${(Math.abs(x) < 0.005 ? 0 : x).toFixed(2)} %`);

async function main(): Promise<void> {
  const program = new Command('bench:routing')
    .argument('<set-dir>', 'benchmark set directory (e.g. X, solomon/distance_trunc1)')
    .option('--time-per-100 <seconds>', 'budget per 100 customers', positive, 6)
    .option('--time-limit <seconds>', 'flat budget per instance instead (e.g. the "1 s on n <= 200" target)', positive)
    .option('--seed <n>', 'solver seed', integer, 1)
    .option('--filter <regex>', 'only instances whose name matches')
    .option('--max-n <n>', 'only instances with at most n customers', integer)
    .option('--fleet <n>', "override every instance's fleet size (solver and checker)", (v: string) => {
      const n = integer(v);
      if (n === 0) throw new InvalidArgumentError('expected a positive integer');
      return n;
    })
    .option('--threads <n>', 'independent searches per instance on that many solver threads, the best kept (each gets the full budget)', (v: string) => {
      const n = integer(v);
      if (n === 0) throw new InvalidArgumentError('expected a positive integer');
      return n;
    }, 1)
    .option('--out <dir>', 'results directory', join(HERE, 'results'))
    .parse();
  const benchmarks = loadConfig().GONGPEI_BENCHMARKS;
  const setDir = resolveSetDir(program.args[0]!, benchmarks);
  const options = program.opts<BenchOptions>();
  const set = listBenchmarkSet(setDir);
  const root = namesRoot(setDir, set.bksFile, benchmarks);
  const filter = options.filter === undefined ? undefined : new RegExp(options.filter);

  // Customer counts come from the files (Li & Lim "100" instances have up to 106 nodes).
  const selected: { entry: SetEntry; n: number }[] = [];
  for (const entry of set.entries) {
    if (filter && !filter.test(entry.name)) continue;
    const n = (await readInstanceFile(entry.instancePath)).nodes.length - 1;
    if (options.maxN !== undefined && n > options.maxN) continue;
    selected.push({ entry, n });
  }
  if (selected.length === 0) throw new Error('no instance matches');

  const setName = relative(root, setDir);
  const budgetOf = (n: number): number => options.timeLimit ?? (options.timePer100 * n) / 100;
  const budgetText = options.timeLimit === undefined ? `${options.timePer100} s per 100 customers` : `${options.timeLimit} s per instance`;
  const totalBudget = selected.reduce((s, x) => s + budgetOf(x.n), 0);
  process.stderr.write(
    `${setName}: ${selected.length} instances, ${budgetText} (≈ ${Math.ceil(totalBudget)} s of solving), seed ${options.seed}, ${options.threads} thread(s), BKS from ${set.bksFile ?? 'nowhere'}\n`,
  );
  const bar = new cliProgress.SingleBar(
    { format: ' {bar} {value}/{total} instances | {instance} | best {best} | elapsed {duration_formatted}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(selected.length, 0, { instance: '', best: '—' });

  const loadAtStart = loadavg();
  const rows: BenchRow[] = [];
  for (const { entry, n } of selected) {
    const loaded = await loadInstance(entry.instancePath, options.fleet === undefined ? {} : { fleet: options.fleet });
    const budgetSeconds = budgetOf(n);
    bar.update({ instance: entry.name, best: '—' });
    // A pool per instance: each instance starts on fresh threads (fresh heap and JIT state), so
    // one instance's figures do not depend on the instances run before it.
    const pool = new SolverPool({ size: options.threads, debug: getConfig().SOLVER_DEBUG });
    const { solution, solveMs, searches, bestSearch } = await pool
      .run(loaded.problem, {
        seed: options.seed,
        threads: options.threads,
        timeLimitMs: budgetSeconds * 1000,
        onProgress: (p) => bar.update({ best: `${Math.round(p.bestCost) / loaded.scale}${p.feasible ? '' : ' (infeasible)'}` }),
      })
      .finally(() => pool.close());
    const { routes } = toFileRoutes(loaded, solution);
    const check = checkSolution(loaded.instance, routes, options.fleet === undefined ? {} : { fleetSize: options.fleet });
    const bks = entry.bks?.bks ?? null;
    rows.push({
      instance: entry.name,
      n,
      bks,
      bksVehicles: entry.bks?.vehicles ?? null,
      cost: check.cost,
      gapPercent: bks === null ? null : (100 * (check.cost - bks)) / bks,
      vehicles: check.vehicles,
      budgetSeconds,
      seconds: solveMs / 1000,
      iterations: solution.iterations,
      searchCosts: searches.map((x) => x.cost / loaded.scale),
      bestSearch,
      feasible: check.feasible,
      violations: [...check.violations],
      routes,
    });
    bar.increment();
  }
  bar.stop();

  const first = await readInstanceFile(selected[0]!.entry.instancePath);
  const hierarchical = first.objective === 'vehicles-then-distance';
  const decimals = { round: 0, trunc1: 1, exact: 2, explicit: 0 }[first.convention];
  const num = (x: number): string => x.toFixed(decimals);
  const header = ['instance', 'n', 'BKS', 'cost', 'gap %', hierarchical ? 'veh (BKS)' : 'veh', 'seconds', 'feasible'];
  const table = rows.map((r) => [
    r.instance,
    String(r.n),
    r.bks === null ? '—' : num(r.bks),
    num(r.cost),
    // Below the table's precision, a gap of -0.00001 % (4-decimal BKS) prints as 0.00, not -0.00.
    r.gapPercent === null ? '—' : (Math.abs(r.gapPercent) < 0.005 ? 0 : r.gapPercent).toFixed(2),
    hierarchical ? `${r.vehicles} (${r.bksVehicles ?? '?'})` : String(r.vehicles),
    r.seconds.toFixed(1),
    r.feasible ? 'yes' : `NO: ${r.violations[0] ?? ''}`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const out: string[] = [line(header), line(widths.map((w) => '-'.repeat(w))), ...table.map(line)];

  const gaps = rows.filter((r) => r.gapPercent !== null).map((r) => r.gapPercent!);
  const smallGaps = rows.filter((r) => r.gapPercent !== null && r.n <= 400).map((r) => r.gapPercent!);
  const feasible = rows.filter((r) => r.feasible).length;
  const totalSeconds = rows.reduce((s, r) => s + r.seconds, 0);
  const summary: Record<string, number> = {
    instances: rows.length,
    feasible,
    averageGapPercent: mean(gaps),
    averageGapPercentNUpTo400: mean(smallGaps),
    totalSeconds,
  };
  let text = `average gap ${pct(mean(gaps))} over ${gaps.length} instances`;
  if (smallGaps.length !== gaps.length && smallGaps.length > 0) text += ` (n ≤ 400: ${pct(mean(smallGaps))} over ${smallGaps.length})`;
  text += `; feasible ${feasible}/${rows.length}`;
  if (hierarchical) {
    const withBks = rows.filter((r) => r.bksVehicles !== null);
    const vehicles = withBks.reduce((s, r) => s + r.vehicles, 0);
    const bksVehicles = withBks.reduce((s, r) => s + r.bksVehicles!, 0);
    const sameFleet = withBks.filter((r) => r.vehicles === r.bksVehicles);
    summary.vehicles = vehicles;
    summary.bksVehicles = bksVehicles;
    summary.averageGapPercentSameFleet = mean(sameFleet.map((r) => r.gapPercent!));
    text += `; vehicles ${vehicles} vs BKS ${bksVehicles} (BKS fleet reached on ${sameFleet.length}/${withBks.length}, gap on those ${pct(mean(sameFleet.map((r) => r.gapPercent!)))})`;
  }
  text += `; ${totalSeconds.toFixed(0)} s solving, ${budgetText}, seed ${options.seed}, ${options.threads} thread(s), load ${loadAtStart[0]!.toFixed(1)} → ${loadavg()[0]!.toFixed(1)}`;
  summary.threads = options.threads;
  if (options.threads > 1) {
    // What the other searches added over search 0 (the search a 1-thread run makes, seed
    // unchanged), in the solver's own objective (with a fleet cost in it on hierarchical sets).
    const gains = rows.map((r) => (100 * (r.searchCosts[0]! - r.searchCosts[r.bestSearch]!)) / r.searchCosts[0]!);
    summary.averageGainOverSearch0Percent = mean(gains);
    summary.bestNotSearch0 = rows.filter((r) => r.bestSearch !== 0).length;
    text += `; another search beat search 0 on ${summary.bestNotSearch0}/${rows.length} (solver cost −${pct(mean(gains))} on average)`;
  }
  out.push('', text);
  process.stdout.write(`${out.join('\n')}\n`);

  mkdirSync(options.out, { recursive: true });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  const budgetTag = options.timeLimit === undefined ? `t${options.timePer100}` : `flat${options.timeLimit}`;
  const base = join(options.out, `routing-${setName.replace(/[^\w.-]+/g, '_')}-${budgetTag}-s${options.seed}-th${options.threads}-${stamp}${options.fleet === undefined ? '' : `-fleet${options.fleet}`}${options.filter || options.maxN !== undefined ? '-partial' : ''}`);
  const meta = {
    set: setName,
    bksFile: set.bksFile ? relative(root, set.bksFile) : null,
    timePer100: options.timeLimit === undefined ? options.timePer100 : null,
    timeLimit: options.timeLimit ?? null,
    seed: options.seed,
    threads: options.threads,
    // The machine's 1/5/15-minute load when the run started and when it ended.
    loadAverage: { start: loadAtStart, end: loadavg() },
    filter: options.filter ?? null,
    maxN: options.maxN ?? null,
    fleet: options.fleet ?? null,
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cpuCount: cpus().length,
    note: 'seconds = time inside solve() on its worker thread; machine shared with other jobs, so timings are pessimistic',
  };
  writeFileSync(`${base}.json`, `${JSON.stringify({ ...meta, summary, rows }, null, 1)}\n`);
  const csvRows = rows.map((r) =>
    [r.instance, r.n, r.bks ?? '', r.bksVehicles ?? '', r.cost, r.gapPercent ?? '', r.vehicles, r.budgetSeconds, r.seconds.toFixed(3), r.iterations, r.feasible].join(','),
  );
  writeFileSync(`${base}.csv`, `instance,n,bks,bks_vehicles,cost,gap_percent,vehicles,budget_seconds,seconds,iterations,feasible\n${csvRows.join('\n')}\n`);
  process.stderr.write(`results: ${relative(process.cwd(), base)}.{json,csv}\n`);

  if (feasible < rows.length) {
    process.stderr.write(`${rows.length - feasible} solution(s) failed the independent checker\n`);
    process.exitCode = 1;
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:routing: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
