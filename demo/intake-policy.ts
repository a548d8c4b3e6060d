/** The demo policy without the Python intake service, for a machine without Python and FastAPI. */
import { isMap, isSeq, parseDocument } from 'yaml';

/** The `service` label of the intake's target, and the prefix of its KPIs' ids. */
export const INTAKE_SERVICE = 'intake';
export const INTAKE_KPI_PREFIX = 'efile-intake-';

function keep(section: unknown, drop: (item: { get(key: string): unknown }) => boolean): void {
  if (!isSeq(section)) return;
  section.items = section.items.filter((item) => !(isMap(item) && drop(item)));
}

/**
 * The policy text with the intake's target and its `efile-intake-*` KPIs taken out, comments
 * and layout of the rest kept, so the board shows no grey lights for a service that never ran.
 *
 * @example
 * ```ts
 * const text = intakeServiceMissing() ? withoutIntake(readFileSync(file, 'utf8')) : undefined;
 * ```
 */
export function withoutIntake(text: string): string {
  const doc = parseDocument(text);
  keep(doc.get('targets'), (t) => {
    const labels = t.get('labels');
    return isMap(labels) && labels.get('service') === INTAKE_SERVICE;
  });
  keep(doc.get('kpis'), (k) => String(k.get('id')).startsWith(INTAKE_KPI_PREFIX));
  return doc.toString();
}
