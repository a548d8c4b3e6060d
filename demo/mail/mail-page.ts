/** The page listing the demo sink's mail: plain HTML, newest first, no script, refreshed every 5 s. */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { MailSink } from './mail-sink.js';

/**
 * `GET /` renders the messages (hono's `html` escapes every value); `GET /mail.json` gives them
 * as JSON for tests. The page refreshes itself with a meta tag, which a CSP without scripts allows.
 *
 * @example
 * ```ts
 * await listen(createMailPage(sink), DEMO_PORTS.mail);
 * ```
 */
export function createMailPage(sink: Pick<MailSink, 'messages'>): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    await next();
    c.header(
      'content-security-policy',
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    c.header('x-content-type-options', 'nosniff');
    c.header('cache-control', 'no-cache');
  });
  app.get('/mail.json', (c) => c.json(sink.messages()));
  app.get('/', (c) => {
    const mail = [...sink.messages()].reverse();
    return c.html(html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="5">
<title>Demo mail (${mail.length})</title>
<style>
  body { font: 1rem/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 50rem; padding: 0 1rem; color: #1b1b1b; }
  article { border: 1px solid #a9aeb1; border-radius: 0.25rem; padding: 0.75rem 1rem; margin: 1rem 0; }
  h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
  p { margin: 0; color: #565c65; }
  pre { white-space: pre-wrap; margin: 0.75rem 0 0; }
</style>
</head>
<body>
<h1>Mail received by the demo's SMTP sink</h1>
<p>Alert notices the KPI server sent by e-mail, newest first. This page refreshes every 5 seconds.</p>
${
  mail.length === 0
    ? html`<p><strong>No mail yet.</strong> Inject errors and wait for the alert's <code>for</code>.</p>`
    : mail.map(
        (m) => html`<article>
<h2>${m.subject}</h2>
<p>From ${m.from} to ${m.to}, received <time datetime="${m.receivedAt}">${m.receivedAt}</time></p>
<pre>${m.text}</pre>
</article>`,
      )
}
</body>
</html>`);
  });
  return app;
}
