/** A notice as an e-mail: subject, a text part and an HTML part, every value escaped. */
import type { NoticeAlert, Notification } from '../notification.js';
import { mailSubject, plainBlock, plainLine } from './mail-text.js';

/** The parts of one e-mail. */
export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** A link only when it is http(s): a `javascript:` runbook must never become clickable. */
function safeHref(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}

function subjectOf(notices: readonly Notification[]): string {
  if (notices.length > 1) {
    const firing = notices.filter((n) => n.status === 'firing').length;
    return `[DIGEST] ${notices.length} alert notices: ${firing} firing, ${notices.length - firing} resolved`;
  }
  const n = notices[0];
  const first = n.firing[0] ?? n.resolved[0];
  const tag = n.status === 'firing' ? `[FIRING:${n.firing.length}]` : '[RESOLVED]';
  return mailSubject(
    `${tag} ${first?.name ?? n.groupKey} (${first?.severity ?? ''}): ${first?.summary ?? ''}`,
  );
}

/**
 * The facts of one alert, as label/value rows; the same rows make both parts. Values are made
 * plain here, once: labels and templates can carry anything a scraped target sent.
 */
function rows(a: NoticeAlert, state: 'FIRING' | 'RESOLVED'): [string, string][] {
  return factRows(a, state).map(([k, v]) => [
    k,
    k === 'Description' ? plainBlock(v) : plainLine(v),
  ]);
}

function factRows(a: NoticeAlert, state: 'FIRING' | 'RESOLVED'): [string, string][] {
  const out: [string, string][] = [[state, `${a.name} (${a.severity})`]];
  if (a.summary) out.push(['Summary', a.summary]);
  if (a.description) out.push(['Description', a.description]);
  if (a.kpi) out.push(['KPI', a.kpi]);
  out.push(['Value', a.valueText]);
  if (a.thresholdText) out.push(['Threshold', a.thresholdText]);
  if (a.budgetRemaining !== undefined)
    out.push(['Budget left', `${Math.round(a.budgetRemaining * 1000) / 10} %`]);
  out.push(['Since', a.firedAt ?? a.activeAt]);
  if (state === 'RESOLVED' && a.resolvedAt) out.push(['Resolved', a.resolvedAt]);
  const labels = Object.entries(a.labels)
    .filter(([k]) => k !== 'alertname' && k !== 'severity')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  if (labels) out.push(['Labels', labels]);
  if (a.runbook) out.push(['Runbook', a.runbook]);
  return out;
}

function alertsWithState(n: Notification): [NoticeAlert, 'FIRING' | 'RESOLVED'][] {
  return [
    ...n.firing.map((a): [NoticeAlert, 'FIRING'] => [a, 'FIRING']),
    ...n.resolved.map((a): [NoticeAlert, 'RESOLVED'] => [a, 'RESOLVED']),
  ];
}

/**
 * Renders one notice, or several as a digest. The text part lists each alert's KPI, value,
 * threshold, since when and runbook; the HTML part shows the same with links. Every value is
 * HTML-escaped, and only http(s) URLs become links.
 *
 * @example
 * ```ts
 * const { subject, text, html } = emailMessage([notice]);
 * // subject: '[FIRING:1] EfileErrors (critical): E-file error rate at 5.2 %'
 * ```
 */
export function emailMessage(notices: readonly Notification[]): EmailMessage {
  const first = notices[0];
  const footer: [string, string][] = [];
  if (first?.externalUrl) footer.push(['Page', first.externalUrl]);
  footer.push(['Policy version', String(Math.max(...notices.map((n) => n.policyVersion)))]);

  const text = [
    ...notices.flatMap((n) =>
      alertsWithState(n).map(([a, state]) =>
        rows(a, state)
          .map(([k, v]) => `${k}: ${v}`)
          .join('\n'),
      ),
    ),
    footer.map(([k, v]) => `${k}: ${v}`).join('\n'),
  ].join('\n\n');

  const cell = (key: string, value: string) => {
    const href = key === 'Runbook' || key === 'Page' ? safeHref(value) : undefined;
    const shown = href
      ? `<a href="${escapeHtml(href)}">${escapeHtml(value)}</a>`
      : escapeHtml(value);
    return `<tr><th align="left">${escapeHtml(key)}</th><td>${shown}</td></tr>`;
  };
  const tables = notices.flatMap((n) =>
    alertsWithState(n).map(
      ([a, state]) =>
        `<table>${rows(a, state)
          .map(([k, v]) => cell(k, v))
          .join('')}</table>`,
    ),
  );
  const html = `<!doctype html><html><body>${tables.join('<hr>')}<hr><table>${footer
    .map(([k, v]) => cell(k, v))
    .join('')}</table></body></html>`;
  return { subject: subjectOf(notices), text, html };
}
