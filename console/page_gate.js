/* Gate: open or close the VXLAN overlay, its VNI and privacy separator, and its peers. */
'use strict';

VPG.pages.gate = {
  title: 'Gate',
  async render(main) {
    const load = async () => {
      const gate = await VPG.get('/v1/gate');
      const peers = await VPG.get('/v1/gate/peers');
      const reload = () => VPG.guard(main, load);
      const status = h('div', { class: 'grid', id: 'gate-status' },
        VPG.stat('Gate', gate.open ? 'open' : 'closed'),
        VPG.stat('VXLAN id (VNI)', String(gate.vxlanId)),
        VPG.stat('Privacy separator', gate.privacySeparatorEnabled ? 'on' : 'off'),
        VPG.stat('Listen address', gate.listenAddress),
        VPG.stat('MAC address', gate.macAddress || ''),
        VPG.stat('Peers', String(gate.peerCount)));
      const closeSlot = h('span', { class: 'error' });
      const close = gate.open ? [VPG.action('Close the gate', 'danger',
        () => VPG.api('POST', '/v1/gate/close'), closeSlot, reload), closeSlot] : [];
      const open = VPG.form({
        id: 'gate-open', title: gate.open ? 'Settings' : 'Open the gate',
        submit: gate.open ? 'Apply' : 'Open',
        fields: [
          { name: 'vxlanId', label: 'VXLAN id (1-16777215)', kind: 'int', value: gate.vxlanId },
          { name: 'privacySeparatorEnabled', label: 'Privacy separator (devices cannot reach each other)',
            kind: 'bool', value: gate.privacySeparatorEnabled },
        ],
        extra: close,
        send: (v) => VPG.api('POST', '/v1/gate/open', v),
      }, reload);
      const table = h('div', { id: 'gate-peers' }, VPG.table([
        { title: 'Outer (underlay) address', cell: (p) => p.outerIpAddress },
        { title: 'Inner address', cell: (p) => p.innerIpAddress },
        { title: 'MAC', cell: (p) => p.macAddress || 'not learned yet' },
        { title: '', cell: (p) => {
          const slot = h('span', { class: 'error', 'data-error-for': 'outerIpAddress' });
          return h('span', null, VPG.action('Remove', 'danger',
            () => VPG.api('DELETE', '/v1/gate/peers/' + encodeURIComponent(p.outerIpAddress)), slot, reload), ' ', slot);
        } },
      ], peers, 'No gate peer.'));
      const add = VPG.form({
        id: 'gate-peer-add', title: 'Add a gate peer', submit: 'Add peer',
        fields: [
          { name: 'outerIpAddress', label: 'Outer (underlay) address', placeholder: '198.51.100.3', required: true },
          { name: 'innerIpAddress', label: 'Inner address (in the device subnet)', placeholder: '10.10.10.10', required: true },
        ],
        send: (v) => VPG.api('POST', '/v1/gate/peers', v),
      }, reload);
      main.replaceChildren(h('h1', { text: 'Gate' }), status, open,
        h('section', { class: 'card' }, h('h2', { text: 'Peers' }), table), add);
    };
    await load();
  },
};
