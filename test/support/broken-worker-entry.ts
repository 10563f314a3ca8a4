// A worker whose entry fails as it loads (a missing or broken bundle): the checks must not wait the full reply timeout.
throw new Error('this worker never starts serving');
