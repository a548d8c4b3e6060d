/** Vitest's global set-up: removes the package its files built and shared, when the run ends. */
import { rmSync } from 'node:fs';
import { sharedPackDir } from '../support/packed-install.js';

/** Runs in vitest's own process, whose pid names the folder its workers share. */
export default function setup(): () => void {
  return () => rmSync(sharedPackDir(process.pid), { recursive: true, force: true });
}
