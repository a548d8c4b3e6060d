/** Says a light's status change through the page's one live region, loading the announcer with the first change. */

/**
 * Queues "`title`: `word`" for the page's live region. The announcer and its region come in a
 * part of their own at the first change: a page whose lights never change does not load them,
 * and the announcer waits half a second to gather changes anyway. A part that fails to load
 * loses that sentence; the next change asks for it again.
 *
 * @example
 * ```ts
 * announceStatus('efile-error-rate\n', 'E-file error rate', 'Critical');
 * ```
 */
export function announceStatus(key: string, title: string, word: string): void {
  import('./page-announcer.js').then(
    (announcer) => announcer.pageAnnouncer().statusChanged(key, title, word),
    () => {},
  );
}
