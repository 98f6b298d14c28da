// A vendor: services and role per flow, contracts with their clauses,
// transfers, reviews and assessments, findings with their legal reference,
// and its chain of subprocessors drawn. One GraphQL request.

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { draw, legend, protection, serialize } from '../draw.js';
import { badge, date, downloadLink, el, empty, facts, table, tags, words } from '../ui.js';

const STIPULATIONS = ['A_DOCUMENTED_INSTRUCTIONS', 'B_CONFIDENTIALITY', 'C_SECURITY', 'D_SUBPROCESSORS',
  'E_DATA_SUBJECT_RIGHTS', 'F_ASSISTANCE', 'G_DELETION_OR_RETURN', 'H_AUDITS'];

function holderLink(ctx, h) {
  return h.__typename === 'Vendor' ? el('a', { href: ctx.href('vendors/' + h.id) }, h.name) : h.name;
}

// chainPicture draws what reaches the vendor and where it goes next: every
// step of every chain of its exposure, each coloured by the hub's answer on
// the protection of the holder it reaches.
export function chainPicture(v) {
  const nodes = new Map();
  const edges = new Map();
  const adequate = new Map();
  for (const h of [...v.exposure.upstream, ...v.exposure.downstream]) {
    if (h.chain.length) adequate.set(h.holder.id, h.adequate);
  }
  const add = (h, country) => {
    if (!nodes.has(h.id)) nodes.set(h.id, { id: h.id, label: h.name, kind: h.__typename, sub: '', focus: h.id === v.id });
    if (country && !nodes.get(h.id).sub) nodes.get(h.id).sub = country.name + ' (' + country.code + ')';
  };
  add({ id: v.id, name: v.name, __typename: 'Vendor' }, v.country);
  for (const h of [...v.exposure.upstream, ...v.exposure.downstream]) {
    for (const s of h.chain) {
      add(s.exporter);
      add(s.importer, s.country);
      const key = s.exporter.id + '>' + s.importer.id;
      if (edges.has(key)) continue;
      const cls = protection(s, adequate.get(s.importer.id));
      edges.set(key, {
        from: s.exporter.id, to: s.importer.id, cls,
        label: s.mechanism + (s.contract && s.contract.sccModule ? ' ' + s.contract.sccModule : ''),
        title: `${s.exporter.name} → ${s.importer.name} (${s.country.code}, ${s.regime}): ${s.mechanism}` +
          (s.contract ? `, ${s.contract.title}` : '') + (s.clauses.length ? `; ${s.clauses.map((c) => c.reference).join(', ')}` : ''),
      });
    }
  }
  return draw([...nodes.values()], [...edges.values()], { title: `Subprocessor chain of ${v.name}` });
}

