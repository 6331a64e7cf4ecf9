/**
 * GCJ-02 ("Mars coordinates", the datum of Amap and every Chinese web map) ⇄ WGS84.
 *
 * The county's source points are Amap GCJ-02; gongpei stores WGS84 (what GPS, OSRM and
 * OpenStreetMap use) and keeps the GCJ-02 values beside them. The forward transform is the widely
 * published formula (Krasovsky 1940 ellipsoid, the "eviltransform" / coordtransform constants);
 * the inverse is its fixed-point iteration, which converges to well under a centimetre in a few
 * steps inside China. Outside mainland China GCJ-02 equals WGS84, but this county never is.
 */

export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

const A = 6378245.0; // Krasovsky semi-major axis, metres
const EE = 0.006693421622965943; // Krasovsky eccentricity squared

function transformLat(x: number, y: number): number {
  let r = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(y * Math.PI) + 40.0 * Math.sin((y / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((160.0 * Math.sin((y / 12.0) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30.0)) * 2.0) / 3.0;
  return r;
}

function transformLon(x: number, y: number): number {
  let r = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x));
  r += ((20.0 * Math.sin(6.0 * x * Math.PI) + 20.0 * Math.sin(2.0 * x * Math.PI)) * 2.0) / 3.0;
  r += ((20.0 * Math.sin(x * Math.PI) + 40.0 * Math.sin((x / 3.0) * Math.PI)) * 2.0) / 3.0;
  r += ((150.0 * Math.sin((x / 12.0) * Math.PI) + 300.0 * Math.sin((x / 30.0) * Math.PI)) * 2.0) / 3.0;
  return r;
}

/** WGS84 → GCJ-02 (the standard forward formula). */
export function wgs84ToGcj02(p: LatLon): LatLon {
  let dLat = transformLat(p.lon - 105.0, p.lat - 35.0);
  let dLon = transformLon(p.lon - 105.0, p.lat - 35.0);
  const radLat = (p.lat / 180.0) * Math.PI;
  let magic = Math.sin(radLat);
  magic = 1 - EE * magic * magic;
  const sqrtMagic = Math.sqrt(magic);
  dLat = (dLat * 180.0) / (((A * (1 - EE)) / (magic * sqrtMagic)) * Math.PI);
  dLon = (dLon * 180.0) / ((A / sqrtMagic) * Math.cos(radLat) * Math.PI);
  return { lat: p.lat + dLat, lon: p.lon + dLon };
}

/** GCJ-02 → WGS84 by fixed-point iteration of the forward formula (error < 1e-9 degrees). */
export function gcj02ToWgs84(p: LatLon): LatLon {
  let lat = p.lat;
  let lon = p.lon;
  for (let i = 0; i < 30; i++) {
    const g = wgs84ToGcj02({ lat, lon });
    const dLat = g.lat - p.lat;
    const dLon = g.lon - p.lon;
    lat -= dLat;
    lon -= dLon;
    if (Math.abs(dLat) < 1e-10 && Math.abs(dLon) < 1e-10) break;
  }
  return { lat, lon };
}

/** Rounds to 6 decimals (~0.1 m), the precision of the data files. */
export function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}
