/** Serves the demo agency page from its own origin, and prints the alert notifications it receives. */
import { readFileSync } from 'node:fs';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';

/** The origin `demo/page/index.html` is written for; replaced when the KPI server runs elsewhere. */
const WRITTEN_FOR = 'http://127.0.0.1:8100';

/** The only files served: a fixed list, so no request path ever reaches the file system. */
const FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/agency.css': { file: 'agency.css', type: 'text/css; charset=utf-8' },
};

/** Options of {@link createPageServer}. */
export interface PageServerOptions {
  /** Origin of the KPI server the page reads, e.g. `http://127.0.0.1:8100`. */
  readonly apiOrigin: string;
  /** Called with each alert notification posted to `/_alerts`. Default: one line on stdout. */
  readonly onAlert?: (notification: unknown) => void;
}

function describeAlert(body: unknown): string {
  // The webhook body's exact shape belongs to the notifier; show its names and states if present.
  const list = (body as { alerts?: unknown })?.alerts;
  const items = Array.isArray(list) ? list : [body];
  return items
    .map((a) => {
      const { name, state, status } = (a ?? {}) as Record<string, unknown>;
      return `${String(name ?? 'alert')} ${String(state ?? status ?? '')}`.trim();
    })
    .join(', ');
}

/**
 * The page app: `GET /` and its style sheet with a strict CSP, and `POST /_alerts`, the webhook
 * the demo policy sends alerts to.
 */
export function createPageServer(options: PageServerOptions): Hono {
  const origin = new URL(options.apiOrigin).origin;
  const onAlert =
    options.onAlert ??
    ((n: unknown) => console.log(`[page] alert notification received: ${describeAlert(n)}`));
  const dir = new URL('./page/', import.meta.url);
  const bodies = new Map<string, string>();
  for (const [path, { file }] of Object.entries(FILES)) {
    const text = readFileSync(new URL(file, dir), 'utf8');
    bodies.set(path, path === '/' ? text.replaceAll(WRITTEN_FOR, origin) : text);
  }
  // The CSP the components promise to work under: the one script and its data from the KPI
  // server, styles from here, and only Lit's trusted-types policy may write HTML.
  const csp =
    `default-src 'none'; script-src ${origin}; connect-src ${origin}; style-src 'self'; ` +
    "img-src 'self'; require-trusted-types-for 'script'; trusted-types lit-html; " +
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

  const app = new Hono();
  // Browsers ask for it on their own; an empty answer keeps a 404 out of the console.
  app.get('/favicon.ico', (c) => c.body(null, 204));
  app.get('*', (c) => {
    const path = c.req.path === '/index.html' ? '/' : c.req.path;
    const entry = FILES[path];
    const body = bodies.get(path);
    if (!entry || body === undefined) return c.text('Not found', 404);
    return c.body(body, 200, {
      'content-type': entry.type,
      // The header repeats the meta tag and adds what a meta tag cannot carry (frame-ancestors).
      'content-security-policy': csp,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
  });
  app.post('/_alerts', bodyLimit({ maxSize: 64 * 1024 }), async (c) => {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      return c.json({ error: 'expected JSON' }, 400);
    }
    onAlert(body);
    return c.body(null, 204);
  });
  return app;
}