function contractRows(ctx, parties) {
  return parties.map((p) => {
    const c = p.contract;
    const scc = c.kind === 'SCC';
    const missing = c.kind === 'DPA' ? STIPULATIONS.filter((s) => !(c.dpaStipulations || []).includes(s)) : [];
    return el('article', { class: 'card contract' },
      el('h3', {}, c.title),
      facts([
        ['Kind', `${c.kind} (${c.regime.replace('_', ' ')})`],
        ['This vendor', `${words(p.side)}, ${words(p.capacity)}` + (p.accessionDate ? `, acceded ${date(p.accessionDate)} (Clause 7)` : '')],
        scc && ['Decision', c.sccDecision ? c.sccDecision.replace('DECISION_', '').replaceAll('_', '/').replace(/\/(EU|EC)$/, '/$1') : '—'],
        scc && ['Module', c.sccModule || '—'],
        scc && ['Clause 9', c.clause9Option ? `${words(c.clause9Option)}${c.clause9NoticeDays ? `, ${c.clause9NoticeDays} days' notice` : ''}` : '—'],
        scc && ['Clause 13 authority', c.clause13Authority || '—'],
        scc && ['Clause 17 law', c.clause17LawCountry ? `${c.clause17LawCountry.name} (${c.clause17LawCountry.code})` : '—'],
        scc && ['Clause 18 forum', c.clause18ForumCountry ? `${c.clause18ForumCountry.name} (${c.clause18ForumCountry.code})` : '—'],
        c.kind === 'DPA' && ['Art. 28(3)', [tags((c.dpaStipulations || []).map((s) => s.slice(0, 1).toLowerCase() + ')')),
          missing.length ? [' ', badge('missing ' + missing.map((s) => s.slice(0, 1).toLowerCase()).join(', '), 'HIGH')] : null]],
        ['Signed / effective / expires', `${date(c.signedAt)} / ${date(c.effectiveAt)} / ${date(c.expiresAt)}`],
        (c.clauses || []).length > 0 && ['Clauses', tags(c.clauses.map((x) => x.reference + (x.topic ? ` (${x.topic})` : '')))],
      ]));
  });
}

function transferRows(ctx, list, side) {
  return list.map(({ node: t }) => [
    holderLink(ctx, side === 'from' ? t.exporter : t.importer),
    words(t.importerRole),
    `${t.country.name} (${t.country.code})`,
    [t.mechanism, t.fallbackMechanism ? ` (fallback ${t.fallbackMechanism})` : ''],
    t.contract ? t.contract.title : '—',
    tags((t.clauses || []).map((c) => c.reference)),
    tags(t.categories.map((c) => c.key)),
    tags((t.purposes || []).map((p) => p.key)),
    `${date(t.activeFrom)} – ${t.activeUntil ? date(t.activeUntil) : ''}`,
  ]);
}

export async function render(main, ctx) {
  const id = ctx.path[1];
  const { data } = await gql(Q.Vendor, { id, at: ctx.atTime });
  if (ctx.stale()) return;
  const v = data.node;
  if (!v || v.__typename !== 'Vendor') {
    main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, 'No vendor has this ID.'));
    return;
  }
  const roles = [...new Set(v.importedTransfers.edges.map((e) => e.node.importerRole))];
  const picture = chainPicture(v);
  const svgFile = serialize(picture);
  const tHead = (who) => [who, 'Role', 'Country', 'Mechanism', 'Contract', 'Clauses', 'Categories', 'Purposes', 'Active'];

  main.replaceChildren(
    el('p', { class: 'small' }, el('a', { href: ctx.href('vendors') }, '← Vendors')),
    el('h1', {}, v.name),
    facts([
      ['Legal name', v.legalName || '—'],
      ['Country', `${v.country.name} (${v.country.code})${v.country.eea ? ', EEA' : ''}`],
      ['Services', tags((v.services || []).map(words))],
      ['Role per flow', roles.length ? tags(roles.map(words)) : '—'],
      ['Status / risk tier', `${words(v.status)} / ${words(v.riskTier)}, reviewed every ${v.reviewCadenceMonths || '—'} months`],
      ['Certifications', tags(v.certifications || [])],
      (v.dpfFrameworks || []).length > 0 && ['Data Privacy Framework', `${(v.dpfFrameworks || []).join(', ')}: active ${date(v.dpfActiveFrom)} – ${v.dpfActiveUntil ? date(v.dpfActiveUntil) : 'now'}, verified ${date(v.dpfLastVerified)}`],
      ['People whose data reaches it', String(v.exposure.users)],
    ]),
    el('section', { id: 'findings' },
      el('h2', {}, `Findings as of ${ctx.at} (${v.findings.length})`),
      v.findings.length === 0 ? empty('No finding.') :
        table(['Severity', 'Rule', 'Legal reference', 'Facts', 'Remedy'], v.findings.map((f) => [
          badge(f.severity, f.severity), [f.rule.title, el('br'), el('code', { class: 'small' }, f.rule.id)], f.rule.legalReference,
          [f.message, f.historic ? ' (historic)' : ''], f.remedy,
        ]))),
    el('section', { id: 'chain' },
      el('h2', {}, 'Subprocessor chain'),
      legend(),
      el('div', { class: 'picture', id: 'chain-picture' }, picture),
      el('p', {}, downloadLink('Download the chain as SVG', `privhub-chain-${v.name.replace(/\W+/g, '-')}-${ctx.at}.svg`, 'image/svg+xml', svgFile))),
    el('section', { id: 'contracts' },
      el('h2', {}, 'Contracts'),
      (v.contractParties || []).length === 0 ? empty('No contract on record.') : el('div', { class: 'cards' }, contractRows(ctx, v.contractParties))),
    el('section', { id: 'transfers' },
      el('h2', {}, 'Data it receives'),
      v.importedTransfers.edges.length === 0 ? empty('None.') : table(tHead('From'), transferRows(ctx, v.importedTransfers.edges, 'from')),
      el('h2', {}, 'Data it passes on'),
      v.exportedTransfers.edges.length === 0 ? empty('None.') : table(tHead('To'), transferRows(ctx, v.exportedTransfers.edges, 'to'))),
    el('section', { id: 'assessments' },
      el('h2', {}, 'Reviews and assessments'),
      (v.assessments || []).length === 0 ? empty('None on record.') :
        table(['Kind', 'Performed', 'Outcome', 'Next due', 'Findings'], v.assessments.map((a) => [
          words(a.kind), date(a.performedAt), words(a.outcome), date(a.nextDue), a.findings || '—',
        ]))),
    (v.subprocessorChanges || []).length > 0 && el('section', { id: 'changes' },
      el('h2', {}, 'Subprocessor notices it gave'),
      table(['Subprocessor', 'Change', 'Notified', 'Engaged', 'Objection deadline', 'Outcome'], v.subprocessorChanges.map((c) => [
        el('a', { href: ctx.href('vendors/' + c.subprocessor.id) }, c.subprocessor.name), words(c.kind),
        date(c.notifiedAt), date(c.engagedAt), date(c.objectionDeadline), words(c.outcome || 'PENDING'),
      ]))),
  );
}
