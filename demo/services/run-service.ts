/** Runs one demo service on its own: `tsx demo/services/run-service.ts efile [--port 8101] [--error-rate 0.1] [--latency-ms 1500]`. */
import { parseArgs } from 'node:util';
import { errorMessage } from '../../src/shared/error-message.js';
import { listen } from '../listen.js';
import { DEMO_PORTS } from '../ports.js';
import { createEfileService } from './create-efile-service.js';
import { createStatusService } from './create-status-service.js';
import { Knobs, parseKnobFlags } from './knobs.js';

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      'error-rate': { type: 'string' },
      'latency-ms': { type: 'string' },
    },
  });
  const name = positionals[0];
  if (name !== 'efile' && name !== 'status') throw new Error('name the service: efile or status');
  const knobs = new Knobs(parseKnobFlags(argv));
  // Run alone, the status service has its own empty ledger: every id is unknown (404) to it.
  const service = name === 'efile' ? createEfileService({ knobs }) : createStatusService({ knobs });
  const server = await listen(service.app, Number(values.port ?? DEMO_PORTS[name]));
  console.log(
    `${name} on ${server.url} — metrics ${server.url}/metrics, knobs ${server.url}/_knobs`,
  );
  console.log(`knobs: ${JSON.stringify(knobs.settings)}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(errorMessage(err));
  process.exit(1);
});
