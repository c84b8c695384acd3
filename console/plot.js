/*
 * Rates from the gateway's counters, sampled while the console is open, and
 * a plain SVG line plot of them. The gateway keeps totals only, so the
 * history starts when the console does and covers the last few minutes.
 */
'use strict';

VPG.history = {
  periodMs: 2000,
  keepMs: 5 * 60 * 1000,
  samples: [], /* { t, dt, up, down, drops } rates per second, dropsBy counts; newest last */
  last: null,  /* the previous reading of /v1/stats */
  listeners: new Set(),
};

function sumDrops(stats) {
  let n = 0;
  for (const v of Object.values(stats.drops || {})) n += v;
  return n;
}

/* A reading of /v1/stats becomes a sample of rates since the reading before. */
VPG.history.add = function (stats, t) {
  const hist = VPG.history;
  const prev = hist.last;
  hist.last = { t, stats };
  if (!prev || t <= prev.t) return;
  const dt = (t - prev.t) / 1000;
  const c = stats.counters || {}, p = prev.stats.counters || {};
  const per = (a, b) => Math.max(0, (a || 0) - (b || 0)) / dt;
  const dropsBy = {};
  for (const [k, v] of Object.entries(stats.drops || {})) {
    const d = Math.max(0, v - ((prev.stats.drops || {})[k] || 0));
    if (d > 0) dropsBy[k] = d;
  }
  hist.samples.push({
    t,
    dt,
    dropsBy,
    up: per(c.uplink_bytes, p.uplink_bytes) * 8,
    down: per(c.downlink_bytes, p.downlink_bytes) * 8,
    drops: per(sumDrops(stats), sumDrops(prev.stats)),
  });
  while (hist.samples.length && hist.samples[0].t < t - hist.keepMs) hist.samples.shift();
  for (const f of hist.listeners) f();
};

VPG.history.poll = async function () {
  const r = await VPG.api('GET', '/v1/stats');
  if (r.status === 200) VPG.history.add(r.body, Date.now());
};

VPG.history.start = function () {
  if (VPG.history.timer) return;
  VPG.history.poll();
  VPG.history.timer = setInterval(VPG.history.poll, VPG.history.periodMs);
};

VPG.history.stop = function () {
  clearInterval(VPG.history.timer);
  VPG.history.timer = null;
  VPG.history.last = null;
  VPG.history.samples = [];
};

/* Ticks of the time axis: a step that gives at most 6 labels over span ms. */
function timeTicks(span) {
  const steps = [10000, 30000, 60000, 120000];
  const step = steps.find((s) => span / s <= 6) || steps[steps.length - 1];
  const ticks = [];
  for (let t = 0; t <= span; t += step) ticks.push(t);
  return ticks;
}

function ago(ms) {
  if (ms === 0) return 'now';
  return ms % 60000 ? `-${ms / 1000} s` : `-${ms / 60000} min`;
}

/*
 * series: [{ name, cls, pick(sample) }]; unit for the axis ("bit/s").
 * The x axis ends now and reaches back over the history kept (at least one
 * minute, at most keepMs); y goes from 0 to the largest value.
 */
VPG.plot = function (samples, series, unit) {
  const W = 1100, H = 220, L = 80, R = 10, T = 10, B = 24;
  const root = svg('svg', { class: 'plot', viewBox: `0 0 ${W} ${H}`, role: 'img',
    'aria-label': series.map((s) => s.name).join(', ') + ' over the last minutes' });
  const now = samples.length ? samples[samples.length - 1].t : Date.now();
  const kept = samples.length ? now - samples[0].t : 0;
  const span = Math.min(VPG.history.keepMs, Math.max(60000, Math.ceil(kept / 60000) * 60000));
  const t0 = now - span;
  let max = 0;
  for (const s of samples) for (const se of series) max = Math.max(max, se.pick(s));
  max = max > 0 ? max * 1.1 : 1;
  const x = (t) => L + ((t - t0) / span) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  for (let i = 0; i <= 4; i++) {
    const v = (max * i) / 4;
    root.append(svg('line', { class: 'axis', x1: L, x2: W - R, y1: y(v), y2: y(v) }));
    root.append(svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end', text: VPG.fmt.rate(v, unit) }));
  }
  for (const back of timeTicks(span)) {
    const anchor = back === 0 ? 'end' : back === span ? 'start' : 'middle';
    root.append(svg('text', { x: x(now - back), y: H - 6, 'text-anchor': anchor, text: ago(back) }));
  }
  /* The first series last, on top: the one the legend names first stays visible. */
  for (const se of [...series].reverse()) {
    const pts = samples.map((s) => `${x(s.t).toFixed(1)},${y(se.pick(s)).toFixed(1)}`).join(' ');
    root.append(svg('polyline', { class: se.cls, points: pts, 'data-series': se.name }));
  }
  return root;
};

/* Per drop reason: the packets dropped over the samples kept, and the rate of the last. */
VPG.history.dropReasons = function () {
  const samples = VPG.history.samples;
  const last = samples.length ? samples[samples.length - 1] : null;
  const by = {};
  for (const s of samples)
    for (const [k, n] of Object.entries(s.dropsBy)) by[k] = (by[k] || 0) + n;
  return Object.entries(by)
    .map(([reason, packets]) => ({ reason, packets, now: last && last.dropsBy[reason] ? last.dropsBy[reason] / last.dt : 0 }))
    .sort((a, b) => b.packets - a.packets);
};

VPG.legend = (series) =>
  h('div', { class: 'legend' }, series.map((s) => h('span', null, h('span', { class: 'swatch ' + s.cls }), s.name)));
