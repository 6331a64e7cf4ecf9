/**
 * Road matrices from a file the user keeps (MATRIX_PROVIDER=file, MATRIX_FILE=PATH), for operators
 * who already have their own distances and durations (a survey, a commercial routing engine, the
 * county's own records). Format (docs/matrix-file.md):
 *
 * - CSV: header `from,to,distance_m[,duration_s]`, one row per ordered pair of location ids
 *   (station codes, hub ids). Whole metres and seconds ≥ 0; an empty distance means no road.
 * - JSON: `{ "ids": [...], "distances": [[...]], "durations": [[...]] }` — the OSRM table answer
 *   with the ids in the order of its rows; `null` means no road; `durations` optional.
 *
 * The file is read and validated once; every error names the file, the row (or ids[i][j]) and the
 * field. A matrix asked for a location the file lacks fails naming the missing pair, rather than
 * inventing a distance. Positions do not matter here: a station that moves keeps the file's
 * distances until the file is replaced.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseCsv } from 'csv-parse/sync';
import { UNREACHABLE, type Coordinate, type RoadMatrix, type RoadMatrixSource } from './matrix.ts';

export class MatrixFileError extends Error {
  readonly userFacing = true;
  constructor(message: string) {
    super(message);
    this.name = 'MatrixFileError';
  }
}

/** Pairs by `from\u0000to`: distance (m) and, when the file has them, duration (s). */
export interface MatrixFileData {
  readonly file: string;
  readonly pairs: ReadonlyMap<string, { readonly distance: number; readonly duration?: number }>;
  readonly hasDurations: boolean;
}

const pairKey = (from: string, to: string) => `${from}\u0000${to}`;

function wholeNumber(raw: unknown, where: string, field: string, unit: string): number | null {
  if (raw === null || raw === '') return null;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isFinite(n) || n < 0 || n >= UNREACHABLE) {
    throw new MatrixFileError(`${where}: ${field}: expected ${unit} ≥ 0 (or empty/null for no road), got ${JSON.stringify(raw)}`);
  }
  return Math.round(n);
}

