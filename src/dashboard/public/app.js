/* global document, window, sessionStorage, localStorage, fetch, setTimeout, clearTimeout, Blob */
// The dispatcher dashboard: plain ES modules, no build step. Reads the dispatcher API with the
// key kept in sessionStorage (gone when the tab closes) and draws the day on a Leaflet map.
import * as L from '/vendor/leaflet/leaflet-src.esm.js';
import { LABELS } from '/dashboard/i18n.js';

const $ = (sel) => document.querySelector(sel);
const KEY = 'gongpei.dispatcherKey';
const LANG = 'gongpei.lang';
const VILLAGE_COLOURS = ['#1f6fb2', '#138d75', '#7d3c98', '#2e86c1', '#117a65', '#5b2c6f', '#1a5276', '#0e6655', '#6c3483', '#2874a6', '#148f77'];

const state = {
  key: sessionStorage.getItem(KEY),
  lang: localStorage.getItem(LANG) === 'en' ? 'en' : 'zh',
  config: { tileUrl: null, utcOffsetMinutes: 480 },
  plan: null,
  routes: [],
  geo: null,
  kpis: null,
  savings: null,
  selected: null,
  sort: { key: 'tier', dir: 1 },
  pollTimer: null,
  loadSeq: 0,
};

const t = (k) => LABELS[state.lang][k] ?? k;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const fmt = (n, digits = 0) => (n === null || n === undefined || Number.isNaN(n) ? '—' : Number(n).toLocaleString(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits }));
const clock = (iso) => (iso ? new Date(Date.parse(iso) + state.config.utcOffsetMinutes * 60000).toISOString().slice(11, 16) : '—');
const localToday = () => new Date(Date.now() + state.config.utcOffsetMinutes * 60000).toISOString().slice(0, 10);

