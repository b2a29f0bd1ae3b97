/* Example host: asks Tessera for iframe tokens with a caller token and embeds with embed.js. */
(function () {
  'use strict';
  var form = document.getElementById('form');
  var stateEl = document.getElementById('host-state');
  var tokens = 0;

  function field(name) { return document.getElementById(name).value.trim(); }

  function getToken() {
    var lifetime = Number(field('lifetime')) || 3600;
    return fetch('/api/v1/dashboards/iframe-token', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer ' + field('callerToken') },
      body: JSON.stringify({
        tenant_id: field('tenantId'),
        workspace_id: field('workspaceId'),
        dashboard_id: field('dashboardId'),
        valid_until: Math.floor(Date.now() / 1000) + lifetime,
      }),
    })
      .then(function (response) { return response.json(); })
      .then(function (envelope) {
        if (!envelope.success) throw new Error(envelope.code + ': ' + envelope.error);
        tokens += 1;
        stateEl.setAttribute('data-tokens', String(tokens));
        return envelope.data;
      });
  }

  form.addEventListener('submit', function (event) {
    event.preventDefault();
    document.getElementById('dashboard').textContent = '';
    TesseraEmbed.embed({
      container: document.getElementById('dashboard'),
      getToken: getToken,
      title: 'Tessera dashboard',
      onState: function (state, code) {
        stateEl.setAttribute('data-state', state);
        stateEl.textContent = 'Dashboard state: ' + state + (code ? ' (' + code + ')' : '');
      },
      onError: function (error) { stateEl.textContent = 'Token refresh failed: ' + error.message; },
    }).catch(function (error) {
      stateEl.setAttribute('data-state', 'error');
      stateEl.textContent = 'Could not embed: ' + error.message;
    });
  });
})();
