/**
 * CSV import: one parcel per row, header row required, columns as in `CSV_COLUMNS`. Each row is
 * turned into the JSON shape and validated by the same `CreateParcel` schema, so the rules are
 * identical; errors carry the CSV line number (line 1 is the header).
 */
import { parse } from 'csv-parse/sync';
import type { ZodError } from 'zod';
import { AppError } from '../errors.ts';
import type { ErrorDetail } from '../http/http-errors.ts';
import { echo, unsafeTextReason } from '../http/text-safety.ts';
import { CSV_COLUMNS, CreateParcel } from './parcel.schemas.ts';

/** Rows per import; larger files should be split (the body limit also applies). */
export const MAX_CSV_ROWS = 10_000;

export interface ParsedCsv {
  readonly parcels: CreateParcel[];
  /** CSV line number of each parcel (same index). */
  readonly lines: number[];
}

const TRUE = new Set(['true', '1', 'yes', 'y', '是']);
const FALSE = new Set(['false', '0', 'no', 'n', '否']);

/** Plain decimal notation only: `Number()` would also read `0x10` as 16, `0b1`, `1e3`, `Infinity`. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;

function num(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  return DECIMAL.test(v) ? Number(v) : v; // keep the text so the schema reports it as not a number
}

function bool(v: string | undefined): unknown {
  if (v === undefined) return undefined;
  const s = v.toLowerCase();
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  return v;
}

/** One CSV record (column → text, blanks already removed) in the JSON request shape. */
export function csvRecordToParcelInput(r: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
  const destination: Record<string, unknown> = {};
  if (r.stationCode !== undefined) destination.stationCode = r.stationCode;
  if (r.township !== undefined) destination.township = r.township;
  if (r.village !== undefined) destination.village = r.village;
  if (r.lat !== undefined) destination.lat = num(r.lat);
  if (r.lon !== undefined) destination.lon = num(r.lon);
  const anyDim = r.lengthCm !== undefined || r.widthCm !== undefined || r.heightCm !== undefined;
  const out: Record<string, unknown> = {
    waybill: r.waybill,
    destination,
    weightG: num(r.weightG),
    ...(anyDim ? { dimensionsCm: [num(r.lengthCm), num(r.widthCm), num(r.heightCm)] } : {}),
    coldChain: bool(r.coldChain),
    fragile: bool(r.fragile),
    codAmountFen: num(r.codAmountFen),
    recipient: { name: r.recipientName, phone: r.recipientPhone },
    promisedDate: r.promisedDate,
  };
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

export function parseParcelCsv(text: string): ParsedCsv {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let duplicates: string[] = [];
  try {
    records = parse(text, {
      columns: (header: string[]) => {
        const names = header.map((h) => h.trim());
        // Two columns of one name: csv-parse keeps the last value, so a row would silently say
        // something else than its first column.
        duplicates = [...new Set(names.filter((h, i) => names.indexOf(h) !== i))];
        return names;
      },
      bom: true,
      trim: true,
      skip_empty_lines: true,
      info: true,
      relax_column_count: false,
    }) as unknown as typeof records;
  } catch (err) {
    const e = err as { message?: string; lines?: number };
    const line = typeof e.lines === 'number' ? e.lines : undefined;
    const message = echo(e.message ?? String(err), 300);
    throw new AppError('invalid_data', `CSV could not be parsed: ${message}`, [
      { path: line === undefined ? '' : `line ${line}`, message, ...(line === undefined ? {} : { line }) },
    ]);
  }
  if (duplicates.length > 0) {
    throw new AppError(
      'invalid_data',
      `CSV header: column ${duplicates.map((h) => `"${echo(h)}"`).join(', ')} appears more than once`,
      duplicates.slice(0, 20).map((h) => ({ path: `line 1.${echo(h)}`, message: 'duplicate column', line: 1 })),
    );
  }
  if (records.length === 0) throw new AppError('invalid_data', 'CSV has no data rows (a header row and at least one parcel are required)');
  if (records.length > MAX_CSV_ROWS) {
    throw new AppError('payload_too_large', `CSV has ${records.length} rows; at most ${MAX_CSV_ROWS} per import`);
  }
  const header = Object.keys(records[0]!.record);
  const known = new Set<string>(CSV_COLUMNS);
  const unknown = header.filter((h) => !known.has(h));
  const missing = ['waybill', 'weightG', 'recipientName', 'recipientPhone'].filter((h) => !header.includes(h));
  if (unknown.length > 0 || missing.length > 0) {
    const details: ErrorDetail[] = [
      ...unknown.slice(0, 20).map((h) => ({ path: `line 1.${echo(h)}`, message: `unknown column "${echo(h)}"`, line: 1 })),
      ...missing.map((h) => ({ path: `line 1.${h}`, message: `missing column "${h}"`, line: 1 })),
    ];
    throw new AppError('invalid_data', `CSV header: expected columns ${CSV_COLUMNS.join(',')}`, details);
  }

  const parcels: CreateParcel[] = [];
  const lines: number[] = [];
  const errors: ErrorDetail[] = [];
  for (const { record, info } of records) {
    const cleaned: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(record)) {
      const unsafe = unsafeTextReason(v);
      if (unsafe !== undefined) errors.push({ path: `line ${info.lines}.${k}`, message: unsafe, line: info.lines });
      cleaned[k] = v === '' ? undefined : v;
    }
    const result = CreateParcel.safeParse(csvRecordToParcelInput(cleaned));
    if (result.success) {
      parcels.push(result.data);
      lines.push(info.lines);
    } else {
      for (const d of issuesOf(result.error)) errors.push({ path: `line ${info.lines}.${d.path}`, message: d.message, line: info.lines });
    }
  }
  if (errors.length > 0) {
    const first = errors
      .slice(0, 3)
      .map((e) => `${e.path}: ${e.message}`)
      .join('; ');
    throw new AppError('invalid_data', `CSV has ${errors.length} error(s): ${first}`, errors.slice(0, 200));
  }
  return { parcels, lines };
}

/** Maps nested JSON paths back to CSV column names where they differ. */
function issuesOf(err: ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => {
    const p = i.path.map(String);
    let col = p.join('.');
    if (p[0] === 'recipient' && p[1] === 'name') col = 'recipientName';
    else if (p[0] === 'recipient' && p[1] === 'phone') col = 'recipientPhone';
    else if (p[0] === 'recipient') col = 'recipientName';
    else if (p[0] === 'destination') col = p[1] ?? 'stationCode';
    else if (p[0] === 'dimensionsCm') col = ['lengthCm', 'widthCm', 'heightCm'][Number(p[1] ?? 0)] ?? 'lengthCm';
    return { path: col, message: i.message };
  });
}
