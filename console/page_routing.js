/* The routing filter (an ordered allow/deny list) and SIM-based routing (the LANs behind devices). */
'use strict';

VPG.pages.routing = {
  title: 'Routing filter',
  async render(main) {
    let rules = await VPG.get('/v1/routing_filter');
    const form = h('form', { class: 'card', id: 'routing-filter', novalidate: true });
    const rows = h('tbody');
    const formError = h('p', { class: 'error form-error', 'data-error-for': '' });
    const saved = h('span', { class: 'ok' });
    /* Rows are named as the API names an entry's fields: "[2].ipRange". */
    const read = () => [...rows.children].map((tr) => ({
      action: tr.querySelector('select').value,
      ipRange: tr.querySelector('input').value.trim(),
    }));
    const draw = () => {
      rows.replaceChildren(...rules.map((r, i) => h('tr', null,
        h('td', { class: 'num', text: String(i + 1) }),
        h('td', null, h('select', { 'data-field': `[${i}].action`, 'aria-label': `rule ${i + 1} action` },
          ['allow', 'deny'].map((a) => h('option', { value: a, text: a, selected: a === r.action }))),
        h('span', { class: 'error', 'data-error-for': `[${i}].action` })),
        h('td', null, h('input', { type: 'text', value: r.ipRange, placeholder: '10.0.0.0/16',
          'data-field': `[${i}].ipRange`, 'aria-label': `rule ${i + 1} range` }),
        h('span', { class: 'error', 'data-error-for': `[${i}].ipRange` })),
        h('td', null, move('↑', i, -1), ' ', move('↓', i, 1), ' ',
          button('Remove', 'danger', () => { rules = read(); rules.splice(i, 1); draw(); })))));
    };
    const button = (text, cls, f) => {
      const b = h('button', { type: 'button', class: cls, text });
      b.addEventListener('click', f);
      return b;
    };
    const move = (text, i, d) => button(text, 'secondary', () => {
      rules = read();
      if (i + d < 0 || i + d >= rules.length) return;
      [rules[i], rules[i + d]] = [rules[i + d], rules[i]];
      draw();
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      VPG.clearErrors(form);
      saved.textContent = '';
      const r = await VPG.api('PUT', '/v1/routing_filter', read());
      if (r.status === 200) {
        rules = r.body;
        draw();
        saved.textContent = 'Saved and applied.';
      } else {
        VPG.showError(form, r);
      }
    });
    draw();
    form.append(
      h('p', { class: 'muted', text: 'Every packet a device sends is checked against these rules in order; ' +
        'the first whose range holds the destination decides, and no match allows.' }),
      h('table', null, h('thead', null, h('tr', null, ['#', 'Action', 'Destination range', ''].map((t) => h('th', { text: t })))), rows),
      h('div', { class: 'actions' },
        button('Add rule', 'secondary', () => { rules = read(); rules.push({ action: 'deny', ipRange: '' }); draw(); }),
        h('button', { type: 'submit', text: 'Save' }), saved),
      formError);
    main.replaceChildren(h('h1', { text: 'Routing filter' }), form);
  },
};

VPG.pages['sim-routing'] = {
  title: 'SIM-based routing',
  async render(main) {
    const load = async () => {
      const state = await VPG.get('/v1/sim_based_routing/routes');
      const reload = () => VPG.guard(main, load);
      const path = (imsi) => '/v1/sim_based_routing/routes/' + encodeURIComponent(imsi);
      const slot = h('span', { class: 'error' });
      const toggle = VPG.action(state.enabled ? 'Disable' : 'Enable', state.enabled ? 'danger' : '',
        () => VPG.api('POST', '/v1/sim_based_routing/' + (state.enabled ? 'disable' : 'enable')), slot, reload);
      const table = VPG.table([
        { title: 'IMSI', cell: (r) => r.imsi },
        { title: 'Destinations', cell: (r) => r.destinations.join(', ') },
        { title: '', cell: (r) => {
          const s = h('span', { class: 'error' });
          return h('span', null, VPG.action('Remove', 'danger', () => VPG.api('DELETE', path(r.imsi)), s, reload), ' ', s);
        } },
      ], state.routes, 'No route.');
      const form = VPG.form({
        id: 'sim-route', title: 'Set a device\'s routes', submit: 'Set routes', pathField: 'imsi',
        fields: [
          { name: 'imsi', label: 'IMSI', placeholder: '001010000000001' },
          { name: 'destinations', label: 'Destinations (CIDR ranges behind the device)', kind: 'list',
            placeholder: '192.168.50.0/24' },
        ],
        /* The IMSI is the path: without one there is no call to make. */
        send: async (v) => (v.imsi ? VPG.api('PUT', path(v.imsi), { destinations: v.destinations || [] }) :
          { status: 400, body: { field: 'imsi', message: '"imsi": required field is missing' } }),
      }, reload);
      main.replaceChildren(h('h1', { text: 'SIM-based routing' }),
        h('section', { class: 'card', id: 'sim-routing-state' },
          h('p', null, 'SIM-based routing is ', h('strong', { text: state.enabled ? 'enabled' : 'disabled' }),
            state.enabled ? ': the ranges below are routes into their devices\' tunnels.' :
              ': the table is kept, but no range is routed.'),
          h('div', { class: 'actions' }, toggle, slot)),
        h('section', { class: 'card' }, h('h2', { text: 'Routes' }), table), form);
    };
    await load();
  },
};
