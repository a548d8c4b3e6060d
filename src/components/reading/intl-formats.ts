/** `Intl` formatters made once per locale and options: building one costs far more than using it. */

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The page's `Intl.NumberFormat` for `locale` and `options`, made on first use. A chart's axis
 * and its table format thousands of values; a new formatter each time costs more than the draw.
 *
 * @example
 * ```ts
 * numberFormat('en', { style: 'percent' }).format(0.5); // '50%'
 * ```
 */
export function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (format === undefined)
    numberFormats.set(key, (format = new Intl.NumberFormat(locale, options)));
  return format;
}

/**
 * The page's `Intl.DateTimeFormat` for `locale` and `options`, made on first use.
 *
 * @example
 * ```ts
 * dateTimeFormat('en', { timeStyle: 'short' }).format(Date.now()); // '2:05 PM'
 * ```
 */
export function dateTimeFormat(
  locale: string,
  options: Intl.DateTimeFormatOptions,
): Intl.DateTimeFormat {
  const key = `${locale}\u0000${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (format === undefined) {
    dateTimeFormats.set(key, (format = new Intl.DateTimeFormat(locale, options)));
  }
  return format;
}
