/** The language to format numbers and times in: the host page's, else the browser's. */

/**
 * The page's `lang`, so a light on a Spanish page writes `1,5 %`; the browser's language when
 * the page names none.
 *
 * @example
 * ```ts
 * new Intl.NumberFormat(pageLanguage()).format(1.5);
 * ```
 */
export function pageLanguage(): string {
  const lang = document.documentElement.lang.trim();
  if (lang !== '') {
    try {
      // An invalid tag would make every Intl constructor throw; fall back instead.
      return Intl.getCanonicalLocales(lang)[0] ?? navigator.language;
    } catch {
      return navigator.language;
    }
  }
  return navigator.language;
}
