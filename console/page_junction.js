/* Junction: redirection to a gate peer, mirroring peers, and inspection with its top lists. */
'use strict';

/* GET path, or null when the API answers 404 (the setting is not set). */
VPG.getOptional = async function (path) {
  const r = await VPG.api('GET', path);
  if (r.status === 404) return null;
  if (r.status !== 200) throw r;
  return r.body;
};

VPG.pages.junction = {
  title: 'Junction',
  async render(main) {
    const load = async () => {
      const reload = () => VPG.guard(main, load);
      const [red, mirrors, insp] = await Promise.all([
        VPG.getOptional('/v1/junction/redirection'),
        VPG.get('/v1/junction/mirroring/peers'),
        VPG.getOptional('/v1/junction/inspection'),
      ]);
      main.replaceChildren(h('h1', { text: 'Junction' }),
        h('div', { class: 'two' }, redirection(red, reload), mirroring(mirrors, reload)),
        inspection(insp, reload), await inspectionSummary(insp));
    };
    await load();
  },
};

function redirection(red, reload) {
  const slot = h('span', { class: 'error' });
  const unset = red ? [VPG.action('Unset', 'danger',
    () => VPG.api('DELETE', '/v1/junction/redirection'), slot, reload), slot] : [];
  return VPG.form({
    id: 'redirection',
    title: 'Redirection' + (red ? (red.enabled ? ' (on)' : ' (off)') : ' (not set)'),
    fields: [
      { name: 'gateway', label: 'Gateway (a gate peer\'s inner address)', value: red && red.gateway, placeholder: '10.10.10.10' },
      { name: 'description', label: 'Description', value: red && red.description },
      { name: 'enabled', label: 'Enabled', kind: 'bool', value: red ? red.enabled : true },
    ],
    extra: unset,
    send: (v) => VPG.api('PUT', '/v1/junction/redirection', v),
  }, reload);
}

function mirroring(peers, reload) {
  const path = (p) => '/v1/junction/mirroring/peers/' + encodeURIComponent(p.ipAddress);
  const table = VPG.table([
    { title: 'Address', cell: (p) => p.ipAddress },
    { title: 'Protocol', cell: (p) => p.protocol },
    { title: 'Enabled', cell: (p) => VPG.fmt.yes(p.enabled) },
    { title: 'Description', cell: (p) => p.description },
    { title: '', cell: (p) => {
      const slot = h('span', { class: 'error' });
      return h('span', null,
        VPG.action(p.enabled ? 'Disable' : 'Enable', 'secondary',
          () => VPG.api('PUT', path(p), { enabled: !p.enabled }), slot, reload), ' ',
        VPG.action('Remove', 'danger', () => VPG.api('DELETE', path(p)), slot, reload), ' ', slot);
    } },
  ], peers, 'No mirroring peer.');
  const add = VPG.form({
    id: 'mirror-add', submit: 'Add peer', bare: true,
    fields: [
      { name: 'ipAddress', label: 'Address (GRE copies go there)', placeholder: '203.0.113.7' },
      { name: 'description', label: 'Description' },
      { name: 'enabled', label: 'Enabled', kind: 'bool', value: true },
    ],
    send: (v) => VPG.api('POST', '/v1/junction/mirroring/peers', v),
  }, reload);
  return h('section', { class: 'card', id: 'mirroring' }, h('h2', { text: 'Mirroring peers' }), table, add);
}

