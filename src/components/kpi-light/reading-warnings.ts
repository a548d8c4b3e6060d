/** The words `<kpi-light>` shows for its reading's warnings, so a light whose query may read nothing never passes for a confident one. */
import { html, nothing, type TemplateResult } from 'lit/html.js';
import { css } from '../element/css.js';

function howMany(count: number): string {
  return count === 1 ? '1 warning' : `${count} warnings`;
}

/**
 * A card's warnings, as the server wrote them (a selector that can never match, a target down,
 * a budget that could not be read), under a count; nothing when there are none.
 *
 * @example
 * ```ts
 * html`<div class="body">…${cardWarnings(reading.warnings)}</div>`
 * ```
 */
export function cardWarnings(
  warnings: readonly string[] | undefined,
): TemplateResult | typeof nothing {
  if (!warnings?.length) return nothing;
  return html`<div part="warnings" class="warnings">
    <p class="warnings-count">${howMany(warnings.length)}:</p>
    <ul>
      ${warnings.map((w) => html`<li>${w}</li>`)}
    </ul>
  </div>`;
}

/**
 * The compact line's warnings: the count on the line, the words for screen readers (a table
 * cell has no room for them; the card shows them).
 *
 * @example
 * ```ts
 * html`<span class="light compact">… ${compactWarnings(reading.warnings)}</span>`
 * ```
 */
export function compactWarnings(
  warnings: readonly string[] | undefined,
): TemplateResult | typeof nothing {
  if (!warnings?.length) return nothing;
  return html`<span part="warnings" class="warnings-mark"
    >${howMany(warnings.length)}<span class="visually-hidden">: ${warnings.join('; ')}</span></span
  >`;
}

/** The warnings' look: set off by a bar in the warning colour, words that wrap anywhere. */
export const readingWarningsStyles = css`
  .warnings {
    margin: 0.25rem 0;
    padding-left: 0.5rem;
    border-left: 3px solid var(--kpi-warning-edge);
    font-size: 0.875rem;
    overflow-wrap: anywhere;
  }
  .warnings-count {
    font-weight: 700;
  }
  .warnings ul {
    margin: 0;
    padding-left: 1.1rem;
  }
  .warnings-mark {
    font-size: 0.875em;
    font-weight: 700;
    color: var(--kpi-warning-edge);
  }
`;
