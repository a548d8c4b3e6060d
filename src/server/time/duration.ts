/** The server's door to the duration grammar, which lives in `src/shared/` so the browser bundle can use it too. */
export * from '../../shared/duration.js';
