/**
 * Scenario 5, bad input, against a real API process:
 * - property-based fuzzing (fast-check, fixed seed): valid parcels, batches, CSV imports and
 *   pickups with one thing broken (a field of the wrong type or out of range, a missing or
 *   unknown field, an unresolvable destination, a bad CSV row or header, garbage bodies, wrong
 *   media types, hostile path parameters). Every answer must be 4xx — never 2xx, never 5xx — and
 *   afterwards nothing may be stored.
 * - SQL-looking strings in free-text fields are accepted, stored verbatim and never executed
 *   (the tables and the keys are unchanged).
 * - oversize bodies are rejected with 413, and early: a request announcing a huge body gets its
 *   413 before the client has sent more than a sliver of it.
 */
import { request as httpRequest } from 'node:http';
import fc from 'fast-check';
import type { DialectName } from '../../../src/db/database.ts';
import { CSV_COLUMNS } from '../../../src/parcels/parcel.schemas.ts';
import { createEnv, endRun, pool, request, SHARED_REDIS_URL, sleep, startApi, type ApiProcess, type ScenarioResult } from '../harness.ts';

export const SQL_STRINGS = [
  "Robert'); DROP TABLE parcels;--",
  "' OR '1'='1",
  '"; DELETE FROM parcels; --',
  "1; UPDATE api_keys SET role='admin'",
  "x' UNION SELECT key_hash FROM api_keys --",
  "'); DROP TABLE outbox; SELECT ('",
  '$1; truncate parcel_events',
  "admin'--",
  '\\x27; drop table stations; --',
  "张三'; DROP TABLE couriers; --",
];

interface FuzzRequest {
  readonly kind: string;
  readonly method: string;
  readonly path: string;
  readonly json?: unknown;
  readonly body?: string | Uint8Array;
  readonly contentType?: string;
}

const WAYBILL = /^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/;

function validPickupArb(station: fc.Arbitrary<string>) {
  return fc.record({
    station: station.map((stationCode) => ({ stationCode })),
    weightKg: fc.integer({ min: 1, max: 5000 }),
    volumeM3: fc.constantFrom(0.1, 0.5, 2),
    pieces: fc.integer({ min: 1, max: 100 }),
    coldChain: fc.boolean(),
    readyDate: fc.constant('2026-12-01'),
    shipper: fc.constant({ name: '沁州黄合作社', phone: '13900001234' }),
    description: fc.constant('小米'),
  });
}

