/* global document, window, navigator, localStorage, fetch, history, location, setTimeout, setInterval, URLSearchParams */
// The driver's phone view: opened from the sign-in link (/driver#token=…), it exchanges the token
// for the phone's session, keeps the day's manifests on the phone and shows the next stop first.
// Events (arrived / delivered / failed) go into a queue kept in localStorage and are sent in order;
// offline they wait, and are sent when the phone is back online. Sending one again is harmless:
// the events API answers a repeat with "nothing changed". A service worker (/driver-sw.js) keeps
// the page itself available offline.
import { DRIVER_LABELS } from '/driver/driver-i18n.js';

const $ = (sel) => document.querySelector(sel);
const SESSION = 'gongpei.driverSession';
const QUEUE = 'gongpei.driverQueue';
const MANIFESTS = 'gongpei.driverManifests';
const LANG = 'gongpei.lang';
const FAIL_REASONS = ['absent', 'closed', 'refused', 'wrongAddress', 'damaged'];

const read = (k, fallback) => {
  try {
    return JSON.parse(localStorage.getItem(k) ?? 'null') ?? fallback;
  } catch {
    return fallback;
  }
};
const write = (k, v) => localStorage.setItem(k, JSON.stringify(v));

const state = {
  session: read(SESSION, null),
  lang: localStorage.getItem(LANG) === 'en' ? 'en' : 'zh',
  manifests: [],
  routeIndex: 0,
  focus: null,
  queue: read(QUEUE, []),
  online: navigator.onLine,
  flushing: false,
};

const t = (k) => DRIVER_LABELS[state.lang][k] ?? k;
const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const clock = (iso) => (iso ? new Date(Date.parse(iso) + 480 * 60000).toISOString().slice(11, 16) : '—');
const kg = (g) => (g / 1000).toFixed(1);
const yuan = (fen) => `¥${(fen / 100).toFixed(2)}`;

