// Starts GraphiQL on the page /graphiql (assets/graphiql/index.html), served
// by light-runbook as a file of its own: the page's Content-Security-Policy
// runs no inline script.
(function () {
  'use strict';

  // GraphiQL adds a <style> element when a dialog opens; the policy lets in
  // only styles carrying this page's nonce, which webpack-built code reads
  // from __webpack_nonce__.
  var nonceHolder = document.querySelector('meta[name="style-nonce"]');
  if (nonceHolder && nonceHolder.nonce) {
    window.__webpack_nonce__ = nonceHolder.nonce;
  }

  var defaultQuery = [
    '# light-runbook: a service\'s effective runbook for one error code',
    '{',
    '  runbook(serviceId: "com.acme.payments.ledger-1.0.0", errorCode: "ERR10001") {',
    '    serviceId',
    '    entry',
    '    lineage { id kind }',
    '    procedures { key title kind provenance origin { id } next { label to } }',
    '    warnings { code message }',
    '  }',
    '}',
    ''
  ].join('\n');

  // Requests go to this service's own endpoint. Headers typed in the
  // "Headers" editor, e.g. {"Authorization": "Bearer <token>"}, are sent
  // with every request and, with shouldPersistHeaders, kept in this
  // browser's localStorage so they are sent again after a reload.
  var fetcher = GraphiQL.createFetcher({ url: '/graphql' });

  ReactDOM.createRoot(document.getElementById('graphiql')).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers'
    })
  );
})();
