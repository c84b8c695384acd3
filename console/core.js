/*
 * The console's common parts: calls to the gateway's API (with the token of
 * this browser session), building the page with the DOM (never innerHTML:
 * IMSIs, descriptions and error messages are shown as text), and forms that
 * show the API's error message beside the field it names.
 */
'use strict';

const VPG = {
  pages: {},           /* name -> { title, render(main) } */
  onUnauthorized: null, /* set by main.js: back to the login form */
};

/* The token lives in sessionStorage only: entered once per browser session, never in a URL. */
const TOKEN_KEY = 'vpgd.token';
VPG.token = () => sessionStorage.getItem(TOKEN_KEY);
VPG.setToken = (t) => (t ? sessionStorage.setItem(TOKEN_KEY, t) : sessionStorage.removeItem(TOKEN_KEY));

/*
 * One API call: { status, body, link }. body is the decoded JSON (an error
 * is { code, message, field }), or null. A network failure is status 0 with
 * a message, so callers have one shape to look at.
 */
VPG.api = async function (method, path, body) {
  const headers = {};
  const token = VPG.token();
  if (token) headers.Authorization = 'Bearer ' + token;
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let rsp;
  try {
    rsp = await fetch(path, init);
  } catch (e) {
    return { status: 0, body: { code: 'unreachable', message: 'the gateway did not answer' } };
  }
  let parsed = null;
  const text = await rsp.text();
  if (text) {
    try { parsed = JSON.parse(text); } catch (e) { parsed = { message: text }; }
  }
  if (rsp.status === 401 && VPG.onUnauthorized) VPG.onUnauthorized(parsed);
  return { status: rsp.status, body: parsed, link: rsp.headers.get('Link') };
};

/* The body of a 2xx answer, or throws the answer (caught by VPG.guard). */
VPG.get = async function (path) {
  const r = await VPG.api('GET', path);
  if (r.status >= 200 && r.status < 300) return r.body;
  throw r;
};

/* An element: h('td', { class: 'num', text: '3' }, child, ...). */
function h(tag, attrs, ...kids) {
  const el = document.createElement(tag);
  setAttrs(el, attrs);
  for (const kid of kids.flat()) {
    if (kid === null || kid === undefined || kid === false) continue;
    el.append(kid instanceof Node ? kid : String(kid));
  }
  return el;
}

function setAttrs(el, attrs) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k === 'value') el.value = v;
    else if (k === 'checked') el.checked = true;
    else el.setAttribute(k, v === true ? '' : v);
  }
}

/* An SVG element, for the plots. */
function svg(tag, attrs) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'text') el.textContent = v;
    else el.setAttribute(k, v);
  }
  return el;
}

VPG.fmt = {
  int: (n) => (n === undefined || n === null ? '' : Number(n).toLocaleString('en-US')),
  bytes(n) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    n = Number(n) || 0;
    while (n >= 1000 && i < units.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : n) + ' ' + units[i];
  },
  rate(n, unit) {
    const prefixes = ['', 'k', 'M', 'G'];
    let i = 0;
    while (Math.abs(n) >= 1000 && i < prefixes.length - 1) { n /= 1000; i++; }
    const digits = n === 0 || n >= 100 ? 0 : n >= 10 ? 1 : 2;
    return n.toFixed(digits) + ' ' + prefixes[i] + unit;
  },
  time: (ms) => (ms ? new Date(ms).toLocaleString() : ''),
  yes: (b) => (b ? 'yes' : 'no'),
};

/* A labelled statistic for the overview and the status cards. */
VPG.stat = (label, value) =>
  h('div', { class: 'stat' }, h('div', { class: 'label', text: label }), h('div', { class: 'value', text: value }));

/* A table from rows: columns are { title, num?, cell(row) -> text or node }. */
VPG.table = function (columns, rows, empty) {
  if (!rows.length) return h('p', { class: 'muted', text: empty || 'None.' });
  const head = h('tr', null, columns.map((c) => h('th', { class: c.num ? 'num' : null, text: c.title })));
  const body = rows.map((row) =>
    h('tr', null, columns.map((c) => {
      const v = c.cell(row);
      return h('td', { class: c.num ? 'num' : null }, v instanceof Node ? v : String(v ?? ''));
    })));
  return h('table', null, h('thead', null, head), h('tbody', null, body));
};

/*
 * A form whose inputs are named as the API names its fields, each with an
 * error line beside it. spec: { id, title, fields: [{ name, label, kind:
 * 'text' (default) |'int'|'bool'|'list' (comma-separated), secret, placeholder, value }],
 * submit, extra (more buttons), pathField (where an invalid_path goes), bare
 * (no card of its own, inside another),
 * send(values) -> answer }. done(answer) runs after a 2xx.
 */