class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${state.key}` } });
  if (!res.ok) {
    let message = `${res.status}`;
    try {
      message = (await res.json()).error?.message ?? message;
    } catch {
      // not JSON
    }
    throw new HttpError(res.status, message);
  }
  return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
}

// ---------- map ----------
let map;
let networkLayer;
let stationLayer;
let routeLayer;
const routeLines = new Map();

function initMap() {
  map = L.map('map', { zoomControl: true, zoomSnap: 0.25, preferCanvas: false, attributionControl: Boolean(state.config.tileUrl) });
  if (state.config.tileUrl) L.tileLayer(state.config.tileUrl, { maxZoom: 18 }).addTo(map);
  map.setView([36.75, 112.7], 10);
  networkLayer = L.layerGroup().addTo(map);
  routeLayer = L.layerGroup().addTo(map);
  stationLayer = L.layerGroup().addTo(map);
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    div.id = 'legend';
    return div;
  };
  legend.addTo(map);
}

function renderLegend() {
  const el = $('#legend');
  if (!el) return;
  el.innerHTML = `<div><span class="swatch" style="background:var(--line-haul);height:5px"></span>${esc(t('legendLineHaul'))}</div>
    <div><span class="swatch" style="background:${VILLAGE_COLOURS[0]}"></span>${esc(t('legendVillage'))}</div>
    <div>■ ${esc(t('countyWarehouse'))} · ● ${esc(t('townshipCentre'))} · ○ ${esc(t('station'))}</div>`;
}

let network = null;

async function loadNetwork() {
  network = await api('/v1/network.geojson');
  networkLayer.clearLayers();
  const county = network.features.filter((f) => f.properties.layer === 'county');
  const areas = network.features.filter((f) => f.properties.layer === 'township');
  L.geoJSON(areas, {
    style: () => ({ color: '#8a9aa6', weight: 1, dashArray: '3 3', fillColor: '#f7f5ef', fillOpacity: 0.55 }),
    onEachFeature: (f, layer) => layer.bindTooltip(esc(f.properties.name ?? ''), { permanent: true, direction: 'center', className: 'township-label' }),
    interactive: false,
  }).addTo(networkLayer);
  const outline = L.geoJSON(county, { style: () => ({ color: '#17324d', weight: 2.5, fill: false }), interactive: false }).addTo(networkLayer);
  if (county.length > 0) map.fitBounds(outline.getBounds(), { padding: [10, 10] });
  else {
    const pts = network.features.filter((f) => f.geometry.type === 'Point').map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    if (pts.length > 0) map.fitBounds(L.latLngBounds(pts), { padding: [20, 20] });
  }
  renderStations();
}

function renderStations() {
  if (!network) return;
  stationLayer.clearLayers();
  const loads = state.kpis?.stations ?? {};
  for (const f of network.features) {
    const [lon, lat] = f.geometry.coordinates ?? [];
    const p = f.properties;
    if (p.layer === 'station') {
      const load = loads[p.code] ?? { parcels: 0, pickups: 0 };
      const n = load.parcels + load.pickups;
      L.circleMarker([lat, lon], { radius: n === 0 ? 2.5 : Math.min(16, 3 + Math.sqrt(n) * 1.1), color: '#34495e', weight: 1, fillColor: n === 0 ? '#bdc3c7' : '#f5b041', fillOpacity: 0.85 })
        .bindTooltip(`${esc(p.name)} · ${esc(p.township ?? '')}<br>${esc(t('parcels'))} ${n === 0 ? 0 : load.parcels} · ${esc(t('pickups'))} ${load.pickups}`)
        .addTo(stationLayer);
    } else if (p.layer === 'hub') {
      const county = p.kind === 'county_warehouse';
      const marker = county
        ? L.marker([lat, lon], { icon: L.divIcon({ className: '', html: '<div style="width:16px;height:16px;background:#17324d;border:2px solid #fff;box-shadow:0 0 3px #000"></div>', iconSize: [16, 16], iconAnchor: [8, 8] }) })
        : L.circleMarker([lat, lon], { radius: 7, color: '#fff', weight: 2, fillColor: '#17324d', fillOpacity: 1 });
      marker.bindTooltip(`${esc(p.name)}<br>${esc(county ? t('countyWarehouse') : t('townshipCentre'))}`).addTo(stationLayer);
    }
  }
}

function hubColour(hubId) {
  const hubs = [...new Set(state.routes.filter((r) => r.tier === 'village').map((r) => r.hubId))].sort();
  return VILLAGE_COLOURS[Math.max(0, hubs.indexOf(hubId)) % VILLAGE_COLOURS.length];
}
const routeColour = (r) => (r.tier === 'line_haul' ? '#c0392b' : hubColour(r.hubId));

function renderRoutesOnMap() {
  routeLayer.clearLayers();
  routeLines.clear();
  const byId = new Map(state.routes.map((r) => [r.id, r]));
  for (const f of state.geo?.features ?? []) {
    if (f.geometry.type !== 'LineString') continue;
    const r = byId.get(f.properties.routeId);
    if (!r) continue;
    const line = L.polyline(
      f.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
      { color: routeColour(r), weight: r.tier === 'line_haul' ? 4 : 2.5, opacity: 0.85, dashArray: r.tier === 'line_haul' ? '8 5' : null },
    );
    line.on('click', () => selectRoute(r.id));
    line.bindTooltip(`${esc(r.vehicleId)} · ${esc(t(r.tier))} · ${fmt(r.distanceM / 1000, 1)} km`, { sticky: true });
    line.addTo(routeLayer);
    line.getElement?.()?.setAttribute('data-route-id', r.id);
    routeLines.set(r.id, line);
  }
  styleSelection();
}

function styleSelection() {
  for (const [id, line] of routeLines) {
    const r = state.routes.find((x) => x.id === id);
    const sel = state.selected === id;
    const dim = state.selected !== null && !sel;
    line.setStyle({ weight: sel ? 6 : r.tier === 'line_haul' ? 4 : 2.5, opacity: dim ? 0.3 : 0.9 });
    line.getElement?.()?.classList.toggle('route-selected', sel);
    if (sel) line.bringToFront();
  }
}

// ---------- route table ----------
function rowValues(r) {
  const stops = r.stops.filter((s) => s.kind === 'station' || (s.kind === 'hub' && s.hubId !== r.hubId)).length;
  const kg = (r.load.peak[0] ?? 0) / 1000;
  const capKg = (r.load.capacity[0] ?? 0) / 1000;
  const m3 = (r.load.peak[1] ?? 0) / 1e6;
  const capM3 = (r.load.capacity[1] ?? 0) / 1e6;
  return { vehicle: r.vehicleId, tier: r.tier, stops, kg, capKg, m3, capM3, km: r.distanceM / 1000, start: r.startAt, end: r.endAt };
}

function loadCell(v, cap, digits) {
  const share = cap > 0 ? v / cap : 0;
  return `${fmt(v, digits)} / ${fmt(cap, digits)} <span class="bar${share > 0.9 ? ' hot' : ''}" style="width:${Math.round(Math.min(1, share) * 50)}px"></span> ${fmt(share * 100)}%`;
}

function renderTable() {
  const rows = state.routes.map((r) => ({ r, v: rowValues(r) }));
  const { key, dir } = state.sort;
  rows.sort((a, b) => {
    const x = key === 'kg' ? a.v.kg / (a.v.capKg || 1) : key === 'm3' ? a.v.m3 / (a.v.capM3 || 1) : a.v[key];
    const y = key === 'kg' ? b.v.kg / (b.v.capKg || 1) : key === 'm3' ? b.v.m3 / (b.v.capM3 || 1) : b.v[key];
    return (x < y ? -1 : x > y ? 1 : a.r.id < b.r.id ? -1 : 1) * dir;
  });
  for (const th of document.querySelectorAll('#routes th')) th.setAttribute('aria-sort', th.dataset.sort === key ? (dir > 0 ? 'ascending' : 'descending') : 'none');
  $('#routes tbody').innerHTML = rows
    .map(
      ({ r, v }) => `<tr data-route-id="${esc(r.id)}" class="${state.selected === r.id ? 'selected' : ''}">
      <td><span class="swatch" style="background:${routeColour(r)}"></span>${esc(v.vehicle)}</td><td>${esc(t(v.tier))}</td><td>${v.stops}</td>
      <td>${loadCell(v.kg, v.capKg, 0)}</td><td>${loadCell(v.m3, v.capM3, 2)}</td><td>${fmt(v.km, 1)}</td><td>${clock(v.start)}</td><td>${clock(v.end)}</td></tr>`,
    )
    .join('');
}

function renderRouteDetail() {
  const r = state.routes.find((x) => x.id === state.selected);
  const el = $('#routeDetail');
  if (!r) {
    el.innerHTML = `<p class="hint">${esc(t('clickRoute'))}</p>`;
    return;
  }
  const v = rowValues(r);
  el.innerHTML = `<h3><span class="swatch" style="background:${routeColour(r)}"></span>${esc(r.vehicleId)}</h3>
    <div>${esc(t(r.tier))} · ${fmt(v.km, 1)} km · ${clock(r.startAt)}–${clock(r.endAt)} · ${v.stops} ${esc(t('stops'))}</div>
    <button type="button" id="manifestBtn">${esc(t('manifest'))}</button>
    <ol id="stopList">${r.stops
      .map((s) => `<li data-seq="${s.seq}"><b>${esc(s.name ?? s.stationCode ?? s.hubId ?? s.kind)}</b> · ${esc(t('eta'))} ${clock(s.arrivalAt)}${r.trips > 1 ? ` · ${esc(t('trip'))} ${s.trip}` : ''}${s.deliverCount || s.pickupCount ? ` · ${esc(t('deliver'))} ${s.deliverCount} / ${esc(t('pickup'))} ${s.pickupCount}` : ''}</li>`)
      .join('')}</ol>`;
  $('#manifestBtn').addEventListener('click', () => openManifest(r.id));
}

async function openManifest(routeId) {
  // A new tab cannot send the Bearer key: fetch the printable HTML here and open it as a blob.
  const win = window.open('', '_blank');
  const html = await api(`/v1/manifests/${encodeURIComponent(routeId)}.html`);
  const url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
  if (win) win.location.href = url;
  else window.location.href = url;
}

function selectRoute(id) {
  state.selected = state.selected === id ? null : id;
  styleSelection();
  renderTable();
  renderRouteDetail();
  const line = routeLines.get(state.selected);
  // Move the map only when the route is not already in view: no jumping while comparing routes.
  if (line && !map.getBounds().contains(line.getBounds())) map.fitBounds(line.getBounds(), { padding: [30, 30], maxZoom: 13 });
}

// ---------- KPIs ----------
function kpi(label, value, id) {
  return `<div class="kpi"${id ? ` id="${id}"` : ''}><div class="v">${value}</div><div class="l">${esc(label)}</div></div>`;
}

function bars(rec) {
  const entries = Object.entries(rec ?? {}).sort((a, b) => b[1] - a[1]);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  return entries.length === 0 ? `<div class="hint">${esc(t('notYet'))}</div>` : entries.map(([k, n]) => `<div><span>${esc(k)}</span><span>${fmt(n)}<span class="bar" style="width:${Math.round((n / max) * 60)}px"></span></span></div>`).join('');
}

function renderKpis() {
  const k = state.kpis;
  const c = state.plan?.counts;
  const lineHaul = state.routes.filter((r) => r.tier === 'line_haul').length;
  const village = state.routes.length - lineHaul;
  const onTime = k?.delivery?.onTimeShare;
  $('#kpis').innerHTML = [
    kpi(t('parcels'), fmt(k?.parcels.total ?? c?.parcels?.eligible)),
    kpi(t('pickups'), fmt(k?.pickups.total ?? c?.pickups?.eligible)),
    kpi(t('routes'), `${fmt(state.routes.length)} <small>(${esc(t('line_haul'))} ${lineHaul} · ${esc(t('village'))} ${village})</small>`, 'kpiRoutes'),
    kpi(t('stationsServed'), fmt(c?.stationsServed)),
    kpi(t('unassigned'), fmt(k?.unassigned.total)),
    kpi(`${t('delivered')} / ${t('failedDeliveries')}`, `${fmt(k?.delivery.delivered)} / ${fmt(k?.delivery.failed)}`, 'kpiDelivered'),
    kpi(t('onTime'), onTime === null || onTime === undefined ? '—' : `${fmt(onTime * 100, 1)}%`, 'kpiOnTime'),
  ].join('');
  $('#breakdown').innerHTML = `<div class="cols">
    <div><h3>${esc(t('byCourier'))}</h3><div class="list">${bars(k?.parcels.byCourier)}</div></div>
    <div><h3>${esc(t('byTownship'))}</h3><div class="list">${bars(k?.parcels.byTownship)}</div></div>
    <div><h3>${esc(t('reasons'))}</h3><div class="list">${bars(k?.unassigned.byReason)}</div><h3>${esc(t('pickups'))}</h3><div class="list">${bars(Object.fromEntries(Object.entries(k?.pickups.byStatus ?? {}).map(([s, n]) => [t(`status_${s}`), n])))}</div></div></div>`;
  const s = state.savings;
  if (!s) {
    $('#savings').innerHTML = `<h3>${esc(t('savingsTitle'))}</h3><p class="hint">${esc(t('noSavings'))}</p>`;
    return;
  }
  const row = (key, digits = 0) => {
    const share = s.savedShare?.[key];
    return `<tr><td>${esc(t(key))}</td><td>${fmt(s.joint[key], digits)}</td><td>${fmt(s.separate[key], digits)}</td><td class="good">${fmt(s.saved[key], digits)}${share !== undefined ? ` (${fmt(share * 100, 1)}%)` : ''}</td></tr>`;
  };
  $('#savings').innerHTML = `<h3>${esc(t('savingsTitle'))}</h3><table><thead><tr><th></th><th>${esc(t('joint'))}</th><th>${esc(t('separate'))}</th><th>${esc(t('saved'))}</th></tr></thead>
    <tbody>${row('km', 1)}${row('vehicleDays')}${row('driverHours', 1)}${row('costYuan')}${row('co2Kg')}</tbody></table>`;
}

// ---------- plan status ----------
function renderPlanStatus() {
  const el = $('#planStatus');
  const btn = $('#planBtn');
  const p = state.plan;
  if (!p) {
    el.innerHTML = `<span class="badge">${esc(t('noPlan'))}</span>`;
    btn.hidden = false;
    btn.textContent = t('planDay');
    return;
  }
  const busy = p.status === 'queued' || p.status === 'running';
  el.innerHTML = `<span class="badge ${esc(p.status)}" id="planBadge" data-status="${esc(p.status)}">${esc(t(p.status))}</span>${busy ? `<progress max="100" value="${p.progress}"></progress> ${p.progress}%` : ''}${p.status === 'failed' && p.error ? ` <span class="error">${esc(p.error)}</span>` : ''}`;
  btn.hidden = busy;
  btn.textContent = t('replan');
}

async function loadDay(date) {
  const seq = ++state.loadSeq;
  clearTimeout(state.pollTimer);
  const { plans } = await api(`/v1/plans?date=${encodeURIComponent(date)}`);
  if (seq !== state.loadSeq) return;
  state.plan = plans[0] ?? null;
  renderPlanStatus();
  if (state.plan && (state.plan.status === 'queued' || state.plan.status === 'running')) {
    state.pollTimer = setTimeout(() => loadDay(date).catch(showError), 1500);
  }
  if (!state.plan || state.plan.status !== 'completed') {
    state.routes = [];
    state.geo = null;
    state.kpis = null;
    state.savings = null;
  } else {
    const id = encodeURIComponent(state.plan.id);
    const [routes, geo, kpis, savings] = await Promise.all([
      api(`/v1/plans/${id}/routes`),
      api(`/v1/plans/${id}/routes.geojson`).then((x) => (typeof x === 'string' ? JSON.parse(x) : x)),
      api(`/v1/dashboard/kpis?planId=${id}`),
      api(`/v1/plans/${id}/savings`).catch(() => null),
    ]);
    if (seq !== state.loadSeq) return;
    state.routes = routes.routes;
    state.geo = geo;
    state.kpis = kpis;
    state.savings = savings;
  }
  if (!state.routes.some((r) => r.id === state.selected)) state.selected = null;
  renderAll();
}

function renderAll() {
  renderPlanStatus();
  renderKpis();
  renderRoutesOnMap();
  renderStations();
  renderTable();
  renderRouteDetail();
  renderLegend();
}

function applyLang() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  $('#langBtn').textContent = state.lang === 'zh' ? 'EN' : '中文';
  document.title = t('title');
}

function showError(err) {
  if (err instanceof HttpError && (err.status === 401 || err.status === 403)) {
    signOut(t('badKey'));
    return;
  }
  $('#planStatus').innerHTML = `<span class="error">${esc(t('error'))}: ${esc(err.message)}</span>`;
}

function signOut(message = '') {
  sessionStorage.removeItem(KEY);
  state.key = null;
  $('#main').hidden = true;
  $('#signOutBtn').hidden = true;
  $('#signInError').textContent = message;
  if (!$('#signIn').open) $('#signIn').showModal();
}

async function start() {
  $('#main').hidden = false;
  $('#signOutBtn').hidden = false;
  if (!map) initMap();
  map.invalidateSize();
  const dateInput = $('#date');
  if (!dateInput.value) {
    const { plans } = await api('/v1/plans');
    dateInput.value = plans[0]?.date ?? localToday();
  }
  await loadNetwork();
  await loadDay(dateInput.value);
}

async function boot() {
  try {
    state.config = await (await fetch('/dashboard-config.json')).json();
  } catch {
    // defaults
  }
  applyLang();
  $('#langBtn').addEventListener('click', () => {
    state.lang = state.lang === 'zh' ? 'en' : 'zh';
    localStorage.setItem(LANG, state.lang);
    applyLang();
    if (state.key) renderAll();
  });
  $('#signOutBtn').addEventListener('click', () => signOut());
  $('#signInForm').addEventListener('submit', (e) => {
    e.preventDefault();
    state.key = $('#keyInput').value.trim();
    api('/v1/plans')
      .then(() => {
        sessionStorage.setItem(KEY, state.key);
        $('#signIn').close();
        $('#keyInput').value = '';
        return start();
      })
      .catch((err) => {
        $('#signInError').textContent = err.status === 401 || err.status === 403 ? t('badKey') : err.message;
      });
  });
  $('#date').addEventListener('change', (e) => loadDay(e.target.value).catch(showError));
  $('#planBtn').addEventListener('click', () => {
    api('/v1/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ date: $('#date').value }) })
      .then(() => loadDay($('#date').value))
      .catch(showError);
  });
  $('#routes thead').addEventListener('click', (e) => {
    const key = e.target.closest('th')?.dataset.sort;
    if (!key) return;
    state.sort = { key, dir: state.sort.key === key ? -state.sort.dir : 1 };
    renderTable();
  });
  $('#routes tbody').addEventListener('click', (e) => {
    const id = e.target.closest('tr')?.dataset.routeId;
    if (id) selectRoute(id);
  });
  if (state.key) start().catch(showError);
  else signOut();
}

boot();
