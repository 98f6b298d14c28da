// One person, as a DPO sees them: profile, trace (every holder, the path,
// the clause covering each hop, categories and purposes), records, choices,
// requests, and the Art. 15 export of their access or portability request.
// One GraphQL request; the export is fetched when asked for.

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { date, downloadLink, el, errorText, facts, personal, words } from '../ui.js';
import { consents, holdings, records, requests } from './personview.js';

function exportSection(ctx, user) {
  const req = user.requests.edges.map((e) => e.node).find((r) => r.kind === 'ACCESS' || r.kind === 'PORTABILITY');
  const out = el('div', { id: 'export-result', 'aria-live': 'polite' });
  if (!req) {
    return el('section', { id: 'export' }, el('h2', {}, 'Art. 15 export'),
      el('p', { class: 'muted' }, 'The export answers an access or portability request; this person has none. They can ask from their own page, or you can record it with submitRequest.'));
  }
  const button = el('button', { type: 'button', id: 'export-button' }, `Prepare the export for ${req.reference || 'the request'}`);
  button.addEventListener('click', async () => {
    button.disabled = true;
    out.replaceChildren('Preparing…');
    try {
      const r = await gql(Q.RequestExport, { id: req.id });
      const exp = r.data.node && r.data.node.export;
      if (!exp) throw r.errors.length ? { errors: r.errors } : new Error('no export');
      const body = JSON.stringify(exp, null, 2);
      out.replaceChildren(
        el('p', {}, `${Object.keys(exp).length} sections: ${Object.keys(exp).join(', ')}.`),
        downloadLink('Download the export (JSON)', `privhub-export-${req.reference || req.id}.json`, 'application/json', body));
    } catch (err) {
      out.replaceChildren(el('p', { class: 'alert', role: 'alert' }, errorText(err)));
    } finally {
      button.disabled = false;
    }
  });
  return el('section', { id: 'export' }, el('h2', {}, 'Art. 15 export'),
    el('p', {}, `Everything held about this person and by whom, as answered to ${req.reference || 'their request'} (${words(req.kind)}).`),
    button, out);
}

export async function render(main, ctx) {
  const { data } = await gql(Q.Person, { id: ctx.path[1], at: ctx.atTime });
  if (ctx.stale()) return;
  const u = data.node;
  if (!u || u.__typename !== 'User') {
    main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, 'Nobody has this ID.'));
    return;
  }
  main.replaceChildren(
    el('p', { class: 'small' }, el('a', { href: ctx.href('people') }, '← People')),
    el('h1', {}, personal(u.name)),
    facts([
      ['E-mail', personal(u.email)],
      ['Account', personal(u.externalRef)],
      ['Kind / status', `${words(u.subjectKind)} / ${words(u.status)}`],
      ['Country', u.country ? `${u.country.name} (${u.country.code})` : '—'],
      ['On record since', date(u.createdAt)],
    ]),
    holdings(ctx, u, { links: true }),
    exportSection(ctx, u),
    records(u),
    consents(u),
    requests(ctx, u, { links: true }),
  );
}
