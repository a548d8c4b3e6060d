/** Runs a browser test once in light and once in dark mode, through emulated media where the browser allows it. */
import { emulateMedia } from '@web/test-runner-commands';

/** A colour scheme. */
export type ColorScheme = 'light' | 'dark';

/** The scheme the browser was started in. */
const native: ColorScheme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';

/**
 * Whether the runner can switch the scheme: Chromium can; Firefox driven by WebDriver BiDi
 * cannot yet (puppeteer needs the DevTools protocol for it), so there each test file runs in
 * the scheme the browser was started in, and the runner starts one Firefox of each. Told by
 * the browser's name rather than by trying: a refused try prints the runner's stack trace in
 * every Firefox test file's output.
 */
const canSwitch = !/\bFirefox\//.test(navigator.userAgent);
if (!canSwitch) {
  console.warn(`this browser cannot switch colour schemes here: testing ${native} only`);
}

/** The schemes to test in, for `for (const scheme of COLOR_SCHEMES)` loops. */
export const COLOR_SCHEMES: readonly ColorScheme[] = canSwitch ? ['light', 'dark'] : [native];

/**
 * Switches the page's `prefers-color-scheme`; the components' palettes follow it. Where the
 * runner cannot switch, only the browser's own scheme is in {@link COLOR_SCHEMES}, and asking
 * for it changes nothing.
 *
 * @example
 * ```ts
 * await useColorScheme('dark');
 * ```
 */
export async function useColorScheme(scheme: ColorScheme): Promise<void> {
  if (canSwitch) await emulateMedia({ colorScheme: scheme });
  else if (scheme !== native) throw new Error(`this browser runs in ${native} only`);
}

/**
 * Back to the scheme the browser started in, after a test that switched.
 *
 * @example
 * ```ts
 * afterEach(resetColorScheme);
 * ```
 */
export async function resetColorScheme(): Promise<void> {
  await useColorScheme(native);
}