function inspection(insp, reload) {
  const slot = h('span', { class: 'error' });
  const unset = insp ? [VPG.action('Turn off and forget', 'danger',
    () => VPG.api('DELETE', '/v1/junction/inspection'), slot, reload), slot] : [];
  return VPG.form({
    id: 'inspection',
    title: 'Inspection' + (insp ? (insp.enabled ? ' (on)' : ' (off)') : ' (not set)'),
    fields: [
      { name: 'collectors', label: 'IPFIX collectors (address[:port], up to 4)', kind: 'list',
        value: insp && insp.collectors, placeholder: '192.0.2.9:4739' },
      { name: 'activeTimeout', label: 'Active timeout (s)', kind: 'int', value: insp && insp.activeTimeout, placeholder: '60' },
      { name: 'idleTimeout', label: 'Idle timeout (s)', kind: 'int', value: insp && insp.idleTimeout, placeholder: '15' },
      { name: 'maxFlows', label: 'Flow table size', kind: 'int', value: insp && insp.maxFlows, placeholder: '65536' },
      { name: 'enabled', label: 'Enabled', kind: 'bool', value: insp ? insp.enabled : true },
    ],
    extra: unset,
    send: (v) => VPG.api('PUT', '/v1/junction/inspection', v),
  }, reload);
}

/* Top applications and top devices over a window the operator picks. */
async function inspectionSummary(insp) {
  const box = h('section', { class: 'card', id: 'inspection-summary' });
  if (!insp || !insp.enabled) {
    box.append(h('h2', { text: 'Top applications and devices' }),
      h('p', { class: 'muted', text: 'Inspection is not running: set and enable it above to see what devices talk.' }));
    return box;
  }
  const windowSel = h('select', { 'aria-label': 'Window' },
    [[60, 'last minute'], [300, 'last 5 minutes'], [3600, 'last hour']].map(([v, t]) =>
      h('option', { value: String(v), text: t, selected: v === 300 })));
  const body = h('div');
  const draw = async () => {
    const r = await VPG.api('GET', '/v1/junction/inspection/summary?top=10&window=' + windowSel.value);
    if (r.status !== 200) {
      body.replaceChildren(h('p', { class: 'error', text: (r.body && r.body.message) || String(r.status) }));
      return;
    }
    const s = r.body;
    const total = s.bytes || 1;
    body.replaceChildren(
      h('p', { class: 'muted', text: `${VPG.fmt.int(s.flows)} flows, ${VPG.fmt.int(s.packets)} packets, ` +
        `${VPG.fmt.bytes(s.bytes)}` + (s.truncated ? ' (history shorter than the window)' : '') }),
      h('div', { class: 'two' },
        h('div', { id: 'top-applications' }, h('h2', { text: 'Top applications' }), VPG.table([
          { title: 'Application', cell: (p) => p.name },
          { title: 'Flows', num: true, cell: (p) => VPG.fmt.int(p.flows) },
          { title: 'Bytes', num: true, cell: (p) => VPG.fmt.bytes(p.bytes) },
          { title: '', cell: (p) => barOf(p.bytes, total) },
        ], s.protocols.slice(0, 10), 'No traffic in the window.')),
        h('div', { id: 'top-devices' }, h('h2', { text: 'Top devices' }), VPG.table([
          { title: 'IMSI', cell: (d) => d.imsi },
          { title: 'Flows', num: true, cell: (d) => VPG.fmt.int(d.flows) },
          { title: 'Bytes', num: true, cell: (d) => VPG.fmt.bytes(d.bytes) },
          { title: '', cell: (d) => barOf(d.bytes, total) },
        ], s.sessions, 'No traffic in the window.'))));
  };
  windowSel.addEventListener('change', draw);
  box.append(h('div', { class: 'toolbar' }, h('h2', { text: 'Top applications and devices' }), windowSel), body);
  await draw();
  /* Kept current while shown; a page or section that went stops it. */
  const timer = setInterval(() => (box.isConnected ? draw() : clearInterval(timer)), 5000);
  return box;
}

/* A bar as wide as the share of the total; width set through the CSSOM, which CSP allows. */
function barOf(bytes, total) {
  const bar = h('div', { class: 'bar', title: VPG.fmt.bytes(bytes) });
  bar.style.width = Math.max(1, Math.round((100 * bytes) / total)) + 'px';
  return bar;
}
