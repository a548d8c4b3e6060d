/** A label set's one canonical order and text, for keys, ids and messages. */
import type { Labels } from './model.js';

/** The label pairs with names sorted: the one order every key and id of a label set uses. */
export function sortedLabelPairs(labels: Labels): [string, string][] {
  return Object.keys(labels)
    .sort()
    .map((name) => [name, labels[name]]);
}

/**
 * A label set as text, `{job="api",le="0.5"}`: names sorted, values quoted. Equal sets give
 * equal text, so it serves as a key; `separator` `', '` gives the form Prometheus prints in
 * its error messages.
 *
 * @example
 * ```ts
 * labelsText({ le: '0.5', job: 'api' }); // '{job="api",le="0.5"}'
 * labelsText({ job: 'api' }, ', '); // '{job="api"}'
 * ```
 */
export function labelsText(labels: Labels, separator = ','): string {
  return `{${sortedLabelPairs(labels)
    .map(([name, value]) => `${name}=${JSON.stringify(value)}`)
    .join(separator)}}`;
}
