// Sign-in: the API token is pasted once and exchanged for a session cookie;
// the page keeps neither the token nor the cookie (HttpOnly).

import { signIn } from '../api.js';
import { el, errorText } from '../ui.js';

export function render(main, { onSignedIn }) {
  const token = el('textarea', { id: 'token', name: 'token', rows: 3, required: true, autocomplete: 'off', spellcheck: 'false', 'aria-describedby': 'token-help' });
  const error = el('p', { class: 'error', role: 'alert', id: 'signin-error' });
  const button = el('button', { type: 'submit', id: 'signin' }, 'Sign in');
  const form = el('form', { class: 'form', id: 'signin-form' },
    el('label', { for: 'token' }, 'API token'),
    token,
    el('p', { class: 'muted small', id: 'token-help' },
      'Paste a token from ', el('code', {}, 'privhub token create'),
      ' (or the admin token ', el('code', {}, 'privhub serve'),
      ' prints). It is exchanged once for a session; the console stores it nowhere.'),
    button, error);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.textContent = '';
    button.disabled = true;
    try {
      const s = await signIn(token.value.trim());
      token.value = '';
      onSignedIn(s);
    } catch (err) {
      error.textContent = errorText(err);
    } finally {
      button.disabled = false;
    }
  });
  main.replaceChildren(el('div', { class: 'signin' },
    el('h1', {}, 'privhub console'),
    el('p', {}, 'Vendors, subprocessor chains, data maps, people and their requests, and the findings that need a DPO.'),
    form,
    el('p', { class: 'muted small' }, 'Prefer GraphQL? ', el('a', { href: '/graphiql' }, 'GraphiQL'), ' is at /graphiql.')));
  token.focus();
}
