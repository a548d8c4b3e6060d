/** The server's door to `groupKey`, which lives in `src/shared/` so the browser bundle can use it too. */
export { groupKey } from '../../shared/group-key.js';
