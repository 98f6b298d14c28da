// Boot script for the embedded GraphiQL page. It is served from 'self' so the
// page's Content-Security-Policy needs no 'unsafe-inline' for scripts. The
// configuration comes from data-* attributes on the #graphiql element, which
// the Go handler fills in (HTML-escaped) when it renders the page.
(function () {
  'use strict';

  var root = document.getElementById('graphiql');
  var endpoint = new URL(root.dataset.endpoint || '/graphql', window.location.href).toString();

  var fetcher = GraphiQL.createFetcher({ url: endpoint });

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: root.dataset.defaultQuery || '',
      // The headers editor lets a user paste {"Authorization": "Bearer ..."}.
      isHeadersEditorEnabled: true,
      defaultEditorToolsVisibility: 'headers',
      // Keep bearer tokens out of localStorage unless the user opts in from
      // the settings dialog.
      shouldPersistHeaders: false,
      inputValueDeprecation: true,
    }),
  );
})();
