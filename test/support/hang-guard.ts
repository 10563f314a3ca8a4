// Tests that run a child process wait for its exit event, never for a number of seconds: how fast a loaded machine
// runs it is not what they check (npm run bench measures speed). This bound only turns a child that never exits
// into a failure instead of a CI run that hangs, so it is far above any run time, loaded or not.
export const HANG_GUARD_MS = 10 * 60_000;
