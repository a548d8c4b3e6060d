/** Registers `<alert-list>`. */
import { AlertList } from './alert-list.component.js';

export { AlertList };

if (!customElements.get('alert-list')) customElements.define('alert-list', AlertList);

declare global {
  interface HTMLElementTagNameMap {
    'alert-list': AlertList;
  }
}
