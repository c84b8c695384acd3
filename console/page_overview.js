/* Overview: the gateway's status, its sessions, and rates plotted from its counters. */
'use strict';

VPG.pages.overview = {
  title: 'Overview',
  async render(main) {
    const vpg = await VPG.get('/v1/vpg');
    const gate = await VPG.get('/v1/gate');
    const roles = Object.entries(vpg.roles || {}).filter(([, r]) => r.enabled).map(([n]) => n.toUpperCase());
    const cards = h('div', { class: 'grid', id: 'status' },
      VPG.stat('Status', vpg.status),
      VPG.stat('Sessions', VPG.fmt.int(vpg.sessionCount)),
      VPG.stat('Addresses in use', `${VPG.fmt.int(vpg.addressesInUse)} of ${VPG.fmt.int(vpg.addressCapacity)}`),
      VPG.stat('Device subnet', vpg.deviceSubnetCidrRange),
      VPG.stat('Roles', roles.join(', ') || 'none'),
      VPG.stat('Gate', gate.open ? `open, VNI ${gate.vxlanId}, ${gate.peerCount} ` +
        (gate.peerCount === 1 ? 'peer' : 'peers') : 'closed'),
      VPG.stat('GTP address', vpg.gtpAddress || ''),
      VPG.stat('Started', VPG.fmt.time(vpg.startedTime)));
    const traffic = [
      { name: 'uplink', cls: 'series-0', pick: (s) => s.up },
      { name: 'downlink', cls: 'series-1', pick: (s) => s.down },
    ];
    const drops = [{ name: 'drops', cls: 'series-drop', pick: (s) => s.drops }];
    const tput = h('div', { id: 'throughput' });
    const dropPlot = h('div', { id: 'drop-rate' });
    const dropTable = h('div', { id: 'drop-reasons' });
    main.replaceChildren(h('h1', { text: 'Overview' }), cards,
      h('section', { class: 'card' }, h('h2', { text: 'Throughput' }), VPG.legend(traffic), tput),
      h('section', { class: 'card' }, h('h2', { text: 'Drops' }), VPG.legend(drops), dropPlot, dropTable));
    const draw = () => {
      const samples = VPG.history.samples;
      tput.replaceChildren(VPG.plot(samples, traffic, 'bit/s'));
      dropPlot.replaceChildren(VPG.plot(samples, drops, 'pkt/s'));
      dropTable.replaceChildren(VPG.table([
        { title: 'Reason', cell: (r) => r.reason },
        { title: 'Packets in the plot', num: true, cell: (r) => VPG.fmt.int(r.packets) },
        { title: 'Packets/s now', num: true, cell: (r) => r.now.toFixed(1) },
      ], VPG.history.dropReasons(), 'No drops since the console opened.'));
    };
    draw();
    VPG.history.listeners.add(draw);
    return () => VPG.history.listeners.delete(draw);
  },
};
