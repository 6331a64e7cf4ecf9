/**
 * The printable manifest: one A4 document per route, a QR code per stop (encoding the stop id,
 * which the driver app scans to report events there) and per parcel (encoding the waybill).
 * QR codes are inline SVG from the `qrcode` package: no images to fetch, prints sharp.
 */
import QRCode from 'qrcode';
import type { Manifest, ManifestStop } from './manifest.service.ts';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** Local clock time (China Standard Time, UTC+8) of an ISO instant: "08:35". */
export function clock(iso: string, utcOffsetMinutes = 480): string {
  const d = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
  return d.toISOString().slice(11, 16);
}

async function qr(text: string, cssClass: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  // The generated SVG has no size; the class sets it. data-qr lets tests and scanners find it.
  return svg.replace('<svg ', `<svg class="${cssClass}" data-qr="${esc(text)}" role="img" aria-label="QR ${esc(text)}" `);
}

const kg = (g: number) => (g / 1000).toFixed(1);

async function stopSection(m: Manifest, s: ManifestStop): Promise<string> {
  const place = s.station ? `${esc(s.station.name)} <span class="code">${esc(s.station.code)}</span>${s.station.township ? ` · ${esc(s.station.township)}` : ''}` : esc(s.hub?.name ?? s.kind);
  const rows: string[] = [];
  for (const p of s.parcels) {
    const flags = [p.coldChain ? '冷链' : '', p.fragile ? '易碎' : '', p.codAmountFen > 0 ? `代收 ¥${(p.codAmountFen / 100).toFixed(2)}` : ''].filter(Boolean).join(' ');
    rows.push(
      `<tr><td class="qrcell">${await qr(p.waybill, 'qr-parcel')}</td><td><b>${esc(p.waybill)}</b><br>${esc(p.courier)}</td><td>${esc(p.recipient.name)}<br>${esc(p.recipient.phone)}</td><td>${kg(p.weightG)} kg${flags ? `<br>${esc(flags)}` : ''}</td><td class="check">☐</td></tr>`,
    );
  }
  const pickups = s.pickups
    .map((p) => `<li>取件 ${esc(p.id.slice(0, 8))} · ${esc(p.courier ?? '—')} · ${esc(p.shipper.name)} ${esc(p.shipper.phone)} · ${p.pieces} 件 ${kg(p.weightG)} kg${p.coldChain ? ' · 冷链' : ''}${p.description ? ` · ${esc(p.description)}` : ''} ☐</li>`)
    .join('');
  const bins = s.bins.map((b) => `<li>${esc(b.courier)}: ${b.parcels} 件 ${kg(b.weightG)} kg ☐</li>`).join('');
  return `<section class="stop">
  <header><div class="stopqr">${await qr(s.stopId, 'qr-stop')}</div>
  <div><h2>${s.seq}. ${place}</h2>
  <p>趟次 trip ${s.trip} · 预计到达 ETA <b>${clock(s.eta)}</b> · 离开 ${clock(s.departureAt)} · 派件 ${s.parcels.length + s.bins.reduce((a, b) => a + b.parcels, 0)} · 取件 ${s.pickups.length + s.pickupsToCollect}</p></div></header>
  ${rows.length > 0 ? `<table><thead><tr><th>QR</th><th>运单号 waybill / 快递</th><th>收件人 recipient</th><th>重量</th><th>签收</th></tr></thead><tbody>${rows.join('')}</tbody></table>` : ''}
  ${bins ? `<ul class="bins">卸货 bins: ${bins}</ul>` : ''}
  ${pickups ? `<ul class="pickups">${pickups}</ul>` : ''}
  ${s.pickupsToCollect > 0 ? `<p>回程取件 ${s.pickupsToCollect} 单 (上行农产品)</p>` : ''}
</section>`;
}

export async function renderManifestHtml(m: Manifest): Promise<string> {
  const service = m.stops.filter((s) => s.kind === 'station' || (s.kind === 'hub' && s.hub?.id !== m.hub.id));
  const sections: string[] = [];
  for (const s of service) sections.push(await stopSection(m, s));
  const loading = m.loadingOrder
    .map((t) => `<li>趟次 ${t.trip}: ${t.stops.map((s) => `${s.seq}. ${esc(s.name)} (${s.parcels})`).join(' → ')}</li>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<title>派送清单 ${esc(m.date)} ${esc(m.vehicle.name)}</title>
<style>
@page { size: A4; margin: 12mm; }
body { font: 11pt/1.35 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #111; margin: 0 auto; max-width: 186mm; }
h1 { font-size: 16pt; margin: 0 0 4pt; } h2 { font-size: 12.5pt; margin: 0 0 2pt; }
.meta { margin: 0 0 8pt; } .code { font-family: monospace; font-size: 9pt; color: #444; }
.stop { border-top: 1.5pt solid #333; padding: 6pt 0; break-inside: avoid-page; }
.stop header { display: flex; gap: 10pt; align-items: center; }
.qr-stop { width: 26mm; height: 26mm; } .qr-parcel { width: 17mm; height: 17mm; display: block; }
table { width: 100%; border-collapse: collapse; margin-top: 4pt; } th, td { border-bottom: 0.5pt solid #bbb; padding: 2pt 4pt; text-align: left; vertical-align: middle; font-size: 9.5pt; }
tr { break-inside: avoid; } td.qrcell { width: 18mm; } td.check { font-size: 14pt; text-align: center; }
ul { margin: 4pt 0; padding-left: 14pt; } .loading { border: 1pt dashed #666; padding: 4pt 8pt; }
@media screen { body { padding: 12px; } }
</style></head>
<body>
<h1>派送清单 Manifest · ${esc(m.date)}</h1>
<p class="meta">${m.tier === 'line_haul' ? '干线 line-haul' : '村级 village'} · 车辆 ${esc(m.vehicle.name)} (${esc(m.vehicle.type)}) · 司机 ${esc(m.driverId ?? '—')} · 出发 ${esc(m.hub.name)} ${clock(m.startAt)} → 返回 ${clock(m.endAt)} · ${m.distanceKm} km · ${m.totals.stops} 站 · ${m.totals.parcels} 件 · ${kg(m.totals.weightG)} kg · 取件 ${m.totals.pickups}<br><span class="code">route ${esc(m.routeId)}</span></p>
<div class="loading"><b>装车顺序 Loading order</b> (先装最后一站 last stop first)<ol>${loading}</ol></div>
${sections.join('\n')}
</body></html>`;
}
