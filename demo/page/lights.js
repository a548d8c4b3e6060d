/** The demo page's KPI lights: reads /api/v1/kpis, then follows /api/v1/stream; text content only, never HTML. */

/** Word and shape per status, so a light never depends on colour alone. */
const LOOK = {
  ok: { word: 'OK', shape: '●', shapeName: 'circle' },
  warning: { word: 'Warning', shape: '▲', shapeName: 'triangle' },
  critical: { word: 'Critical', shape: '■', shapeName: 'square' },
  unknown: { word: 'Unknown', shape: '◌', shapeName: 'dotted circle' },
};

const api = document.querySelector('meta[name="kpi-lights-api"]')?.getAttribute('content') ?? '';
const kpiList = document.getElementById('kpis');
const alertList = document.getElementById('alerts');
const noAlerts = document.getElementById('no-alerts');
const connection = document.getElementById('connection');
const announcer = document.getElementById('announcer');

/** Current readings by KPI id, in the order the server lists them. */
const readings = new Map();
/** Active alerts by name and labels. */
const alerts = new Map();

/** Builds an element with text content; the only way this page puts data into the DOM. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** Only http(s) links: a runbook URL from the policy must not become a `javascript:` link. */
function safeHref(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}

const number = (v, digits) =>
  v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });

/** A value in its unit; percent values are fractions (0.01 is 1 %). */
function formatValue(value, unit) {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  switch (unit) {
    case 'percent':
      return `${number(value * 100, 2)} %`;
    case 'seconds':
      return value < 1 ? `${number(value * 1000, 0)} ms` : `${number(value, 2)} s`;
    case 'milliseconds':
      return `${number(value, 0)} ms`;
    case 'per_second':
      return `${number(value, 1)} /s`;
    case 'bytes':
      return `${number(value / 1024, 1)} KiB`;
    default:
      return number(value, 3);
  }
}

function thresholdText(r) {
  const { warning, critical } = r.thresholds ?? {};
  const side = r.direction === 'lower-is-worse' ? 'below' : 'above';
  return `Warning ${side} ${formatValue(warning, r.unit)}, critical ${side} ${formatValue(critical, r.unit)}`;
}

function renderKpi(r) {
  const look = LOOK[r.status] ?? LOOK.unknown;
  const item = el('li', 'kpi');
  item.dataset.status = LOOK[r.status] ? r.status : 'unknown';
  const shape = el('span', 'shape', look.shape);
  shape.setAttribute('aria-hidden', 'true');
  const head = el('p', 'head');
  head.append(el('span', 'status-word', look.word), ' · ', el('span', 'title', r.title ?? r.id));
  const value = el('p', 'value', formatValue(r.value, r.unit));
  const detail = el('p', 'detail');
  const parts = [`${thresholdText(r)}.`];
  if (r.objective) parts.push(`Objective ${number(r.objective * 100, 2)} %.`);
  if (r.reason) parts.push(`Why unknown: ${r.reason}.`);
  if (r.evaluatedAt) parts.push(`Updated ${new Date(r.evaluatedAt).toLocaleTimeString()}.`);
  detail.append(parts.join(' '));
  const href = r.runbook && safeHref(r.runbook);
  if (href) {
    const link = el('a', '', 'Runbook');
    link.href = href;
    link.rel = 'noopener noreferrer';
    detail.append(' ', link);
  }
  // The shape is decorative for screen readers; they read the word and this label instead.
  item.setAttribute(
    'aria-label',
    `${r.title ?? r.id}: ${look.word}, ${look.shapeName}, ${value.textContent}`,
  );
  item.append(shape, head, value, detail);
  return item;
}

function renderKpis() {
  kpiList.replaceChildren(...[...readings.values()].map(renderKpi));
}

function renderAlerts() {
  const items = [...alerts.values()].map((a) => {
    const item = el('li', 'alert');
    const state = a.state === 'firing' ? 'Firing' : 'Pending';
    item.append(el('strong', '', `${state}: ${a.name}`), ` (${a.severity ?? 'no severity'})`);
    if (a.summary) item.append(` — ${a.summary}`);
    return item;
  });
  alertList.replaceChildren(...items);
  alertList.hidden = items.length === 0;
  noAlerts.hidden = items.length > 0;
}

function setReading(r, announce) {
  if (!r || typeof r.id !== 'string') return;
  const before = readings.get(r.id);
  readings.set(r.id, r);
  if (announce && before && before.status !== r.status) {
    const look = LOOK[r.status] ?? LOOK.unknown;
    announcer.textContent = `${r.title ?? r.id} is now ${look.word}.`;
  }
}

const alertKey = (a) => `${a.name} ${JSON.stringify(a.labels ?? {})}`;

function setAlert(a) {
  if (!a || typeof a.name !== 'string') return;
  if (a.state === 'resolved') alerts.delete(alertKey(a));
  else alerts.set(alertKey(a), a);
}

function parse(event) {
  try {
    return JSON.parse(event.data);
  } catch {
    return undefined;
  }
}

/** A first paint from the REST API, so the page is not empty while the stream connects. */
async function loadOnce() {
  try {
    const res = await fetch(`${api}/api/v1/kpis`, { headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const body = await res.json();
    const list = Array.isArray(body) ? body : (body.kpis ?? []);
    for (const r of list) setReading(r, false);
    renderKpis();
  } catch (err) {
    connection.textContent = `Could not read the KPIs (${err.message}); retrying through the stream.`;
  }
}

/** Follows the stream; EventSource reconnects by itself and resumes with Last-Event-ID. */
function follow() {
  const source = new EventSource(`${api}/api/v1/stream`);
  source.addEventListener('open', () => {
    connection.textContent = 'Live: the lights update as the KPI server evaluates them.';
  });
  source.addEventListener('error', () => {
    connection.textContent = 'Connection to the KPI server lost; reconnecting…';
  });
  source.addEventListener('snapshot', (event) => {
    const snapshot = parse(event);
    if (!snapshot) return;
    if (Array.isArray(snapshot.kpis)) {
      readings.clear();
      for (const r of snapshot.kpis) setReading(r, false);
    }
    if (Array.isArray(snapshot.alerts)) {
      alerts.clear();
      for (const a of snapshot.alerts) setAlert(a);
    }
    renderKpis();
    renderAlerts();
  });
  source.addEventListener('kpi', (event) => {
    setReading(parse(event), true);
    renderKpis();
  });
  source.addEventListener('alert', (event) => {
    setAlert(parse(event));
    renderAlerts();
  });
}

loadOnce().finally(follow);
