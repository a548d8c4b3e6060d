/** The DOM names the elements need when `kpi-lights/components` is imported in Node: Lit's own shim. */
import { customElements, HTMLElement } from '@lit-labs/ssr-dom-shim';

// A server rendering a page, or a test, imports the elements without a browser: the element
// base extends HTMLElement and each module registers its tag, as Lit's node build allows.
const scope = globalThis as { HTMLElement?: unknown; customElements?: unknown };
scope.HTMLElement ??= HTMLElement;
scope.customElements ??= customElements;
