/* global document */
// Fixing the map (issue 15 item 2): with "move stations" switched on, the station dots become pins
// the dispatcher drags to where the station really is. Dropping one asks first (old → new position,
// how far, and why: the reason goes into the station's audit trail); saving sends
// PATCH /v1/stations/{code} with the position, the server marks it `corrected` and the next plan
// uses it. Cancelling puts the pin back.
//
// Positions are WGS84 throughout: the stored positions are, and so is the map (the offline base map
// is built from them; an online TILE_URL is expected to be a WGS84 tile set), so the dropped
// position is sent as `datum: 'wgs84'` as it is.

/** 7 decimals ≈ 1 cm, as the server keeps them. */
const round7 = (x) => Math.round(x * 1e7) / 1e7;

/**
 * ctx: { api, t, esc, fmt, L, map, stationFeature(code), onMoved(code), showError(err) }.
 * Returns { on, toggle(), pin(feature, tooltip), historyHtml(code), loadHistory(code, el) }.
 */
export function createStationMover(ctx) {
  const { t, esc, fmt, L } = ctx;
  let on = false;
  let pending = null; // { code, marker, from: LatLng, to: LatLng }

  const dialog = () => document.getElementById('moveDialog');

  function toggle() {
    on = !on;
    if (!on && pending) cancel();
    ctx.map.getContainer().classList.toggle('moving-stations', on);
    return on;
  }

  /** A draggable pin for a station (drawn instead of its dot while moving is on). */
  function pin(f, tooltip) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    const marker = L.marker([lat, lon], {
      // Above the routes: while moving, the pins are what the pointer is for.
      pane: 'movePins',
      draggable: true,
      autoPan: true,
      keyboard: false,
      icon: L.divIcon({ className: `station-pin quality-${p.quality ?? 'estimated'}`, iconSize: [12, 12], iconAnchor: [6, 6] }),
    }).bindTooltip(tooltip);
    marker.on('add', () => {
      const el = marker.getElement();
      el?.setAttribute('data-station', p.code);
      el?.setAttribute('data-quality', p.quality ?? '');
    });
    marker.on('dragstart', () => {
      if (pending && pending.marker !== marker) cancel();
      marker.closeTooltip();
    });
    marker.on('dragend', () => confirmMove(p.code, marker, L.latLng(lat, lon), marker.getLatLng()));
    return marker;
  }

  function confirmMove(code, marker, from, to) {
    const p = ctx.stationFeature(code)?.properties;
    if (!p) return;
    pending = { code, marker, from, to: L.latLng(round7(to.lat), round7(to.lng)) };
    const d = dialog();
    const place = (ll) => `${fmt(ll.lat, 5)}, ${fmt(ll.lng, 5)}`;
    const metres = from.distanceTo(pending.to);
    d.querySelector('#moveStationName').textContent = `${p.name} · ${p.township ?? ''}`;
    d.querySelector('#moveFrom').textContent = `${place(from)} (${t(`quality_${p.quality ?? 'estimated'}`)})`;
    d.querySelector('#moveTo').textContent = `${place(pending.to)} (${t('quality_corrected')})`;
    d.querySelector('#moveDistance').textContent = metres >= 1000 ? `${fmt(metres / 1000, 2)} km` : `${fmt(metres)} m`;
    d.querySelector('#moveDistance').dataset.metres = String(Math.round(metres));
    d.querySelector('#moveReason').value = '';
    d.querySelector('#moveError').textContent = '';
    d.querySelector('#moveSave').disabled = false;
    if (!d.open) d.showModal();
    d.querySelector('#moveReason').focus();
  }

  function cancel() {
    if (pending) pending.marker.setLatLng(pending.from);
    pending = null;
    const d = dialog();
    if (d?.open) d.close();
  }

  async function save() {
    if (!pending) return;
    const d = dialog();
    const reason = d.querySelector('#moveReason');
    const error = d.querySelector('#moveError');
    error.textContent = '';
    if (!reason.value.trim()) {
      error.textContent = `${t('moveReason')}: ${t('required')}`;
      reason.focus();
      return;
    }
    const { code, to } = pending;
    d.querySelector('#moveSave').disabled = true;
    try {
      const saved = await ctx.api(`/v1/stations/${encodeURIComponent(code)}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ position: { lat: to.lat, lon: to.lng, datum: 'wgs84' }, reason: reason.value.trim() }),
      });
      const f = ctx.stationFeature(code);
      if (f) {
        f.geometry.coordinates = [saved.position.lon, saved.position.lat];
        f.properties.quality = saved.position.quality;
        f.properties.estimated = false;
      }
      pending = null;
      d.close();
      ctx.onMoved(code);
    } catch (err) {
      d.querySelector('#moveSave').disabled = false;
      if (err.status !== 400 && err.status !== 409) {
        cancel();
        ctx.showError(err);
        return;
      }
      error.textContent = err.details?.length > 0 ? err.details.map((x) => `${x.path}: ${x.message}`).join(' · ') : err.message;
    }
  }

  /** The station's moves (GET /v1/stations/{code}/moves), newest first, into `el`. */
  async function loadHistory(code, el) {
    const { moves } = await ctx.api(`/v1/stations/${encodeURIComponent(code)}/moves`);
    if (moves.length === 0) {
      el.innerHTML = `<p class="hint">${esc(t('noMoves'))}</p>`;
      return;
    }
    const place = (p) => `${fmt(p.lat, 5)}, ${fmt(p.lon, 5)}`;
    el.innerHTML = `<ol id="moveHistory" class="move-history">${moves
      .slice()
      .reverse()
      .map((m) => {
        const metres = L.latLng(m.from.lat, m.from.lon).distanceTo(L.latLng(m.to.lat, m.to.lon));
        return `<li data-move-id="${esc(m.id)}"><b>${esc(m.movedAt.slice(0, 10))} ${esc(ctx.clock(m.movedAt))}</b> · ${fmt(metres)} m · ${esc(m.reason)}<br><small>${esc(place(m.from))} (${esc(t(`quality_${m.from.quality}`))}) → ${esc(place(m.to))} (${esc(t(`quality_${m.to.quality}`))}) · ${esc(t('movedBy'))} ${esc(m.movedBy.slice(0, 8))}</small></li>`;
      })
      .join('')}</ol>`;
  }

  function wireDialog() {
    const d = dialog();
    if (!d || d.dataset.wired) return;
    d.dataset.wired = '1';
    d.querySelector('#moveForm').addEventListener('submit', (e) => {
      e.preventDefault();
      save().catch(ctx.showError);
    });
    d.querySelector('#moveCancel').addEventListener('click', () => cancel());
    // Escape closes a modal dialog: the pin goes back as with Cancel.
    d.addEventListener('cancel', () => cancel());
  }

  return {
    get on() {
      return on;
    },
    toggle,
    pin,
    loadHistory,
    wireDialog,
  };
}
