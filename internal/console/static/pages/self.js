// A data subject's own page: what the hub holds about them and who has it,
// their choices with switches for the sharing they may stop (partners,
// sponsors, marketing), and buttons to ask for access, portability or
// erasure. One GraphQL request. The address names the person's ID; any
// other ID answers "not found", word for word as an ID that names nobody,
// because the hub answers null for both.

import { gql, mutate } from '../api.js';
import * as Q from '../queries.js';
import { date, el, errorText, facts, personal, words } from '../ui.js';
import { holdings, records, requests } from './personview.js';

const KINDS = [
  ['ACCESS', 'Ask for a copy of my data', 'Art. 15'],
  ['PORTABILITY', 'Ask for my data to take elsewhere', 'Art. 20'],
  ['ERASURE', 'Ask to erase my data', 'Art. 17'],
];

// sharing answers whether the person's choice in force lets a purpose's
// sharing go on: no choice, or a grant, does; an opt-out or withdrawal
// does not.
function sharing(user, purpose) {
  const c = user.effectiveConsents.find((x) => x.purpose.id === purpose.id && !x.recipient);
  return !c || c.decision === 'GRANTED';
}

function switches(ctx, user, purposes) {
  const status = el('p', { id: 'consent-status', 'aria-live': 'polite' });
  const rows = purposes.map((p) => {
    const on = sharing(user, p);
    const button = el('button', {
      type: 'button', role: 'switch', 'aria-checked': on ? 'true' : 'false', id: 'switch-' + p.key,
      'aria-label': p.name,
    }, el('span', { 'aria-hidden': 'true' }));
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = '';
      try {
        // Switching off stops the purpose for everyone: the purpose, and
        // each recipient the person had allowed for it.
        const source = 'privhub console (self-service)';
        const inputs = [{ user: user.id, purpose: p.id, decision: on ? 'OPTED_OUT' : 'GRANTED', source }];
        if (on) {
          for (const c of user.effectiveConsents) {
            if (c.purpose.id === p.id && c.recipient && c.decision === 'GRANTED') {
              inputs.push({ user: user.id, purpose: p.id, recipient: c.recipient.id, decision: 'OPTED_OUT', source });
            }
          }
        }
        await mutate(Q.RecordConsents(inputs.length), Object.fromEntries(inputs.map((x, i) => ['in' + i, x])));
        ctx.reload();
      } catch (err) {
        status.textContent = errorText(err);
        status.className = 'error';
        button.disabled = false;
      }
    });
    return el('div', { class: 'switch' }, button,
      el('span', {}, el('strong', {}, p.name), ' — ', on ? 'shared' : 'you opted out', p.description ? el('span', { class: 'muted small' }, ' · ' + p.description) : ''));
  });
  return el('section', { id: 'choices' }, el('h2', {}, 'Your choices'),
    el('p', { class: 'muted' }, 'Switch off what you do not want shared: it stops at once for every recipient of that purpose.'),
    rows, status);
}

function asks(ctx, user) {
  const status = el('div', { id: 'request-status', 'aria-live': 'polite' });
  const buttons = KINDS.map(([kind, text, art]) => {
    const b = el('button', { type: 'button', id: 'ask-' + kind.toLowerCase() }, `${text} (${art})`);
    b.addEventListener('click', async () => {
      b.disabled = true;
      try {
        const d = await mutate(Q.SubmitRequest, { input: { user: user.id, kind, note: 'privhub console (self-service)' } });
        const r = d.submitRequest.request;
        status.replaceChildren(el('p', { class: 'notice', role: 'status' },
          `Your ${words(r.kind)} request was received on ${date(r.receivedAt)}${r.reference ? ' as ' + r.reference : ''}; we answer by ${date(r.dueAt)}.`));
      } catch (err) {
        status.replaceChildren(el('p', { class: 'alert', role: 'alert' }, errorText(err)));
      } finally {
        b.disabled = false;
      }
    });
    return b;
  });
  return el('section', { id: 'asks' }, el('h2', {}, 'Your rights'), el('p', { class: 'filters' }, buttons), status);
}

export async function render(main, ctx) {
  const id = ctx.path[0] === 'people' && ctx.path[1] ? ctx.path[1] : ctx.session.userID;
  const { data } = await gql(Q.Self, { id, at: ctx.atTime });
  if (ctx.stale()) return;
  const u = data.node;
  if (!u || u.__typename !== 'User') {
    main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, 'Nobody has this ID.'));
    return;
  }
  main.replaceChildren(
    el('h1', {}, 'Your data'),
    facts([
      ['Name', personal(u.name)],
      ['E-mail', personal(u.email)],
      ['Status', words(u.status)],
    ]),
    switches(ctx, u, data.purposes.edges.map((e) => e.node)),
    asks(ctx, u),
    holdings(ctx, u),
    records(u),
    requests(ctx, u),
  );
}
