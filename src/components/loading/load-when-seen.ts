/** Loads an element's module the first time its tag is in the page, so a page without it never fetches it. */

/** True when `node` is, or holds, an element named `tag`. */
function holds(node: Node, tag: string): boolean {
  return node instanceof Element && (node.localName === tag || node.querySelector(tag) !== null);
}

/**
 * Calls `load` once, when an element named `tag` is first in the document: at once if the page
 * already has one, else when one is added. Until the module defines the element, the page's
 * element waits un-upgraded (`:not(:defined)`), keeping any properties set on it. A failed load
 * (the network) is tried again when the next such element is added. An element inside another
 * element's shadow root is not seen; import the element's module directly there.
 *
 * @example
 * ```ts
 * loadWhenSeen('latency-chart', () => import('./latency-chart/latency-chart.js'));
 * ```
 */
export function loadWhenSeen(tag: string, load: () => Promise<unknown>): void {
  const observer = new MutationObserver((records) => {
    if (records.some((r) => [...r.addedNodes].some((node) => holds(node, tag)))) start();
  });
  const start = () => {
    observer.disconnect();
    load().catch((error: unknown) => {
      watch();
      throw error;
    });
  };
  const watch = () => observer.observe(document, { childList: true, subtree: true });
  if (customElements.get(tag) !== undefined) return;
  if (document.querySelector(tag) !== null) start();
  else watch();
}