/** Parses a matrix file's text; `file` names it in errors. */
export function parseMatrixFile(file: string, text: string): MatrixFileData {
  return /^\s*[[{]/.test(text) ? parseJson(file, text) : parseCsvText(file, text);
}

function parseCsvText(file: string, text: string): MatrixFileData {
  let rows: string[][];
  try {
    rows = parseCsv(text, { bom: true, skip_empty_lines: true, trim: true, relax_column_count: false }) as string[][];
  } catch (err) {
    throw new MatrixFileError(`${file}: not valid CSV: ${(err as Error).message}`);
  }
  const header = rows[0]?.map((h) => h.toLowerCase());
  if (!header) throw new MatrixFileError(`${file}: empty file (expected a header from,to,distance_m[,duration_s])`);
  for (const need of ['from', 'to', 'distance_m']) {
    if (!header.includes(need)) throw new MatrixFileError(`${file}:1: missing column ${need} (expected from,to,distance_m[,duration_s])`);
  }
  const unknown = header.find((h) => !['from', 'to', 'distance_m', 'duration_s'].includes(h));
  if (unknown !== undefined) throw new MatrixFileError(`${file}:1: unknown column ${unknown} (expected from,to,distance_m[,duration_s])`);
  const col = (name: string) => header.indexOf(name);
  const hasDurations = header.includes('duration_s');
  const pairs = new Map<string, { distance: number; duration?: number }>();
  for (let r = 1; r < rows.length; r++) {
    const row = rows[r]!;
    const where = `${file}:${r + 1}`;
    const from = row[col('from')] ?? '';
    const to = row[col('to')] ?? '';
    if (from === '') throw new MatrixFileError(`${where}: from: required (a station code or hub id)`);
    if (to === '') throw new MatrixFileError(`${where}: to: required (a station code or hub id)`);
    const key = pairKey(from, to);
    if (pairs.has(key)) throw new MatrixFileError(`${where}: from,to: the pair ${from} → ${to} appears twice`);
    const distance = wholeNumber(row[col('distance_m')], where, 'distance_m', 'whole metres');
    const duration = hasDurations ? wholeNumber(row[col('duration_s')], where, 'duration_s', 'whole seconds') : undefined;
    if (distance === null) {
      pairs.set(key, { distance: UNREACHABLE, ...(hasDurations ? { duration: UNREACHABLE } : {}) });
      continue;
    }
    if (hasDurations && duration === null) throw new MatrixFileError(`${where}: duration_s: required when distance_m is given`);
    pairs.set(key, duration == null ? { distance } : { distance, duration });
  }
  return { file, pairs, hasDurations };
}

function parseJson(file: string, text: string): MatrixFileData {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new MatrixFileError(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new MatrixFileError(`${file}: expected an object { "ids": [...], "distances": [[...]], "durations": [[...]] }`);
  const { ids, distances, durations } = body as Record<string, unknown>;
  if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id === '')) throw new MatrixFileError(`${file}: ids: expected an array of location ids (station codes, hub ids)`);
  const n = ids.length;
  if (new Set(ids).size !== n) throw new MatrixFileError(`${file}: ids: ${String(ids.find((id, i) => ids.indexOf(id) !== i))} appears twice`);
  const square = (value: unknown, field: string): unknown[][] => {
    if (!Array.isArray(value) || value.length !== n) throw new MatrixFileError(`${file}: ${field}: expected ${n} rows (one per id), got ${Array.isArray(value) ? value.length : typeof value}`);
    value.forEach((row, i) => {
      if (!Array.isArray(row) || row.length !== n) throw new MatrixFileError(`${file}: ${field}[${i}]: expected ${n} values (one per id), got ${Array.isArray(row) ? row.length : typeof row}`);
    });
    return value as unknown[][];
  };
  const dist = square(distances, 'distances');
  const dur = durations === undefined ? undefined : square(durations, 'durations');
  const pairs = new Map<string, { distance: number; duration?: number }>();
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const d = wholeNumber(dist[i]![j], file, `distances[${i}][${j}] (${ids[i] as string} → ${ids[j] as string})`, 'whole metres');
      const t = dur ? wholeNumber(dur[i]![j], file, `durations[${i}][${j}] (${ids[i] as string} → ${ids[j] as string})`, 'whole seconds') : undefined;
      if (dur && (d === null) !== (t === null)) throw new MatrixFileError(`${file}: distances[${i}][${j}] and durations[${i}][${j}]: both null (no road) or both numbers`);
      const distance = d ?? UNREACHABLE;
      pairs.set(pairKey(ids[i] as string, ids[j] as string), dur ? { distance, duration: t ?? UNREACHABLE } : { distance });
    }
  }
  return { file, pairs, hasDurations: dur !== undefined };
}

/** A matrix over `points` (each must carry its `id`) from the file's pairs. */
export function matrixFromFile(data: MatrixFileData, points: readonly Coordinate[]): RoadMatrix {
  const n = points.length;
  const distance = new Int32Array(n * n);
  const duration = data.hasDurations ? new Int32Array(n * n) : undefined;
  const ids = points.map((p, i) => {
    if (p.id === undefined) throw new MatrixFileError(`${data.file}: point ${i} (${p.lat},${p.lon}) has no location id; a matrix file is keyed by station codes and hub ids`);
    return p.id;
  });
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (i === j) continue;
      const pair = data.pairs.get(pairKey(ids[i]!, ids[j]!));
      if (!pair) throw new MatrixFileError(`${data.file}: no row from ${ids[i]!} to ${ids[j]!} (every ordered pair of the network's locations is needed)`);
      distance[i * n + j] = pair.distance;
      if (duration) duration[i * n + j] = pair.duration ?? 0;
    }
  }
  return duration ? { size: n, distance, duration } : { size: n, distance };
}

/** Reads and validates the file now (start-up fails on a bad file), then serves matrices from it. */
export async function matrixFileSource(path: string): Promise<RoadMatrixSource> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new MatrixFileError(`MATRIX_FILE ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const data = parseMatrixFile(path, text);
  return (points) => Promise.resolve(matrixFromFile(data, points));
}
