/**
 * `gongpei solve FILE`: solve one benchmark instance (VRPLIB, LKH-3 CVRPTW, Solomon or Li & Lim,
 * detected from the content) on a solver thread (a SolverPool of one), re-check the routes with the independent
 * checker, and print them with node ids exactly as numbered in the file.
 *
 * A JSON file is a problem in VROOM's input format (src/vroom): the answer is printed in VROOM's
 * output format, re-checked by src/vroom/check.ts. A problem gongpei cannot model exactly stops
 * with one line naming the field and exit code 65 (EX_DATAERR).
 */
import { readFile } from 'node:fs/promises';
import { InvalidArgumentError, type Command } from 'commander';

interface SolveCommandOptions {
  timeLimit?: number;
  seed: number;
  maxIterations?: number;
  fleet?: number;
  threads?: number;
  json?: boolean;
}

/** Default budget: the benchmark protocol's 6 s per 100 customers, at least 1 s. */
export function defaultTimeLimitSeconds(customers: number): number {
  return Math.max(1, (6 * customers) / 100);
}

function positiveNumber(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function nonNegativeInteger(value: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

export function register(program: Command): void {
  program
    .command('solve')
    .description('solve a benchmark instance (.vrp, .vrptw, Solomon or Li & Lim .txt) or a VROOM-format JSON problem (answered in VROOM’s format); format detected from the content')
    .argument('<file>', 'instance file')
    .option('--time-limit <seconds>', 'wall-clock budget (default: 6 s per 100 customers, at least 1 s)', positiveNumber)
    .option('--seed <n>', 'solver seed', nonNegativeInteger, 1)
    .option('--max-iterations <n>', 'iteration budget (deterministic stop; with the seed, reproducible)', nonNegativeInteger)
    .option('--fleet <n>', "override the instance's fleet size (default: the file's; X: unlimited)", positiveInteger)
    .option('--threads <n>', 'independent searches on that many solver threads, the best one kept (default 1; a JSON problem: its own `threads`); with --max-iterations the same seed and thread count give the same answer', positiveInteger)
    .option('--json', 'print exactly one JSON object on stdout')
    .action(async (file: string, options: SolveCommandOptions) => {
      const text = await readFile(file, 'utf8').catch(() => undefined);
      if (text !== undefined && text.trimStart().startsWith('{')) {
        await solveVroomFile(text, options);
        return;
      }
      const [{ getConfig }, { loadInstance }, { SolverPool }, { toFileRoutes }, { checkSolution }] = await Promise.all([
        import('../../config.ts'),
        import('../../formats/index.ts'),
        import('../../solver-host/solver-pool.ts'),
        import('../../formats/solution-routes.ts'),
        import('../../formats/verify.ts'),
      ]);
      const loaded = await loadInstance(file, options.fleet === undefined ? {} : { fleet: options.fleet });
      const customers = loaded.instance.nodes.length - 1;
      const timeLimitSeconds = options.timeLimit ?? (options.maxIterations === undefined ? defaultTimeLimitSeconds(customers) : undefined);
      const showProgress = !options.json && process.stderr.isTTY;

      const started = performance.now();
      const threads = options.threads ?? 1;
      const pool = new SolverPool({ size: threads, debug: getConfig().SOLVER_DEBUG });
      const { solution } = await pool.run(loaded.problem, {
        seed: options.seed,
        threads,
        ...(timeLimitSeconds === undefined ? {} : { timeLimitMs: timeLimitSeconds * 1000 }),
        ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
        ...(showProgress
          ? {
              onProgress: (p) => {
                const seconds = ((performance.now() - started) / 1000).toFixed(1);
                process.stderr.write(`\r${seconds} s  iteration ${p.iteration}  best ${p.bestCost}${p.feasible ? '' : ' (infeasible)'}   `);
              },
            }
          : {}),
      }).finally(() => void pool.close());
      const runtimeMs = Math.round(performance.now() - started);
      if (showProgress) process.stderr.write('\n');

      const { routes, unassigned } = toFileRoutes(loaded, solution);
      const check = checkSolution(loaded.instance, routes, options.fleet === undefined ? {} : { fleetSize: options.fleet });
      // Customers the solver reported unassigned show up as "not served"; anything else is a
      // wrong solution, which must not pass silently.
      const wrong = check.violations.filter((v) => !/not served/.test(v));

      if (options.json) {
        process.stdout.write(`${JSON.stringify({ instance: loaded.name, cost: check.cost, routes, unassigned, runtimeMs, seed: options.seed, threads })}\n`);
      } else {
        const lines = [
          `instance   ${loaded.name} (${loaded.format}, ${customers} customers, ${describeConvention(loaded.instance.convention)})`,
          `cost       ${formatCost(check.cost)}${loaded.objective === 'vehicles-then-distance' ? ' (distance; objective: fewest vehicles, then distance)' : ''}`,
          `vehicles   ${check.vehicles}${loaded.problem.vehicles.length === 0 ? '' : ` of ${options.fleet ?? loaded.fleetSize ?? `${loaded.problem.vehicles.length} (unlimited fleet)`}`}`,
          `unassigned ${unassigned.length === 0 ? 'none' : unassigned.join(' ')}`,
          `checker    ${check.feasible ? 'feasible' : `${check.violations.length} violation(s): ${check.violations.slice(0, 5).join('; ')}`}`,
          `runtime    ${(runtimeMs / 1000).toFixed(2)} s, ${solution.iterations} iterations, seed ${options.seed}${threads > 1 ? `, best of ${threads} threads` : ''}`,
          ...routes.map((r, i) => `Route #${i + 1}: ${r.join(' ')}`),
        ];
        process.stdout.write(`${lines.join('\n')}\n`);
      }
      if (wrong.length > 0) {
        process.stderr.write(`gongpei: the solution fails the independent check: ${wrong.slice(0, 5).join('; ')}\n`);
        process.exitCode = 3;
      }
    });
}

/** EX_DATAERR (sysexits.h): the input file is not a problem we can solve as written. */
const EX_DATAERR = 65;

async function solveVroomFile(text: string, options: SolveCommandOptions): Promise<void> {
  const [{ getConfig }, { SolverPool }, { solveVroom, countTasks }, { isAppError }, { osrmSource }, { MAX_SEARCH_THREADS }] = await Promise.all([
    import('../../config.ts'),
    import('../../solver-host/solver-pool.ts'),
    import('../../vroom/solve.ts'),
    import('../../errors.ts'),
    import('../../geo/osrm.ts'),
    import('../../vroom/vroom.schemas.ts'),
  ]);
  const config = getConfig();
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    process.stderr.write(`gongpei: not valid JSON: ${(err as Error).message}\n`);
    process.exitCode = EX_DATAERR;
    return;
  }
  const tasks = countTasks(raw);
  const timeLimitSeconds = options.timeLimit ?? (options.maxIterations === undefined ? defaultTimeLimitSeconds(tasks) : undefined);
  // A pool starts its threads on demand: this one starts as many as the searches asked for
  // (--threads, else the problem's own `threads`, which the schema bounds).
  const pool = new SolverPool({ size: options.threads ?? MAX_SEARCH_THREADS, debug: config.SOLVER_DEBUG });
  try {
    const { answer, check } = await solveVroom(raw, pool, {
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      // Coordinates without matrices: routed on the configured OSRM, as VROOM asks its engine.
      ...(config.OSRM_URL ? { roadMatrix: osrmSource({ baseUrl: config.OSRM_URL }) } : {}),
      seed: options.seed,
      ...(options.maxIterations === undefined ? {} : { maxIterations: options.maxIterations }),
      ...(timeLimitSeconds === undefined ? {} : { timeLimitMs: timeLimitSeconds * 1000 }),
    });
    process.stdout.write(`${JSON.stringify(answer)}\n`);
    if (!check.feasible) {
      process.stderr.write(`gongpei: the solution fails the independent check: ${check.violations.slice(0, 5).join('; ')}\n`);
      process.exitCode = 3;
    }
  } catch (err) {
    if (!isAppError(err) || err.type !== 'invalid_data') throw err;
    process.stderr.write(`gongpei: ${err.message}\n`);
    process.exitCode = EX_DATAERR;
  } finally {
    await pool.close();
  }
}

/** At most 4 decimals, the precision the double-precision sets publish. */
export function formatCost(cost: number): string {
  return Number.isInteger(cost) ? String(cost) : String(Number(cost.toFixed(4)));
}

function describeConvention(convention: string): string {
  if (convention === 'round') return 'distances rounded per edge';
  if (convention === 'trunc1') return 'distances truncated to 0.1 per edge';
  if (convention === 'explicit') return 'distances from the file’s matrix';
  return 'double-precision distances';
}
