/** Fixes fast-check's seed so `npm test` is repeatable; `FC_SEED=random` (or a number) explores further. */
import fc from 'fast-check';

const wanted = process.env.FC_SEED;
if (wanted !== 'random') {
  // A property that fails only on some seeds is still a bug; this just keeps CI from finding it
  // on a random day. Run with FC_SEED=random locally to hunt for such seeds.
  fc.configureGlobal({ seed: wanted === undefined ? 20261124 : Number(wanted) });
}
