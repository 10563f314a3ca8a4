// How the writer says no: a problem with the output directory a person can fix (exit 2, no stack trace), as opposed
// to a bug. InjectedCrash is the fault-injection seam's stand-in for kill -9: the writer never cleans up after it.

export class WriteRefused extends Error {
  override name = 'WriteRefused';
  constructor(readonly problems: readonly string[], readonly outcome: string) {
    super(`${problems.join('\n')}\n${outcome}`);
  }
}

export class InjectedCrash extends Error {
  override name = 'InjectedCrash';
  constructor(readonly step: string) {
    super(`injected crash before: ${step}`);
  }
}
