/** How an alert's severity looks: the light status whose shape and colours it borrows. */
import type { KpiStatus } from '../../sdk/types.js';

/**
 * Severities that page someone look critical (square), those that open a ticket look like a
 * warning (triangle); any other severity gets the neutral dotted circle, never a reassuring
 * green. The severity's own word is always written beside the shape.
 *
 * @example
 * ```ts
 * severityLook('page'); // 'critical'
 * ```
 */
export function severityLook(severity: string): KpiStatus {
  switch (severity.toLowerCase()) {
    case 'page':
    case 'critical':
    case 'error':
      return 'critical';
    case 'ticket':
    case 'warning':
      return 'warning';
    default:
      return 'unknown';
  }
}
