import { describe, expect, it } from 'vitest';
import type { Feature, Polygon } from 'geojson';
import { createDestinationResolver, normalisePlaceName, type ResolverNetwork } from '../../../src/geo/destination-resolver.ts';

// A 0.2° square "county" with two townships; 0.01° of latitude ≈ 1.11 km.
const boundary: Feature<Polygon> = {
  type: 'Feature',
  properties: {},
  geometry: { type: 'Polygon', coordinates: [[[112.5, 36.5], [112.7, 36.5], [112.7, 36.7], [112.5, 36.7], [112.5, 36.5]]] },
};
const network: ResolverNetwork = {
  townships: [
    { code: '140430101', name: '郭村镇' },
    { code: '140430102', name: '故县镇' },
  ],
  stations: [
    { code: '140430101201', name: '郭村村委会', township_code: '140430101', lat: 36.6, lon: 112.55 },
    { code: '140430101202', name: '小河村委会', township_code: '140430101', lat: 36.62, lon: 112.56 },
    { code: '140430102201', name: '小河村委会', township_code: '140430102', lat: 36.52, lon: 112.65 },
    { code: '140430102202', name: '故县村委会', township_code: '140430102', lat: 36.54, lon: 112.62 },
  ],
  boundary,
};
const resolve = createDestinationResolver(network, { maxSnapM: 5_000 });

describe('normalisePlaceName', () => {
  it('drops one administrative suffix and full-width spacing', () => {
    expect(normalisePlaceName('小河村委会')).toBe('小河');
    expect(normalisePlaceName(' 小河 村 ')).toBe('小河');
    expect(normalisePlaceName('郭村镇')).toBe('郭');
    expect(normalisePlaceName('北关社区居委会')).toBe('北关');
    expect(normalisePlaceName('郭村')).toBe('郭');
  });
});

describe('createDestinationResolver', () => {
  it('accepts a known station code and rejects an unknown one', () => {
    expect(resolve({ stationCode: '140430101201' })).toEqual({ ok: true, stationCode: '140430101201', countyId: '140430', method: 'code' });
    expect(resolve({ stationCode: '140430999999' })).toMatchObject({ ok: false, reason: 'unknown_station' });
  });

  it('matches names exactly, then forgivingly', () => {
    expect(resolve({ township: '郭村镇', village: '小河村委会' })).toMatchObject({ ok: true, stationCode: '140430101202' });
    expect(resolve({ township: '郭村', village: '小河村' })).toMatchObject({ ok: true, stationCode: '140430101202' });
    expect(resolve({ township: '故县镇', village: '小河' })).toMatchObject({ ok: true, stationCode: '140430102201' });
    expect(resolve({ village: '故县村' })).toMatchObject({ ok: true, stationCode: '140430102202' });
  });

  it('reports an ambiguous village with its candidates', () => {
    const r = resolve({ village: '小河' });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.reason).toBe('ambiguous');
    expect(r.candidates?.map((c) => c.stationCode).sort()).toEqual(['140430101202', '140430102201']);
    expect(r.candidates?.map((c) => c.township).sort()).toEqual(['故县镇', '郭村镇']);
  });

  it('reports unknown townships and villages', () => {
    expect(resolve({ township: '不存在镇', village: '小河' })).toMatchObject({ ok: false, reason: 'unknown_township' });
    expect(resolve({ township: '郭村镇', village: '故县' })).toMatchObject({ ok: false, reason: 'unknown_village' });
  });

  it('snaps coordinates to the nearest station', () => {
    const r = resolve({ lat: 36.621, lon: 112.561 });
    expect(r).toMatchObject({ ok: true, stationCode: '140430101202', method: 'coordinates' });
    if (r.ok) expect(r.distanceM).toBeLessThan(200);
  });

  it('rejects coordinates outside the county or too far from any station', () => {
    expect(resolve({ lat: 36.8, lon: 112.6 })).toMatchObject({ ok: false, reason: 'outside_county' });
    // Inside the square but ~7 km from the nearest station.
    expect(resolve({ lat: 36.69, lon: 112.69 })).toMatchObject({ ok: false, reason: 'too_far' });
  });
});
