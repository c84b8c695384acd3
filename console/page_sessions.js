/* Sessions: every role's sessions, searched by IMSI or address, with their counters and detach. */
'use strict';

/* Follows the API's Link header (RFC 8288) page after page, at most maxPages. */
VPG.allSessions = async function (maxPages) {
  let path = '/v1/sessions?limit=1000';
  const all = [];
  for (let i = 0; path && i < maxPages; i++) {
    const r = await VPG.api('GET', path);
    if (r.status !== 200) throw r;
    all.push(...r.body);
    const next = r.link && /<([^>]+)>;\s*rel="next"/.exec(r.link);
    path = next ? next[1] : null;
  }
  return all;
};

const SESSIONS_SHOWN = 500;

VPG.pages.sessions = {
  title: 'Sessions',
  async render(main) {
    const search = h('input', { type: 'text', id: 'session-search', placeholder: 'IMSI or address',
      'aria-label': 'Search by IMSI or address' });
    const list = h('div', { id: 'session-list' });
    const count = h('span', { class: 'muted' });
    let sessions = [];
    const show = () => {
      const q = search.value.trim();
      const found = sessions.filter((s) => !q || s.imsi.includes(q) || s.ipAddress.includes(q));
      /* A table of a whole fleet would take the browser down: the search narrows it. */
      const rows = found.slice(0, SESSIONS_SHOWN);
      count.textContent = `${found.length} of ${sessions.length}` +
        (found.length > rows.length ? `, the first ${rows.length} shown` : '');
      list.replaceChildren(VPG.table([
        { title: 'IMSI', cell: (s) => s.imsi },
        { title: 'Address', cell: (s) => s.ipAddress },
        { title: 'Role', cell: (s) => s.role },
        { title: 'APN', cell: (s) => s.apn },
        { title: 'Peer', cell: (s) => s.peerAddress },
        { title: 'Since', cell: (s) => VPG.fmt.time(s.createdTime) },
        { title: 'Up pkts', num: true, cell: (s) => VPG.fmt.int(s.uplinkPackets) },
        { title: 'Up', num: true, cell: (s) => VPG.fmt.bytes(s.uplinkBytes) },
        { title: 'Down pkts', num: true, cell: (s) => VPG.fmt.int(s.downlinkPackets) },
        { title: 'Down', num: true, cell: (s) => VPG.fmt.bytes(s.downlinkBytes) },
        { title: '', cell: (s) => detach(s) },
      ], rows, sessions.length ? 'No session matches.' : 'No device is attached.'));
    };
    /* Two clicks: the first arms the button, the second detaches. */
    const detach = (s) => {
      const slot = h('span', { class: 'error', 'data-error-for': 'imsi' });
      const b = h('button', { type: 'button', class: 'danger', text: 'Detach', 'data-imsi': s.imsi });
      b.addEventListener('click', async () => {
        if (!b.dataset.armed) { b.dataset.armed = '1'; b.textContent = 'Confirm detach'; return; }
        b.disabled = true;
        const r = await VPG.api('DELETE', '/v1/sessions/' + encodeURIComponent(s.imsi));
        if (r.status === 204) return load();
        b.disabled = false;
        slot.textContent = (r.body && r.body.message) || ('the gateway answered ' + r.status);
      });
      return h('span', null, b, ' ', slot);
    };
    const load = async () => {
      sessions = await VPG.allSessions(100);
      show();
    };
    search.addEventListener('input', show);
    const refresh = h('button', { type: 'button', class: 'secondary', text: 'Refresh' });
    refresh.addEventListener('click', () => VPG.guard(main, load));
    main.replaceChildren(h('h1', { text: 'Sessions' }), h('div', { class: 'toolbar' }, search, refresh, count), list);
    await load();
  },
};
