/** `kpi-lights/components` in Node (server rendering, tests): the DOM shim first, then the elements. */
import './node-dom.js';

export * from './index.js';
