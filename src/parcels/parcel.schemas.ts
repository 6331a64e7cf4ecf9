/**
 * Parcel intake schemas: the zod objects that validate requests are the ones the OpenAPI
 * document is generated from. Objects are strict: an unknown field is a 400, not silently lost.
 */
import { z } from '../http/zod.ts';

export const MAX_PARCELS_PER_REQUEST = 1_000;

export const StationCode = z
  .string()
  .regex(/^\d{12}$/, 'expected a 12-digit station (village) code')
  .openapi({ example: '140430106201' });

const Township = z.string().trim().min(1).max(40).openapi({ example: '沁州黄镇' });
const Village = z.string().trim().min(1).max(40).openapi({ example: '次村' });
const Latitude = z.number().min(-90).max(90).openapi({ description: 'WGS84 latitude', example: 36.699 });
const Longitude = z.number().min(-180).max(180).openapi({ description: 'WGS84 longitude', example: 112.819 });

export const DestinationByStation = z.strictObject({ stationCode: StationCode }).openapi('DestinationByStation', { description: 'A station (village) by its 12-digit code' });
export const DestinationByNames = z
  .strictObject({ township: Township.optional(), village: Village })
  .openapi('DestinationByNames', { description: 'A village by name; the township tells apart villages of the same name' });
export const DestinationByPoint = z
  .strictObject({ lat: Latitude, lon: Longitude })
  .openapi('DestinationByPoint', { description: 'WGS84 coordinates, snapped to the nearest station' });

/** Why a value is none of the three forms, in words naming the fields (the union itself only says "invalid"). */
function destinationFormError(input: unknown): string {
  const d = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : {};
  const has = (k: string) => d[k] !== undefined;
  const forms = [has('stationCode'), has('township') || has('village'), has('lat') || has('lon')].filter(Boolean).length;
  if (forms !== 1) return 'give exactly one of: stationCode; township + village; lat + lon';
  if (has('township') && !has('village')) return 'village is required with township';
  if (has('lat') !== has('lon')) return 'lat and lon go together';
  return 'not a destination: give exactly one of: stationCode; township + village; lat + lon';
}

/**
 * One of three closed forms: a station code; a village name (and its township); or WGS84
 * coordinates. The forms are disjoint, so the document says `oneOf` and a generated client gets
 * a union of three object types. A value that is none of them is a 400 that says why.
 */
export const Destination = z
  .union([DestinationByStation, DestinationByNames, DestinationByPoint], {
    error: (issue) => (issue.code === 'invalid_union' ? destinationFormError(issue.input) : undefined),
  })
  .openapi(
    'Destination',
    { description: 'Where the parcel goes: `{stationCode}`, `{village}` or `{township, village}` (names), or `{lat, lon}` (WGS84, snapped to the nearest station).' },
    { unionPreferredType: 'oneOf' },
  );
/** Any of the three forms, read field by field (what the resolver takes). */
export type Destination = { readonly stationCode?: string; readonly township?: string; readonly village?: string; readonly lat?: number; readonly lon?: number };


export const Recipient = z
  .strictObject({
    name: z.string().trim().min(1).max(64).openapi({ example: '张三' }),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 -]{4,19}$/, 'expected a phone number (digits, optional +, spaces or dashes)')
      .openapi({ example: '13800001234' }),
  })
  .openapi('Recipient', { description: 'Stored for delivery; never logged and never returned by the API.' });

const Centimetres = z.number().positive().max(1_000);
/** A tuple: `prefixItems` says each of the three; `items` and the length say there are no more. */
const DimensionsCm = z
  .tuple([Centimetres, Centimetres, Centimetres])
  .openapi({ description: 'Length, width, height in cm', example: [30, 20, 15], items: { type: 'number' }, minItems: 3, maxItems: 3 });

const IsoDate = z.iso.date().openapi({ example: '2026-12-01' });