async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { ...(init.headers ?? {}), authorization: `Bearer ${state.session?.token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) } });
  if (!res.ok) {
    const err = new Error((await res.json().catch(() => null))?.error?.message ?? String(res.status));
    err.status = res.status;
    throw err;
  }
  return res.json();
}

// ---------- sign-in ----------
async function signIn(token) {
  const res = await fetch('/v1/driver-sessions', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
  if (!res.ok) throw new Error(t('badLink'));
  state.session = await res.json();
  write(SESSION, state.session);
}

// ---------- manifests (network first, the phone's copy when offline) ----------
async function loadManifests() {
  try {
    const { manifests } = await api(`/v1/manifests?date=${encodeURIComponent(state.session.date)}`);
    state.manifests = await Promise.all(manifests.map((m) => api(`/v1/manifests/${encodeURIComponent(m.routeId)}`)));
    write(MANIFESTS, { date: state.session.date, manifests: state.manifests });
  } catch (err) {
    if (err.status === 401 || err.status === 403) throw err;
    if (err.status === undefined) state.online = false; // the request never got an answer
    const cached = read(MANIFESTS, null);
    if (cached?.date === state.session.date) state.manifests = cached.manifests;
    else throw err;
  }
  // Events still waiting to be sent are already true on the phone.
  for (const ev of state.queue) applyLocally(ev);
}

const route = () => state.manifests[state.routeIndex] ?? null;
const served = (m) => m.stops.filter((s) => s.number !== null && s.kind !== 'reload');
const open = (p) => p.status !== 'delivered' && p.status !== 'failed' && p.status !== 'cancelled';
const pickupOpen = (p) => p.status === 'planned' || p.status === 'requested';
const stopDone = (s) => (s.arrivedLocally || s.parcels.length + s.pickups.length > 0) && !s.parcels.some(open) && !s.pickups.some(pickupOpen);
const nextStop = (m) => served(m).find((s) => !stopDone(s)) ?? null;

function applyLocally(ev) {
  for (const m of state.manifests) {
    const s = m.stops.find((x) => x.stopId === ev.stopId);
    if (!s) continue;
    if (ev.type === 'arrived') s.arrivedLocally = true;
    const only = ev.waybills ? new Set(ev.waybills) : null;
    for (const p of s.parcels) {
      if (only && !only.has(p.waybill)) continue;
      if (ev.type === 'delivered' && open(p)) p.status = 'delivered';
      if (ev.type === 'failed' && open(p)) {
        p.status = 'failed';
        p.failedReason = ev.reason;
      }
    }
    if (!ev.waybills) {
      for (const p of s.pickups) {
        if (ev.type === 'picked_up' && pickupOpen(p)) p.status = 'picked_up';
        if (ev.type === 'failed' && pickupOpen(p)) p.status = 'failed';
      }
    }
  }
}

// ---------- the event queue ----------
function record(ev) {
  const full = { ...ev, id: `${Date.now()}-${Math.random().toString(36).slice(2)}`, at: new Date().toISOString() };
  state.queue.push(full);
  write(QUEUE, state.queue);
  applyLocally(full);
  write(MANIFESTS, { date: state.session.date, manifests: state.manifests });
  render();
  flush();
}

/** Sends the queued events in order; stops at the first network failure and tries again when back online. */
async function flush() {
  if (state.flushing || state.queue.length === 0) return;
  state.flushing = true;
  try {
    while (state.queue.length > 0) {
      const ev = state.queue[0];
      const body = { type: ev.type, at: ev.at, ...(ev.waybills ? { waybills: ev.waybills } : {}), ...(ev.reason ? { reason: ev.reason } : {}) };
      try {
        await api(`/v1/stops/${encodeURIComponent(ev.stopId)}/events`, { method: 'POST', body: JSON.stringify(body) });
      } catch (err) {
        if (err.status === undefined) state.online = false;
        if (err.status === undefined || err.status >= 500 || err.status === 429) break; // offline or busy: keep it
        // Refused for good (e.g. settled another way, or a time off the service day): not resent; say so.
        $('#message').textContent = `${t('refused')}: ${err.message}`;
      }
      state.online = true;
      state.queue.shift();
      write(QUEUE, state.queue);
    }
  } finally {
    state.flushing = false;
    renderBar();
  }
}

// ---------- navigation links ----------
function navLinks(s) {
  if (!s.location) return '';
  const name = s.station?.name ?? s.hub?.name ?? '';
  const { lat, lon, gcj02 } = s.location;
  // geo: for any map app (WGS84); Amap wants GCJ-02 and says so with coordinate=gaode.
  const geo = `geo:${lat},${lon}?q=${lat},${lon}(${encodeURIComponent(name)})`;
  const amap = `https://uri.amap.com/navigation?to=${gcj02.lon},${gcj02.lat},${encodeURIComponent(name)}&mode=car&coordinate=gaode&callnative=1`;
  return `<a class="btn nav" id="navGeo" href="${esc(geo)}">${esc(t('navigate'))}</a><a class="btn nav" id="navAmap" href="${esc(amap)}">${esc(t('amap'))}</a>`;
}

// ---------- rendering ----------
function renderBar() {
  $('#who').textContent = state.session ? `${state.session.driverName} · ${state.session.date}` : t('title');
  $('#net').textContent = state.online ? t('online') : t('offline');
  $('#net').className = `net ${state.online ? 'on' : 'off'}`;
  $('#queued').textContent = state.queue.length > 0 ? `${t('queued')} ${state.queue.length}` : '';
  $('#langBtn').textContent = state.lang === 'zh' ? 'EN' : '中文';
}

function stopCard(m, s) {
  const keeper = s.station?.keeper;
  const tot = s.totals;
  const openParcels = s.parcels.filter(open).length;
  const parcels = s.parcels
    .map((p) => `<li class="p ${esc(p.status)}" data-waybill="${esc(p.waybill)}"><span class="wb">${esc(p.waybill)}</span> ${esc(p.recipient.name)} <span class="st">${esc(t(`status_${p.status}`))}${p.failedReason ? ` · ${esc(p.failedReason)}` : ''}</span></li>`)
    .join('');
  return `<div class="head"><span class="num">${s.number}</span><div><h2>${esc(s.station?.name ?? s.hub?.name ?? '')}</h2>
    <div class="sub">${esc(t('eta'))} ${clock(s.eta)} · ${tot.parcels} ${esc(t('parcels'))} · ${kg(tot.weightG)} kg${tot.codFen > 0 ? ` · ${esc(t('cod'))} ${yuan(tot.codFen)}` : ''}${tot.pickups > 0 ? ` · ${esc(t('pickups'))} ${tot.pickups}` : ''}</div></div></div>
    ${keeper?.name || keeper?.phone ? `<div class="keeper">${esc(t('keeper'))}: ${esc(keeper.name ?? '—')} ${keeper.phone ? `<a class="btn call" id="callKeeper" href="tel:${esc(keeper.phone.replace(/[^\d+]/g, ''))}">${esc(t('call'))} ${esc(keeper.phone)}</a>` : ''}</div>` : ''}
    <div class="links">${navLinks(s)}</div>
    <div class="actions" data-stop-id="${esc(s.stopId)}">
      <button type="button" class="btn act" data-act="arrived"${s.arrivedLocally ? ' disabled' : ''}>${esc(t('arrived'))}</button>
      <button type="button" class="btn act ok" data-act="delivered"${openParcels === 0 && !s.pickups.some(pickupOpen) ? ' disabled' : ''}>${esc(t('delivered'))}${openParcels > 0 ? ` (${openParcels})` : ''}</button>
      <button type="button" class="btn act bad" data-act="failed"${openParcels === 0 ? ' disabled' : ''}>${esc(t('failed'))}</button>
      ${'BarcodeDetector' in window ? `<button type="button" class="btn act" data-act="scan">${esc(t('scan'))}</button>` : ''}
    </div>
    <ul class="parcels">${parcels}</ul>`;
}

