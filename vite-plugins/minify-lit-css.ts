/** A vite plugin that minifies the text of Lit's `css` tagged templates, which bundlers ship verbatim. */
import type { Plugin } from 'vite';

/** A `css` template with no `${…}` in it; templates with interpolations are left whole. */
const CSS_TEMPLATE = /\bcss`([^`$\\]*)`/g;

/**
 * Minifies one style sheet's text: comments out, whitespace runs to one space, and no space
 * beside `{ } ; ,` or after a `:` (in a declaration or a media feature; selectors never have a
 * space after their colon). Spaces inside `calc()` around `+` and `-` are kept, as CSS needs.
 *
 * @example
 * ```ts
 * minifyCss(':host {\n  display: block; /* why *\/\n}'); // ':host{display:block}'
 * ```
 */
export function minifyCss(text: string): string {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

/**
 * Minifies the `css` templates of the components' `*.styles.ts` files as they are bundled:
 * about a sixth of the components' own code is style text, and a minifier leaves template
 * text alone.
 *
 * @example
 * ```ts
 * export default defineConfig({ plugins: [minifyLitCss()] });
 * ```
 */
export function minifyLitCss(): Plugin {
  return {
    name: 'kpi-lights:minify-lit-css',
    transform(code, id) {
      if (!/\.styles\.ts$/.test(id)) return null;
      const out = code.replace(CSS_TEMPLATE, (_, text: string) => `css\`${minifyCss(text)}\``);
      return out === code ? null : { code: out, map: null };
    },
  };
}
