/* global document, window, navigator, sessionStorage, localStorage, fetch, setTimeout, clearTimeout, CSS, URLSearchParams */
// The dispatcher dashboard: plain ES modules, no build step. Reads the dispatcher API with the
// key kept in sessionStorage (gone when the tab closes) and draws the day on a Leaflet map.
import * as L from '/vendor/leaflet/leaflet-src.esm.js';
import { LineSymbolizer, leafletLayer, OffsetTextSymbolizer, PolygonSymbolizer } from 'protomaps-leaflet';
import { LABELS } from '/dashboard/i18n.js';
import { createRouteEditor } from '/dashboard/route-edit.js';
import { createStationMover } from '/dashboard/station-move.js';

const $ = (sel) => document.querySelector(sel);
const KEY = 'gongpei.dispatcherKey';
const LANG = 'gongpei.lang';
const COUNTY = 'gongpei.county';

const state = {
  key: sessionStorage.getItem(KEY),
  lang: localStorage.getItem(LANG) === 'en' ? 'en' : 'zh',
  config: { tileUrl: null, utcOffsetMinutes: -new Date().getTimezoneOffset() }, // the server's TIMEZONE replaces this at boot
  plan: null,
  /** The county shown (its code): the key's only county, or the one picked when the key covers several. */
  county: null,
  routes: [],
  geo: null,
  kpis: null,
  savings: null,
  routesById: new Map(),
  colours: new Map(),
  /** GET /v1/drivers?date=: who drives which route, and when they first opened it. */
  drivers: [],
  selected: null,
  visible: { line_haul: true, village: true, unassigned: true, stations: true },
  /** The legend folds away (a phone starts with it folded: it would cover the map's corner). */
  legendOpen: !window.matchMedia?.('(max-width: 600px)').matches,
  sort: { key: 'tier', dir: 1 },
  pollTimer: null,
  loadSeq: 0,
};

const t = (k) => LABELS[state.lang][k] ?? k;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
// One number format per language and digits: toLocaleString with options builds a new
// Intl.NumberFormat on every call, which showed in profiles of route selection.
const numberFormats = new Map();
const fmt = (n, digits = 0) => {
  if (n === null || n === undefined || Number.isNaN(n)) return '—';
  const key = `${state.lang}:${digits}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(state.lang === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits: digits, minimumFractionDigits: digits })));
  return f.format(Number(n));
};
const clock = (iso) => (iso ? new Date(Date.parse(iso) + state.config.utcOffsetMinutes * 60000).toISOString().slice(11, 16) : '—');
const localToday = () => new Date(Date.now() + state.config.utcOffsetMinutes * 60000).toISOString().slice(0, 10);

class HttpError extends Error {
  constructor(status, message, details = []) {
    super(message);
    this.status = status;
    /** The fields the server named: [{ path, message }]. */
    this.details = details;
  }
}

async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${state.key}` } });
  if (!res.ok) {
    let message = `${res.status}`;
    let details = [];
    try {
      const body = await res.json();
      message = body.error?.message ?? message;
      details = body.error?.details ?? [];
    } catch {
      // not JSON
    }
    throw new HttpError(res.status, message, details);
  }
  return res.headers.get('content-type')?.includes('json') ? res.json() : res.text();
}

// ---------- map ----------
// Drawing order, bottom to top: township areas and county outline, station dots, hubs (every
// route starts at one), unassigned stations (a red ring wider than a line, so it shows around the
// routes that pass), route lines, the selected route's numbered stops. Nothing but the numbered
// stops of the chosen route sits above the routes, so a full day's 224 dots never hide them; a
// dot's load is in its tooltip and sizes it only once zoomed in far enough not to overlap.
// While "move stations" is on, the stations are pins above the routes (movePins): the thing to grab.
const PANES = { stations: 410, hubs: 415, unassigned: 417, routes: 420, movePins: 630, labels: 640, selectedStops: 650 };
const LOAD_SIZED_ZOOM = 12;
const LINE_HAUL_COLOUR = '#b03a2e';
let map;
let networkLayer;
const layers = {};
const routeLines = new Map();
const stationMarkers = [];

