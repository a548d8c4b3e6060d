/** How each light status looks in words and shape, so no status is told by colour alone. */
import type { KpiStatus } from '../../sdk/types.js';

/** The word and shape of one status. */
export interface StatusLook {
  /** The word shown beside the light, e.g. `Critical`. */
  readonly word: string;
  /** The shape's name, for tests and for the `data-shape` hook of host-page styles. */
  readonly shape: 'circle' | 'triangle' | 'square' | 'dotted-circle';
}

/**
 * Word and shape per status: a viewer who cannot tell red from green still reads the word and
 * sees a square where a circle was.
 *
 * @example
 * ```ts
 * STATUS_LOOK.critical.word; // 'Critical'
 * ```
 */
export const STATUS_LOOK: Readonly<Record<KpiStatus, StatusLook>> = {
  ok: { word: 'OK', shape: 'circle' },
  warning: { word: 'Warning', shape: 'triangle' },
  critical: { word: 'Critical', shape: 'square' },
  unknown: { word: 'Unknown', shape: 'dotted-circle' },
};
