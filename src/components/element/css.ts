/** `css`: a style sheet written in a component's module, built once and adopted by every instance. */

/**
 * Builds a constructable style sheet from template text. No `${…}`: a sheet is fixed text, and
 * pages theme the elements through `--kpi-*` properties instead.
 *
 * @example
 * ```ts
 * static override styles = [css`:host { display: block }`];
 * ```
 */
export function css(text: TemplateStringsArray): CSSStyleSheet {
  // Node has no constructable sheets: a module imported there (server rendering, a test) keeps
  // its text and draws nothing.
  if (typeof CSSStyleSheet === 'undefined') {
    return { cssText: text.join('') } as unknown as CSSStyleSheet;
  }
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(text.join(''));
  return sheet;
}
