// Overview: open findings by severity and rule, requests overdue and due in
// the next 7 days, contracts expiring in the next 90 days, pending
// subprocessor changes. One GraphQL request.

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { badge, date, el, empty, table, words } from '../ui.js';

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];

function plusDays(day, n) {
  const d = new Date(day + 'T00:00:00Z');
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString();
}

export async function render(main, ctx) {
  const { data } = await gql(Q.Overview, { at: ctx.atTime, soon: plusDays(ctx.at, 7), expiry: plusDays(ctx.at, 90) });
  if (ctx.stale()) return;
  const s = data.complianceSummary;
  const counts = Object.fromEntries(s.bySeverity.map((c) => [c.severity, c.count]));
  const most = Math.max(1, ...s.bySeverity.map((c) => c.count));

  const severity = el('div', { class: 'card', id: 'by-severity' },
    el('h2', {}, 'Open findings'),
    el('p', {}, el('span', { class: 'big', id: 'findings-total' }, String(s.total)), ' findings, ',
      el('a', { href: ctx.href('findings', { rule: 'transfer.no-mechanism' }) }, `${s.invalidTransfers} transfers`), ' with no valid mechanism'),
    table(['Severity', 'Findings'], SEVERITIES.map((sev) => [
      el('a', { href: ctx.href('findings', { severity: sev }) }, badge(sev, sev)),
      [el('meter', { min: 0, max: most, value: counts[sev] || 0, 'aria-hidden': 'true' }), ' ', String(counts[sev] || 0)],
    ]), { cls: '' }));

  const rules = [...s.byRule].sort((a, b) => SEVERITIES.indexOf(a.rule.severity) - SEVERITIES.indexOf(b.rule.severity) || b.count - a.count);
  const byRule = el('section', { id: 'by-rule' },
    el('h2', {}, 'Findings by rule'),
    rules.length === 0 ? empty('No findings as of ' + ctx.at + '.') :
      table(['Rule', 'Severity', 'Legal reference', 'Findings'], rules.map((r) => [
        el('a', { href: ctx.href('findings', { rule: r.rule.id }) }, r.rule.title),
        badge(r.rule.severity, r.rule.severity), r.rule.legalReference, String(r.count),
      ])));

  const reqTable = (conn, id, title, none) => el('div', { class: 'card', id },
    el('h2', {}, `${title} (${conn.totalCount})`),
    conn.edges.length === 0 ? empty(none) :
      table(['Request', 'Kind', 'Due'], conn.edges.map(({ node: r }) => [
        el('a', { href: ctx.href('requests', { ref: r.reference || '' }) }, r.reference || r.id), words(r.kind), date(r.dueAt),
      ]), { cls: '' }));

  const expiring = data.expiring;
  const pending = data.pending;
  main.replaceChildren(
    el('h1', {}, 'Overview as of ' + ctx.at),
    el('div', { class: 'cards' },
      severity,
      reqTable(data.overdue, 'overdue', 'Requests overdue', 'No request is overdue.'),
      reqTable(data.dueSoon, 'due-soon', 'Due in the next 7 days', 'Nothing falls due in the next 7 days.'),
    ),
    byRule,
    el('section', { id: 'expiring' },
      el('h2', {}, `Contracts and DPAs expiring in the next 90 days (${expiring.totalCount})`),
      expiring.edges.length === 0 ? empty('No contract expires in the next 90 days.') :
        table(['Contract', 'Kind', 'Expires', 'Parties'], expiring.edges.map(({ node: c }) => [
          c.title, c.kind, date(c.expiresAt),
          (c.parties || []).map((p, i) => [i ? ', ' : '', p.holder.__typename === 'Vendor'
            ? el('a', { href: ctx.href('vendors/' + p.holder.id) }, p.holder.name) : p.holder.name]),
        ]))),
    el('section', { id: 'pending' },
      el('h2', {}, `Pending subprocessor changes (${pending.totalCount})`),
      pending.edges.length === 0 ? empty('No subprocessor change is pending.') :
        table(['Processor', 'Subprocessor', 'Change', 'Notified', 'Engaged', 'Objection deadline', 'Outcome'], pending.edges.map(({ node: c }) => [
          el('a', { href: ctx.href('vendors/' + c.processor.id) }, c.processor.name),
          [el('a', { href: ctx.href('vendors/' + c.subprocessor.id) }, c.subprocessor.name), ' (' + c.subprocessor.country.code + ')'],
          words(c.kind), date(c.notifiedAt), date(c.engagedAt), date(c.objectionDeadline), words(c.outcome || 'PENDING'),
        ]))),
  );
}