function render() {
  renderBar();
  const m = route();
  $('#routeTabs').innerHTML = state.manifests.length > 1 ? state.manifests.map((x, i) => `<button type="button" data-route="${i}" class="${i === state.routeIndex ? 'on' : ''}">${esc(x.vehicle.name)}</button>`).join('') : '';
  if (!m) {
    $('#next').innerHTML = state.session ? `<p>${esc(t('noRoute'))}</p>` : '';
    $('#stops').innerHTML = '';
    return;
  }
  const focus = m.stops.find((s) => s.stopId === state.focus) ?? nextStop(m);
  $('#next').innerHTML = focus ? `<div class="label">${esc(focus === nextStop(m) ? t('nextStop') : t('stop'))}</div>${stopCard(m, focus)}` : `<p class="done">✓ ${esc(t('allDone'))}</p>`;
  $('#next').dataset.stopId = focus?.stopId ?? '';
  $('#stops').innerHTML = `<h3>${esc(m.vehicle.name)} · ${served(m).length} ${esc(t('stops'))} <button type="button" class="btn small" id="manifestBtn" data-route-id="${esc(m.routeId)}">${esc(t('manifest'))}</button></h3><ol>${served(m)
    .map((s) => `<li data-stop-id="${esc(s.stopId)}" class="${stopDone(s) ? 'done' : ''}${s === focus ? ' focus' : ''}"><span class="num">${s.number}</span> ${esc(s.station?.name ?? s.hub?.name ?? '')} <span class="eta">${clock(s.eta)}</span> ${stopDone(s) ? '✓' : `${s.parcels.filter(open).length}`}</li>`)
    .join('')}</ol>`;
}

function applyLang() {
  document.documentElement.lang = state.lang === 'zh' ? 'zh-CN' : 'en';
  document.title = t('title');
  $('#failTitle').textContent = t('failTitle');
  $('#failCancel').textContent = t('cancel');
  $('#failOk').textContent = t('ok');
  $('#failOther').placeholder = t('otherReason');
  $('#scanClose').textContent = t('close');
  $('#failReasons').innerHTML = FAIL_REASONS.map((r, i) => `<label><input type="radio" name="reason" value="${esc(t(`reason_${r}`))}"${i === 0 ? ' checked' : ''}> ${esc(t(`reason_${r}`))}</label>`).join('');
}

// ---------- failed with a reason ----------
function askFailure(stopId) {
  const dialog = $('#failDialog');
  $('#failOther').value = '';
  dialog.onclose = () => {
    if (dialog.returnValue !== 'ok') return;
    const other = $('#failOther').value.trim();
    const picked = document.querySelector('#failReasons input:checked')?.value;
    record({ stopId, type: 'failed', reason: other || picked || t('reason_absent') });
  };
  dialog.showModal();
}

// ---------- camera scanning (where the browser has BarcodeDetector) ----------
async function scan() {
  const dialog = $('#scanDialog');
  const video = $('#scanVideo');
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
  } catch {
    $('#message').textContent = t('noCamera');
    return;
  }
  video.srcObject = stream;
  await video.play();
  dialog.showModal();
  const detector = new window.BarcodeDetector({ formats: ['qr_code', 'code_128', 'code_39', 'ean_13'] });
  const stop = () => {
    for (const track of stream.getTracks()) track.stop();
  };
  dialog.onclose = stop;
  const tick = async () => {
    if (!dialog.open) return;
    const codes = await detector.detect(video).catch(() => []);
    for (const c of codes) if (handleScanned(c.rawValue)) return dialog.close();
    setTimeout(tick, 250);
  };
  tick();
}

