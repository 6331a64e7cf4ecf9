/**
 * The network dataset's file format (data/<network>/network.json), as a zod schema so a hand-edited
 * or regenerated file is checked on load rather than failing deep inside a plan.
 *
 * Every coordinate is WGS84 with its GCJ-02 value beside it (`gcj02.origin` says whether that was
 * the source or computed from our WGS84 estimate). Every estimated value says so: coordinates via
 * `coordQuality`, other fields via a `sources` entry starting with "ESTIMATE".
 */
import { z } from 'zod';

const lat = z.number().min(-90).max(90);
const lon = z.number().min(-180).max(180);
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);
const coordQuality = z.enum(['known', 'estimated']);

export const Gcj02Schema = z.object({
  lat,
  lon,
  /** `source`: the GCJ-02 value is the source data (Amap); `computed`: forward formula from our WGS84. */
  origin: z.enum(['source', 'computed']),
});

export const TownshipRecordSchema = z.object({
  code: z.string().regex(/^\d{9}$/),
  name: z.string().min(1),
  kind: z.enum(['镇', '乡']),
  seat: z.object({
    name: z.string(),
    lat,
    lon,
    gcj02: Gcj02Schema,
    quality: coordQuality,
    source: z.string(),
  }),
  hubId: z.string(),
  villageCount: z.number().int().nonnegative(),
  communityCount: z.number().int().nonnegative(),
  /** Area of the township's estimated (Voronoi) area, km². */
  areaKm2: z.number().positive(),
  formedFrom: z.string(),
});

export const HubRecordSchema = z.object({
  id: z.string(),
  kind: z.enum(['county_warehouse', 'township_centre']),
  tier: z.union([z.literal(1), z.literal(2)]),
  name: z.string(),
  townshipCode: z.string(),
  lat,
  lon,
  gcj02: Gcj02Schema,
  coordQuality,
  source: z.string(),
});

export const StationRecordSchema = z.object({
  code: z.string().regex(/^\d{12}$/),
  name: z.string().min(1),
  officialName: z.string(),
  kind: z.enum(['village', 'community']),
  townshipCode: z.string(),
  hubId: z.string(),
  lat,
  lon,
  gcj02: Gcj02Schema,
  coordQuality,
  coordSource: z.string(),
  opens: clock,
  closes: clock,
  hoursSource: z.string(),
  /** 1 = an average administrative village (≈410 residents, ≈25 parcels/day). */
  sizeWeight: z.number().positive(),
  sizeSource: z.string(),
  predecessor2016: z.string(),
});

export const VehicleTypeSchema = z.object({
  type: z.enum(['line_haul_truck', 'van', 'cold_chain_van', 'e_tricycle']),
  label: z.string(),
  capacityKg: z.number().positive(),
  capacityM3: z.number().positive(),
  /** Null = no practical range limit within a day (fuel). */
  rangeKm: z.number().positive().nullable(),
  speedKmh: z.number().positive(),
  coldChain: z.boolean(),
  maxTrips: z.number().int().positive(),
  fixedCostFen: z.number().int().nonnegative(),
  costPerKmFen: z.number().int().nonnegative(),
  costPerHourFen: z.number().int().nonnegative(),
  /** Source or "ESTIMATE: why" for each field above. */
  sources: z.record(z.string(), z.string()),
});

export const VehicleRecordSchema = z.object({
  id: z.string(),
  type: VehicleTypeSchema.shape.type,
  hubId: z.string(),
  name: z.string(),
});

export const CourierRecordSchema = z.object({
  code: z.string().regex(/^[A-Z]+$/),
  name: z.string(),
  /** 加盟 franchise networks vs 直营 direct networks (FACTS §5.3). */
  network: z.enum(['franchise', 'direct']),
  source: z.string(),
});

export const NetworkFileSchema = z.object({
  name: z.string(),
  adcode: z.string(),
  datum: z.literal('WGS84'),
  generatedBy: z.string(),
  seed: z.number().int(),
  minSpacingM: z.number().positive(),
  sources: z.array(z.string()),
  estimates: z.array(z.string()),
  county: z.object({
    name: z.string(),
    seat: z.object({ lat, lon, gcj02: Gcj02Schema, source: z.string() }),
    areaKm2: z.number().positive(),
  }),
  townships: z.array(TownshipRecordSchema),
  hubs: z.array(HubRecordSchema),
  stations: z.array(StationRecordSchema),
  vehicleTypes: z.array(VehicleTypeSchema),
  vehicles: z.array(VehicleRecordSchema),
  couriers: z.array(CourierRecordSchema),
});

export type Gcj02 = z.infer<typeof Gcj02Schema>;
export type TownshipRecord = z.infer<typeof TownshipRecordSchema>;
export type HubRecord = z.infer<typeof HubRecordSchema>;
export type StationRecord = z.infer<typeof StationRecordSchema>;
export type VehicleType = z.infer<typeof VehicleTypeSchema>;
export type VehicleRecord = z.infer<typeof VehicleRecordSchema>;
export type CourierRecord = z.infer<typeof CourierRecordSchema>;
export type NetworkFile = z.infer<typeof NetworkFileSchema>;
