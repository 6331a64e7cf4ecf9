/**
 * Lists a benchmark set directory (X, solomon/distance_trunc1, …; the public sets, or the few
 * instances under test/fixtures/benchmarks): its instance files, their best-known values from the
 * right BKS table, and the BKS solution files that go with them.
 *
 * The BKS table is `BKS.csv` in the set directory or its parent; the Solomon
 * `distance_trunc1` instances (detected from their content: truncated distances) are scored
 * against `BKS_distance_only.csv`, the hierarchical ones against `BKS.csv`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { instanceNameFromPath, parseInstance } from './index.ts';
import type { BenchmarkInstance } from './types.ts';

export interface BksRow {
  readonly instance: string;
  readonly bks: number;
  /** Vehicles of the BKS when the table's note states them ("18 vehicles"). */
  readonly vehicles?: number;
  readonly note: string;
}

export interface SetEntry {
  /** Instance name as in the BKS table (file name up to its first dot). */
  readonly name: string;
  readonly instancePath: string;
  readonly bks?: BksRow;
  /** BKS solution files for this instance (`.sol`, `.tour`, `bks_solutions/*`). */
  readonly solutionPaths: readonly string[];
}

export interface BenchmarkSet {
  readonly dir: string;
  readonly bksFile?: string;
  readonly entries: readonly SetEntry[];
}

const INSTANCE_EXT = /\.(vrp|vrptw|txt)$/i;
const SOLUTION_EXT = /\.(sol|tour)$/i;

/** Parses a BKS.csv (instance,n_customers,bks,objective_note,source_repo_path; quoted note). */
export function parseBksCsv(text: string): Map<string, BksRow> {
  const rows = new Map<string, BksRow>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line.trim() === '') continue;
    const fields: string[] = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          field += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else field += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ',') {
        fields.push(field);
        field = '';
      } else field += ch;
    }
    fields.push(field);
    const [instance, , bks, note = ''] = fields;
    const vehicles = /(\d+) vehicles/.exec(note);
    rows.set(instance!.toLowerCase(), { instance: instance!, bks: Number(bks), note, ...(vehicles ? { vehicles: Number(vehicles[1]) } : {}) });
  }
  return rows;
}

export function listBenchmarkSet(dir: string): BenchmarkSet {
  const abs = resolve(dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw Object.assign(new Error(`not a benchmark set directory: ${dir}`), { userFacing: true, exitCode: 2 });
  }
  const files = readdirSync(abs).sort();
  const instanceFiles = files.filter((f) => INSTANCE_EXT.test(f) && statSync(join(abs, f)).isFile());
  const solutionDir = join(abs, 'bks_solutions');
  const bksSolutionFiles = existsSync(solutionDir) ? readdirSync(solutionDir).sort() : [];

  let first: BenchmarkInstance | undefined;
  if (instanceFiles.length > 0) first = parseInstance(readFileSync(join(abs, instanceFiles[0]!), 'utf8'), instanceNameFromPath(instanceFiles[0]!));
  const candidates = first?.convention === 'trunc1' ? ['BKS_distance_only.csv', 'BKS.csv'] : ['BKS.csv'];
  let bksFile: string | undefined;
  for (const name of candidates) {
    for (const d of [abs, dirname(abs)]) {
      if (!bksFile && existsSync(join(d, name))) bksFile = join(d, name);
    }
  }
  const table = bksFile ? parseBksCsv(readFileSync(bksFile, 'utf8')) : new Map<string, BksRow>();

  const key = (f: string): string => instanceNameFromPath(f).toLowerCase();
  const entries = instanceFiles.map((f): SetEntry => {
    const name = instanceNameFromPath(f);
    const bks = table.get(name.toLowerCase());
    return {
      name,
      instancePath: join(abs, f),
      ...(bks ? { bks } : {}),
      solutionPaths: [
        ...files.filter((s) => SOLUTION_EXT.test(s) && key(s) === name.toLowerCase()).map((s) => join(abs, s)),
        ...bksSolutionFiles.filter((s) => key(s) === name.toLowerCase()).map((s) => join(solutionDir, s)),
      ],
    };
  });
  return { dir: abs, ...(bksFile ? { bksFile } : {}), entries };
}