function arbitraries(stations: readonly string[]) {
  let serial = 0;
  const waybill = fc.constant(null).map(() => `FZ${(serial++).toString(36).padStart(8, '0')}`);
  const station = fc.constantFrom(...stations);
  const validParcel = fc.record({
    waybill,
    destination: station.map((stationCode) => ({ stationCode })),
    weightG: fc.integer({ min: 1, max: 1_000_000 }),
    dimensionsCm: fc.tuple(fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 1000 })),
    coldChain: fc.boolean(),
    fragile: fc.boolean(),
    codAmountFen: fc.integer({ min: 0, max: 100_000_000 }),
    recipient: fc.record({ name: fc.constantFrom('张三', '李四', 'Wang Wu'), phone: fc.constantFrom('13800001234', '+86 138-0000-1234') }),
    promisedDate: fc.constantFrom('2026-12-01', '2027-01-31'),
  });
  const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.integer(), { maxLength: 2 }), fc.object({ maxDepth: 1 }));
  const notInt = fc.oneof(fc.double({ noInteger: true, noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 5 }), fc.constant(null), fc.boolean(), fc.constant([1]));
  const notBool = fc.oneof(fc.constantFrom('true', 'false', 0, 1, null, 'yes'), fc.string({ maxLength: 3 }));
  const badString = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom(...SQL_STRINGS), fc.constant(''), fc.string({ minLength: 41, maxLength: 80 })).filter((s) => !WAYBILL.test(s));
  const badDestination = fc.oneof(
    fc.constant({}),
    fc.string({ maxLength: 12 }).filter((s) => !/^\d{12}$/.test(s)).map((stationCode) => ({ stationCode })),
    fc.integer().map((stationCode) => ({ stationCode })),
    fc.constant({ stationCode: '999999999999' }), // well-formed, no such station: 422
    fc.constant({ stationCode: stations[0], lat: 36.7, lon: 112.7 }),
    fc.double({ min: 90.0001, max: 1e6, noNaN: true }).map((lat) => ({ lat, lon: 112.7 })),
    fc.constant({ lat: 36.7 }),
    fc.constant({ lat: 39.9, lon: 116.4 }), // Beijing: outside the county, 422
    fc.constant({ township: '沁州黄镇' }),
    fc.constantFrom(...SQL_STRINGS).map((village) => ({ village })), // no such village: 422
    fc.constant({ stationCode: stations[0], extra: 1 }),
    notString,
  );
  const badRecipient = fc.oneof(
    fc.constant({ name: '张三' }),
    fc.constant({ phone: '13800001234' }),
    fc.constant({ name: '', phone: '13800001234' }),
    fc.constant({ name: '   ', phone: '13800001234' }),
    fc.string({ minLength: 65, maxLength: 100 }).filter((s) => s.trim().length > 64).map((name) => ({ name, phone: '13800001234' })),
    fc.string({ maxLength: 25 }).filter((p) => !/^\+?[0-9][0-9 -]{4,19}$/.test(p.trim())).map((phone) => ({ name: '张三', phone })),
    fc.constant({ name: '张三', phone: '13800001234', idCard: '140430199001011234' }),
    notString.filter((v) => v === null || typeof v !== 'object' || Array.isArray(v)),
  );
  /** One field replaced by a value that field must refuse. */
  const mutations: Record<string, fc.Arbitrary<unknown>> = {
    waybill: fc.oneof(badString, notString),
    destination: badDestination,
    weightG: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 1_000_001 }), notInt),
    dimensionsCm: fc.oneof(
      fc.array(fc.integer({ min: 1, max: 10 }), { maxLength: 5 }).filter((a) => a.length !== 3),
      fc.constant([30, -1, 10]),
      fc.constant([30, 0, 10]),
      fc.constant([1001, 1, 1]),
      fc.constant(['30', 20, 10]),
      fc.constant('30x20x10'),
    ),
    coldChain: notBool,
    fragile: notBool,
    codAmountFen: fc.oneof(fc.integer({ max: -1 }), fc.integer({ min: 100_000_001 }), notInt),
    recipient: badRecipient,
    promisedDate: fc.oneof(fc.constantFrom('2026-13-01', '2026-02-30', 'tomorrow', '20261201', '2026-12-01T00:00:00Z', ''), fc.integer(), fc.constantFrom(...SQL_STRINGS)),
  };
  const REQUIRED = ['waybill', 'destination', 'weightG', 'recipient'] as const;
  const badParcel = fc.oneof(
    { weight: 6, arbitrary: fc.tuple(validParcel, fc.constantFrom(...Object.keys(mutations))).chain(([p, field]) => mutations[field]!.map((v) => ({ ...p, [field]: v }))) },
    { weight: 1, arbitrary: fc.tuple(validParcel, fc.constantFrom(...REQUIRED)).map(([p, field]) => Object.fromEntries(Object.entries(p).filter(([k]) => k !== field))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(validParcel, fc.oneof(fc.string({ minLength: 1, maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'courier', 'status', 'id', 'courierCode')), fc.jsonValue({ maxDepth: 1 }))
        .filter(([p, k]) => !Object.hasOwn(p, k))
        .map(([p, k, v]) => {
          const o: Record<string, unknown> = { ...p };
          Object.defineProperty(o, k, { value: v, enumerable: true, configurable: true, writable: true });
          return o;
        }),
    },
  );

  const single = badParcel.map((json): FuzzRequest => ({ kind: 'parcel', method: 'POST', path: '/v1/parcels', json }));
  const batch = fc
    .tuple(fc.array(validParcel, { minLength: 0, maxLength: 5 }), badParcel, fc.array(validParcel, { maxLength: 5 }))
    .map(([a, bad, b]): FuzzRequest => ({ kind: 'batch', method: 'POST', path: '/v1/parcels', json: { parcels: [...a, bad, ...b] } }));
  const badBatchShape = fc
    .oneof(
      fc.constant({ parcels: [] }),
      fc.constant({ parcels: 'all' }),
      fc.constant({ parcels: null }),
      validParcel.map((p) => ({ parcels: [p], dryRun: true })),
      validParcel.map((p) => ({ parcels: [p, { ...p, weightG: p.weightG === 1 ? 2 : p.weightG - 1 }] })), // same waybill twice, different contents: 409
      fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    )
    .map((json): FuzzRequest => ({ kind: 'batch shape', method: 'POST', path: '/v1/parcels', json }));
  const garbage = fc
    .oneof(fc.string({ maxLength: 200 }), fc.constantFrom('{', '{"waybill":', 'null', '[]', '""', '{"parcels":[{]}', '\u0000\u0001', '{"a":1}{"b":2}'))
    .map((body): FuzzRequest => ({ kind: 'garbage JSON', method: 'POST', path: '/v1/parcels', body, contentType: 'application/json' }));
  const wrongType = fc
    .tuple(validParcel, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'text/csv'))
    .map(([p, contentType]): FuzzRequest => ({ kind: 'media type', method: 'POST', path: '/v1/parcels', body: JSON.stringify(p), contentType }));

  const csvCell = (v: unknown): string => {
    const s = v === undefined || v === null ? '' : String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const csvRow = (p: Record<string, unknown>): Record<string, unknown> => {
    const d = (p.destination ?? {}) as Record<string, unknown>;
    const dims = Array.isArray(p.dimensionsCm) ? p.dimensionsCm : [];
    const r = (p.recipient ?? {}) as Record<string, unknown>;
    return {
      waybill: p.waybill,
      stationCode: d.stationCode,
      township: d.township,
      village: d.village,
      lat: d.lat,
      lon: d.lon,
      weightG: p.weightG,
      lengthCm: dims[0],
      widthCm: dims[1],
      heightCm: dims[2],
      coldChain: p.coldChain,
      fragile: p.fragile,
      codAmountFen: p.codAmountFen,
      recipientName: r.name,
      recipientPhone: r.phone,
      promisedDate: p.promisedDate,
    };
  };
  const csvText = (rows: Record<string, unknown>[], header: readonly string[] = CSV_COLUMNS): string =>
    [header.join(','), ...rows.map((row) => header.map((c) => csvCell(row[c])).join(','))].join('\n');
  const csvBadCell = fc.oneof(
    fc.constant({ weightG: 'heavy' }),
    fc.constant({ weightG: '-5' }),
    fc.constant({ weightG: '1.5' }),
    fc.constant({ stationCode: '12345' }),
    fc.constant({ stationCode: '' }),
    fc.constant({ stationCode: '999999999999' }),
    fc.constant({ recipientPhone: 'call me' }),
    fc.constant({ recipientName: '' }),
    fc.constant({ coldChain: 'maybe' }),
    fc.constant({ promisedDate: '2026-02-30' }),
    fc.constant({ waybill: "ZT1'; DROP TABLE parcels;--" }),
    fc.constant({ lengthCm: '-1' }),
    fc.string({ maxLength: 10 }).filter((s) => s.trim() !== '' && !/^\d+$/.test(s.trim())).map((weightG) => ({ weightG })),
  );
  const csvBadRow = fc
    .tuple(fc.array(validParcel, { maxLength: 4 }), validParcel, csvBadCell, fc.array(validParcel, { maxLength: 4 }))
    .map(([a, p, bad, b]): FuzzRequest => ({
      kind: 'CSV row',
      method: 'POST',
      path: '/v1/parcels/import',
      body: csvText([...a.map(csvRow), { ...csvRow(p), ...bad }, ...b.map(csvRow)]),
      contentType: 'text/csv',
    }));
  const csvBadHeader = fc
    .tuple(validParcel, fc.oneof(fc.constant([...CSV_COLUMNS, 'secret']), fc.constant(CSV_COLUMNS.filter((c) => c !== 'waybill')), fc.constant(['waybill;stationCode;weightG']), fc.constant([])))
    .map(([p, header]): FuzzRequest => ({ kind: 'CSV header', method: 'POST', path: '/v1/parcels/import', body: csvText([csvRow(p)], header), contentType: 'text/csv' }));
  const csvGarbage = fc
    .oneof(
      fc.string({ maxLength: 300 }),
      fc.constant(CSV_COLUMNS.join(',')), // header only
      validParcel.map((p) => `${csvText([csvRow(p)])}\n"unterminated,quote`),
      validParcel.map((p) => csvText([csvRow(p)]).replace(/\n/, '\n,,,')),
    )
    .map((body): FuzzRequest => ({ kind: 'CSV garbage', method: 'POST', path: '/v1/parcels/import', body, contentType: 'text/csv' }));

  const validPickup = validPickupArb(station);
  const pickupMutations: Record<string, fc.Arbitrary<unknown>> = {
    station: badDestination,
    weightKg: fc.oneof(fc.constantFrom(0, -1, 5001), notInt.filter((v) => typeof v !== 'number')),
    volumeM3: fc.oneof(fc.constantFrom(0, -2, 51), fc.string({ maxLength: 3 })),
    pieces: fc.oneof(fc.integer({ max: 0 }), fc.integer({ min: 10_001 }), notInt),
    coldChain: notBool,
    readyDate: fc.constantFrom('2026-02-30', 'soon', '', 20261201),
    shipper: badRecipient,
    description: fc.oneof(fc.string({ minLength: 201, maxLength: 260 }).filter((s) => s.trim().length > 200), fc.integer()),
  };
  const badPickup = fc.oneof(
    fc.tuple(validPickup, fc.constantFrom(...Object.keys(pickupMutations))).chain(([p, field]) => pickupMutations[field]!.map((v) => ({ ...p, [field]: v }))),
    validPickup.map((p) => ({ ...p, weightG: 1000 })), // both weightKg and weightG
    validPickup.map(({ volumeM3: _v, ...p }) => p), // no volume at all
    validPickup.map((p) => ({ ...p, courier: 'SF' })),
  );
  const pickup = badPickup.map((json): FuzzRequest => ({ kind: 'pickup', method: 'POST', path: '/v1/pickups', json }));
  const pathParams = fc
    .oneof(fc.string({ minLength: 1, maxLength: 80 }), fc.constantFrom(...SQL_STRINGS), fc.constant('a'.repeat(500)), fc.constant('..%2f..%2fetc%2fpasswd'))
    .chain((w) =>
      fc.constantFrom<FuzzRequest>(
        { kind: 'path', method: 'GET', path: `/v1/parcels/${encodeURIComponent(w)}` },
        { kind: 'path', method: 'DELETE', path: `/v1/parcels/${encodeURIComponent(w)}` },
        { kind: 'path', method: 'GET', path: `/v1/pickups/${encodeURIComponent(w)}` },
        { kind: 'path', method: 'GET', path: `/v1/parcels/${encodeURIComponent(w)}?courier=${encodeURIComponent(w)}` },
      ),
    );

  // Issue 13: text no field may hold, bytes that are not UTF-8, CSV columns twice or numbers in
  // another base, weights that round to 0 g, paths that do not percent-decode.
  const poison = fc.constantFrom('\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udc00\ud800', '张\u0000三');
  const textField = fc.constantFrom('recipient.name', 'destination.village', 'destination.township', 'destination.stationCode', 'waybill', 'promisedDate');
  const poisonedParcel = fc.tuple(validParcel, textField, poison).map(([p, field, bad]) => {
    const o: Record<string, unknown> = structuredClone(p);
    const [a, b] = field.split('.') as [string, string | undefined];
    if (b === undefined) o[a] = `${String(o[a] ?? '')}${bad}`;
    else if (a === 'destination') o.destination = { township: '郭村镇', village: '郭村', [b]: `村${bad}` };
    else o[a] = { ...(o[a] as Record<string, unknown>), [b]: `张${bad}` };
    return o;
  });
  const unsafeText = fc.oneof(
    poisonedParcel.map((json): FuzzRequest => ({ kind: 'NUL / lone surrogate', method: 'POST', path: '/v1/parcels', json })),
    fc.tuple(validParcel, poisonedParcel).map(([a, b]): FuzzRequest => ({ kind: 'NUL / lone surrogate', method: 'POST', path: '/v1/parcels', json: { parcels: [a, b] } })),
    fc.tuple(validPickupArb(station), poison, fc.constantFrom('description', 'shipper')).map(([p, bad, field]): FuzzRequest => ({
      kind: 'NUL / lone surrogate',
      method: 'POST',
      path: '/v1/pickups',
      json: field === 'description' ? { ...p, description: `小米${bad}` } : { ...p, shipper: { name: `李${bad}`, phone: '13900001234' } },
    })),
    // In CSV only NUL: a lone surrogate in raw text cannot be sent (encoding it gives U+FFFD,
    // which is valid text); JSON carries it as an escape (JSON.stringify writes `\udfff`).
    fc.tuple(validParcel, fc.constantFrom('\u0000', 'a\u0000b'), fc.constantFrom('recipientName', 'village', 'waybill')).map(([p, bad, col]): FuzzRequest => ({
      kind: 'NUL / lone surrogate',
      method: 'POST',
      path: '/v1/parcels/import',
      body: csvText([{ ...csvRow(p), [col]: `${String(csvRow(p)[col] ?? '')}${bad}` }]),
      contentType: 'text/csv',
    })),
    fc.tuple(poison, fc.constantFrom('GET', 'DELETE')).map(([bad, method]): FuzzRequest => ({ kind: 'NUL / lone surrogate', method, path: `/v1/parcels/ZT${encodeURIComponent(bad.replace(/[\ud800-\udfff]/g, ''))}%00` })),
  );
  const invalidUtf8 = fc.tuple(validParcel, fc.constantFrom([0xff], [0xc3], [0xe0, 0x80], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]), fc.boolean()).map(([p, bytes, asCsv]): FuzzRequest => {
    const text = asCsv ? csvText([{ ...csvRow(p), recipientName: 'MARK' }]) : JSON.stringify({ ...p, recipient: { name: 'MARK', phone: '13800001234' } });
    const buf = Buffer.from(text, 'utf8');
    const at = buf.indexOf('MARK');
    const body = Buffer.concat([buf.subarray(0, at), Buffer.from(bytes), buf.subarray(at + 4)]);
    return asCsv
      ? { kind: 'invalid UTF-8', method: 'POST', path: '/v1/parcels/import', body, contentType: 'text/csv' }
      : { kind: 'invalid UTF-8', method: 'POST', path: '/v1/parcels', body, contentType: 'application/json' };
  });
  const csvTricks = fc.oneof(
    fc.tuple(validParcel, fc.constantFrom('weightG', 'stationCode', 'recipientName', 'waybill')).map(([p, col]): FuzzRequest => {
      const row = csvRow(p);
      return {
        kind: 'CSV duplicate column',
        method: 'POST',
        path: '/v1/parcels/import',
        body: `${[...CSV_COLUMNS, col].join(',')}\n${[...CSV_COLUMNS.map((c) => csvCell(row[c])), col === 'weightG' ? '999999' : csvCell(row[col])].join(',')}`,
        contentType: 'text/csv',
      };
    }),
    fc.tuple(validParcel, fc.constantFrom('0x10', '0X1F', '0b101', '0o17', '1e3', '1E2', 'Infinity', ' 0x10', '١٢'), fc.constantFrom('weightG', 'codAmountFen', 'lengthCm')).map(([p, n, col]): FuzzRequest => ({
      kind: 'CSV non-decimal number',
      method: 'POST',
      path: '/v1/parcels/import',
      body: csvText([{ ...csvRow(p), [col]: n }]),
      contentType: 'text/csv',
    })),
  );
  const tinyWeight = fc
    .tuple(validPickupArb(station), fc.constantFrom(0.0000001, 1e-300, 0.0004, Number.MIN_VALUE))
    .map(([p, weightKg]): FuzzRequest => ({ kind: 'weight rounds to 0 g', method: 'POST', path: '/v1/pickups', json: { ...p, weightKg } }));
  const badPercent = fc
    .tuple(fc.constantFrom('%ZZ', '%', '%E0%A4%A', '%C3', '%ED%A0%80', 'ok%G1'), fc.constantFrom('GET', 'DELETE'), fc.constantFrom('/v1/parcels/', '/v1/pickups/', '/v1/manifests/', '/v1/stops/'))
    .map(([w, method, prefix]): FuzzRequest => ({ kind: 'path percent-encoding', method, path: `${prefix}${w}${prefix === '/v1/stops/' ? '/events' : ''}` }));
  const longKey = fc
    .tuple(validParcel, fc.integer({ min: 5_000, max: 200_000 }))
    .map(([p, n]): FuzzRequest => ({ kind: 'long unknown key', method: 'POST', path: '/v1/parcels', json: { ...p, [`k${'x'.repeat(n)}`]: 1 } }));

  return fc.oneof(
    { weight: 2, arbitrary: unsafeText },
    { weight: 1, arbitrary: invalidUtf8 },
    { weight: 1, arbitrary: csvTricks },
    { weight: 1, arbitrary: tinyWeight },
    { weight: 1, arbitrary: badPercent },
    { weight: 1, arbitrary: longKey },
    { weight: 8, arbitrary: single },
    { weight: 4, arbitrary: batch },
    { weight: 1, arbitrary: badBatchShape },
    { weight: 1, arbitrary: garbage },
    { weight: 1, arbitrary: wrongType },
    { weight: 3, arbitrary: csvBadRow },
    { weight: 1, arbitrary: csvBadHeader },
    { weight: 1, arbitrary: csvGarbage },
    { weight: 3, arbitrary: pickup },
    { weight: 1, arbitrary: pathParams },
  );
}

