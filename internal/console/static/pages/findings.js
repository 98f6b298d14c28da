// Findings as of the date, filtered by rule, severity and entity; each says
// what is wrong, under which provision, what to do, and links to what it is
// about. One GraphQL request.

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { badge, date, el, empty, words } from '../ui.js';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
const TYPES = ['Vendor', 'Organization', 'Transfer', 'Contract', 'Request', 'User', 'Disclosure', 'DataRecord', 'SubprocessorChange', 'Assessment'];
const PAGE = 50;

// entityLink links a finding to the console page of what it is about: the
// object itself when it has a page, otherwise the first vendor involved.
function entityLink(ctx, f) {
  const page = { Vendor: 'vendors/', User: 'people/' }[f.targetType];
  if (page) return el('a', { href: ctx.href(page + f.targetID) }, f.targetLabel);
  if (f.targetType === 'Request') return el('a', { href: ctx.href('requests', { ref: f.targetLabel, status: 'all' }) }, f.targetLabel);
  const v = [...f.related, ...f.evidence.map((e) => e.id)].find((id) => id && id.startsWith('vnd_'));
  const label = `${f.targetLabel} (${words(f.targetType)})`;
  return v ? el('a', { href: ctx.href('vendors/' + v) }, label) : label;
}

export async function render(main, ctx) {
  const p = ctx.params;
  const rule = p.get('rule') || '', severity = p.get('severity') || '', type = p.get('type') || '', target = p.get('target') || '';
  const where = {};
  if (rule) where.rule = rule;
  if (severity) where.severity = severity;
  if (type) where.targetType = type;
  if (target) where.target = target;
  const { data } = await gql(Q.Findings, { at: ctx.atTime, where, first: PAGE, after: p.get('after') || null });
  if (ctx.stale()) return;
  const conn = data.findings;
  const filters = { rule, severity, type, target };

  const form = el('form', { class: 'filters', id: 'finding-filters' },
    el('label', {}, 'Rule', el('select', { name: 'rule', id: 'finding-rule' }, el('option', { value: '' }, 'Any'),
      data.rules.map((r) => el('option', { value: r.id, selected: r.id === rule }, r.title)))),
    el('label', {}, 'Severity', el('select', { name: 'severity' }, el('option', { value: '' }, 'Any'),
      SEVERITIES.map((s) => el('option', { value: s, selected: s === severity }, words(s))))),
    el('label', {}, 'About', el('select', { name: 'type' }, el('option', { value: '' }, 'Anything'),
      TYPES.map((t) => el('option', { value: t, selected: t === type }, words(t))))),
    el('button', { type: 'submit' }, 'Apply'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const f = new FormData(form);
    ctx.navigate('findings', { rule: f.get('rule'), severity: f.get('severity'), type: f.get('type'), target });
  });
  form.querySelectorAll('select').forEach((s) => s.addEventListener('change', () => form.requestSubmit()));

  const items = conn.edges.map(({ node: f }) => el('article', { class: 'card finding', 'data-rule': f.rule.id, 'data-target': f.targetID },
    el('h2', {}, badge(f.severity, f.severity), ' ', f.rule.title),
    el('p', {}, el('strong', {}, 'About: '), entityLink(ctx, f), f.since ? ` · since ${date(f.since)}` : '', f.historic ? ' · historic, stays on record' : ''),
    el('p', {}, f.message),
    el('p', {}, el('strong', {}, 'Provision: '), f.rule.legalReference, ' · ', el('code', { class: 'small' }, f.rule.id)),
    el('p', {}, el('strong', {}, 'Remedy: '), f.remedy),
    f.evidence.length ? el('details', {}, el('summary', {}, `Evidence (${f.evidence.length})`),
      el('ul', {}, f.evidence.map((e) => el('li', {}, `${words(e.kind)}: ${e.label}`)))) : null));

  main.replaceChildren(
    el('h1', {}, `Findings as of ${ctx.at}`),
    form,
    target ? el('p', {}, `About one object only · `, el('a', { href: ctx.href('findings', { ...filters, target: '' }) }, 'every object')) : null,
    el('p', { class: 'muted', id: 'finding-count' }, `${conn.totalCount} findings`),
    items.length === 0 ? empty('No finding matches.') : el('div', { class: 'cards', id: 'finding-list' }, items),
    conn.pageInfo.hasNextPage ? el('nav', { class: 'pager' }, el('a', { href: ctx.href('findings', { ...filters, after: conn.pageInfo.endCursor }), rel: 'next' }, 'Next →')) : null,
  );
}