/** A stop's QR (its link) opens that stop; a parcel's waybill marks it delivered at its stop. */
function handleScanned(text) {
  const stopMatch = /#stop=([^&]+)/.exec(text);
  if (stopMatch) {
    state.focus = decodeURIComponent(stopMatch[1]);
    render();
    return true;
  }
  for (const m of state.manifests) {
    for (const s of m.stops) {
      const p = s.parcels.find((x) => x.waybill === text.trim());
      if (p) {
        state.focus = s.stopId;
        if (open(p)) record({ stopId: s.stopId, type: 'delivered', waybills: [p.waybill] });
        $('#scanResult').textContent = `${p.waybill} ✓`;
        return true;
      }
    }
  }
  $('#scanResult').textContent = `${t('unknownCode')}: ${text}`;
  return false;
}

// ---------- start ----------
async function boot() {
  applyLang();
  if ('serviceWorker' in navigator) navigator.serviceWorker.register('/driver-sw.js', { scope: '/driver' }).catch(() => {});
  const hash = new URLSearchParams(location.hash.slice(1));
  try {
    if (hash.get('token')) {
      await signIn(hash.get('token'));
      history.replaceState(null, '', '/driver'); // the token is single-use: keep it out of the history
    }
    if (hash.get('stop')) state.focus = hash.get('stop');
    if (!state.session || Date.parse(state.session.expiresAt) < Date.now()) {
      $('#message').textContent = t('needLink');
      renderBar();
      return;
    }
    await loadManifests();
  } catch (err) {
    $('#message').textContent = err.status === 401 || err.status === 403 ? t('needLink') : `${t('error')}: ${err.message}`;
  }
  render();
  flush();
}

// Phones do not always say when they are back online: try the queue every few seconds too.
setInterval(() => {
  if (state.queue.length > 0) flush();
}, 4000);
window.addEventListener('online', () => {
  state.online = true;
  renderBar();
  flush();
});
window.addEventListener('offline', () => {
  state.online = false;
  renderBar();
});
window.addEventListener('hashchange', () => {
  const stop = new URLSearchParams(location.hash.slice(1)).get('stop');
  if (stop) {
    state.focus = stop;
    render();
  }
});
/** The printable manifest: a short-lived link made with this phone's session, opened in this tab (back returns here). */
async function openManifest(routeId) {
  const link = await api(`/v1/manifests/${encodeURIComponent(routeId)}/links`, { method: 'POST', body: '{}' });
  location.assign(link.url);
}

document.addEventListener('click', (e) => {
  const manifest = e.target.closest('#manifestBtn');
  if (manifest) {
    openManifest(manifest.dataset.routeId).catch((err) => ($('#message').textContent = state.online ? `${t('error')}: ${err.message}` : t('manifestOffline')));
    return;
  }
  const act = e.target.closest('button[data-act]');
  if (act) {
    const stopId = act.closest('[data-stop-id]').dataset.stopId;
    if (act.dataset.act === 'failed') askFailure(stopId);
    else if (act.dataset.act === 'scan') scan();
    else if (act.dataset.act === 'delivered') {
      // "Delivered all" hands over the stop's parcels and collects its pickups: two events, since
      // the server's `delivered` is about parcels only (the pickups would stay planned otherwise).
      const s = route()?.stops.find((x) => x.stopId === stopId);
      if (s?.parcels.some(open)) record({ stopId, type: 'delivered' });
      if (s?.pickups.some(pickupOpen)) record({ stopId, type: 'picked_up' });
    } else record({ stopId, type: act.dataset.act });
    return;
  }
  const li = e.target.closest('#stops li[data-stop-id]');
  if (li) {
    state.focus = li.dataset.stopId;
    render();
    window.scrollTo({ top: 0 });
    return;
  }
  const tab = e.target.closest('#routeTabs button');
  if (tab) {
    state.routeIndex = Number(tab.dataset.route);
    state.focus = null;
    render();
  }
});
$('#langBtn').addEventListener('click', () => {
  state.lang = state.lang === 'zh' ? 'en' : 'zh';
  localStorage.setItem(LANG, state.lang);
  applyLang();
  render();
});

boot();