/** Sends a request announcing `announced` bytes, writes a sliver, and reports when the answer came. */
function earlyRejection(base: string, key: string, path: string, contentType: string, announced: number): Promise<{ status: number; sentBytes: number }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = httpRequest(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': contentType, 'content-length': String(announced) } },
      (res) => {
        done = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentBytes: sent });
        req.destroy();
      },
    );
    req.on('error', (err) => (done ? undefined : reject(err)));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    const pump = () => {
      // At most 1 MiB, slowly: a server that waits for the whole body never answers.
      if (done || sent >= 1024 * 1024) return;
      sent += chunk.length;
      req.write(chunk, () => setTimeout(pump, 20));
    };
    pump();
    setTimeout(() => {
      if (!done) {
        done = true;
        req.destroy();
        resolve({ status: 0, sentBytes: sent });
      }
    }, 10_000);
  });
}

export interface BadInputOptions {
  readonly dialect: DialectName;
  readonly requests: number;
  readonly seed?: number;
}

export async function badInput(options: BadInputOptions): Promise<ScenarioResult> {
  const started = Date.now();
  const env = await createEnv(options.dialect, 3);
  let api: ApiProcess | undefined;
  try {
    api = await startApi({ databaseUrl: env.url, redisUrl: SHARED_REDIS_URL, prefix: env.prefix });
    const base = api.base;
    const failures: string[] = [];
    const seed = options.seed ?? 20261128;
    const requests = fc.sample(arbitraries(env.stations), { numRuns: options.requests, seed });
    const keys = [...env.keys.couriers.values()].flat();
    const byStatus = new Map<number, number>();
    const byKind = new Map<string, number>();
    const bad: string[] = [];
    await pool(requests, 8, async (r, i) => {
      byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
      for (let attempt = 0; ; attempt++) {
        const res = await request(base, r.method, r.path, {
          key: keys[i % keys.length]!,
          ...(r.json !== undefined ? { json: r.json } : {}),
          ...(r.body !== undefined ? { body: r.body } : {}),
          ...(r.contentType !== undefined ? { contentType: r.contentType } : {}),
        });
        if (res.status === 429 && attempt < 5) {
          await sleep(500);
          continue;
        }
        byStatus.set(res.status, (byStatus.get(res.status) ?? 0) + 1);
        const shapeOk = res.body?.error && typeof res.body.error.code === 'string' && typeof res.body.error.message === 'string' && Array.isArray(res.body.error.details);
        // An error body echoes at most a short prefix of what was sent (a 200 KB key is not returned).
        const echoesTooMuch = JSON.stringify(res.body ?? '').length > 16_384;
        if (res.status < 400 || res.status >= 500 || !shapeOk || echoesTooMuch) {
          bad.push(`${r.kind} ${r.method} ${r.path} → ${res.status} ${JSON.stringify(res.body).slice(0, 200)} for ${(typeof r.body === 'object' ? Buffer.from(r.body).toString('latin1') : JSON.stringify(r.json ?? r.body)).slice(0, 300)}`);
        }
        return;
      }
    });
    if (bad.length > 0) failures.push(`${bad.length} malformed request(s) not answered 4xx in the error shape, e.g. ${bad.slice(0, 3).join(' || ')}`);
    const storedParcels = Number((await env.db.selectFrom('parcels').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const storedPickups = Number((await env.db.selectFrom('pickups').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    if (storedParcels + storedPickups > 0) failures.push(`malformed requests stored ${storedParcels} parcel(s) and ${storedPickups} pickup(s)`);

    // SQL-looking strings: accepted as data, stored verbatim, never executed.
    const keysBefore = await env.db.selectFrom('api_keys').select(['id', 'role', 'revoked_at']).orderBy('id').execute();
    const stationsBefore = Number((await env.db.selectFrom('stations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const sqlParcels = SQL_STRINGS.map((name, i) => ({
      waybill: `SQL${Date.now().toString(36)}${i}`,
      destination: { stationCode: env.stations[i]! },
      weightG: 500,
      recipient: { name, phone: '13800001234' },
    }));
    const json = await request(base, 'POST', '/v1/parcels', { key: env.keys.courierA, json: { parcels: sqlParcels.slice(0, 5) } });
    const csvBody = [
      'waybill,stationCode,weightG,recipientName,recipientPhone',
      ...sqlParcels.slice(5).map((p) => [p.waybill, p.destination.stationCode, p.weightG, `"${p.recipient.name.replace(/"/g, '""')}"`, p.recipient.phone].join(',')),
    ].join('\n');
    const csv = await request(base, 'POST', '/v1/parcels/import', { key: env.keys.courierA, body: csvBody, contentType: 'text/csv' });
    const pickupSql = await request(base, 'POST', '/v1/pickups', {
      key: env.keys.courierA,
      json: { station: { stationCode: env.stations[0] }, weightKg: 10, volumeM3: 0.1, readyDate: '2026-12-01', shipper: { name: SQL_STRINGS[0], phone: '13900001234' }, description: SQL_STRINGS[4] },
    });
    if (json.status !== 201 || csv.status !== 201 || pickupSql.status !== 201) {
      failures.push(`SQL-looking text was not accepted as data: JSON ${json.status}, CSV ${csv.status} ${JSON.stringify(csv.body).slice(0, 200)}, pickup ${pickupSql.status}`);
    }
    const stored = await env.db.selectFrom('parcels').select(['waybill', 'recipient_name']).where('courier_code', '=', 'ZTO').execute();
    const storedByWaybill = new Map(stored.map((s) => [s.waybill, s.recipient_name]));
    const notVerbatim = sqlParcels.filter((p) => storedByWaybill.get(p.waybill) !== p.recipient.name);
    if (notVerbatim.length > 0) failures.push(`${notVerbatim.length} SQL-looking name(s) not stored verbatim`);
    const pickupRow = await env.db.selectFrom('pickups').select(['shipper_name', 'description']).executeTakeFirst();
    if (pickupRow?.shipper_name !== SQL_STRINGS[0] || pickupRow?.description !== SQL_STRINGS[4]) failures.push('SQL-looking pickup text not stored verbatim');
    const keysAfter = await env.db.selectFrom('api_keys').select(['id', 'role', 'revoked_at']).orderBy('id').execute();
    const stationsAfter = Number((await env.db.selectFrom('stations').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    for (const t of ['parcels', 'outbox', 'parcel_events', 'couriers', 'stations', 'api_keys'] as const) {
      await env.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow().catch(() => failures.push(`table ${t} is gone`));
    }
    if (JSON.stringify(keysAfter) !== JSON.stringify(keysBefore) || stationsAfter !== stationsBefore) failures.push('SQL-looking input changed api_keys or stations');

    // Oversize bodies: 413, early.
    const big = 'x'.repeat(3 * 1024 * 1024);
    const oversize = [
      await request(base, 'POST', '/v1/parcels', { key: env.keys.courierB, body: `{"waybill":"BIG1","recipient":{"name":"${big}"}}`, contentType: 'application/json' }),
      await request(base, 'POST', '/v1/parcels', {
        key: env.keys.courierB,
        json: { parcels: Array.from({ length: 1001 }, (_, i) => ({ waybill: `BIGB${i}`, destination: { stationCode: env.stations[0] }, weightG: 1, recipient: { name: 'a', phone: '13800001234' } })) },
      }),
    ];
    // Above the largest limit the server answers before reading the body and closes the
    // connection (a client still uploading may see a reset instead): raw HTTP reads the 413.
    const early = [
      await earlyRejection(base, env.keys.courierB, '/v1/parcels', 'application/json', 200 * 1024 * 1024),
      await earlyRejection(base, env.keys.courierB, '/v1/parcels/import', 'text/csv', 200 * 1024 * 1024),
      await earlyRejection(base, env.keys.courierB, '/v1/parcels/import', 'text/csv', 9 * 1024 * 1024),
      await earlyRejection(base, env.keys.courierB, '/v1/pickups', 'application/json', 200 * 1024 * 1024),
    ];
    const not413 = oversize.filter((r) => r.status !== 413);
    if (not413.length > 0) failures.push(`oversize bodies answered ${not413.map((r) => r.status).join(', ')} (expected 413)`);
    const late = early.filter((e) => e.status !== 413 || e.sentBytes > 512 * 1024);
    if (late.length > 0) failures.push(`a 200 MB announced body was not rejected early: ${late.map((e) => `${e.status} after ${e.sentBytes} bytes`).join(', ')}`);
    const storedYto = await env.db.selectFrom('parcels').select('id').where('courier_code', '=', 'YTO').execute();
    if (storedYto.length > 0) failures.push(`oversize requests stored ${storedYto.length} parcel(s)`);

    const fiveXX = [...byStatus].filter(([s]) => s >= 500).reduce((s, [, n]) => s + n, 0);
    const statusText = [...byStatus].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
    return {
      scenario: '5 bad input (fuzz)',
      database: options.dialect,
      load: `${requests.length} fuzzed + ${SQL_STRINGS.length + 1} SQL-text + ${oversize.length + early.length} oversize; seed ${seed}`,
      faults: `statuses ${statusText}; 5xx ${fiveXX}`,
      badInputs: requests.length + oversize.length + early.length,
      acknowledged: SQL_STRINGS.length,
      found: SQL_STRINGS.length - notVerbatim.length,
      lost: notVerbatim.length,
      duplicated: 0,
      failures,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await endRun(env, api);
  }
}
