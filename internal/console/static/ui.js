// Small DOM helpers: every text goes in through textContent, never as HTML,
// so nothing the API answers can inject markup.

// el builds an element: attrs sets attributes (class, href, data-*, aria-*),
// "on" + event names add listeners, and children are nodes or strings
// (null, undefined and false are skipped; arrays are flattened).
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') {
      node.addEventListener(k.slice(2).toLowerCase(), v);
    } else if (k === 'value') {
      node.value = v;
    } else {
      node.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(node, children);
  return node;
}

// append adds children (nodes, strings, arrays of them) to node.
export function append(node, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

// date formats an ISO instant as YYYY-MM-DD, or an em dash.
export function date(iso) {
  return iso ? String(iso).slice(0, 10) : '—';
}

// words turns an enum value into lower-case words: DPA_MISSING -> dpa missing.
export function words(v) {
  return v ? String(v).toLowerCase().replaceAll('_', ' ') : '—';
}

// badge is a small coloured label; kind is also its class (a severity).
export function badge(text, kind) {
  return el('span', { class: 'badge ' + (kind || '') }, text);
}

// tags shows a list of short values.
export function tags(values) {
  if (!values || values.length === 0) return el('span', { class: 'muted' }, '—');
  return values.map((v) => el('span', { class: 'tag' }, v));
}

// personal shows a personal value, or says it is hidden for the role (the
// API answered null with a FORBIDDEN error on its path).
export function personal(value) {
  if (value === null || value === undefined) return el('span', { class: 'redacted' }, 'hidden for your role');
  return value;
}

// table builds a table with a header row; rows are arrays of cells, each a
// node, a string or an array of them. cls may add "stack" to lay it out as
// cards on a phone; rowClass(i) names a row's class.
export function table(headers, rows, opts = {}) {
  const thead = el('thead', {}, el('tr', {}, headers.map((h) => el('th', { scope: 'col' }, h))));
  const tbody = el('tbody', {}, rows.map((cells, i) =>
    el('tr', { class: opts.rowClass ? opts.rowClass(i) : null },
      cells.map((c, j) => el('td', { 'data-label': typeof headers[j] === 'string' ? headers[j] : headers[j].textContent.replace(/ [▲▼]$/, '') }, c)))));
  return el('div', { class: 'scroll' }, el('table', { class: opts.cls ?? 'stack' }, thead, tbody));
}

// facts builds a definition list from [term, value] pairs.
export function facts(pairs) {
  return el('dl', { class: 'facts' }, pairs.filter(Boolean).map(([k, v]) => [el('dt', {}, k), el('dd', {}, v ?? '—')]));
}

// empty is the line shown for an empty list.
export function empty(text) {
  return el('p', { class: 'muted' }, text);
}

// download offers data (a string) as a file.
export function downloadLink(text, filename, type, body) {
  const url = URL.createObjectURL(new Blob([body], { type }));
  return el('a', { class: 'button secondary', href: url, download: filename }, text);
}

// errorText is a readable message of a failed GraphQL call.
export function errorText(err) {
  if (err && err.errors && err.errors.length) {
    return err.errors.map((e) => e.message + (e.extensions && e.extensions.code ? ' (' + e.extensions.code + ')' : '')).join('; ');
  }
  return String(err && err.message ? err.message : err);
}
