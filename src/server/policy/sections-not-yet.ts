/** Policy sections the schema knows but nothing acts on yet: refused, so no section validates and then does nothing. */
import type { SectionName } from './schema.js';

/**
 * Why each such section is refused. Their schemas and checks stay, ready for the alerts work;
 * until it lands, a policy with alert rules would look armed while nothing could ever fire.
 */
export const SECTIONS_NOT_YET: ReadonlyMap<SectionName, string> = new Map<SectionName, string>([
  [
    'alerts',
    'not supported yet: kpi-lights does not send alert notifications yet, so these rules would never fire; remove the section (lights, history and the stream work without it)',
  ],
  [
    'receivers',
    'not supported yet: nothing sends to receivers until alert notifications land; remove the section',
  ],
]);

/**
 * True when a section's value holds nothing (`alerts: []`, `receivers: {}`, or no value):
 * harmless, so accepted.
 *
 * @example
 * ```ts
 * isEmptySection([]); // true
 * isEmptySection({ oncall: {} }); // false
 * ```
 */
export function isEmptySection(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}
