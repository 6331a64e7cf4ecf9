/**
 * CSV import: one parcel per row, header row required, columns as in `CSV_COLUMNS`. Each row is
 * turned into the JSON shape and validated by the same `CreateParcel` schema, so the rules are
 * identical; errors carry the CSV line number (line 1 is the header).
 */
import { parse as parseStream } from 'csv-parse';
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

export interface CsvLimits {
  /** Bytes of the body (after any BOM). */
  readonly maxBytes: number;
  /** Data rows; blank lines count too (2 million of them must not be scanned to the end). */
  readonly maxRows: number;
}

export const DEFAULT_CSV_LIMITS: CsvLimits = { maxBytes: 8 * 1024 * 1024, maxRows: MAX_CSV_ROWS };

const PARSE_OPTIONS = { bom: true, trim: true, skip_empty_lines: true, relax_column_count: false } as const;

/**
 * Turns CSV records (arrays of cells, the header first), one at a time, into validated parcels.
 * Nothing but the accepted parcels and the first 200 error details is kept, and the row limit is
 * enforced as the rows arrive: an import over the limit is refused at its first extra row.
 */
const MAX_ERROR_DETAILS = 200;

class CsvParcelSink {
  readonly parcels: CreateParcel[] = [];
  readonly lines: number[] = [];
  readonly #errors: ErrorDetail[] = [];
  #errorCount = 0;
  #header: string[] | undefined;
  readonly #maxRows: number;

  constructor(maxRows: number) {
    this.#maxRows = maxRows;
  }

  /** csv-parse's on_record (info.records counts the header and this row): returns null so the parser keeps nothing. Throws AppErrors. */
  readonly onRecord = (cells: string[], info: { lines: number; records: number; empty_lines: number }): null => {
    if (info.records - 1 + info.empty_lines > this.#maxRows) {
      throw new AppError('payload_too_large', `CSV has more than ${this.#maxRows} rows; at most ${this.#maxRows} per import (split the file)`);
    }
    if (this.#header === undefined) {
      this.#header = checkHeader(cells);
      return null;
    }
    const cleaned: Record<string, string | undefined> = {};
    this.#header.forEach((column, i) => {
      const v = cells[i]!;
      const unsafe = unsafeTextReason(v);
      if (unsafe !== undefined) this.#error({ path: `line ${info.lines}.${column}`, message: unsafe, line: info.lines });
      cleaned[column] = v === '' ? undefined : v;
    });
    const result = CreateParcel.safeParse(csvRecordToParcelInput(cleaned));
    if (result.success) {
      this.parcels.push(result.data);
      this.lines.push(info.lines);
    } else {
      for (const d of issuesOf(result.error)) this.#error({ path: `line ${info.lines}.${d.path}`, message: d.message, line: info.lines });
    }
    return null;
  };

  #error(d: ErrorDetail): void {
    this.#errorCount++;
    this.#errors.push(d);
    // The answer is a 400 whatever follows, and lists 200 details at most: stop reading here
    // rather than validate the rest of a file that may be all garbage.
    if (this.#errors.length >= MAX_ERROR_DETAILS) {
      throw new AppError('invalid_data', `CSV has at least ${MAX_ERROR_DETAILS} errors (stopped reading at line ${d.line ?? '?'}): ${this.#summary()}`, this.#errors);
    }
  }

  #summary(): string {
    return this.#errors
      .slice(0, 3)
      .map((e) => `${e.path}: ${e.message}`)
      .join('; ');
  }

  result(): ParsedCsv {
    if (this.#header === undefined || (this.parcels.length === 0 && this.#errorCount === 0)) {
      throw new AppError('invalid_data', 'CSV has no data rows (a header row and at least one parcel are required)');
    }
    if (this.#errorCount > 0) throw new AppError('invalid_data', `CSV has ${this.#errorCount} error(s): ${this.#summary()}`, this.#errors);
    return { parcels: this.parcels, lines: this.lines };
  }
}

