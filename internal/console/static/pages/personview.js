// The parts of a person's page that the DPO's view and the person's own
// share: who holds their data (the trace, drawn and listed), the records
// collected, and the consent choices in force.

import { draw, legend, protection } from '../draw.js';
import { date, el, empty, table, tags, words } from '../ui.js';

// tracePicture draws the chains of a trace, coloured by the hub's answer on
// each holder's protection.
export function tracePicture(user) {
  const nodes = new Map();
  const edges = new Map();
  const adequate = new Map(user.trace.holdings.filter((h) => h.chain.length).map((h) => [h.holder.id, h.adequate]));
  const add = (h, sub) => {
    if (!nodes.has(h.id)) nodes.set(h.id, { id: h.id, label: h.name, kind: h.__typename, sub: sub || '' });
    else if (sub && !nodes.get(h.id).sub) nodes.get(h.id).sub = sub;
  };
  for (const h of user.trace.holdings) {
    add(h.holder, h.depth === 0 ? 'collected it' : `${h.country.name} (${h.country.code})`);
    for (const s of h.chain) {
      add(s.exporter);
      add(s.importer, `${s.country.name} (${s.country.code})`);
      const key = s.exporter.id + '>' + s.importer.id;
      if (!edges.has(key)) {
        edges.set(key, {
          from: s.exporter.id, to: s.importer.id, cls: protection(s, adequate.get(s.importer.id)),
          label: s.mechanism, title: `${s.exporter.name} → ${s.importer.name}: ${s.mechanism}` + (s.contract ? `, ${s.contract.title}` : ''),
        });
      }
    }
  }
  return draw([...nodes.values()], [...edges.values()], { title: 'Who holds this data' });
}

// holdings lists every holder with the path, the clause covering each hop,
// the categories and the purposes.
export function holdings(ctx, user, opts = {}) {
  const list = [...user.trace.holdings].sort((a, b) => a.depth - b.depth || a.holder.name.localeCompare(b.holder.name));
  const link = (h) => (opts.links && h.__typename === 'Vendor' ? el('a', { href: ctx.href('vendors/' + h.id) }, h.name) : h.name);
  return el('section', { id: 'holdings' },
    el('h2', {}, `Who holds the data as of ${ctx.at} (${list.length})`),
    legend(),
    list.length ? el('div', { class: 'picture', id: 'trace-picture' }, tracePicture(user)) : null,
    list.length === 0 ? empty('Nobody holds data about this person.') :
      table(['Holder', 'Where', 'Categories', 'Path', 'Covered by', 'Purposes'], list.map((h) => [
        link(h.holder),
        `${h.country.name} (${h.country.code})` + (h.depth ? (h.adequate ? ', protected' : ', not adequate: safeguards below') : ''),
        tags(h.categories.map((c) => c.key)),
        h.depth === 0 ? 'collected it' : h.chain.map((s, i) => [i ? ' → ' : '', s.importer.name]),
        h.chain.map((s) => el('div', { class: 'small' },
          `${s.mechanism}${s.contract ? ', ' + s.contract.title : ''}${s.clauses.length ? ' — ' + s.clauses.map((c) => c.reference).join(', ') : ''}`)),
        tags([...new Set(h.chain.flatMap((s) => s.purposes.map((p) => p.key)))]),
      ])),
    user.trace.blocked.length ? el('p', { class: 'notice' }, 'Stopped by this person\'s choices: ',
      user.trace.blocked.map((b, i) => [i ? '; ' : '', `${b.importer.name} (${b.reason})`])) : null);
}

// records lists the data collected about the person.
export function records(user) {
  const rs = user.dataRecords.edges.map((e) => e.node);
  return el('section', { id: 'records' },
    el('h2', {}, `What is held (${user.dataRecords.totalCount} records)`),
    rs.length === 0 ? empty('No record.') :
      table(['Category', 'Collected by', 'Source', 'Collected', 'Purposes'], rs.map((r) => [
        [r.category.name, ' ', el('code', { class: 'small' }, r.category.key), r.category.sensitivity !== 'NORMAL' ? ' (' + words(r.category.sensitivity) + ')' : '', r.legalHold ? ' — legal hold' : ''],
        r.collector.name, words(r.source), date(r.collectedAt), tags((r.purposes || []).map((p) => p.key)),
      ])));
}

// consents lists the choices in force.
export function consents(user) {
  const cs = user.effectiveConsents;
  return el('section', { id: 'consents' },
    el('h2', {}, 'Choices in force'),
    cs.length === 0 ? empty('No choice recorded.') :
      table(['Purpose', 'Recipient', 'Choice', 'Recorded', 'Where'], cs.map((c) => [
        c.purpose.name, c.recipient ? c.recipient.name : 'everyone', words(c.decision), date(c.recordedAt), c.source || '—',
      ])));
}

// requests lists the person's requests.
export function requests(ctx, user, opts = {}) {
  const rs = user.requests.edges.map((e) => e.node);
  return el('section', { id: 'person-requests' },
    el('h2', {}, 'Requests'),
    rs.length === 0 ? empty('No request.') :
      table(['Request', 'Kind', 'Status', 'Received', 'Due'], rs.map((r) => [
        opts.links ? el('a', { href: ctx.href('requests', { ref: r.reference || '' }) }, r.reference || r.id) : (r.reference || '—'),
        words(r.kind), words(r.status), date(r.receivedAt), date(r.dueAt),
      ])));
}
