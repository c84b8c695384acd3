/*
 * Captures (Peek): capture sessions of the whole gateway or of one device,
 * their status, and the pcapng download. A gateway without the capture API
 * answers 404, and the page says so.
 */
'use strict';

const PEEK = '/v1/packet_capture_sessions';
const PEEK_ACTIVE = ['REQUESTED', 'CAPTURING'];

/* The file comes with the token in a header, so it is fetched and handed over as a blob: URL. */
async function downloadPcap(id, slot) {
  const headers = {};
  if (VPG.token()) headers.Authorization = 'Bearer ' + VPG.token();
  let rsp;
  try {
    rsp = await fetch(PEEK + '/' + encodeURIComponent(id) + '/pcap', { headers, cache: 'no-store' });
  } catch (e) {
    slot.textContent = 'the gateway did not answer';
    return;
  }
  if (!rsp.ok) {
    let msg = 'the gateway answered ' + rsp.status;
    try { msg = (await rsp.json()).message || msg; } catch (e) { /* not JSON: keep the status */ }
    slot.textContent = msg;
    return;
  }
  const url = URL.createObjectURL(await rsp.blob());
  const a = h('a', { href: url, download: `vpgd-capture-${id}.pcapng` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}

VPG.pages.captures = {
  title: 'Captures',
  async render(main) {
    let timer = null;
    const load = async () => {
      clearTimeout(timer);
      const r = await VPG.api('GET', PEEK);
      if (r.status === 404) {
        main.replaceChildren(h('h1', { text: 'Captures' }),
          h('p', { class: 'notice', id: 'captures-unavailable',
            text: 'Packet capture (Peek) is not available on this gateway.' }));
        return;
      }
      if (r.status !== 200) throw r;
      const list = Array.isArray(r.body) ? r.body : (r.body.sessions || []);
      const reload = () => VPG.guard(main, load);
      const idOf = (c) => c.id ?? c.sessionId;
      const table = VPG.table([
        { title: 'Id', cell: (c) => idOf(c) },
        { title: 'Status', cell: (c) => c.status + (c.truncated ? ' (truncated)' : '') },
        { title: 'Device', cell: (c) => c.imsi || 'whole gateway' },
        { title: 'Prefix', cell: (c) => c.prefix || '' },
        { title: 'Duration (s)', num: true, cell: (c) => VPG.fmt.int(c.duration) },
        { title: 'Created', cell: (c) => VPG.fmt.time(c.createdTime) },
        { title: 'Reason', cell: (c) => c.failedReason || c.reason || '' },
        { title: '', cell: (c) => {
          const slot = h('span', { class: 'error' });
          const path = PEEK + '/' + encodeURIComponent(idOf(c));
          const buttons = [];
          if (PEEK_ACTIVE.includes(c.status))
            buttons.push(VPG.action('Stop', 'secondary', () => VPG.api('POST', path + '/stop'), slot, reload));
          if (c.status === 'DONE') {
            const b = h('button', { type: 'button', class: 'secondary', text: 'Download' });
            b.addEventListener('click', () => { slot.textContent = ''; downloadPcap(idOf(c), slot); });
            buttons.push(b);
          }
          buttons.push(VPG.action('Delete', 'danger', () => VPG.api('DELETE', path), slot, reload));
          return h('span', null, buttons.flatMap((b) => [b, ' ']), slot);
        } },
      ], list, 'No capture yet.');
      const form = VPG.form({
        id: 'capture-start', title: 'Start a capture', submit: 'Start',
        fields: [
          { name: 'duration', label: 'Duration (s, 1-86400)', kind: 'int', placeholder: '60' },
          { name: 'imsi', label: 'IMSI (empty: the whole gateway)' },
          { name: 'prefix', label: 'File name prefix' },
        ],
        send: (v) => VPG.api('POST', PEEK, v),
      }, reload);
      main.replaceChildren(h('h1', { text: 'Captures' }), form,
        h('section', { class: 'card', id: 'captures' }, h('h2', { text: 'Capture sessions' }), table));
      /* Watch the status while a capture is under way. */
      if (list.some((c) => PEEK_ACTIVE.includes(c.status)) && main.isConnected)
        timer = setTimeout(reload, 2000);
    };
    await load();
    return () => clearTimeout(timer);
  },
};