function initMap() {
  map = L.map('map', { zoomControl: true, zoomSnap: 0.25, preferCanvas: false, attributionControl: Boolean(state.config.tileUrl) });
  for (const [name, z] of Object.entries(PANES)) map.createPane(name).style.zIndex = String(z);
  // Online tiles when configured; otherwise the county's own offline base map (served by the API).
  if (state.config.tileUrl) L.tileLayer(state.config.tileUrl, { maxZoom: 18 }).addTo(map);
  map.setView([36.75, 112.7], 10);
  networkLayer = L.layerGroup().addTo(map);
  layers.stations = L.layerGroup().addTo(map);
  layers.line_haul = L.layerGroup().addTo(map);
  layers.village = L.layerGroup().addTo(map);
  layers.unassigned = L.layerGroup().addTo(map);
  layers.hubs = L.layerGroup().addTo(map);
  layers.selectedStops = L.layerGroup().addTo(map);
  const legend = L.control({ position: 'bottomleft' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    div.id = 'legend';
    L.DomEvent.disableClickPropagation(div);
    div.addEventListener('toggle', (e) => {
      if (e.target.tagName === 'DETAILS') state.legendOpen = e.target.open;
    }, true);
    div.addEventListener('change', (e) => {
      const name = e.target.dataset?.layer;
      if (!name || !layers[name]) return;
      state.visible[name] = e.target.checked;
      if (e.target.checked) layers[name].addTo(map);
      else layers[name].remove();
    });
    return div;
  };
  legend.addTo(map);
  // "Move stations": the dots become pins to drag to where the stations really are (station-move.js).
  const move = L.control({ position: 'topright' });
  move.onAdd = () => {
    const div = L.DomUtil.create('div', 'move-control');
    L.DomEvent.disableClickPropagation(div);
    div.innerHTML = `<button type="button" id="moveModeBtn" aria-pressed="false"></button><div id="moveModeHint" class="move-hint" hidden></div>`;
    div.querySelector('#moveModeBtn').addEventListener('click', () => {
      mover.toggle();
      renderMoveControl();
      renderStations();
    });
    return div;
  };
  move.addTo(map);
  mover.wireDialog();
  map.on('zoomend', sizeStations);
}

function renderLegend() {
  const el = $('#legend');
  if (!el) return;
  const box = (name, label, swatch) =>
    `<label><input type="checkbox" id="toggle-${name}" data-layer="${name}"${state.visible[name] ? ' checked' : ''}> ${swatch}${esc(label)}</label>`;
  const quality = (q) => `<span class="quality-key"><span class="dot station-dot quality-${q}"></span>${esc(t(`quality_${q}`))}</span>`;
  el.innerHTML = `<details${state.legendOpen ? ' open' : ''}><summary>${esc(t('legend'))}</summary>${[
    box('line_haul', t('legendLineHaul'), `<span class="swatch dashed" style="border-color:${LINE_HAUL_COLOUR}"></span>`),
    box('village', t('legendVillage'), '<span class="swatch multi"></span>'),
    box('unassigned', `${t('unassigned')} (${fmt(state.kpis?.unassigned.stations?.length ?? 0)})`, '<span class="dot unassigned-dot"></span>'),
    box('stations', t('station'), '<span class="dot station-dot"></span>'),
    `<div class="quality-keys" id="qualityKeys">${esc(t('quality'))}: ${['known', 'estimated', 'corrected'].map(quality).join(' ')}</div>`,
    `<div class="hubs-key">■ ${esc(t('countyWarehouse'))} · ● ${esc(t('townshipCentre'))}</div>`,
  ].join('')}</details>`;
}

function renderMoveControl() {
  const btn = $('#moveModeBtn');
  if (!btn) return;
  btn.textContent = mover.on ? t('moveStationsDone') : t('moveStations');
  btn.setAttribute('aria-pressed', String(mover.on));
  btn.classList.toggle('on', mover.on);
  const hint = $('#moveModeHint');
  hint.hidden = !mover.on;
  hint.textContent = t('moveHint');
}

let network = null;

const FONT = '"Noto Sans SC", "Noto Sans CJK SC", sans-serif';
let baseMap = null;

/**
 * The offline base map: /tiles/county.pmtiles (vector tiles of the county's townships, roads when
 * supplied, and hub and station names) drawn on canvas by protomaps-leaflet. The names' font
 * slices are loaded first, since a canvas does not wait for web fonts.
 */
async function addBaseMap(names, version = 0) {
  if (state.config.tileUrl || (baseMap && version === 0)) return;
  await document.fonts?.load(`12px ${FONT}`, names).catch(() => {});
  window.L = L; // protomaps-leaflet extends the global L.GridLayer
  const previous = baseMap;
  baseMap = leafletLayer({
    // A new address after a station moved: the archive (and its name labels) was built again.
    url: version === 0 ? '/tiles/county.pmtiles' : `/tiles/county.pmtiles?v=${version}`,
    maxDataZoom: 14,
    attribution: '',
    backgroundColor: '#e4e9eb',
    paintRules: [
      { dataLayer: 'townships', symbolizer: new PolygonSymbolizer({ fill: '#f7f5ef', stroke: '#b7c1c9', width: 0.8 }) },
      { dataLayer: 'roads', symbolizer: new LineSymbolizer({ color: '#d8c39a', width: (z) => (z < 11 ? 0.8 : z < 13 ? 1.8 : 3.5) }) },
      { dataLayer: 'county', symbolizer: new LineSymbolizer({ color: '#17324d', width: 2.5 }) },
    ],
    labelRules: [
      { dataLayer: 'places', minzoom: 11, filter: (z, f) => f.props.kind === 'township_centre' || f.props.kind === 'county_warehouse', symbolizer: new OffsetTextSymbolizer({ font: `600 12px ${FONT}`, fill: '#17324d', stroke: '#fff', width: 3, offsetX: 7, offsetY: 7 }) },
      { dataLayer: 'places', minzoom: 12, filter: (z, f) => f.props.kind === 'station', symbolizer: new OffsetTextSymbolizer({ font: `11px ${FONT}`, fill: '#3d4a55', stroke: '#fff', width: 2.5, offsetX: 5, offsetY: 5 }) },
    ],
  });
  baseMap.addTo(map);
  previous?.remove();
}

/** `?county=…` (or `&county=…`) for the county shown; empty before the counties are known. */
function countyParam(sep) {
  return state.county ? `${sep}county=${encodeURIComponent(state.county)}` : '';
}

/** A driver of the county shown (a key of several counties lists them all). */
const ofCounty = (drivers) => drivers.filter((d) => !state.county || !d.county || d.county === state.county);

/**
 * The counties the key covers: a picker when there are several (the choice is kept for the
 * session), none for one.
 */
async function loadCounties() {
  const { counties } = await api('/v1/counties').catch(() => ({ counties: [] }));
  const kept = sessionStorage.getItem(COUNTY);
  state.county = counties.find((c) => c.id === kept)?.id ?? counties[0]?.id ?? null;
  const picker = $('#countyPicker');
  picker.hidden = counties.length < 2;
  $('#county').innerHTML = counties.map((c) => `<option value="${esc(c.id)}"${c.id === state.county ? ' selected' : ''}>${esc(c.name.includes(c.id) ? c.name : `${c.name} ${c.id}`)}</option>`).join('');
}

async function loadNetwork() {
  network = await api(`/v1/network.geojson${countyParam('?')}`);
  addBaseMap(network.features.map((f) => f.properties.name ?? '').join('')).catch(showError);
  networkLayer.clearLayers();
  const county = network.features.filter((f) => f.properties.layer === 'county');
  const areas = network.features.filter((f) => f.properties.layer === 'township');
  const townships = L.geoJSON(areas, {
    // The base map paints the land; these outlines and labels stay crisp above it.
    style: () => ({ color: '#8a9aa6', weight: 1, dashArray: '3 3', fill: false }),
    interactive: false,
  }).addTo(networkLayer);
  // Township names as markers centred by CSS, not permanent tooltips: a tooltip measures itself
  // (offsetWidth) at every zoom, one forced layout per label, which made up half of the time a
  // route selection that moves the map took.
  townships.eachLayer((layer) => {
    const name = layer.feature?.properties.name;
    if (!name) return;
    L.marker(layer.getCenter(), { pane: 'labels', interactive: false, keyboard: false, icon: L.divIcon({ className: 'township-label', html: `<span>${esc(name)}</span>`, iconSize: null }) }).addTo(networkLayer);
  });
  const outline = L.geoJSON(county, { style: () => ({ color: '#17324d', weight: 2.5, fill: false }), interactive: false }).addTo(networkLayer);
  if (county.length > 0) map.fitBounds(outline.getBounds(), { padding: [10, 10] });
  else {
    const pts = network.features.filter((f) => f.geometry.type === 'Point').map((f) => [f.geometry.coordinates[1], f.geometry.coordinates[0]]);
    if (pts.length > 0) map.fitBounds(L.latLngBounds(pts), { padding: [20, 20] });
  }
  renderStations();
}

/**
 * How sure the position is, by the dot's outline: surveyed (known) a thin dark ring, estimated
 * (placed from the village's name) a dashed amber one, corrected by a dispatcher a green one.
 */
const QUALITY_STYLE = {
  known: { color: '#44525e', weight: 1, dashArray: null },
  estimated: { color: '#b9770e', weight: 1.5, dashArray: '2 2' },
  corrected: { color: '#1e8449', weight: 2, dashArray: null },
};

function stationRadius(n) {
  if (map.getZoom() < LOAD_SIZED_ZOOM || n === 0) return 3;
  return Math.min(11, 3 + Math.sqrt(n) * 0.6);
}

function sizeStations() {
  for (const { marker, n } of stationMarkers) marker.setRadius(stationRadius(n));
}

function renderStations() {
  if (!network) return;
  layers.stations.clearLayers();
  layers.hubs.clearLayers();
  stationMarkers.length = 0;
  const loads = state.kpis?.stations ?? {};
  for (const f of network.features) {
    const [lon, lat] = f.geometry.coordinates ?? [];
    const p = f.properties;
    if (p.layer === 'station') {
      const load = loads[p.code] ?? { parcels: 0, pickups: 0 };
      const n = load.parcels + load.pickups;
      const quality = p.quality ?? 'estimated';
      const tooltip = `${esc(p.name)} · ${esc(p.township ?? '')}<br>${esc(t('parcels'))} ${fmt(load.parcels)} · ${esc(t('pickups'))} ${fmt(load.pickups)}<br>${esc(t('quality'))}: ${esc(t(`quality_${quality}`))}`;
      if (mover.on) {
        mover.pin(f, tooltip).on('click', () => showStation(p.code)).addTo(layers.stations);
        continue;
      }
      const marker = L.circleMarker([lat, lon], { pane: 'stations', radius: stationRadius(n), fillColor: n === 0 ? '#d5dadf' : '#fdfdfd', fillOpacity: 1, className: `station-marker quality-${quality}`, ...QUALITY_STYLE[quality] })
        .bindTooltip(tooltip)
        .on('click', () => showStation(p.code))
        // Tagged on every add (a new <path> each time the layer is shown), from the first one on.
        .on('add', (e) => {
          e.target.getElement()?.setAttribute('data-station', p.code);
          e.target.getElement()?.setAttribute('data-quality', quality);
        })
        .addTo(layers.stations);
      stationMarkers.push({ marker, n });
    } else if (p.layer === 'hub') {
      const county = p.kind === 'county_warehouse';
      const marker = county
        ? L.marker([lat, lon], { pane: 'hubs', icon: L.divIcon({ className: 'hub-county', iconSize: [14, 14], iconAnchor: [7, 7] }) })
        : L.circleMarker([lat, lon], { pane: 'hubs', radius: 5, color: '#fff', weight: 1.5, fillColor: '#17324d', fillOpacity: 1, className: 'hub-marker' });
      marker.bindTooltip(`${esc(p.name)}<br>${esc(county ? t('countyWarehouse') : t('townshipCentre'))}`).addTo(layers.hubs);
    }
  }
}

function renderUnassigned() {
  layers.unassigned.clearLayers();
  const list = state.kpis?.unassigned.stations ?? [];
  for (const u of list) {
    L.circleMarker([u.lat, u.lon], { pane: 'unassigned', radius: 6, color: '#c0392b', weight: 2.5, fill: true, fillColor: '#fff', fillOpacity: 0.6, className: 'unassigned-marker' })
      .bindTooltip(`<b>${esc(u.name)}</b> · ${esc(u.township ?? '')}<br>${esc(t('unassigned'))}: ${esc(t('parcels'))} ${fmt(u.parcels)} · ${esc(t('pickups'))} ${fmt(u.pickups)}<br>${reasonsText(u.byReason)}`)
      .addTo(layers.unassigned);
  }
  const el = $('#unassignedPanel');
  el.innerHTML = `<h3>${esc(t('unassigned'))} · ${fmt(state.kpis?.unassigned.total ?? 0)}</h3>${
    list.length === 0
      ? `<p class="hint">${esc(t('noneUnassigned'))}</p>`
      : `<table id="unassignedList"><thead><tr><th>${esc(t('station'))}</th><th>${esc(t('parcels'))}</th><th>${esc(t('pickups'))}</th><th>${esc(t('reasons'))}</th></tr></thead><tbody>${list
          .map((u) => `<tr data-lat="${u.lat}" data-lon="${u.lon}"><td>${esc(u.name)} <small>${esc(u.township ?? '')}</small></td><td>${fmt(u.parcels)}</td><td>${fmt(u.pickups)}</td><td>${reasonsText(u.byReason)}</td></tr>`)
          .join('')}</tbody></table>`
  }`;
}

/** "no feasible route (12) · beyond the vehicle's range (3)": reason codes translated. */
function reasonsText(byReason) {
  return Object.entries(byReason ?? {})
    .sort((a, b) => b[1] - a[1])
    .map(([code, n]) => `${esc(reasonLabel(code))} (${fmt(n)})`)
    .join(' · ');
}

function reasonLabel(code) {
  const lineHaul = code.startsWith('line_haul_');
  const base = lineHaul ? code.slice('line_haul_'.length) : code;
  const label = LABELS[state.lang][`reason_${base}`] ?? base;
  return lineHaul ? `${t('line_haul')}: ${label}` : label;
}

// One colour per route: golden-angle hues in the order of the table (hub, then vehicle), so two
// routes of the same township sit ~137° apart on the colour wheel; reds are left to line-haul.
function assignColours() {
  state.colours = new Map();
  let i = 0;
  for (const r of state.routes) {
    if (r.tier === 'line_haul') state.colours.set(r.id, LINE_HAUL_COLOUR);
    else {
      const hue = Math.round(25 + ((i * 137.508) % 300));
      const light = i % 2 === 0 ? 36 : 44;
      state.colours.set(r.id, `hsl(${hue}, 72%, ${light}%)`);
      i += 1;
    }
  }
}
const routeColour = (r) => state.colours.get(r.id) ?? '#555';
const baseWeight = (r) => (r.tier === 'line_haul' ? 4 : 3);

function renderRoutesOnMap() {
  layers.line_haul.clearLayers();
  layers.village.clearLayers();
  routeLines.clear();
  const byId = new Map(state.routes.map((r) => [r.id, r]));
  for (const f of state.geo?.features ?? []) {
    if (f.geometry.type !== 'LineString') continue;
    const r = byId.get(f.properties.routeId);
    if (!r) continue;
    const line = L.polyline(
      f.geometry.coordinates.map(([lon, lat]) => [lat, lon]),
      { pane: 'routes', color: routeColour(r), weight: baseWeight(r), opacity: 0.9, dashArray: r.tier === 'line_haul' ? '10 6' : null, className: `route-line tier-${r.tier}` },
    );
    line.on('click', (e) => {
      L.DomEvent.stopPropagation(e);
      selectRoute(r.id);
    });
    line.bindTooltip(`${esc(r.vehicleName)} · ${esc(t(r.tier))} · ${fmt(r.distanceM / 1000, 1)} km`, { sticky: true });
    // Leaflet makes a new <path> each time a layer is added (the toggles): tag it every time.
    line.on('add', () => line.getElement()?.setAttribute('data-route-id', r.id));
    line.addTo(r.tier === 'line_haul' ? layers.line_haul : layers.village);
    routeLines.set(r.id, line);
  }
  styleSelection();
}

/** Stops a driver serves, numbered 1…n in driving order: stations, other hubs and reloads. */
function numberedStops(r) {
  let n = 0;
  return r.stops.filter((s) => s.kind === 'station' || s.kind === 'reload' || (s.kind === 'hub' && s.hubId !== r.hubId)).map((s) => ({ ...s, number: ++n }));
}

function styleSelection() {
  const sel = state.selected;
  for (const [id, line] of routeLines) {
    const r = state.routesById.get(id);
    const isSel = sel === id;
    line.setStyle({ weight: isSel ? 6 : baseWeight(r), opacity: sel !== null && !isSel ? 0.25 : 0.9 });
    line.getElement?.()?.classList.toggle('route-selected', isSel);
  }
  routeLines.get(sel)?.bringToFront();
  layers.selectedStops.clearLayers();
  const r = state.routesById.get(sel);
  // While the route is being edited the map shows the draft's numbers instead (route-edit.js).
  if (!r || editor.active(r.id)) return;
  const colour = routeColour(r);
  for (const s of numberedStops(r)) {
    if (s.lat === null || s.lon === null) continue;
    L.marker([s.lat, s.lon], {
      pane: 'selectedStops',
      icon: L.divIcon({ className: 'stop-number', html: `<span style="background:${colour}">${s.number}</span>`, iconSize: [22, 22], iconAnchor: [11, 11] }),
      keyboard: false,
    })
      .bindTooltip(`${s.number}. ${esc(s.name ?? '')} · ${esc(t('eta'))} ${clock(s.arrivalAt)}`)
      .on('click', () => {
        const li = document.querySelector(`#stopList li[data-seq="${s.seq}"]`);
        li?.scrollIntoView({ block: 'nearest' });
        for (const x of document.querySelectorAll('#stopList li.current')) x.classList.remove('current');
        li?.classList.add('current');
      })
      .addTo(layers.selectedStops);
  }
}

// ---------- station card: the keeper (站长) and phone, kept by the dispatcher ----------
/** Same rule as the server's (PATCH /v1/stations/{code}): digits, spaces, dashes, an optional leading +. */
const PHONE_PATTERN = '\\+?[\\d\\- ]{5,20}';
let shownStation = null;
/** The station just moved: its card says the next plan uses the new position. */
let stationMoveNotice = null;

const mover = createStationMover({
  api,
  t,
  esc,
  fmt,
  clock,
  L,
  get map() {
    return map;
  },
  stationFeature,
  showError,
  onMoved: (code) => {
    addBaseMap('', Date.now()).catch(showError);
    stationMoveNotice = code;
    shownStation = code;
    renderStations();
    renderStationCard();
  },
});

function stationFeature(code) {
  return network?.features.find((f) => f.properties.layer === 'station' && f.properties.code === code) ?? null;
}

/** Shows a station's card (from its dot on the map or its stop in a route's list) with the keeper form. */
function showStation(code) {
  const f = stationFeature(code);
  if (!f) return;
  if (shownStation !== code) stationMoveNotice = null;
  shownStation = code;
  renderStationCard();
  $('#stationCard').scrollIntoView({ block: 'nearest' });
}

function renderStationCard() {
  const el = $('#stationCard');
  const p = stationFeature(shownStation)?.properties;
  if (!p) {
    el.hidden = true;
    el.innerHTML = '';
    return;
  }
  const load = state.kpis?.stations?.[p.code] ?? { parcels: 0, pickups: 0 };
  const [lon, lat] = stationFeature(shownStation).geometry.coordinates;
  const quality = p.quality ?? 'estimated';
  el.hidden = false;
  el.innerHTML = `<div class="card-head"><h3>${esc(p.name)}</h3><button type="button" id="stationClose" aria-label="${esc(t('close'))}">×</button></div>
    <div class="hint">${esc(p.township ?? '')} · <code>${esc(p.code)}</code> · ${esc(t('parcels'))} ${fmt(load.parcels)} · ${esc(t('pickups'))} ${fmt(load.pickups)}</div>
    ${stationMoveNotice === p.code ? `<p class="notice" id="moveNotice" role="status">${esc(t('moveSaved'))}</p>` : ''}
    <div class="position" id="stationPosition" data-quality="${esc(quality)}">${esc(t('position'))} ${fmt(lat, 5)}, ${fmt(lon, 5)} <span class="quality-badge quality-${esc(quality)}">${esc(t(`quality_${quality}`))}</span></div>
    <button type="button" id="moveHistoryBtn" class="link">${esc(t('moveHistory'))}</button><div id="moveHistoryList"></div>
    <form id="keeperForm" novalidate>
      <label>${esc(t('keeperName'))} <input id="keeperName" name="keeperName" maxlength="32" autocomplete="off" value="${esc(p.keeperName ?? '')}"></label>
      <label>${esc(t('keeperPhone'))} <input id="keeperPhone" name="keeperPhone" type="tel" inputmode="tel" pattern="${PHONE_PATTERN}" maxlength="20" autocomplete="off" value="${esc(p.keeperPhone ?? '')}"></label>
      <button type="submit" id="keeperSave">${esc(t('save'))}</button> <span id="keeperStatus" class="hint" role="status"></span>
      <p id="keeperError" class="error" role="alert"></p>
    </form>`;
  $('#stationClose').addEventListener('click', () => {
    shownStation = null;
    stationMoveNotice = null;
    renderStationCard();
  });
  $('#moveHistoryBtn').addEventListener('click', () => mover.loadHistory(p.code, $('#moveHistoryList')).catch(showError));
  $('#keeperForm').addEventListener('submit', (e) => {
    e.preventDefault();
    saveKeeper(p.code).catch(showError);
  });
}

/** PATCH /v1/stations/{code}: an empty field clears it; the browser checks the phone first, the server again. */
async function saveKeeper(code) {
  const name = $('#keeperName');
  const phone = $('#keeperPhone');
  const error = $('#keeperError');
  error.textContent = '';
  $('#keeperStatus').textContent = '';
  phone.setCustomValidity('');
  if (!phone.checkValidity()) {
    error.textContent = `${t('keeperPhone')}: ${t('badPhone')}`;
    phone.focus();
    return;
  }
  const body = { keeperName: name.value.trim() || null, keeperPhone: phone.value.trim() || null };
  try {
    const saved = await api(`/v1/stations/${encodeURIComponent(code)}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const f = stationFeature(code);
    if (f) Object.assign(f.properties, { keeperName: saved.keeperName, keeperPhone: saved.keeperPhone });
    if (shownStation === code) {
      renderStationCard();
      $('#keeperStatus').textContent = t('keeperSaved');
    }
  } catch (err) {
    if (err.status !== 400) throw err;
    const fields = { keeperName: t('keeperName'), keeperPhone: t('keeperPhone') };
    error.textContent = err.details.length > 0 ? err.details.map((d) => `${fields[d.path] ?? d.path}: ${d.message}`).join(' · ') : err.message;
  }
}

// ---------- route table ----------
function rowValues(r) {
  const stops = numberedStops(r).filter((s) => s.kind !== 'reload').length;
  const kg = (r.load.peak[0] ?? 0) / 1000;
  const capKg = (r.load.capacity[0] ?? 0) / 1000;
  const m3 = (r.load.peak[1] ?? 0) / 1e6;
  const capM3 = (r.load.capacity[1] ?? 0) / 1e6;
  return { vehicle: r.vehicleName, tier: r.tier, stops, kg, capKg, m3, capM3, km: r.distanceM / 1000, start: r.startAt, end: r.endAt };
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

function markSelectedRow() {
  for (const tr of document.querySelectorAll('#routes tbody tr.selected')) tr.classList.remove('selected');
  if (state.selected) document.querySelector(`#routes tbody tr[data-route-id="${CSS.escape(state.selected)}"]`)?.classList.add('selected');
}

function renderRouteDetail() {
  const r = state.routesById.get(state.selected);
  const el = $('#routeDetail');
  if (!r) {
    el.innerHTML = `<p class="hint">${esc(t('clickRoute'))}</p>`;
    return;
  }
  if (editor.active(r.id)) {
    editor.render(el);
    return;
  }
  const v = rowValues(r);
  const numbers = new Map(numberedStops(r).map((s) => [s.seq, s.number]));
  const editable = r.tier === 'village' && state.plan?.replacedByPlanId === null && state.plan?.state !== 'closed';
  el.innerHTML = `${state.editNotice ? `<p class="notice" id="editNotice" role="status">${esc(state.editNotice)}</p>` : ''}<h3><span class="swatch" style="background:${routeColour(r)}"></span>${esc(r.vehicleName)}</h3>
    <div>${esc(t(r.tier))} · ${fmt(v.km, 1)} km · ${clock(r.startAt)}–${clock(r.endAt)} · ${v.stops} ${esc(t('stops'))}</div>
    ${driverControl(r)}
    <button type="button" id="manifestBtn">${esc(t('manifest'))}</button>${editable ? ` <button type="button" id="editRouteBtn">${esc(t('editStops'))}</button>` : ''}<div id="manifestLink"></div>
    <ol id="stopList">${r.stops
      .map((s) => {
        const n = numbers.get(s.seq);
        const label = s.kind === 'reload' ? `${t('reload')} · ${s.name ?? ''}` : s.kind === 'start' ? `${t('depart')} · ${s.name ?? ''}` : s.kind === 'end' ? `${t('return')} · ${s.name ?? ''}` : (s.name ?? s.stationCode ?? s.hubId ?? s.kind);
        return `<li data-seq="${s.seq}" class="stop-${esc(s.kind)}"><span class="num" style="${n ? `background:${routeColour(r)}` : ''}">${n ?? ''}</span><b>${esc(label)}</b> · ${esc(t('eta'))} ${clock(s.arrivalAt)}${r.trips > 1 ? ` · ${esc(t('trip'))} ${s.trip}` : ''}${s.deliverCount || s.pickupCount ? ` · ${esc(t('deliver'))} ${s.deliverCount} / ${esc(t('pickup'))} ${s.pickupCount}` : ''}</li>`;
      })
      .join('')}</ol>`;
  $('#manifestBtn').addEventListener('click', () => openManifest(r.id).catch(showError));
  $('#editRouteBtn')?.addEventListener('click', () => {
    state.editNotice = null;
    editor.start(r.id);
    styleSelection();
    renderRouteDetail();
  });
  $('#driverSelect').addEventListener('change', (e) => assignDriver(r, e.target.value).catch(showError));
  $('#signInLinkBtn')?.addEventListener('click', () => showSignInLink(r).catch(showError));
}

// ---------- drivers ----------
/** The driver select of a route (its vehicle's driver that day) and when the driver first opened it. */
function driverControl(r) {
  const current = state.drivers.find((d) => d.routes.some((x) => x.routeId === r.id));
  const opened = current?.routes.find((x) => x.routeId === r.id)?.firstOpenedAt ?? null;
  const options = state.drivers
    .filter((d) => d.active || d.id === current?.id)
    .map((d) => `<option value="${esc(d.id)}"${d.id === current?.id ? ' selected' : ''}>${esc(d.name)}${d.vehicleId && d.vehicleId !== r.vehicleId ? ` (${esc(d.vehicleId)})` : ''}</option>`)
    .join('');
  const seen = current ? (opened ? `${esc(t('opened'))} ${clock(opened)}` : esc(t('notOpened'))) : '';
  const link = current ? ` <button type="button" id="signInLinkBtn">${esc(t('signInLink'))}</button>` : '';
  return `<div class="driver"><label>${esc(t('driver'))} <select id="driverSelect"><option value="">—</option>${options}</select></label>${link} <span class="hint" id="driverOpened">${seen}</span><div id="signInLink"></div></div>`;
}

/** A fresh sign-in link for the route's driver: its QR code to scan from the screen, and the URL to send. */
async function showSignInLink(r) {
  const current = state.drivers.find((d) => d.routes.some((x) => x.routeId === r.id));
  if (!current) return;
  const link = await api(`/v1/drivers/${encodeURIComponent(current.id)}/sign-in-links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ date: state.plan.date }) });
  // The QR code is SVG made by the server from the URL alone; the URL is shown as text.
  $('#signInLink').innerHTML = `<div class="qr">${link.qrSvg}</div><code>${esc(link.url)}</code><div class="hint">${esc(t('signInLinkHint'))} ${clock(link.expiresAt)}</div>`;
}

async function assignDriver(r, driverId) {
  const date = state.plan.date;
  await api('/v1/driver-assignments', { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ date, vehicleId: r.vehicleId, driverId: driverId || null }) });
  state.drivers = ofCounty((await api(`/v1/drivers?date=${encodeURIComponent(date)}`)).drivers);
  renderRouteDetail();
}

/**
 * The printable manifest as a real link: the server makes a short-lived URL that opens it without
 * a key (a new tab cannot send the Bearer key), opened in a new tab and shown to copy into a
 * message for the driver or the station.
 */
async function openManifest(routeId) {
  // Opened before the request, in the click itself, so no pop-up blocker stops it.
  const win = window.open('', '_blank');
  try {
    const link = await api(`/v1/manifests/${encodeURIComponent(routeId)}/links`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (win) win.location.href = link.url;
    if (state.selected === routeId) {
      $('#manifestLink').innerHTML = `<input id="manifestUrl" readonly value="${esc(link.url)}" aria-label="${esc(t('manifestLink'))}"> <button type="button" id="copyManifestUrl">${esc(t('copy'))}</button><div class="hint">${esc(t('manifestLinkHint'))} ${clock(link.expiresAt)}</div>`;
      $('#copyManifestUrl').addEventListener('click', () => {
        $('#manifestUrl').select();
        navigator.clipboard?.writeText(link.url).then(() => ($('#copyManifestUrl').textContent = t('copied'))).catch(() => {});
      });
    }
  } catch (err) {
    win?.close();
    throw err;
  }
}

function selectRoute(id, { from } = {}) {
  state.selected = state.selected === id ? null : id;
  if (editor.editing && !editor.active(state.selected)) editor.cancel();
  state.editNotice = null;
  // The map moves first, while the rest of the page is unchanged: Leaflet measures the page once
  // as it moves (a new zoom level of the base map), which is cheap while nothing else is dirty;
  // the numbered stops are then placed once, at the final view, and the page is laid out once for
  // the next frame with the new stop list.
  const line = routeLines.get(state.selected);
  // Move the map only when the route is out of view or too small to read its numbered stops: no
  // jumping while comparing routes that are already legible.
  if (line) {
    const b = line.getBounds();
    const px = map.latLngToContainerPoint(b.getNorthEast()).subtract(map.latLngToContainerPoint(b.getSouthWest()));
    const size = map.getSize();
    if (!map.getBounds().contains(b) || (Math.abs(px.x) < size.x / 3 && Math.abs(px.y) < size.y / 3)) map.fitBounds(b, { padding: [30, 30], maxZoom: 13, animate: false });
  }
  styleSelection();
  markSelectedRow();
  renderRouteDetail();
  // Chosen from the table further down: bring the map and the stop list back into view.
  if (from === 'table' && state.selected) {
    const work = document.querySelector('.work');
    const top = work.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight * 0.5) work.scrollIntoView({ block: 'start' });
    $('#routeDetail').scrollTop = 0;
  }
}

// ---------- manual route edits (route-edit.js) ----------
const editor = createRouteEditor({
  api,
  t,
  esc,
  fmt,
  clock,
  L,
  get map() {
    return map;
  },
  state,
  routeColour,
  rerender: () => {
    styleSelection();
    renderRouteDetail();
  },
  // Saved as the day's next version: reload the day (the newest version) and keep the route selected.
  onSaved: async (plan) => {
    await loadDay($('#date').value);
    state.editNotice = `${t('savedVersion')} · ${t('version')} ${plan.version}`;
    renderRouteDetail();
    document.querySelector('.side').scrollTop = 0;
  },
});

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
    <div><h3>${esc(t('reasons'))}</h3><div class="list">${bars(Object.fromEntries(Object.entries(k?.unassigned.byReason ?? {}).map(([code, n]) => [reasonLabel(code), n])))}</div><h3>${esc(t('pickups'))}</h3><div class="list">${bars(Object.fromEntries(Object.entries(k?.pickups.byStatus ?? {}).map(([s, n]) => [t(`status_${s}`), n])))}</div></div></div>`;
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
  // Queued for more than half a minute: no worker has taken the job (none running, or all busy).
  const waiting = p.status === 'queued' && Date.now() - Date.parse(p.createdAt) > 30_000;
  el.innerHTML = `<span class="badge ${esc(p.status)}" id="planBadge" data-status="${esc(p.status)}">${esc(t(p.status))}</span> <span class="badge version" id="planVersion" data-version="${p.version}">${esc(t('version'))} ${p.version}</span>${busy ? `<progress max="100" value="${p.progress}"></progress> ${p.progress}%` : ''}${waiting ? ` <span class="hint" id="noWorker">${esc(t('noWorker'))}</span>` : ''}${p.status === 'failed' && p.error ? ` <span class="error">${esc(p.error)}</span>` : ''}`;
  btn.hidden = busy;
  btn.textContent = t('replan');
}

async function loadDay(date) {
  const seq = ++state.loadSeq;
  clearTimeout(state.pollTimer);
  const { plans } = await api(`/v1/plans?date=${encodeURIComponent(date)}${countyParam('&')}`);
  if (seq !== state.loadSeq) return;
  state.plan = plans[0] ?? null;
  renderPlanStatus();
  if (state.plan && (state.plan.status === 'queued' || state.plan.status === 'running')) {
    state.pollTimer = setTimeout(() => loadDay(date).catch(showError), 1500);
  }
  if (!state.plan || state.plan.status !== 'completed') {
    state.routes = [];
    state.drivers = [];
    state.geo = null;
    state.kpis = null;
    state.savings = null;
  } else {
    const id = encodeURIComponent(state.plan.id);
    const [routes, geo, kpis, savings, drivers] = await Promise.all([
      api(`/v1/plans/${id}/routes`),
      api(`/v1/plans/${id}/routes.geojson`).then((x) => (typeof x === 'string' ? JSON.parse(x) : x)),
      api(`/v1/dashboard/kpis?planId=${id}`),
      api(`/v1/plans/${id}/savings`).catch(() => null),
      api(`/v1/drivers?date=${encodeURIComponent(state.plan.date)}`).catch(() => ({ drivers: [] })),
    ]);
    if (seq !== state.loadSeq) return;
    state.drivers = ofCounty(drivers.drivers);
    state.routes = routes.routes;
    state.geo = geo;
    state.kpis = kpis;
    state.savings = savings;
  }
  state.routesById = new Map(state.routes.map((r) => [r.id, r]));
  assignColours();
  if (!state.routesById.has(state.selected)) state.selected = null;
  renderAll();
}

function renderAll() {
  renderPlanStatus();
  renderKpis();
  renderRoutesOnMap();
  renderStations();
  renderUnassigned();
  renderTable();
  renderRouteDetail();
  renderLegend();
  renderMoveControl();
  renderStationCard();
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
  sessionStorage.removeItem(COUNTY);
  state.key = null;
  state.county = null;
  $('#countyPicker').hidden = true;
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
  // The operating day (today, local), not whichever day was planned last.
  // …or the day the address names (/?date=2026-12-02), so a day's view can be linked.
  const linked = new URLSearchParams(window.location.search).get('date');
  if (!dateInput.value) dateInput.value = /^\d{4}-\d{2}-\d{2}$/.test(linked ?? '') ? linked : localToday();
  await loadCounties();
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
  $('#county').addEventListener('change', (e) => {
    state.county = e.target.value;
    sessionStorage.setItem(COUNTY, state.county);
    state.selected = null;
    loadNetwork()
      .then(() => loadDay($('#date').value))
      .catch(showError);
  });
  $('#planBtn').addEventListener('click', () => {
    api('/v1/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ date: $('#date').value, ...(state.county ? { county: state.county } : {}) }) })
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
    if (id) selectRoute(id, { from: 'table' });
  });
  // A station's stop in the selected route's list opens its card (keeper and phone).
  $('#routeDetail').addEventListener('click', (e) => {
    const li = e.target.closest('#stopList li[data-seq]');
    const stop = li && state.routesById.get(state.selected)?.stops.find((s) => String(s.seq) === li.dataset.seq);
    if (stop?.stationCode) showStation(stop.stationCode);
  });
  $('#unassignedPanel').addEventListener('click', (e) => {
    const tr = e.target.closest('tr[data-lat]');
    if (tr) map.setView([Number(tr.dataset.lat), Number(tr.dataset.lon)], Math.max(map.getZoom(), 13));
  });
  if (state.key) start().catch(showError);
  else signOut();
}

boot();
