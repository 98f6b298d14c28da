// The console's only way to the hub: the session endpoint and /graphql, on
// the same origin. The session token lives in an HttpOnly cookie the page
// cannot read; the CSRF token lives in this module's memory only (never in
// localStorage), fetched again from /session after a reload.

let csrf = null;

// stats counts the GraphQL requests sent, so that each page can show (and
// the browser tests check) how many it cost.
export const stats = { requests: 0 };

// AuthError means the session ended: the console shows the sign-in page.
export class AuthError extends Error {}

// GraphQLError carries the errors of an answer without data.
export class GraphQLError extends Error {
  constructor(errors) {
    super(errors.map((e) => e.message).join('; '));
    this.errors = errors;
  }
}

async function readErrors(res) {
  try {
    const body = await res.json();
    return body.errors || [{ message: 'HTTP ' + res.status }];
  } catch (e) {
    return [{ message: 'HTTP ' + res.status }];
  }
}

// currentSession answers who is signed in ({name, role, userID}), or null.
export async function currentSession() {
  const res = await fetch('/session', { credentials: 'same-origin', cache: 'no-store' });
  if (res.status === 401) return null;
  if (!res.ok) throw new GraphQLError(await readErrors(res));
  const s = await res.json();
  csrf = s.csrfToken;
  return s;
}

// signIn exchanges an API token for a session; the token is sent once, in
// the body, and kept nowhere.
export async function signIn(token) {
  const res = await fetch('/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ token }),
  });
  if (!res.ok) throw new GraphQLError(await readErrors(res));
  const s = await res.json();
  csrf = s.csrfToken;
  return s;
}

// signOut ends the session on the server.
export async function signOut() {
  await fetch('/session', { method: 'DELETE', credentials: 'same-origin', headers: { 'X-CSRF-Token': csrf || '' } });
  csrf = null;
}

// gql sends one GraphQL operation and answers {data, errors}. An answer
// with data and errors (a field redacted for the role) is not a failure;
// one without data throws a GraphQLError, and an ended session an
// AuthError.
export async function gql(query, variables = {}) {
  stats.requests++;
  const res = await fetch('/graphql', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRF-Token': csrf || '' },
    body: JSON.stringify({ query, variables }),
  });
  if (res.status === 401) throw new AuthError('signed out');
  let body;
  try {
    body = await res.json();
  } catch (e) {
    throw new GraphQLError([{ message: 'HTTP ' + res.status }]);
  }
  if (!body.data) throw new GraphQLError(body.errors || [{ message: 'HTTP ' + res.status }]);
  return { data: body.data, errors: body.errors || [] };
}

// mutate sends a mutation and throws a GraphQLError when it has any error:
// a refused write changes nothing.
export async function mutate(query, variables) {
  const r = await gql(query, variables);
  if (r.errors.length) throw new GraphQLError(r.errors);
  return r.data;
}
