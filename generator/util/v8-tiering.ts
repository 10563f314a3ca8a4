// V8's tiering for a fleet's workers, and which flags this thread runs under. V8's flags belong to the process, but
// this module's state to a thread: the main thread records what it set, and a worker adopts what its parent tells it
// (fleet-worker.ts). V8 refuses code caches written under other flags, so the caches are kept per set of flags
// (validate/compiled-script.ts, bin/engine-cache.js).
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';

/**
 * Each worker compiles the same pipeline afresh, and with the default thresholds TurboFan compiled ~600 functions per
 * run on V8's background threads, ~2.3 s of CPU for 1,000 environments (a fifth of the run; bench:fleet). Optimising
 * only functions that stay hot for longer, and not the very large ones (the schema validators' outer functions), does
 * less compiling for code that runs about as fast: ~10% less CPU for the fleet, measured interleaved. These two flags
 * are read whenever V8 decides to optimise, so setting them at run time takes effect; they change when code is
 * optimised, never what it computes.
 */
const FLEET_TIERING = ['--interrupt-budget=800000', '--max-optimized-bytecode-size=20000'];

let applied = '';
let tag = '';

/** The flags now in force; in a worker, those its parent set before starting it. */
export function adoptTiering(flags: string): void {
  applied = flags;
  tag = flags === '' ? '' : createHash('sha256').update(flags).digest('hex').slice(0, 8);
}

/** Sets the fleet's tiering (unless FLEXMESH_V8_TIERING=default) and returns the flags now in force, '' for V8's own. */
export function tuneTiering(): string {
  if (process.env['FLEXMESH_V8_TIERING'] === 'default') return applied;
  for (const flag of FLEET_TIERING) setFlagsFromString(flag);
  adoptTiering(FLEET_TIERING.join(' '));
  return applied;
}

/** A short name for the flags in force, for the names of code caches: '' under V8's own. */
export function tieringTag(): string {
  return tag;
}
