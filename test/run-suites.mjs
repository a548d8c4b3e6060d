/**
 * `npm test`'s two runners side by side: vitest (server, SDK, system tests) writes to the
 * terminal as it goes; the browser tests (@web/test-runner) run at the same time, and their
 * output is held and printed once vitest is done, so the two never interleave. Exits non-zero
 * when either fails.
 *
 * Why side by side: vitest's files spend much of their time waiting on servers and browsers,
 * and the browser tests fill those gaps; on two cores the pair took 200 s together against
 * 212 s one after the other.
 */
import { spawn } from 'node:child_process';

/** The most of the browser tests' output kept: its end, where the summary and failures are. */
const HELD_BYTES = 1024 * 1024;

/** Runs an npm script; resolves its exit code (1 for a signal). */
function run(script, onOutput) {
  const child = spawn('npm', ['run', '--silent', script], {
    stdio: ['ignore', onOutput ? 'pipe' : 'inherit', onOutput ? 'pipe' : 'inherit'],
  });
  if (onOutput) {
    child.stdout.on('data', onOutput);
    child.stderr.on('data', onOutput);
  }
  return new Promise((resolve) => {
    child.on('error', (error) => {
      onOutput?.(Buffer.from(`could not start npm run ${script}: ${error.message}\n`));
      resolve(1);
    });
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const held = [];
let heldBytes = 0;
let dropped = 0;
const hold = (chunk) => {
  held.push(chunk);
  heldBytes += chunk.length;
  while (heldBytes > HELD_BYTES && held.length > 1) {
    const first = held.shift();
    heldBytes -= first.length;
    dropped += first.length;
  }
};

const browser = run('test:browser', hold);
const unit = await run('test:unit');
const browserCode = await browser;

process.stdout.write('\n── browser tests (@web/test-runner), run beside vitest ──\n');
if (dropped > 0)
  process.stdout.write(`(the first ${dropped} bytes of their output are left out)\n`);
process.stdout.write(Buffer.concat(held));
if (unit !== 0 || browserCode !== 0) {
  process.stderr.write(
    `npm test: ${[unit !== 0 && 'vitest', browserCode !== 0 && 'the browser tests'].filter(Boolean).join(' and ')} failed\n`,
  );
  process.exit(1);
}
