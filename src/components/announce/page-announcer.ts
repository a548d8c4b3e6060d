/** The page's one status announcer and its live region, made when the first light needs it. */
import { StatusAnnouncer } from './status-announcer.js';

let announcer: StatusAnnouncer | undefined;

/**
 * The live region is a plain element at the end of `<body>`, hidden from sight by CSSOM styles:
 * inline styles beat any page selector, and a strict `style-src` allows CSSOM writes where it
 * blocks `style` attributes.
 */
function makeLiveRegion(): HTMLElement {
  const region = document.createElement('div');
  region.setAttribute('role', 'status');
  region.setAttribute('aria-live', 'polite');
  region.setAttribute('aria-atomic', 'true');
  region.dataset.kpiLights = 'announcer';
  Object.assign(region.style, {
    position: 'absolute',
    width: '1px',
    height: '1px',
    margin: '-1px',
    padding: '0',
    border: '0',
    overflow: 'hidden',
    clip: 'rect(0 0 0 0)',
    clipPath: 'inset(50%)',
    whiteSpace: 'nowrap',
  });
  document.body.append(region);
  return region;
}

/**
 * The announcer every element of the page shares.
 *
 * @example
 * ```ts
 * pageAnnouncer().statusChanged(reading.id, reading.title, 'Critical');
 * ```
 */
export function pageAnnouncer(): StatusAnnouncer {
  announcer ??= new StatusAnnouncer(makeLiveRegion());
  return announcer;
}
