/**
 * The printable manifest: A4, made to be carried and signed.
 *
 * Every stop the driver serves is numbered (reloads included) and is one table whose header — the
 * stop's number, place, keeper and phone, ETA, totals (parcels, kg, m³, cash on delivery), the
 * keeper's signature line and ONE QR code, the stop's event link in the driver view — repeats at
 * the top of each page the stop runs onto, so a long stop splits across pages instead of pushing
 * whole pages blank. Parcels are one compact row each (full waybill, masked phone, marks), and
 * delivered or failed parcels print as such once the driver has reported them. The page footer
 * (CSS margin boxes) names the route and date and counts pages "x / y". QR codes are inline SVG
 * from the `qrcode` package: nothing to fetch, sharp on paper. The footer's 第…页 are also set,
 * invisibly, in the page, so the web font slice holding them is loaded before anyone prints.
 */
import QRCode from 'qrcode';
import type { Manifest, ManifestParcel, ManifestPickup, ManifestStop } from './manifest.service.ts';

const esc = (s: unknown): string =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** A CSS string literal (for the page footer's `content`). */
const cssString = (s: string): string => `"${s.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\n\r]/g, ' ')}"`;

/** Local clock time (the network's, from TIMEZONE) of an ISO instant: "08:35". */
export function clock(iso: string, utcOffsetMinutes: number): string {
  const d = new Date(Date.parse(iso) + utcOffsetMinutes * 60_000);
  return d.toISOString().slice(11, 16);
}

async function qr(text: string, cssClass: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 0, errorCorrectionLevel: 'M' });
  // The generated SVG has no size; the class sets it. data-qr lets tests and scanners find it.
  return svg.replace('<svg ', `<svg class="${cssClass}" data-qr="${esc(text)}" role="img" aria-label="QR ${esc(text)}" `);
}

/**
 * The served Chinese web font first, everywhere on paper, the page footer too: a printer's (or a
 * headless browser's) plain sans-serif or monospace may have no Chinese glyphs, and 第…页 or
 * 取件 then print as empty boxes. Monospace text (waybills, ids, phones) falls back to it per glyph.
 */
const FONT = '"Noto Sans SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif';
const MONO = 'ui-monospace, "DejaVu Sans Mono", monospace, "Noto Sans SC", "Noto Sans CJK SC"';

const kg = (g: number) => (g / 1000).toFixed(1);
const m3 = (cm3: number) => (cm3 / 1e6).toFixed(3);
const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`;

export interface ManifestHtmlOptions {
  /** Scheme, host and port the driver's phone reaches this server at: the stops' QR links start with it. */
  readonly origin: string;
  /** The network's clock (config TIMEZONE) for the times printed. */
  readonly utcOffsetMinutes: number;
}

/** Where a stop's QR code leads: the driver view, opened at that stop (events are sent from there). */
export const stopLink = (origin: string, stopId: string): string => `${origin}/driver#stop=${encodeURIComponent(stopId)}`;

function parcelMark(p: ManifestParcel): string {
  if (p.status === 'delivered') return '<td class="mark done">✓ 已签收</td>';
  if (p.status === 'failed') return `<td class="mark failed">✗ 未送达${p.failedReason ? ` ${esc(p.failedReason)}` : ''}</td>`;
  return '<td class="mark">☐</td>';
}

function parcelRow(p: ManifestParcel, i: number): string {
  const flags = [p.coldChain ? '冷链' : '', p.fragile ? '易碎' : ''].filter(Boolean).join(' ');
  return `<tr class="parcel status-${esc(p.status)}"><td class="n">${i}</td><td class="wb">${esc(p.waybill)}</td><td>${esc(p.courier)}</td><td>${esc(p.recipient.name)}</td><td class="ph">${esc(p.recipient.phone)}</td><td class="r">${kg(p.weightG)}</td><td class="r">${p.codAmountFen > 0 ? yuan(p.codAmountFen) : ''}</td><td>${flags}</td>${parcelMark(p)}</tr>`;
}

function pickupRow(p: ManifestPickup, i: number): string {
  const mark = p.status === 'picked_up' ? '<td class="mark done">✓ 已取件</td>' : p.status === 'failed' ? '<td class="mark failed">✗ 未取件</td>' : '<td class="mark">☐</td>';
  return `<tr class="pickup status-${esc(p.status)}"><td class="n">${i}</td><td class="wb">取件 ${esc(p.id)}</td><td>${esc(p.courier ?? '—')}</td><td>${esc(p.shipper.name)}</td><td class="ph">${esc(p.shipper.phone)}</td><td class="r">${kg(p.weightG)}</td><td></td><td>${p.pieces} 件${p.coldChain ? ' 冷链' : ''}${p.description ? ` ${esc(p.description)}` : ''}</td>${mark}</tr>`;
}

