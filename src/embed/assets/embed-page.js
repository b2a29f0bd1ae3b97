/*
 * Tessera embed page. Renders the security context, keeps the token in memory (never in a URL),
 * and refreshes it silently: shortly before expiry it asks its host window for a fresh token
 * (postMessage `tessera:token-request`), accepts the answer (`tessera:token`) only from its parent
 * window at an allowed origin, and swaps it in after the server has checked both tokens.
 */
(function () {
  'use strict';
  var ctx = JSON.parse(document.getElementById('tessera-context').textContent);
  var body = document.body;
  var statusEl = document.getElementById('status');
  var token = ctx.token;
  var expiresAt = ctx.expiresAt;
  var refreshes = 0;
  var refreshTimer = null;
  var expiryTimer = null;
  var stopped = false;
  var locale = ctx.config.locale || undefined;

  // The page URL carried the token; keep it out of history and any later navigation.
  try { history.replaceState(null, '', location.pathname); } catch (e) { /* not fatal */ }

  var timeFormat = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  var listFormat = typeof Intl.ListFormat === 'function' ? new Intl.ListFormat(locale, { style: 'short', type: 'conjunction' }) : null;
  var join = function (values) { var text = values.map(String); return listFormat ? listFormat.format(text) : text.join(', '); };

  var OPERATORS = { eq: '=', neq: '≠', gt: '>', gte: '≥', lt: '<', lte: '≤', in: 'in', not_in: 'not in', between: 'between', is_null: 'is empty', not_null: 'is not empty' };

  function describeRule(rule) {
    var column = (rule.dataset ? rule.dataset + '.' : '') + rule.column;
    var op = OPERATORS[rule.operator] || rule.operator;
    if (rule.operator === 'is_null' || rule.operator === 'not_null') return column + ' ' + op;
    if (rule.operator === 'between') return column + ' between ' + rule.values[0] + ' and ' + rule.values[1];
    if (rule.operator === 'in' || rule.operator === 'not_in') return column + ' ' + op + ' (' + join(rule.values) + ')';
    return column + ' ' + op + ' ' + rule.values[0];
  }

  function addEntry(list, term, lines) {
    var dt = document.createElement('dt');
    dt.textContent = term;
    list.appendChild(dt);
    lines.forEach(function (line) {
      var dd = document.createElement('dd');
      dd.textContent = line;
      list.appendChild(dd);
    });
  }

  function renderSecurity() {
    var list = document.getElementById('security');
    var s = ctx.security;
    if (s.rcls && s.rcls.length) addEntry(list, 'Rows', s.rcls.map(describeRule));
    if (s.cls && s.cls.length) {
      addEntry(list, 'Connections', s.cls.map(function (c) {
        var params = Object.keys(c.params).map(function (k) { return k + ' = ' + c.params[k]; });
        return (c.connectionId ? c.connectionId + ': ' : '') + join(params);
      }));
    }
    if (s.sls) addEntry(list, 'Schema', [s.sls]);
    if (s.params && Object.keys(s.params).length) addEntry(list, 'Parameters', Object.keys(s.params).map(function (k) { return k + ' = ' + JSON.stringify(s.params[k]); }));
    if (!list.children.length) addEntry(list, 'Rows', ['No restrictions']);
  }

  function parentOrigin() {
    var ancestors = location.ancestorOrigins;
    if (ancestors && ancestors.length && ctx.allowedOrigins.indexOf(ancestors[0]) !== -1) return ancestors[0];
    return null;
  }

  function tellParent(message) {
    if (window.parent === window) return;
    // Only what is not secret goes to an unverified origin.
    window.parent.postMessage(message, parentOrigin() || '*');
  }

  function setState(state, code) {
    body.setAttribute('data-state', state);
    if (code) body.setAttribute('data-code', code);
    if (state === 'expired') statusEl.textContent = 'This dashboard session has expired.';
    else if (state === 'error') statusEl.textContent = 'This dashboard is no longer available (' + (code || 'ERROR') + ').';
    else statusEl.textContent = 'Session valid until ' + timeFormat.format(new Date(expiresAt * 1000));
    tellParent({ type: 'tessera:state', state: state, code: code || null });
  }

  function stop(state, code) {
    stopped = true;
    clearTimeout(refreshTimer);
    clearTimeout(expiryTimer);
    token = null;
    setState(state, code);
  }

  function schedule() {
    clearTimeout(refreshTimer);
    clearTimeout(expiryTimer);
    var left = expiresAt * 1000 - Date.now();
    var lead = Math.min(60000, Math.max(2000, left / 3));
    refreshTimer = setTimeout(requestToken, Math.max(0, left - lead));
    expiryTimer = setTimeout(function () { stop('expired', 'TOKEN_EXPIRED'); }, Math.max(0, left));
  }

  function requestToken() {
    if (stopped) return;
    tellParent({ type: 'tessera:token-request', dashboardId: ctx.dashboardId, expiresAt: expiresAt });
  }

  function swap(next) {
    fetch('/embedded/dashboard/refresh', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ current: token, next: next, workspaceId: ctx.workspaceId, dashboardId: ctx.dashboardId }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    })
      .then(function (response) { return response.json().then(function (payload) { return { ok: response.ok, payload: payload }; }); })
      .then(function (result) {
        if (stopped) return;
        if (!result.ok) {
          stop(result.payload.code === 'TOKEN_EXPIRED' ? 'expired' : 'error', result.payload.code);
          return;
        }
        token = next;
        expiresAt = result.payload.data.expiresAt;
        refreshes += 1;
        body.setAttribute('data-refreshes', String(refreshes));
        setState('refreshed');
        schedule();
      })
      .catch(function () { /* keep the current token until it expires */ });
  }

  window.addEventListener('message', function (event) {
    if (stopped || event.source !== window.parent) return;
    if (ctx.allowedOrigins.indexOf(event.origin) === -1) return;
    var data = event.data;
    if (!data || data.type !== 'tessera:token' || typeof data.token !== 'string') return;
    swap(data.token);
  });

  renderSecurity();
  setState('ready');
  schedule();
})();
