// People: find a person by e-mail address (one GraphQL request); one match
// opens the person's page.

import { gql } from '../api.js';
import * as Q from '../queries.js';
import { el, empty, errorText, personal, table, words } from '../ui.js';

export async function render(main, ctx) {
  const email = (ctx.params.get('email') || '').trim();
  const input = el('input', { type: 'email', name: 'email', id: 'people-email', value: email, required: true, autocomplete: 'off' });
  const form = el('form', { class: 'filters', role: 'search', id: 'people-search' },
    el('label', {}, 'E-mail address', input), el('button', { type: 'submit' }, 'Find'));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    ctx.navigate('people', { email: input.value.trim() });
  });
  const parts = [el('h1', {}, 'People'), form];
  if (email) {
    const r = await gql(Q.FindPeople, { email }).catch((err) => ({ failed: err }));
    if (ctx.stale()) return;
    if (!r.failed && !r.data.users) r.failed = { errors: r.errors };
    if (r.failed) {
      parts.push(el('p', { class: 'alert', role: 'alert' }, errorText(r.failed)));
    } else {
      const users = r.data.users.edges.map((e) => e.node);
      if (users.length === 1) {
        ctx.navigate('people/' + users[0].id, {});
        return;
      }
      parts.push(users.length === 0 ? empty('Nobody has this e-mail address.') :
        table(['Person', 'E-mail', 'Kind', 'Status'], users.map((u) => [
          el('a', { href: ctx.href('people/' + u.id) }, personal(u.name)), personal(u.email), words(u.subjectKind), words(u.status),
        ])));
    }
  } else {
    parts.push(el('p', { class: 'muted' }, 'Type the address a person wrote to you from: their page shows who holds their data, through which chain and clauses, and their Art. 15 export.'));
  }
  main.replaceChildren(...parts);
  if (!email) input.focus();
}