async function stopTable(s: ManifestStop, origin: string, utcOffsetMinutes: number): Promise<string> {
  const keeper = s.station?.keeper;
  const place = s.station
    ? `<b>${esc(s.station.name)}</b> <span class="code">${esc(s.station.code)}</span>${s.station.township ? ` · ${esc(s.station.township)}` : ''}`
    : `<b>${esc(s.hub?.name ?? s.kind)}</b>`;
  const who = s.station
    ? `站长 keeper: ${keeper?.name ? esc(keeper.name) : '—'} · ☎ ${keeper?.phone ? `<b>${esc(keeper.phone)}</b>` : '—'}`
    : '';
  const t = s.totals;
  const rows = [...s.parcels.map((p, i) => parcelRow(p, i + 1)), ...s.pickups.map((p, i) => pickupRow(p, s.parcels.length + i + 1))];
  for (const b of s.bins) rows.push(`<tr class="bin"><td class="n"></td><td class="wb">卸货 bin · ${esc(b.courier)}</td><td></td><td></td><td></td><td class="r">${kg(b.weightG)}</td><td></td><td>${b.parcels} 件</td><td class="mark">☐</td></tr>`);
  if (s.pickupsToCollect > 0) rows.push(`<tr class="bin"><td class="n"></td><td class="wb" colspan="7">回程取件 return pickups: ${s.pickupsToCollect} 单 (上行农产品)</td><td class="mark">☐</td></tr>`);
  return `<table class="stop" data-stop-number="${s.number}">
<thead>
<tr class="stop-head"><th colspan="9"><div class="sh">
  <div class="qrbox">${await qr(stopLink(origin, s.stopId), 'qr-stop')}</div>
  <div class="who"><div><span class="num">${s.number}</span> ${place}</div>
  <div>${who}${who ? ' · ' : ''}ETA <b>${clock(s.eta, utcOffsetMinutes)}</b>–${clock(s.departureAt, utcOffsetMinutes)} · 趟 trip ${s.trip}</div>
  <div class="tot">派 ${t.parcels} 件 · ${kg(t.weightG)} kg · ${m3(t.volumeCm3)} m³${t.codFen > 0 ? ` · 代收 COD <b>${yuan(t.codFen)}</b>` : ''}${t.pickups > 0 ? ` · 取 ${t.pickups}` : ''}</div></div>
  <div class="sign">签收 signature<br><span class="line"></span></div>
</div></th></tr>
${rows.length > 0 ? '<tr class="cols"><th>#</th><th>运单号 waybill</th><th>快递</th><th>收件人</th><th>电话</th><th>kg</th><th>代收</th><th>备注</th><th>签收</th></tr>' : ''}
</thead>
<tbody>${rows.join('')}</tbody>
</table>`;
}

