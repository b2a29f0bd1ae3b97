import { EmbedContext } from './embed-context';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** JSON safe inside a `<script type="application/json">` block: no `</script>` or `<!--` can form. */
function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

/**
 * The dashboard page. No inline script or style: the script and stylesheet are same-origin
 * files, the data is a non-executable JSON block, so `script-src 'self'; style-src 'self'` holds.
 */
export function renderDashboardPage(context: EmbedContext): string {
  const { dashboard, tenant, config } = context;
  return `<!doctype html>
<html lang="${escapeHtml(config.locale ?? 'en')}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(dashboard.title)}</title>
<link rel="stylesheet" href="/embedded/assets/embed-page.css">
</head>
<body class="theme-${config.theme}" data-state="ready" data-refreshes="0">
<main>
<header>
<h1 id="title">${escapeHtml(dashboard.title)}</h1>
${dashboard.description ? `<p class="description">${escapeHtml(dashboard.description)}</p>` : ''}
<p class="tenant">Tenant: <strong>${escapeHtml(tenant.name)}</strong> <code>${escapeHtml(tenant.id)}</code></p>
</header>
<section aria-labelledby="security-heading">
<h2 id="security-heading">Security context</h2>
<dl id="security"></dl>
</section>
<p class="status" id="status" role="status"></p>
</main>
<script type="application/json" id="tessera-context">${jsonForHtml(context)}</script>
<script src="/embedded/assets/embed-page.js"></script>
</body>
</html>
`;
}

/** The page shown instead of a dashboard: the status and code, nothing else. */
export function renderErrorPage(status: number, code: string, message: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Dashboard unavailable</title>
<link rel="stylesheet" href="/embedded/assets/embed-page.css">
</head>
<body class="theme-light error" data-state="error" data-code="${escapeHtml(code)}">
<main>
<h1>Dashboard unavailable</h1>
<p>${escapeHtml(message)}</p>
<p class="code"><code>${escapeHtml(code)}</code> (${status})</p>
</main>
</body>
</html>
`;
}
