/**
 * A realistic day for Qin County, deterministic from a seed: parcels from the couriers present in
 * the county (weighted by an ESTIMATED market share, FACTS §5.3), to stations weighted by village
 * size (FACTS §5.5: ≈ 44 % to the county-seat communities); outbound produce pickups (≈ 8 % of
 * the inbound count, villages only, FACTS §5.5–5.6); ≈ 3 % cold-chain parcels.
 *
 * Parcel weights are log-normal (median 0.5 kg, mean ≈ 0.75 kg, capped at 30 kg): most rural
 * e-commerce parcels are small, a few are heavy. FACTS gives 1.2 kg / 8 dm³ as an unsourced
 * average; with that mean the dataset's 32-vehicle fleet cannot carry a 12,000-parcel day, so
 * the generator's lighter mix is itself an ESTIMATE, stated here and in the demo output.
 * Volume follows weight at ≈ 150 kg/m³ with ±50 % spread.
 */
import type { CreateParcel } from '../parcels/parcel.schemas.ts';
import type { StationRow } from '../db/schema.ts';
import { seededRandom } from '../util/seeded-random.ts';

export interface DemoDayOptions {
  readonly parcels: number;
  readonly seed: number;
  /** Pickups per inbound parcel (default 0.08). */
  readonly pickupShare?: number;
  /** Cold-chain share of parcels (default 0.03). */
  readonly coldShare?: number;
  /** YYYY-MM-DD the pickups are ready on. */
  readonly readyDate: string;
}

/** ESTIMATED shares of rural parcel volume (FACTS §5.3: franchise networks carry the bulk). */
export const COURIER_SHARES: Readonly<Record<string, number>> = {
  ZTO: 0.2,
  YTO: 0.16,
  YUNDA: 0.15,
  JT: 0.13,
  STO: 0.1,
  EMS: 0.1,
  JD: 0.07,
  SF: 0.05,
  DEPPON: 0.04,
};

export interface DemoPickup {
  readonly courier: string | null;
  readonly body: {
    station: { stationCode: string };
    weightG: number;
    volumeCm3: number;
    pieces: number;
    coldChain: boolean;
    readyDate: string;
    shipper: { name: string; phone: string };
    description: string;
  };
}

export interface DemoDay {
  /** Parcels per courier, in submission order (request bodies for POST /v1/parcels). */
  readonly parcels: ReadonlyMap<string, readonly CreateParcel[]>;
  readonly pickups: readonly DemoPickup[];
  readonly total: number;
}


function picker<T>(items: readonly T[], weight: (t: T) => number, rnd: () => number): () => T {
  const cum: number[] = [];
  let total = 0;
  for (const it of items) {
    total += Math.max(0, weight(it));
    cum.push(total);
  }
  return () => {
    const x = rnd() * total;
    let lo = 0;
    let hi = cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return items[lo]!;
  };
}

function normal(rnd: () => number): number {
  const u = Math.max(1e-12, rnd());
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rnd());
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '郭', '秦', '段', '武', '史'];
const GIVEN = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '霞'];
const PRODUCE = ['沁州黄小米', '小米醋', '土鸡蛋', '核桃', '小米锅巴', '杂粮礼盒'];

function dimensions(volumeCm3: number, rnd: () => number): [number, number, number] {
  // A box with sides in ratio ≈ 1.6 : 1.2 : 1, jittered.
  const k = Math.cbrt(volumeCm3 / (1.6 * 1.2));
  const j = () => 0.9 + 0.2 * rnd();
  return [Math.max(5, Math.round(1.6 * k * j())), Math.max(5, Math.round(1.2 * k * j())), Math.max(2, Math.round(k * j()))];
}

export function generateDay(stations: readonly StationRow[], couriers: readonly string[], options: DemoDayOptions): DemoDay {
  const rnd = seededRandom(options.seed);
  const sorted = [...stations].sort((a, b) => (a.code < b.code ? -1 : 1));
  const known = [...couriers].sort();
  const pickStation = picker(sorted, (s) => s.size_weight, rnd);
  const pickVillage = picker(sorted.filter((s) => s.kind === 'village'), (s) => s.size_weight, rnd);
  const pickCourier = picker(known, (c) => COURIER_SHARES[c] ?? 0.02, rnd);
  const coldShare = options.coldShare ?? 0.03;
  const parcels = new Map<string, CreateParcel[]>(known.map((c) => [c, []]));
  const name = () => `${SURNAMES[Math.floor(rnd() * SURNAMES.length)]}${GIVEN[Math.floor(rnd() * GIVEN.length)]}`;
  const phone = () => `13${Math.floor(rnd() * 1e9).toString().padStart(9, '0')}`;
  const tag = options.seed.toString(36).toUpperCase();
  for (let i = 0; i < options.parcels; i++) {
    const courier = pickCourier();
    const station = pickStation();
    const cold = rnd() < coldShare;
    // Cold-chain parcels are fresh food in insulated boxes: heavier and bulkier.
    const weightG = cold
      ? Math.round(2000 + rnd() * 4000)
      : Math.min(30_000, Math.max(50, Math.round(500 * Math.exp(0.9 * normal(rnd)))));
    const volume = Math.max(800, Math.round((weightG / 0.15) * (0.5 + rnd())));
    parcels.get(courier)!.push({
      waybill: `${courier}${tag}-${i.toString().padStart(7, '0')}`,
      destination: { stationCode: station.code },
      weightG,
      dimensionsCm: dimensions(volume, rnd),
      coldChain: cold,
      fragile: rnd() < 0.05,
      codAmountFen: rnd() < 0.1 ? Math.round(rnd() * 20_000) : 0,
      recipient: { name: name(), phone: phone() },
    });
  }
  const pickups: DemoPickup[] = [];
  const nPickups = Math.round(options.parcels * (options.pickupShare ?? 0.08));
  for (let i = 0; i < nPickups; i++) {
    const station = pickVillage();
    const cold = rnd() < 0.05; // eggs
    const pieces = 1 + Math.floor(rnd() * 2);
    const weightG = pieces * Math.round(1500 + rnd() * 2500);
    pickups.push({
      courier: rnd() < 0.8 ? pickCourier() : null,
      body: {
        station: { stationCode: station.code },
        weightG,
        volumeCm3: Math.round(weightG / 0.3),
        pieces,
        coldChain: cold,
        readyDate: options.readyDate,
        shipper: { name: name(), phone: phone() },
        description: cold ? '土鸡蛋' : PRODUCE[Math.floor(rnd() * PRODUCE.length)]!,
      },
    });
  }
  return { parcels, pickups, total: options.parcels };
}