export async function renderManifestHtml(m: Manifest, options: ManifestHtmlOptions): Promise<string> {
  const sections: string[] = [];
  for (const s of m.stops) {
    if (s.number === null) continue;
    if (s.kind === 'reload') sections.push(`<div class="reload"><span class="num">${s.number}</span> 回站装货 reload · ${esc(s.hub?.name ?? '')} · ${clock(s.eta, options.utcOffsetMinutes)}–${clock(s.departureAt, options.utcOffsetMinutes)} · 趟 trip ${s.trip} → ${s.trip + 1}</div>`);
    else sections.push(await stopTable(s, options.origin, options.utcOffsetMinutes));
  }
  const numberOf = new Map(m.stops.map((s) => [s.stopId, s.number]));
  const loading = m.loadingOrder.map((t) => `<div>趟 trip ${t.trip}: ${t.stops.map((s) => `${numberOf.get(s.stopId) ?? s.seq} (${s.parcels})`).join(' → ')}</div>`).join('');
  const cod = m.stops.reduce((a, s) => a + s.totals.codFen, 0);
  const volume = m.stops.reduce((a, s) => a + s.totals.volumeCm3, 0);
  const tier = m.tier === 'line_haul' ? '干线 line-haul' : '村级 village';
  const footer = `${m.vehicle.name} · ${m.date} · ${m.routeId}`;
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>派送清单 ${esc(m.date)} ${esc(m.vehicle.name)}</title>
<link rel="stylesheet" href="${esc(options.origin)}/vendor/fonts/noto-sans-sc/400.css">
<link rel="stylesheet" href="${esc(options.origin)}/vendor/fonts/noto-sans-sc/700.css">
<style>
@page { size: A4; margin: 9mm 9mm 13mm;
  @bottom-left { content: ${cssString(footer)}; font: 7.5pt ${FONT}; color: #333; }
  @bottom-right { content: "第 " counter(page) " / " counter(pages) " 页 · page " counter(page) " / " counter(pages); font: 7.5pt ${FONT}; color: #333; } }
body { font: 8.5pt/1.3 ${FONT}; color: #111; margin: 0 auto; max-width: 192mm; }
h1 { font-size: 13pt; margin: 0 0 2pt; }
.meta { margin: 0 0 3pt; } .code { font-family: ${MONO}; font-size: 7.5pt; color: #444; }
.loading { border: 0.8pt dashed #666; padding: 2pt 5pt; margin-bottom: 2mm; font-size: 8pt; }
table.stop { width: 100%; border-collapse: collapse; margin-top: 2.5mm; }
table.stop thead { display: table-header-group; }
.stop-head th { text-align: left; font-weight: 400; border-top: 1.2pt solid #000; padding: 1.2mm 0 1mm; }
.sh { display: flex; gap: 3mm; align-items: center; } .who { flex: 1; } .tot { font-size: 8pt; }
.qr-stop { width: 17mm; height: 17mm; display: block; }
.num { display: inline-block; min-width: 6.5mm; padding: 0 1.2mm; border-radius: 3mm; background: #111; color: #fff; font-weight: 700; font-size: 10pt; text-align: center; }
.sign { width: 40mm; font-size: 7pt; color: #444; } .sign .line { display: block; border-bottom: 0.6pt solid #000; height: 7mm; }
tr.cols th { font-size: 7.5pt; text-align: left; border-bottom: 0.6pt solid #333; padding: 0.4mm 1mm; font-weight: 600; }
td { padding: 0.35mm 1mm; border-bottom: 0.3pt solid #bbb; font-size: 8pt; white-space: nowrap; }
td.wb { font-family: ${MONO}; font-size: 8pt; } td.r { text-align: right; } td.n { color: #666; width: 5mm; } td.ph { font-family: ${MONO}; }
td.mark { width: 18mm; } td.mark.done { color: #17522a; font-weight: 700; } td.mark.failed { color: #a0281b; font-weight: 700; white-space: normal; }
tr { break-inside: avoid; }
.reload { margin-top: 2.5mm; padding: 1mm 0; border-top: 1.2pt solid #000; }
.signoff { margin-top: 5mm; border: 0.8pt solid #000; padding: 2mm 3mm; display: grid; grid-template-columns: repeat(3, 1fr); gap: 4mm; break-inside: avoid; }
.signoff div { font-size: 8pt; } .signoff .line { display: block; border-bottom: 0.6pt solid #000; height: 9mm; }
@media screen { body { padding: 12px; } }
/* A phone opening its link: readable type, each stop's table scrolls sideways instead of shrinking the page. */
@media screen and (max-width: 600px) { body { padding: 6px; font-size: 10pt; } table.stop { display: block; overflow-x: auto; } td { font-size: 9.5pt; } }
.glyphs { position: absolute; width: 1px; height: 1px; overflow: hidden; opacity: 0; }
</style></head>
<body>
<span class="glyphs" aria-hidden="true">第页</span>
<h1>派送清单 Manifest · ${esc(m.date)} · ${esc(m.vehicle.name)}</h1>
<p class="meta">${tier} · ${esc(m.vehicle.type)} · 司机 driver ${esc(m.driverName ?? m.driverId ?? '—')} · ${esc(m.hub.name)} ${clock(m.startAt, options.utcOffsetMinutes)} → ${clock(m.endAt, options.utcOffsetMinutes)} · ${m.distanceKm} km · ${m.totals.stops} 站 · ${m.totals.parcels} 件 · ${kg(m.totals.weightG)} kg · ${m3(volume)} m³ · 取件 ${m.totals.pickups}${cod > 0 ? ` · 代收合计 COD ${yuan(cod)}` : ''} <span class="code">${esc(m.routeId)}</span></p>
<div class="loading"><b>装车顺序 loading order</b> (先装最后一站 last stop first; 站号 stop number (件 parcels)) ${loading}</div>
${sections.join('\n')}
<div class="signoff">
  <div>司机 driver<span class="line"></span>日期 date / 时间 time</div>
  <div>调度 dispatcher<span class="line"></span>出车检查 departure check</div>
  <div>回站交接 return hand-over<span class="line"></span>代收款 COD ${yuan(cod)} · 回程取件</div>
</div>
</body></html>`;
}
