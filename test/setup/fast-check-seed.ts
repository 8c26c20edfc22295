/**
 * Property tests run with one seed per run, printed on failure by
 * fast-check. The seed is fixed by default so that CI replays exactly what
 * was run before it; VALGROUND_FC_SEED=random (or a number) explores anew.
 */
import fc from 'fast-check';

const wanted = process.env.VALGROUND_FC_SEED;
if (wanted !== 'random') fc.configureGlobal({ seed: wanted === undefined ? 20261201 : Number(wanted) });
