/*
 * Tessera embed helper for host pages (framework-free).
 *
 *   TesseraEmbed.embed({
 *     container: document.getElementById('dashboard'),
 *     // Your backend calls POST /api/v1/dashboards/iframe-token and returns {token, embed_url}.
 *     getToken: () => fetch('/my-backend/tessera-token').then((r) => r.json()),
 *     onState: (state) => console.log(state),   // optional: ready | refreshed | expired | error
 *   });
 *
 * It creates the iframe and answers the page's refresh requests with a fresh token, talking only
 * to the iframe's own window at the embed URL's origin.
 */
(function (global) {
  'use strict';

  function embed(options) {
    if (!options || !options.container || typeof options.getToken !== 'function') {
      return Promise.reject(new Error('TesseraEmbed.embed needs {container, getToken}'));
    }
    return Promise.resolve(options.getToken()).then(function (first) {
      var origin = new URL(first.embed_url).origin;
      var iframe = document.createElement('iframe');
      iframe.src = first.embed_url;
      iframe.title = options.title || 'Dashboard';
      iframe.className = options.className || 'tessera-dashboard';
      iframe.setAttribute('referrerpolicy', 'no-referrer');

      function onMessage(event) {
        if (event.origin !== origin || event.source !== iframe.contentWindow) return;
        var data = event.data || {};
        if (data.type === 'tessera:token-request') {
          Promise.resolve(options.getToken())
            .then(function (fresh) { iframe.contentWindow.postMessage({ type: 'tessera:token', token: fresh.token }, origin); })
            .catch(function (error) { if (options.onError) options.onError(error); });
        } else if (data.type === 'tessera:state' && options.onState) {
          options.onState(data.state, data.code || null);
        }
      }

      global.addEventListener('message', onMessage);
      options.container.appendChild(iframe);
      return {
        iframe: iframe,
        destroy: function () {
          global.removeEventListener('message', onMessage);
          iframe.remove();
        },
      };
    });
  }

  global.TesseraEmbed = { embed: embed };
})(window);