/** The header's column names, or the 400 naming what is wrong with it. */
function checkHeader(cells: readonly string[]): string[] {
  const header = cells.map((h) => h.trim());
  // Two columns of one name: one of the two values would be silently dropped.
  const duplicates = [...new Set(header.filter((h, i) => header.indexOf(h) !== i))];
  if (duplicates.length > 0) {
    throw new AppError(
      'invalid_data',
      `CSV header: column ${duplicates.map((h) => `"${echo(h)}"`).join(', ')} appears more than once`,
      duplicates.slice(0, 20).map((h) => ({ path: `line 1.${echo(h)}`, message: 'duplicate column', line: 1 })),
    );
  }
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
  return header;
}

/** csv-parse's own errors (bad quoting, a row of the wrong length) as a 400 with the line. */
function parseFailure(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { message?: string; lines?: number };
  const line = typeof e.lines === 'number' ? e.lines : undefined;
  const message = echo(e.message ?? String(err), 300);
  return new AppError('invalid_data', `CSV could not be parsed: ${message}`, [{ path: line === undefined ? '' : `line ${line}`, message, ...(line === undefined ? {} : { line }) }]);
}

/** A whole CSV text (tests, small inputs): the same rules as `readParcelCsv`. */
export function parseParcelCsv(text: string, maxRows = MAX_CSV_ROWS): ParsedCsv {
  const sink = new CsvParcelSink(maxRows);
  try {
    parse(text, { ...PARSE_OPTIONS, on_record: sink.onRecord as unknown as (r: unknown) => null });
  } catch (err) {
    throw parseFailure(err);
  }
  return sink.result();
}

/**
 * A CSV body as it arrives: each chunk is checked as UTF-8, parsed and validated at once, and
 * the event loop gets a turn between chunks (an upload that is already buffered would otherwise
 * be parsed in one go). Stops reading at the byte or row limit (413) or at the first
 * unparseable line (400), so a flood costs what the limit allows, not what the client sends.
 */
/** Characters parsed (and rows validated) between two turns of the event loop: ~100 rows. */
const SLICE_CHARS = 8 * 1024;

export async function readParcelCsv(body: AsyncIterable<Buffer>, limits: CsvLimits = DEFAULT_CSV_LIMITS): Promise<ParsedCsv> {
  const sink = new CsvParcelSink(limits.maxRows);
  const parser = parseStream({ ...PARSE_OPTIONS, on_record: sink.onRecord as unknown as (r: unknown) => null });
  let failed: unknown;
  parser.on('error', (err) => (failed ??= err));
  parser.resume(); // records are consumed by on_record; nothing is pushed
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let bytes = 0;
  /** Parses `text` a slice at a time, with a turn of the event loop after each. */
  const feed = async (text: string): Promise<void> => {
    for (let at = 0; at < text.length; at += SLICE_CHARS) {
      parser.write(text.slice(at, at + SLICE_CHARS));
      await new Promise((resolve) => setImmediate(resolve));
      if (failed !== undefined) throw parseFailure(failed);
    }
  };
  for await (const chunk of body) {
    bytes += chunk.length;
    if (bytes > limits.maxBytes) throw new AppError('payload_too_large', `CSV body larger than ${limits.maxBytes} bytes`);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw new AppError('invalid_data', 'CSV body is not valid UTF-8', [{ path: '', message: 'invalid UTF-8 byte sequence' }]);
    }
    await feed(text);
  }
  let rest: string;
  try {
    rest = decoder.decode();
  } catch {
    throw new AppError('invalid_data', 'CSV body is not valid UTF-8', [{ path: '', message: 'invalid UTF-8 byte sequence' }]);
  }
  await feed(rest);
  await new Promise<void>((resolve) => {
    parser.once('error', () => resolve());
    parser.once('end', () => resolve());
    parser.end();
  });
  if (failed !== undefined) throw parseFailure(failed);
  return sink.result();
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