export const CreateParcel = z
  .strictObject({
    waybill: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{3,39}$/, 'expected 4–40 letters, digits, _ or -')
      .openapi({ example: 'ZT7512345678' }),
    destination: Destination,
    weightG: z.int().min(1).max(1_000_000).openapi({ example: 1200 }),
    dimensionsCm: DimensionsCm.optional(),
    coldChain: z.boolean().default(false),
    fragile: z.boolean().default(false),
    codAmountFen: z.int().min(0).max(100_000_000).default(0).openapi({ description: 'Cash on delivery, in fen (1/100 yuan)' }),
    recipient: Recipient,
    promisedDate: IsoDate.optional(),
  })
  .openapi('CreateParcel');
export type CreateParcel = z.infer<typeof CreateParcel>;

export const CreateParcelBatch = z
  .strictObject({
    parcels: z.array(CreateParcel).min(1).max(MAX_PARCELS_PER_REQUEST),
  })
  .openapi('CreateParcelBatch');

export const ParcelStatus = z.enum(['received', 'sorted', 'planned', 'out_for_delivery', 'delivered', 'failed', 'cancelled', 'return_requested', 'returning', 'returned']);

export const Parcel = z
  .object({
    id: z.uuid(),
    courier: z.string().openapi({ example: 'ZTO' }),
    waybill: z.string(),
    status: ParcelStatus,
    statusReason: z.string().nullable().openapi({ description: 'Why it is not delivered: the planner’s reason (left unassigned, e.g. `capacity`), the driver’s (failed), or the return’s cause', example: '收件人不在家' }),
    attempts: z.int().openapi({ description: 'Failed delivery attempts so far' }),
    stationCode: StationCode,
    destination: z.record(z.string(), z.unknown()).openapi({ description: 'The destination exactly as submitted' }),
    weightG: z.int(),
    dimensionsCm: z.tuple([z.number(), z.number(), z.number()]).nullable().openapi({ description: 'Length, width, height in cm', items: { type: 'number' }, minItems: 3, maxItems: 3 }),
    volumeCm3: z.int(),
    coldChain: z.boolean(),
    fragile: z.boolean(),
    codAmountFen: z.int(),
    promisedDate: z.string().nullable(),
    receivedAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Parcel');
export type Parcel = z.infer<typeof Parcel>;

export const ParcelEvent = z
  .object({ type: z.string().openapi({ example: 'received' }), at: z.string(), details: z.unknown().nullable() })
  .openapi('ParcelEvent');

export const ParcelWithEvents = Parcel.extend({ events: z.array(ParcelEvent) }).openapi('ParcelWithEvents');

export const ParcelBatchResult = z
  .object({
    created: z.int().openapi({ description: 'Parcels new in this request' }),
    existing: z.int().openapi({ description: 'Identical replays of parcels already accepted' }),
    parcels: z.array(Parcel),
  })
  .openapi('ParcelBatchResult');

export const WaybillParams = z.strictObject({
  waybill: z.string().min(1).max(64).openapi({ param: { name: 'waybill', in: 'path' }, example: 'ZT7512345678' }),
});

export const CourierQuery = z.strictObject({
  courier: z.string().min(1).max(16).optional().openapi({ description: 'Dispatcher/admin keys: whose waybill (couriers see only their own)' }),
});

export const ListParcelsQuery = z.strictObject({
  status: ParcelStatus.optional(),
  date: IsoDate.optional().openapi({ description: 'Received on this local day of the network (TIMEZONE, e.g. Asia/Shanghai)' }),
  courier: z.string().min(1).max(16).optional(),
  stationCode: StationCode.optional(),
  limit: z.coerce.number().int().min(1).max(1_000).default(100),
  after: z.string().optional().openapi({ description: 'Cursor: the `next` value of the previous page' }),
});

export const ParcelList = z
  .object({ parcels: z.array(Parcel), next: z.string().nullable() })
  .openapi('ParcelList');

/** CSV import: the columns, in the order of the template. Flattened from CreateParcel. */
export const CSV_COLUMNS = [
  'waybill',
  'stationCode',
  'township',
  'village',
  'lat',
  'lon',
  'weightG',
  'lengthCm',
  'widthCm',
  'heightCm',
  'coldChain',
  'fragile',
  'codAmountFen',
  'recipientName',
  'recipientPhone',
  'promisedDate',
] as const;
