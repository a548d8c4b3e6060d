/** Runs a browser test once in light and once in dark mode, through emulated media. */
import { emulateMedia } from '@web/test-runner-commands';

/** Both colour schemes, for `for (const scheme of COLOR_SCHEMES)` loops. */
export const COLOR_SCHEMES = ['light', 'dark'] as const;

/**
 * Switches the page's `prefers-color-scheme`; the components' palettes follow it.
 *
 * @example
 * ```ts
 * await useColorScheme('dark');
 * ```
 */
export async function useColorScheme(scheme: (typeof COLOR_SCHEMES)[number]): Promise<void> {
  await emulateMedia({ colorScheme: scheme });
}
