/* global setTimeout, clearTimeout */
// Manual route edits on the dashboard: the selected village route's stops in a list the
// dispatcher reorders (drag by the handle, or the ▲ ▼ buttons from the keyboard) or moves to
// another route of the same hub (the "move to" select). After every change the server evaluates
// the routes with the routing core (POST /v1/plans/{id}/edits/preview) and the cost of the change
// is shown first: km, cost and time, then each route's figures and every rule it would break.
// Saving (POST /v1/plans/{id}/edits) makes the day's next plan version.
//
// A stop a driver has reported at (visited) stays where it is; a started route's stops stay on it.

const DEBOUNCE_MS = 250;

/**
 * ctx: { api, t, esc, fmt, clock, L, map, state, routeColour, onSaved(plan) }.
 * Returns { active(routeId), start(routeId), cancel(), render(el) }.
 */
export function createRouteEditor(ctx) {
  const { api, t, esc, fmt } = ctx;
  let draft = null; // { hubId, routeIds: [...], orders: Map<routeId, stopId[]>, original: Map, preview, error, saving, seq }
  let timer = null;
  let layer = null;

  const route = (id) => ctx.state.routesById.get(id);
  const stationIds = (r) => r.stops.filter((s) => s.kind === 'station').map((s) => s.id);
  const stopById = (id) => {
    for (const rid of draft.routeIds) {
      const s = route(rid)?.stops.find((x) => x.id === id);
      if (s) return s;
    }
    for (const r of ctx.state.routes) {
      const s = r.stops.find((x) => x.id === id);
      if (s) return s;
    }
    return null;
  };
  const started = (rid) => route(rid).stops.some((s) => s.visited);
  const lockedCount = (rid) => {
    const order = draft.original.get(rid);
    let last = -1;
    order.forEach((id, k) => {
      if (stopById(id)?.visited) last = k;
    });
    return last + 1;
  };
  const changed = () => draft.routeIds.some((rid) => draft.orders.get(rid).join() !== draft.original.get(rid).join());
  const siblings = (rid) => ctx.state.routes.filter((r) => r.tier === 'village' && r.hubId === route(rid).hubId && r.id !== rid);

  function join(rid) {
    if (draft.routeIds.includes(rid)) return;
    draft.routeIds.push(rid);
    draft.orders.set(rid, stationIds(route(rid)));
    draft.original.set(rid, stationIds(route(rid)));
  }

  function start(routeId) {
    const r = route(routeId);
    if (!r || r.tier !== 'village') return;
    draft = { hubId: r.hubId, routeIds: [], orders: new Map(), original: new Map(), preview: null, error: null, saving: false, seq: 0, accept: false };
    join(routeId);
    drawDraft();
  }

  function cancel() {
    draft = null;
    clearTimeout(timer);
    layer?.clearLayers();
  }

  function active(routeId) {
    return draft !== null && draft.routeIds.includes(routeId);
  }

  function move(rid, from, to) {
    const order = draft.orders.get(rid);
    if (to < lockedCount(rid) || to >= order.length || from < lockedCount(rid)) return;
    const [id] = order.splice(from, 1);
    order.splice(to, 0, id);
    changedDraft();
  }

  function moveTo(stopId, fromRid, toRid) {
    if (!toRid || toRid === fromRid) return;
    join(toRid);
    const from = draft.orders.get(fromRid);
    from.splice(from.indexOf(stopId), 1);
    draft.orders.get(toRid).push(stopId);
    changedDraft();
  }

  function changedDraft() {
    draft.preview = null;
    draft.error = null;
    draft.accept = false;
    ctx.rerender();
    drawDraft();
    clearTimeout(timer);
    timer = setTimeout(() => preview().catch(() => {}), DEBOUNCE_MS);
  }

  function body(extra = {}) {
    return JSON.stringify({ routes: draft.routeIds.map((rid) => ({ routeId: rid, stopIds: draft.orders.get(rid) })), ...extra });
  }

  async function preview() {
    if (!draft) return;
    const seq = ++draft.seq;
    const planId = ctx.state.plan.id;
    try {
      const res = await api(`/v1/plans/${encodeURIComponent(planId)}/edits/preview`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body() });
      if (!draft || seq !== draft.seq) return;
      draft.preview = res;
    } catch (err) {
      if (!draft || seq !== draft.seq) return;
      draft.error = err.message;
    }
    ctx.rerender();
  }

  async function save() {
    if (!draft || !draft.preview || draft.saving) return;
    draft.saving = true;
    ctx.rerender();
    const planId = ctx.state.plan.id;
    try {
      const res = await api(`/v1/plans/${encodeURIComponent(planId)}/edits`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(draft.preview.feasible ? {} : { acceptViolations: true }) });
      cancel();
      await ctx.onSaved(res.plan);
    } catch (err) {
      if (draft) {
        draft.saving = false;
        draft.error = err.message;
        ctx.rerender();
      }
    }
  }

  // The draft on the map: each edited route's new order as a dashed line with numbered stops.
  function drawDraft() {
    if (!layer) layer = ctx.L.layerGroup().addTo(ctx.map);
    layer.clearLayers();
    if (!draft) return;
    for (const rid of draft.routeIds) {
      const r = route(rid);
      const hub = r.stops[0];
      const pts = draft.orders.get(rid).map(stopById).filter((s) => s && s.lat !== null);
      const line = [hub, ...pts, hub].filter((s) => s && s.lat !== null).map((s) => [s.lat, s.lon]);
      const colour = ctx.routeColour(r);
      ctx.L.polyline(line, { pane: 'selectedStops', color: colour, weight: 3, dashArray: '6 6', opacity: 0.95, interactive: false, className: 'edit-draft-line' }).addTo(layer);
      pts.forEach((s, k) => {
        ctx.L.marker([s.lat, s.lon], { pane: 'selectedStops', keyboard: false, interactive: false, icon: ctx.L.divIcon({ className: 'stop-number draft', html: `<span style="background:${colour}">${k + 1}</span>`, iconSize: [22, 22], iconAnchor: [11, 11] }) }).addTo(layer);
      });
    }
  }

  const km = (m) => fmt(m / 1000, 1);
  const yuan = (fen) => fmt(fen / 100, 2);
  const signed = (n, f) => `${n > 0 ? '+' : n < 0 ? '−' : '±'}${f(Math.abs(n))}`;
  const minutes = (s) => fmt(s / 60, 0);
  const hhmm = (s) => `${String(Math.floor(Math.round(s / 60) / 60)).padStart(2, '0')}:${String(Math.round(s / 60) % 60).padStart(2, '0')}`;

  /** "19:50 > 19:00", "312 / 300 kg": the broken limit in the page's language and units. */
  function figure(v) {
    if (v.value === null || v.limit === null) return '';
    const f = (x) =>
      v.unit === 'g' ? `${fmt(x / 1000, 1)} kg` : v.unit === 'cm3' ? `${fmt(x / 1e6, 2)} m³` : v.unit === 'm' ? `${fmt(x / 1000, 1)} km` : v.unit === 'local_s' ? hhmm(x) : v.unit === 's' ? `${fmt(x / 3600, 1)} h` : fmt(x);
    return `${f(v.value)} > ${f(v.limit)}`;
  }

  function costBox() {
    if (draft.error) return `<div class="edit-cost error" id="editError" role="alert">${esc(draft.error)}</div>`;
    const p = draft.preview;
    if (!p) return `<div class="edit-cost pending" id="editCost" aria-busy="true">${esc(changed() ? t('editEvaluating') : t('editHint'))}</div>`;
    const d = p.delta;
    const cls = (n) => (n > 0 ? 'worse' : n < 0 ? 'better' : '');
    const rows = p.routes
      .map((r) => {
        const vs = r.after.violations;
        return `<tr data-route-id="${esc(r.routeId)}"><td>${esc(r.vehicleName)}<br><small>${fmt(r.after.load.peak[0] / 1000)} / ${fmt(r.after.load.capacity[0] / 1000)} kg</small></td><td>${km(r.before.distanceM)} → <b>${km(r.after.distanceM)}</b></td><td>¥${yuan(r.before.costFen)} →<br><b>¥${yuan(r.after.costFen)}</b></td><td class="${r.after.feasible ? 'ok' : 'bad'}">${r.after.feasible ? '✓' : `✗ ${vs.length}`}</td></tr>`;
      })
      .join('');
    const violations = p.routes.flatMap((r) => r.after.violations.map((v) => ({ v, r })));
    return `<div class="edit-cost" id="editCost" aria-live="polite">
      <div class="delta"><span class="${cls(d.distanceM)}" id="deltaKm">${signed(d.distanceM, km)} km</span>
        <span class="${cls(d.costFen)}" id="deltaCost">${signed(d.costFen, (x) => `¥${yuan(x)}`)}</span>
        <span class="${cls(d.durationS)}" id="deltaTime">${signed(d.durationS, minutes)} ${esc(t('minutes'))}</span></div>
      <table class="edit-routes"><thead><tr><th>${esc(t('vehicle'))}</th><th>km</th><th>${esc(t('editCost'))}</th><th></th></tr></thead><tbody>${rows}</tbody></table>
      ${violations.length > 0 ? `<ul class="violations" id="editViolations">${violations.map(({ v, r }) => `<li data-kind="${esc(v.kind)}"><b>${esc(t(`violation_${v.kind}`))}</b> · ${esc(r.vehicleName)}${v.stationName ? ` · ${esc(v.stationName)}` : ''}<br><small>${esc(figure(v))}</small></li>`).join('')}</ul>` : ''}
    </div>`;
  }

  function list(rid) {
    const r = route(rid);
    const order = draft.orders.get(rid);
    const locked = lockedCount(rid);
    const others = siblings(rid);
    const canLeave = !started(rid);
    const items = order
      .map((id, k) => {
        const s = stopById(id);
        const fixed = k < locked;
        const name = esc(s?.name ?? s?.stationCode ?? id);
        const moveTo = canLeave && !fixed && others.length > 0
          ? `<select class="move-to" data-stop-id="${esc(id)}" aria-label="${esc(t('editMoveTo'))} ${name}"><option value="">${esc(t('editMoveTo'))}…</option>${others.map((o) => `<option value="${esc(o.id)}">${esc(o.vehicleName)}</option>`).join('')}</select>`
          : '';
        return `<li data-stop-id="${esc(id)}" data-index="${k}" class="${fixed ? 'locked' : ''}"${fixed ? '' : ' draggable="true"'}>
          <span class="handle" aria-hidden="true">${fixed ? '🔒' : '⠿'}</span><span class="num" style="background:${ctx.routeColour(r)}">${k + 1}</span>
          <span class="name">${name}</span>${s && (s.deliverCount || s.pickupCount) ? ` <small>${esc(t('deliver'))} ${s.deliverCount} / ${esc(t('pickup'))} ${s.pickupCount}</small>` : ''}
          ${fixed ? `<small class="hint">${esc(t('editVisited'))}</small>` : `<span class="moves"><button type="button" class="up" aria-label="${esc(t('editUp'))} ${name}"${k <= locked ? ' disabled' : ''}>▲</button><button type="button" class="down" aria-label="${esc(t('editDown'))} ${name}"${k === order.length - 1 ? ' disabled' : ''}>▼</button>${moveTo}</span>`}
        </li>`;
      })
      .join('');
    return `<div class="edit-route" data-route-id="${esc(rid)}"><h4><span class="swatch" style="background:${ctx.routeColour(r)}"></span>${esc(r.vehicleName)}</h4><ol class="edit-list">${items || `<li class="hint">${esc(t('editEmpty'))}</li>`}</ol></div>`;
  }

  function render(el) {
    const p = draft.preview;
    const needsAccept = p && !p.feasible;
    const canSave = changed() && p && !draft.saving && (!needsAccept || draft.accept);
    el.innerHTML = `<div class="route-edit" id="routeEdit">
      <h3>${esc(t('editTitle'))}</h3>
      ${costBox()}
      ${draft.routeIds.map(list).join('')}
      ${needsAccept ? `<label class="accept"><input type="checkbox" id="acceptViolations"${draft.accept ? ' checked' : ''}> ${esc(t('editAccept'))}</label>` : ''}
      <div class="edit-actions"><button type="button" id="editSave"${canSave ? '' : ' disabled'}>${esc(draft.saving ? t('editSaving') : t('editSave'))}</button> <button type="button" id="editCancel">${esc(t('editCancel'))}</button></div>
    </div>`;
    const box = el.querySelector('#routeEdit');
    box.addEventListener('click', (e) => {
      const li = e.target.closest('li[data-stop-id]');
      const rid = e.target.closest('.edit-route')?.dataset.routeId;
      if (e.target.closest('button.up') && li) move(rid, Number(li.dataset.index), Number(li.dataset.index) - 1);
      else if (e.target.closest('button.down') && li) move(rid, Number(li.dataset.index), Number(li.dataset.index) + 1);
    });
    box.addEventListener('change', (e) => {
      if (e.target.matches('select.move-to')) moveTo(e.target.dataset.stopId, e.target.closest('.edit-route').dataset.routeId, e.target.value);
      if (e.target.id === 'acceptViolations') {
        draft.accept = e.target.checked;
        ctx.rerender();
      }
    });
    box.querySelector('#editSave').addEventListener('click', () => save());
    box.querySelector('#editCancel').addEventListener('click', () => {
      cancel();
      ctx.rerender();
    });
    // Dragging by the handle, within a route's list.
    let dragged = null;
    box.addEventListener('dragstart', (e) => {
      const li = e.target.closest('li[draggable="true"]');
      if (!li) return;
      dragged = { rid: li.closest('.edit-route').dataset.routeId, index: Number(li.dataset.index) };
      e.dataTransfer.effectAllowed = 'move';
      e.dataTransfer.setData('text/plain', li.dataset.stopId);
    });
    box.addEventListener('dragover', (e) => {
      if (dragged && e.target.closest(`.edit-route[data-route-id="${dragged.rid}"] li[data-stop-id]`)) e.preventDefault();
    });
    box.addEventListener('drop', (e) => {
      const li = e.target.closest('li[data-stop-id]');
      if (!dragged || !li) return;
      e.preventDefault();
      move(dragged.rid, dragged.index, Number(li.dataset.index));
      dragged = null;
    });
    if (!p && !draft.error && changed()) {
      clearTimeout(timer);
      timer = setTimeout(() => preview().catch(() => {}), DEBOUNCE_MS);
    }
  }

  return { active, start, cancel, render, get editing() { return draft !== null; } };
}
