// Runs graphql-http's GraphQL-over-HTTP server audits against a running
// privhub and prints one JSON line per audit: {id, name, status, reason}.
// Usage: PRIVHUB_URL=http://host/graphql PRIVHUB_TOKEN=... node audit.mjs
// The audits send no credentials of their own: each request gets the
// token's Authorization header. The Go test transport_test.go reads the
// lines and fails on any MUST or SHOULD that is not ok.
import { serverAudits } from 'graphql-http';

const url = process.env.PRIVHUB_URL;
const token = process.env.PRIVHUB_TOKEN;
if (!url || !token) {
  console.error('set PRIVHUB_URL and PRIVHUB_TOKEN');
  process.exit(2);
}

function fetchWithToken(input, init = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

for (const { id, name, fn } of serverAudits({ url, fetchFn: fetchWithToken })) {
  const result = await fn();
  let reason = result.reason;
  if (result.status !== 'ok' && result.response) {
    const body = await result.response.text().catch(() => '');
    reason = `${reason} (HTTP ${result.response.status}: ${body.slice(0, 300)})`;
  }
  console.log(JSON.stringify({ id, name, status: result.status, reason }));
}
