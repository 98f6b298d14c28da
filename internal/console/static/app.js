// The console's shell: session, header, "as of" control and routing. Pages
// live in the address's fragment, #/page/id?filters&at=YYYY-MM-DD, so that
// every view (and its "as of" date) is a link a DPO can share; nothing
// secret is ever put in it.

import { AuthError, currentSession, signOut, stats } from './api.js';
import { el, errorText } from './ui.js';
import * as signin from './pages/signin.js';
import * as overview from './pages/overview.js';
import * as vendors from './pages/vendors.js';
import * as vendor from './pages/vendor.js';
import * as datamap from './pages/datamap.js';
import * as people from './pages/people.js';
import * as person from './pages/person.js';
import * as requests from './pages/requests.js';
import * as findings from './pages/findings.js';
import * as selfPage from './pages/self.js';

// The pages of each kind of role: [route, title, module].
const STAFF_NAV = [
  ['', 'Overview'], ['vendors', 'Vendors'], ['datamap', 'Data map'],
  ['people', 'People'], ['requests', 'Requests'], ['findings', 'Findings'],
];

const main = document.getElementById('main');
let session = null;
let rendering = 0;

// today is the current date, as the "as of" control's default.
function today() {
  return new Date().toISOString().slice(0, 10);
}

// nextMinute is the start of the next minute, as an ISO instant.
function nextMinute() {
  const d = new Date();
  d.setUTCSeconds(60, 0);
  return d.toISOString();
}

// parse reads the fragment: {path: [...], params: URLSearchParams}.
function parse() {
  const raw = location.hash.replace(/^#\/?/, '');
  const [p, q] = raw.split('?');
  return { path: p ? p.split('/').map(decodeURIComponent) : [], params: new URLSearchParams(q || '') };
}

// asOf is the "as of" date of the address, or today.
function asOf(params) {
  const at = params.get('at');
  return /^\d{4}-\d{2}-\d{2}$/.test(at || '') ? at : today();
}

// href builds a link to a page, keeping the "as of" date.
export function href(path, params = {}, at = current().at) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== '' && v !== null && v !== undefined) q.set(k, v);
  q.set('at', at);
  return '#/' + path + '?' + q.toString();
}

function current() {
  const { path, params } = parse();
  return { path, params, at: asOf(params) };
}

function navigate(path, params) {
  location.hash = href(path, params).slice(1);
}

function header() {
  const top = document.getElementById('top');
  const nav = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!session) {
    top.hidden = true;
    return;
  }
  top.hidden = false;
  const { path, at } = current();
  nav.replaceChildren();
  const items = session.role === 'SUBJECT' ? [['', 'My data']] : STAFF_NAV;
  for (const [route, title] of items) {
    const a = el('a', { href: href(route, {}, at) }, title);
    const first = path[0] || '';
    if (first === route || (route === 'vendors' && first === 'vendors') || (route === 'people' && first === 'people' && session.role !== 'SUBJECT')) {
      a.setAttribute('aria-current', 'page');
    }
    nav.append(a);
  }
  who.replaceChildren(session.name + ' ', el('span', { class: 'role', title: 'Signed in as' }, session.role));
  document.getElementById('asof').value = at;
}

// pageFor chooses the page module of a route for the signed-in role.
function pageFor(path) {
  if (session.role === 'SUBJECT') {
    // A subject has one page, its own: /people/<id> names it; any other
    // person's ID answers "not found", as an ID that names nothing does.
    return { name: 'self', module: selfPage };
  }
  switch (path[0] || '') {
    case '': return { name: 'overview', module: overview };
    case 'vendors': return path[1] ? { name: 'vendor', module: vendor } : { name: 'vendors', module: vendors };
    case 'datamap': return { name: 'datamap', module: datamap };
    case 'people': return path[1] ? { name: 'person', module: person } : { name: 'people', module: people };
    case 'requests': return { name: 'requests', module: requests };
    case 'findings': return { name: 'findings', module: findings };
  }
  return null;
}

// render shows the page of the address. Each page sets main's
// data-state to "loaded" when it is on screen (the browser tests wait for
// it) and data-requests to the GraphQL requests it cost.
async function render() {
  const mine = ++rendering;
  const started = performance.now();
  const before = stats.requests;
  header();
  main.dataset.state = 'loading';
  if (!session) {
    main.dataset.page = 'signin';
    signin.render(main, { onSignedIn });
    finish(mine, started, before);
    return;
  }
  const { path, params, at } = current();
  const page = pageFor(path);
  main.dataset.page = page ? page.name : 'missing';
  const ctx = {
    path, params, at, session, href, navigate,
    // atTime is the instant the hub is asked about: the start of the day,
    // or for today the next whole minute (what was written a moment ago is
    // in force, and the pages of one minute share one evaluation).
    atTime: at === today() ? nextMinute() : at + 'T00:00:00Z',
    stale: () => mine !== rendering,
    reload: () => render(),
  };
  try {
    if (!page) {
      main.replaceChildren(el('h1', {}, 'Not found'), el('p', {}, 'This page does not exist.'));
    } else {
      await page.module.render(main, ctx);
    }
  } catch (err) {
    if (err instanceof AuthError) {
      session = null;
      render();
      return;
    }
    if (mine !== rendering) return;
    main.replaceChildren(el('h1', {}, 'Something went wrong'), el('p', { class: 'alert', role: 'alert' }, errorText(err)));
    main.dataset.render = String(mine);
    main.dataset.state = 'error';
    return;
  }
  finish(mine, started, before);
}

function finish(mine, started, before) {
  if (mine !== rendering) return;
  main.dataset.requests = String(stats.requests - before);
  main.dataset.ms = String(Math.round(performance.now() - started));
  main.dataset.render = String(mine);
  main.dataset.state = 'loaded';
  const h1 = main.querySelector('h1');
  document.title = (h1 ? h1.textContent + ' · ' : '') + 'privhub console';
}

async function onSignedIn(s) {
  session = s;
  if (s.role === 'SUBJECT' && !location.hash.startsWith('#/people/')) {
    location.hash = href('people/' + s.userID, {}).slice(1);
    return; // hashchange renders
  }
  render();
}

async function boot() {
  document.getElementById('asof').addEventListener('change', (e) => {
    const v = e.target.value;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return;
    const { path, params } = current();
    params.set('at', v);
    location.hash = '/' + path.map(encodeURIComponent).join('/') + '?' + params.toString();
  });
  document.getElementById('signout').addEventListener('click', async () => {
    await signOut();
    session = null;
    location.hash = '/';
    render();
  });
  window.addEventListener('hashchange', () => {
    render().then(() => main.focus({ preventScroll: true }));
  });
  try {
    session = await currentSession();
  } catch (err) {
    session = null;
  }
  if (session && session.role === 'SUBJECT' && !location.hash.startsWith('#/people/')) {
    location.hash = href('people/' + session.userID, {}).slice(1);
    return;
  }
  render();
}

boot();
