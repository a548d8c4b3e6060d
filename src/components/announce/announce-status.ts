/** Says a light's status change through the page's one live region, loading the announcer with the first change. */

type PageAnnouncerModule = typeof import('./page-announcer.js');

/** The announcer's part, asked for once: every change waits on this one promise, in order. */
let loading: Promise<PageAnnouncerModule> | undefined;

/**
 * Queues "`title`: `word`" for the page's live region. The announcer and its region come in a
 * part of their own at the first change: a page whose lights never change does not load them,
 * and the announcer waits half a second to gather changes anyway. Changes reach it in the order
 * they were made (one promise, whose callbacks run in order), so a KPI's latest status is the
 * one said. A part that fails to load loses those sentences; the next change asks for it again.
 *
 * @example
 * ```ts
 * announceStatus('efile-error-rate\n', 'E-file error rate', 'Critical');
 * ```
 */
export function announceStatus(key: string, title: string, word: string): void {
  loading ??= import('./page-announcer.js');
  loading.then(
    (announcer) => announcer.pageAnnouncer().statusChanged(key, title, word),
    () => {
      loading = undefined;
    },
  );
}
