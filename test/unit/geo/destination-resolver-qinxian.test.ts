/**
 * The resolver over the real Qin County dataset: real names, real duplicates across townships,
 * the real county boundary.
 */
import { describe, expect, it } from 'vitest';
import { createDestinationResolver } from '../../../src/geo/destination-resolver.ts';
import { loadNetwork } from '../../../src/network/index.ts';

const network = loadNetwork();
const resolve = createDestinationResolver({
  townships: network.townships.map((t) => ({ code: t.code, name: t.name })),
  stations: network.stations.map((s) => ({ code: s.code, name: s.name, township_code: s.townshipCode, lat: s.lat, lon: s.lon })),
  boundary: network.boundary,
});
const townshipName = new Map(network.townships.map((t) => [t.code, t.name]));

describe('destination resolver on the Qin County network', () => {
  it('resolves every station by its code, by its name within its township, and by its own coordinates', () => {
    for (const s of network.stations) {
      expect(resolve({ stationCode: s.code })).toMatchObject({ ok: true, stationCode: s.code });
      expect(resolve({ township: townshipName.get(s.townshipCode)!, village: s.name })).toMatchObject({ ok: true, stationCode: s.code });
      expect(resolve({ lat: s.lat, lon: s.lon })).toMatchObject({ ok: true, stationCode: s.code, distanceM: 0 });
    }
  });

  it('accepts every official name (with its committee suffix) within its township', () => {
    for (const s of network.stations) {
      expect(resolve({ township: townshipName.get(s.townshipCode)!, village: s.officialName })).toMatchObject({ ok: true, stationCode: s.code });
    }
  });

  it('lists every candidate for a village name used in several townships', () => {
    const counts = new Map<string, number>();
    for (const s of network.stations) counts.set(s.name, (counts.get(s.name) ?? 0) + 1);
    const [name, n] = [...counts].find(([, c]) => c > 1)!;
    const r = resolve({ village: name });
    expect(r).toMatchObject({ ok: false, reason: 'ambiguous' });
    if (!r.ok) expect(r.candidates).toHaveLength(n);
  });

  it('rejects points outside the county (Changzhi city centre, Taiyuan)', () => {
    expect(resolve({ lat: 36.195, lon: 113.117 })).toMatchObject({ ok: false, reason: 'outside_county' });
    expect(resolve({ lat: 37.87, lon: 112.55 })).toMatchObject({ ok: false, reason: 'outside_county' });
  });
});
