// Vendors: the registry, searchable, sortable and paged, filtered by
// country, transfer regime, risk tier and open findings. One GraphQL
// request, two when filtered by findings (the vendors those findings name).

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { badge, el, empty, table, tags, words } from '../ui.js';

const PAGE = 25;
const SORTS = { NAME: 'Name', COUNTRY: 'Country', RISK_TIER: 'Risk tier', STATUS: 'Status' };
const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

// vendorIDs collects the vendors a list of findings names.
function vendorIDs(findings) {
  const ids = new Set();
  for (const { node: f } of findings.edges) {
    for (const id of [f.targetID, ...f.related, ...f.evidence.map((e) => e.id)]) {
      if (id && id.startsWith('vnd_')) ids.add(id);
    }
  }
  return [...ids];
}

export async function render(main, ctx) {
  const p = ctx.params;
  const q = p.get('q') || '', country = p.get('country') || '', regime = p.get('regime') || '';
  const risk = p.get('risk') || '', rule = p.get('rule') || '', sev = p.get('severity') || '';
  const sort = SORTS[p.get('sort')] ? p.get('sort') : 'NAME';
  const dir = p.get('dir') === 'DESC' ? 'DESC' : 'ASC';

  const where = {};
  if (q) where.nameContainsFold = q;
  if (country) where.countryID = country;
  if (risk) where.riskTier = risk;
  if (regime) where.hasImportedTransfersWith = [{ regime }];
  if (rule || sev) {
    const fw = {};
    if (rule) fw.rule = rule;
    if (sev) fw.severityAtLeast = sev;
    const { data } = await gql(Q.FindingTargets, { at: ctx.atTime, where: fw });
    const ids = vendorIDs(data.findings);
    where.idIn = ids.length ? ids : ['vnd_none'];
  }
  const vars = { at: ctx.atTime, where, orderBy: { field: sort, direction: dir } };
  if (p.get('before')) Object.assign(vars, { last: PAGE, before: p.get('before') });
  else Object.assign(vars, { first: PAGE, after: p.get('after') || null });
  const { data } = await gql(Q.Vendors, vars);
  if (ctx.stale()) return;

  const filters = { q, country, regime, risk, rule, severity: sev, sort, dir };
  const go = (changes) => ctx.navigate('vendors', { ...filters, ...changes });

  const form = el('form', { class: 'filters', role: 'search', id: 'vendor-filters' },
    el('label', {}, 'Name', el('input', { type: 'search', name: 'q', value: q, id: 'vendor-search' })),
    el('label', {}, 'Country', el('select', { name: 'country' }, el('option', { value: '' }, 'Any'),
      data.countries.edges.map(({ node: c }) => el('option', { value: c.id, selected: c.id === country }, `${c.name} (${c.code})`)))),
    el('label', {}, 'Transfer regime', el('select', { name: 'regime' }, el('option', { value: '' }, 'Any'),
      ['EU_GDPR', 'UK_GDPR', 'CH_FADP'].map((r) => el('option', { value: r, selected: r === regime }, r.replace('_', ' '))))),
    el('label', {}, 'Risk tier', el('select', { name: 'risk' }, el('option', { value: '' }, 'Any'),
      ['HIGH', 'MEDIUM', 'LOW'].map((r) => el('option', { value: r, selected: r === risk }, words(r))))),
    el('label', {}, 'Open findings of rule', el('select', { name: 'rule', id: 'vendor-rule' }, el('option', { value: '' }, 'Any or none'),
      data.rules.map((r) => el('option', { value: r.id, selected: r.id === rule }, r.title)))),
    el('label', {}, 'Open findings at least', el('select', { name: 'severity' }, el('option', { value: '' }, 'Any or none'),
      SEVERITIES.map((s) => el('option', { value: s, selected: s === sev }, words(s))))),
    el('button', { type: 'submit' }, 'Apply'),
  );
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    go({ q: f.get('q').trim(), country: f.get('country'), regime: f.get('regime'), risk: f.get('risk'), rule: f.get('rule'), severity: f.get('severity') });
  });
  // Changing a select applies it at once; typing waits for Enter.
  form.querySelectorAll('select').forEach((s) => s.addEventListener('change', () => form.requestSubmit()));

  const sortHeader = (field) => {
    const active = sort === field;
    const next = active && dir === 'ASC' ? 'DESC' : 'ASC';
    return el('button', {
      type: 'button', 'aria-label': `Sort by ${SORTS[field]}`, 'aria-sort': active ? (dir === 'ASC' ? 'ascending' : 'descending') : null,
      onclick: () => go({ sort: field, dir: next }),
    }, SORTS[field] + (active ? (dir === 'ASC' ? ' ▲' : ' ▼') : ''));
  };

  const conn = data.vendors;
  const rows = conn.edges.map(({ node: v }) => {
    const worst = SEVERITIES.find((s) => v.findings.some((f) => f.severity === s));
    const ruleIDs = [...new Set(v.findings.map((f) => f.rule.id))];
    return [
      el('a', { href: ctx.href('vendors/' + v.id), class: 'vendor-link' }, v.name),
      `${v.country.name} (${v.country.code})`,
      tags((v.services || []).map(words)),
      words(v.riskTier), words(v.status),
      v.findings.length ? [badge(`${v.findings.length}`, worst), ' ', tags(ruleIDs)] : el('span', { class: 'muted' }, 'none'),
    ];
  });
  const pi = conn.pageInfo;
  const pager = el('nav', { class: 'pager', 'aria-label': 'Pages of vendors' },
    pi.hasPreviousPage || p.get('after') ? el('a', { href: ctx.href('vendors', { ...filters, before: pi.startCursor }), rel: 'prev' }, '← Previous') : null,
    el('span', { class: 'muted' }, `${conn.totalCount} vendors`),
    pi.hasNextPage || p.get('before') ? el('a', { href: ctx.href('vendors', { ...filters, after: pi.endCursor }), rel: 'next' }, 'Next →') : null);

  main.replaceChildren(
    el('h1', {}, 'Vendors'),
    form,
    rows.length === 0 ? empty('No vendor matches.') :
      table([sortHeader('NAME'), sortHeader('COUNTRY'), 'Services', sortHeader('RISK_TIER'), sortHeader('STATUS'), `Findings as of ${ctx.at}`], rows),
    pager,
  );
  main.querySelector('table')?.setAttribute('id', 'vendor-table');
}
