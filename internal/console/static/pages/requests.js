// Requests: the queue sorted by due date, overdue marked; extend (with the
// Art. 12(3) reason and the date the person was told) and complete; for an
// erasure, the preview of what would be deleted, kept and who is told. One
// GraphQL request; the actions and the preview run when asked for.

import { gql, mutate } from '../api.js';
import * as Q from '../queries.js';
import { badge, date, el, empty, errorText, personal, table, tags, words } from '../ui.js';

const OPEN = ['RECEIVED', 'IN_PROGRESS'];

function extendForm(ctx, r) {
  const error = el('p', { class: 'error', role: 'alert' });
  const months = el('select', { name: 'months' }, el('option', { value: '1' }, '1 month'), el('option', { value: '2' }, '2 months'));
  const reason = el('textarea', { name: 'reason', rows: 2, required: true, placeholder: 'The complexity or the number of requests (Art. 12(3))' });
  const told = el('input', { type: 'date', name: 'notifiedAt', required: true, value: ctx.at });
  const form = el('form', { class: 'form extend-form', 'data-ref': r.reference || r.id },
    el('label', {}, 'Extend by', months),
    el('label', {}, 'Reason told to the person', reason),
    el('label', {}, 'Person told on (within the first month)', told),
    el('div', {}, el('button', { type: 'submit' }, 'Extend'), ' ', el('button', { type: 'button', class: 'secondary', onclick: () => form.remove() }, 'Cancel')),
    error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    try {
      await mutate(Q.ExtendRequest, { input: { id: r.id, months: Number(months.value), reason: reason.value, notifiedAt: told.value + 'T12:00:00Z' } });
      ctx.reload();
    } catch (err) {
      error.textContent = errorText(err);
    }
  });
  return form;
}

async function preview(ctx, r, out) {
  out.replaceChildren('Working out the erasure…');
  try {
    const { data } = await gql(Q.ErasurePreview, { user: r.user.id, at: ctx.atTime });
    const p = data.erasurePreview;
    const who = (list) => list.length === 0 ? empty('Nobody.') :
      table(['Holder', 'Role', 'Erases', 'Keeps'], list.map((x) => [x.holder.name, words(x.role), tags(x.erase), tags(x.kept)]), { cls: '' });
    out.replaceChildren(el('div', { class: 'card erasure-preview' },
      el('h3', {}, `Erasure preview for ${r.reference || r.id} as of ${date(p.at)}`),
      el('p', {}, 'Deleted: ', p.deleted.length ? p.deleted.map((d, i) => [i ? ', ' : '', `${d.records} × ${d.categoryKey}`]) : 'nothing'),
      el('p', {}, 'Kept: ', p.retained.length ? p.retained.map((k, i) => [i ? '; ' : '', `${k.categoryKey} until ${date(k.until)} (${k.reason})`]) : 'nothing'),
      el('h4', {}, 'Processors instructed to erase (Art. 28(3)(g))'), who(p.instruct),
      el('h4', {}, 'Controllers notified (Art. 19)'), who(p.notify)));
  } catch (err) {
    out.replaceChildren(el('p', { class: 'alert', role: 'alert' }, errorText(err)));
  }
}

export async function render(main, ctx) {
  const all = ctx.params.get('status') === 'all';
  const ref = (ctx.params.get('ref') || '').trim();
  const where = {};
  if (!all) where.statusIn = OPEN;
  if (ref) where.referenceContainsFold = ref;
  const { data } = await gql(Q.Requests, { where, first: 100 });
  if (ctx.stale()) return;
  const conn = data.requests;
  const asOf = new Date(ctx.atTime);
  const canWrite = ctx.session.role === 'ADMIN' || ctx.session.role === 'DPO';
  const list = conn.edges.map((e) => e.node);
  const overdue = (r) => OPEN.includes(r.status) && r.dueAt && new Date(r.dueAt) < asOf && new Date(r.receivedAt) <= asOf;

  const rows = list.map((r) => {
    const out = el('div', { class: 'request-extra' });
    const actions = [];
    if (canWrite && OPEN.includes(r.status)) {
      actions.push(el('button', { type: 'button', class: 'secondary extend', onclick: () => { if (!out.querySelector('form')) out.prepend(extendForm(ctx, r)); out.querySelector('select').focus(); } }, 'Extend…'));
      actions.push(el('button', { type: 'button', class: 'secondary complete', onclick: async (e) => {
        e.target.disabled = true;
        try { await mutate(Q.CompleteRequest, { input: { id: r.id, note: 'completed in the console' } }); ctx.reload(); } catch (err) { out.replaceChildren(el('p', { class: 'alert', role: 'alert' }, errorText(err))); e.target.disabled = false; }
      } }, 'Complete'));
    }
    if (r.kind === 'ERASURE') {
      actions.push(el('button', { type: 'button', class: 'secondary preview', onclick: () => preview(ctx, r, out) }, 'Preview erasure'));
    }
    return [
      [el('strong', {}, r.reference || '—'), overdue(r) ? [' ', badge('overdue', 'overdue')] : null],
      words(r.kind), words(r.status),
      r.user ? el('a', { href: ctx.href('people/' + r.user.id) }, personal(r.user.externalRef)) : '—',
      date(r.receivedAt), date(r.dueAt),
      r.extensionMonths ? `+${r.extensionMonths} month(s), told ${date(r.extensionNotifiedAt)}: ${r.extensionReason || ''}` : '—',
      [el('div', { class: 'filters' }, actions), out],
    ];
  });

  main.replaceChildren(
    el('h1', {}, 'Requests'),
    el('p', {},
      all ? el('a', { href: ctx.href('requests', { ref }) }, 'Show open requests only') : el('a', { href: ctx.href('requests', { status: 'all', ref }) }, 'Show closed requests too'),
      ref ? [' · ', `matching “${ref}” · `, el('a', { href: ctx.href('requests', { status: all ? 'all' : '' }) }, 'every reference')] : null,
      el('span', { class: 'muted' }, ` · ${conn.totalCount} ${all ? '' : 'open '}requests, by due date; overdue as of ${ctx.at} marked`)),
    list.length === 0 ? empty('No request.') :
      table(['Request', 'Kind', 'Status', 'Person', 'Received', 'Due', 'Extension', ''], rows, { rowClass: (i) => (overdue(list[i]) ? 'overdue' : null) }),
  );
  main.querySelector('table')?.setAttribute('id', 'request-table');
}
