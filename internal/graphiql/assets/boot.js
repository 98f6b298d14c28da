// Boot script for the embedded GraphiQL page. It is served from 'self' so the
// page's Content-Security-Policy needs no 'unsafe-inline' for scripts. The
// configuration comes from data-* attributes on the #graphiql element, which
// the Go handler fills in (HTML-escaped) when it renders the page.
(function () {
  'use strict';

  // Where the page keeps the API token between visits.
  var TOKEN_KEY = 'privhub.token';

  // apiToken returns the bearer token to send, or null. A link such as
  // http://127.0.0.1:8080/#token=phk_... (which `privhub serve` prints)
  // hands the page a token: it is kept in localStorage and removed from the
  // address bar at once, so it stays out of the history and of bookmarks.
  // An empty "#token=" forgets the kept token.
  function apiToken() {
    var hash = window.location.hash.replace(/^#/, '');
    var params = new URLSearchParams(hash);
    if (params.has('token')) {
      var token = (params.get('token') || '').trim();
      params.delete('token');
      var rest = params.toString();
      window.history.replaceState(
        window.history.state,
        '',
        window.location.pathname + window.location.search + (rest ? '#' + rest : ''),
      );
      try {
        if (token) {
          window.localStorage.setItem(TOKEN_KEY, token);
        } else {
          window.localStorage.removeItem(TOKEN_KEY);
        }
      } catch (e) {
        // Storage may be disabled; the token still serves this visit.
      }
      return token || null;
    }
    try {
      return window.localStorage.getItem(TOKEN_KEY);
    } catch (e) {
      return null;
    }
  }

  var token = apiToken();

  // authorizedFetch sends every request with "Authorization: Bearer TOKEN",
  // unless the headers editor already sets an Authorization header.
  function authorizedFetch(url, init) {
    var options = Object.assign({}, init);
    var headers = new Headers(options.headers || {});
    if (token && !headers.has('Authorization')) {
      headers.set('Authorization', 'Bearer ' + token);
    }
    options.headers = headers;
    return window.fetch(url, options);
  }

  var root = document.getElementById('graphiql');
  var endpoint = new URL(root.dataset.endpoint || '/graphql', window.location.href).toString();

  var fetcher = GraphiQL.createFetcher({ url: endpoint, fetch: authorizedFetch });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery || '',
      // The headers editor lets a user paste {"Authorization": "Bearer ..."},
      // which takes precedence over the token the page keeps.
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      // Keep the headers editor's contents (which may hold a token) out of
      // localStorage unless the user opts in from the settings dialog.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    }),
  );
})();
