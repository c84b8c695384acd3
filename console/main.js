/*
 * The console's entry: asks the gateway whether it needs a token (a call
 * without one answers 401), shows the login form if so, then the page the
 * URL's fragment names. Each page renders into a container of its own, so a
 * page still loading when the operator moves on cannot overwrite the next.
 */
'use strict';

const app = { cleanup: null, loggedIn: false };

function loginForm(refused) {
  const form = VPG.form({
    id: 'login', title: 'Log in to this gateway', submit: 'Log in',
    fields: [{ name: 'token', label: 'API token (api.token of the bootstrap file)', secret: true }],
    send: async (v) => {
      VPG.setToken(v.token || '');
      const r = await VPG.api('GET', '/v1/vpg');
      if (r.status === 401) {
        VPG.setToken(null);
        return { status: 401, body: { ...(r.body || {}), field: 'token' } };
      }
      return r;
    },
  }, () => start());
  form.id = 'login';
  form.append(h('p', { class: 'muted', text: 'The token is kept for this browser tab only, until it closes or you log out.' }));
  if (refused) VPG.showError(form, { status: 401, body: { ...refused, field: 'token' } });
  return form;
}

function showLogin(refused) {
  app.loggedIn = false;
  VPG.history.stop();
  if (app.cleanup) app.cleanup();
  app.cleanup = null;
  document.getElementById('nav').hidden = true;
  document.getElementById('logout').hidden = true;
  document.getElementById('page').replaceChildren(loginForm(refused));
  document.querySelector('#login input').focus();
}

VPG.onUnauthorized = (body) => {
  if (!app.loggedIn) return;
  /* A token that worked before and no longer does: say why beside the field. */
  showLogin(VPG.token() ? body : null);
  VPG.setToken(null);
};

async function show() {
  if (!app.loggedIn) return;
  const name = location.hash.slice(1) || 'overview';
  const page = VPG.pages[name] || VPG.pages.overview;
  if (app.cleanup) app.cleanup();
  app.cleanup = null;
  for (const a of document.querySelectorAll('#nav a'))
    a.classList.toggle('current', a.dataset.page === name);
  document.title = page.title + ' · vpgd';
  const box = h('div', { id: 'page-' + name, 'data-loading': '1' });
  document.getElementById('page').replaceChildren(box);
  await VPG.guard(box, async () => {
    const cleanup = await page.render(box);
    if (box.isConnected) app.cleanup = cleanup || null;
    else if (cleanup) cleanup();
  });
  /* The browser test waits on this: the page has its data. */
  box.removeAttribute('data-loading');
}

async function start() {
  const r = await VPG.api('GET', '/v1/vpg');
  if (r.status === 401) {
    showLogin(null);
    return;
  }
  if (r.status !== 200) {
    const retry = h('button', { type: 'button', text: 'Try again' });
    retry.addEventListener('click', start);
    document.getElementById('page').replaceChildren(
      h('p', { class: 'error', text: 'The gateway refused: ' + ((r.body && r.body.message) || r.status) }), retry);
    return;
  }
  app.loggedIn = true;
  document.getElementById('nav').hidden = false;
  document.getElementById('logout').hidden = !VPG.token();
  VPG.history.start();
  show();
}

document.getElementById('logout').addEventListener('click', () => {
  VPG.setToken(null);
  showLogin(null);
});
window.addEventListener('hashchange', show);
start();
