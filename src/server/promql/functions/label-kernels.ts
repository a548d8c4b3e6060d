/** label_replace and label_join on one label set, with Prometheus's regex and validation rules. */

import { cachedGoRegex, type GoRegex } from '../../go-regex/compile-go-regex.js';
import { expandGoTemplate } from '../../go-regex/expand-go-template.js';
import type { Labels } from '../../model/model.js';
import { PromqlError } from '../promql-error.js';
import { tooManyBytes } from '../result-bounds.js';

/**
 * Compiles label_replace's regex once: fully anchored, `.` matching newlines (Prometheus's
 * `^(?s:re)$`), Go's syntax and linear-time matching. Cached, so calling it per series is cheap.
 * @throws PromqlError('execution') naming the regex when it does not compile.
 * @example
 * compileLabelRegex('source-(.*)').exec('source-10')![1]; // '10'
 * compileLabelRegex('value-(.*)').exec('source-value-10'); // null: anchored
 */
export function compileLabelRegex(regex: string): GoRegex {
  try {
    return cachedGoRegex(regex);
  } catch (cause) {
    if (cause instanceof RangeError) throw new PromqlError('unsupported', cause.message, { cause });
    throw new PromqlError('execution', `invalid regular expression in label_replace(): ${regex}`, {
      cause,
    });
  }
}

/**
 * Whether Prometheus 3 accepts `name` as a label name: any non-empty valid UTF-8 string. A lone
 * surrogate or U+FFFD (how invalid bytes such as "\xff" decode) is not.
 */
export function isValidLabelName(name: string): boolean {
  return name !== '' && !LONE_SURROGATE.test(name) && !name.includes('\uFFFD');
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A label's value, '' when absent; own keys only, so names like "constructor" are safe. */
function get(labels: Labels, name: string): string {
  return Object.hasOwn(labels, name) ? labels[name] : '';
}

/**
 * label_replace for one series: when the anchored `regex` matches the `src` label's value (an
 * absent label reads as ''), sets `dst` to `replacement` with `$1`, `${1}`, `$name` expanded as
 * Go's Regexp.Expand; an empty result removes `dst`. No match → the same `labels` object.
 * `regex` may be a string or a regex from {@link compileLabelRegex}. A new value longer than
 * `maxBytes` fails as soon as its expansion passes it, before it is built whole.
 * @throws PromqlError('execution') for an invalid regex or destination label name;
 *   PromqlError('limit') for a value past `maxBytes`.
 * @example
 * labelReplace({ src: 'source-value-10' }, 'dst', 'dst-$1', 'src', 'source-value-(.*)');
 * // { src: 'source-value-10', dst: 'dst-10' }
 */
export function labelReplace(
  labels: Labels,
  dst: string,
  replacement: string,
  src: string,
  regex: string | GoRegex,
  maxBytes = Number.POSITIVE_INFINITY,
): Labels {
  const re = typeof regex === 'string' ? compileLabelRegex(regex) : regex;
  if (!isValidLabelName(dst)) {
    throw new PromqlError('execution', `invalid destination label name in label_replace(): ${dst}`);
  }
  const match = re.exec(get(labels, src));
  if (match === null) return labels;
  const value = expandGoTemplate(replacement, match, maxBytes);
  if (value === undefined) throw tooManyBytes(maxBytes);
  return withLabel(labels, dst, value);
}

/**
 * label_join for one series: sets `dst` to the `srcs` labels' values (absent ones as '') joined
 * by `separator`; an empty result removes `dst`. A value longer than `maxBytes` fails as soon
 * as it passes it.
 * @throws PromqlError('execution') for an invalid source or destination label name;
 *   PromqlError('limit') for a value past `maxBytes`.
 * @example
 * labelJoin({ a: 'x', b: 'y' }, 'dst', '-', ['a', 'missing', 'b']);
 * // { a: 'x', b: 'y', dst: 'x--y' }
 */
export function labelJoin(
  labels: Labels,
  dst: string,
  separator: string,
  srcs: readonly string[],
  maxBytes = Number.POSITIVE_INFINITY,
): Labels {
  let value = '';
  for (let i = 0; i < srcs.length; i++) {
    const src = srcs[i];
    if (!isValidLabelName(src)) {
      throw new PromqlError('execution', `invalid source label name in label_join(): ${src}`);
    }
    if (i > 0) value += separator;
    value += get(labels, src);
    if (value.length > maxBytes) throw tooManyBytes(maxBytes);
  }
  if (!isValidLabelName(dst)) {
    throw new PromqlError('execution', `invalid destination label name in label_join(): ${dst}`);
  }
  return withLabel(labels, dst, value);
}

/** `labels` with `name` set to `value` ('' removes it); the same object when nothing changes. */
function withLabel(labels: Labels, name: string, value: string): Labels {
  const has = Object.hasOwn(labels, name);
  if (value === '') {
    if (!has) return labels;
    const { [name]: _removed, ...rest } = labels;
    return rest;
  }
  if (has && labels[name] === value) return labels;
  return { ...labels, [name]: value };
}