VPG.form = function (spec, done) {
  const form = h('form', { class: spec.bare ? null : 'card', novalidate: true, 'data-form': spec.id });
  if (spec.title) form.append(h('h2', { text: spec.title }));
  const row = h('div', { class: 'fields' });
  for (const f of spec.fields) row.append(VPG.field(f));
  const formError = h('p', { class: 'error form-error', 'data-error-for': '' });
  const button = h('button', { type: 'submit', text: spec.submit || 'Save' });
  form.append(row, h('div', { class: 'actions' }, button, spec.extra || []), formError);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    VPG.clearErrors(form);
    button.disabled = true;
    const answer = await spec.send(VPG.values(form, spec.fields));
    button.disabled = false;
    if (answer.status >= 200 && answer.status < 300) {
      if (done) done(answer);
    } else {
      VPG.showError(form, answer, spec.pathField);
    }
  });
  return form;
};

/* One labelled input with its error line; data-field is the API's name for it. */
VPG.field = function (f) {
  const name = f.name;
  let input;
  if (f.kind === 'bool') {
    input = h('input', { type: 'checkbox', name, 'data-field': name, checked: !!f.value });
    return h('label', { class: 'field check' }, input, h('span', { text: f.label }),
      h('span', { class: 'error', 'data-error-for': name }));
  }
  input = h('input', {
    type: f.secret ? 'password' : 'text', name, 'data-field': name, placeholder: f.placeholder,
    inputmode: f.kind === 'int' ? 'numeric' : null, autocomplete: 'off', spellcheck: 'false',
    value: f.value === undefined || f.value === null ? '' :
      (Array.isArray(f.value) ? f.value.join(', ') : String(f.value)),
  });
  return h('label', { class: 'field' }, h('span', { class: 'name', text: f.label }), input,
    h('span', { class: 'error', 'data-error-for': name }));
};

/*
 * The body a form sends. An empty optional field is left out (the API's
 * default applies); what the operator typed is sent as typed when it is not
 * what the kind expects, so the API's message says what is wrong with it.
 */
VPG.values = function (form, fields) {
  const out = {};
  for (const f of fields) {
    const el = form.querySelector('[data-field="' + CSS.escape(f.name) + '"]');
    if (f.kind === 'bool') { out[f.name] = el.checked; continue; }
    const v = el.value.trim();
    if (v === '') continue;
    if (f.kind === 'int') out[f.name] = /^-?[0-9]+$/.test(v) ? Number(v) : v;
    else if (f.kind === 'list') out[f.name] = v.split(/[\s,]+/).filter((s) => s !== '');
    else out[f.name] = v;
  }
  return out;
};

VPG.clearErrors = function (root) {
  for (const e of root.querySelectorAll('[data-error-for]')) e.textContent = '';
  for (const e of root.querySelectorAll('[aria-invalid]')) e.removeAttribute('aria-invalid');
};

/*
 * The API's message beside the field its error names (docs/API.md,
 * "Errors"); a message that names no field of this form goes under it.
 */
VPG.showError = function (root, answer, pathField) {
  const body = answer.body || {};
  let field = body.field || '';
  if (body.code === 'invalid_path' && pathField) field = pathField;
  const message = body.message || ('the gateway answered ' + answer.status);
  let slot = field ? root.querySelector('[data-error-for="' + CSS.escape(field) + '"]') : null;
  if (slot) {
    const input = root.querySelector('[data-field="' + CSS.escape(field) + '"]');
    if (input) input.setAttribute('aria-invalid', 'true');
  } else {
    slot = root.querySelector('[data-error-for=""]');
  }
  if (slot) slot.textContent = message;
};

/* A button that calls the API and shows a refusal in slot; done() after a 2xx. */
VPG.action = function (label, cls, call, slot, done) {
  const b = h('button', { type: 'button', class: cls, text: label });
  b.addEventListener('click', async () => {
    VPG.clearErrors(slot.parentNode || slot);
    slot.textContent = '';
    b.disabled = true;
    const answer = await call();
    b.disabled = false;
    if (answer.status >= 200 && answer.status < 300) done(answer);
    else slot.textContent = (answer.body && answer.body.message) || ('the gateway answered ' + answer.status);
  });
  return b;
};

/*
 * Runs a page's loader; an answer it throws (VPG.get) is shown in place of
 * the page, but a 401, which main.js answers with the login form.
 */
VPG.guard = async function (main, load) {
  try {
    await load();
  } catch (answer) {
    if (answer && answer.status === 401) return;
    const msg = answer && answer.body && answer.body.message ? answer.body.message : String(answer);
    main.replaceChildren(h('p', { class: 'error', text: 'The gateway refused: ' + msg }));
  }
};
