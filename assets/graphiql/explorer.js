// skillgraph's GraphQL explorer: mounts GraphiQL (the vendored UMD bundle, window.GraphiQL) on
// #graphiql against this server's GraphQL endpoint, with subscriptions over WebSocket.
// Served by the binary (src/http/explorer.rs) from the same origin as the page, which runs no
// inline script: its Content-Security-Policy allows scripts from 'self' only.
(function () {
  "use strict";
  var root = document.getElementById("graphiql");
  var url = new URL(root.dataset.endpoint, window.location.href);
  var subscriptionUrl = new URL(root.dataset.subscriptionEndpoint, window.location.href);
  subscriptionUrl.protocol = window.location.protocol === "https:" ? "wss:" : "ws:";
  var fetcher = GraphiQL.createFetcher({
    url: url.href,
    // graphql-ws (bundled in GraphiQL) speaks graphql-transport-ws; the server speaks it too.
    subscriptionUrl: subscriptionUrl.href,
  });
  var defaultQuery =
    "# skillgraph: write a query, run it with Ctrl+Enter\n" +
    "# or the run button. Docs (top left): the schema.\n" +
    "{\n  stats {\n    skills\n    roles\n    categories\n  }\n}\n";
  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultQuery: defaultQuery })
  );
})();
