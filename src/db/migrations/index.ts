/**
 * The migration list, imported statically rather than found by scanning a folder: a folder scan
 * needs file paths that differ under tsx, vitest and a bundle, and silently finds nothing when
 * they are wrong. Add a new migration here, named `YYYY_MM_DD_NNNN_what`; never edit an old one.
 */
import type { Migration } from 'kysely';
import * as m0001 from './2026_11_28_0001_network.ts';
import * as m0002 from './2026_11_28_0002_operations.ts';
import * as m0003 from './2026_11_28_0003_delivery.ts';
import * as m0004 from './2026_11_28_0004_intake_indexes.ts';
import * as m0005 from './2026_11_28_0005_partial_planning_indexes.ts';
import * as m0006 from './2026_11_28_0006_pickup_reference.ts';
import * as m1232 from './2026_12_01_1232_plan_lifecycle.ts';
import * as m1236 from './2026_12_01_1236_drivers.ts';
import * as m1238 from './2026_12_01_1238_station_keepers.ts';
import * as m1244 from './2026_12_01_1244_settlements.ts';
import * as m1500 from './2026_12_01_1500_manifest_links.ts';
import * as m1545 from './2026_12_01_1545_replan_staging.ts';
import * as m1600 from './2026_12_01_1600_counties.ts';
import * as m1630 from './2026_12_01_1630_station_moves.ts';
import * as m1700 from './2026_12_01_1700_driver_counties.ts';
import * as m1930 from './2026_12_01_1930_courier_webhooks.ts';

export const migrations: Readonly<Record<string, Migration>> = Object.freeze({
  '2026_11_28_0001_network': m0001,
  '2026_11_28_0002_operations': m0002,
  '2026_11_28_0003_delivery': m0003,
  '2026_11_28_0004_intake_indexes': m0004,
  '2026_11_28_0005_partial_planning_indexes': m0005,
  '2026_11_28_0006_pickup_reference': m0006,
  '2026_12_01_1232_plan_lifecycle': m1232,
  '2026_12_01_1236_drivers': m1236,
  '2026_12_01_1238_station_keepers': m1238,
  '2026_12_01_1244_settlements': m1244,
  '2026_12_01_1500_manifest_links': m1500,
  '2026_12_01_1545_replan_staging': m1545,
  '2026_12_01_1600_counties': m1600,
  '2026_12_01_1630_station_moves': m1630,
  '2026_12_01_1700_driver_counties': m1700,
  '2026_12_01_1930_courier_webhooks': m1930,
});
