/** The build's minifier of Lit `css` templates: shorter text, same rules. */
import { describe, expect, it } from 'vitest';
import { minifyCss, minifyLitCss } from '../../vite-plugins/minify-lit-css.js';

describe('minifyCss', () => {
  it('drops comments and the whitespace CSS does not need', () => {
    const text = `
      /* why it is so */
      :host([compact]) , .a > .b {
        display: inline-block;
        font-family: system-ui, sans-serif;
      }
      @media (prefers-color-scheme: dark) {
        .c :focus-visible { width: calc(100% - 2px); }
      }`;
    expect(minifyCss(text)).toBe(
      ':host([compact]),.a>.b{display:inline-block;font-family:system-ui,sans-serif}' +
        '@media (prefers-color-scheme:dark){.c :focus-visible{width:calc(100% - 2px)}}',
    );
  });
});

describe('minifyLitCss', () => {
  const transform = minifyLitCss().transform as (
    code: string,
    id: string,
  ) => { code: string } | null;

  it('rewrites css templates of style files only, and leaves interpolating ones whole', () => {
    // Source text as a styles file has it: one plain template, one with an interpolation.
    const code = `export const a = css\`\n  p { margin: 0; }\n\`;\nexport const b = css\`p { color: \${x}; }\`;`;
    expect(transform(code, '/src/x/x.styles.ts')?.code).toBe(
      `export const a = css\`p{margin:0}\`;\nexport const b = css\`p { color: \${x}; }\`;`,
    );
    expect(transform(code, '/src/x/x.component.ts')).toBeNull();
  });
});
