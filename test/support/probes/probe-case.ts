import type { FixtureRoutes, RecordedRequest } from './http-fixture.ts';

/** A log line the fake kubectl dates relative to the trigger (the last `kubectl exec`). */
export interface TimedLogLine {
  /** When the line was written, in seconds after the trigger (negative: before it). */
  readonly secondsAfterTrigger: number;
  /** The 1-based matching call from which the line is there (default 1), to model a slow log. */
  readonly fromCall?: number;
  readonly text: string;
}

/** One canned kubectl answer; see fake-kubectl.sh for how rules are matched. */
export interface KubectlRule {
  /** sh glob tried against the space-joined argv, e.g. "get pods -n test *". */
  readonly match: string;
  /** Reply per matching call; the last entry repeats for any later call. */
  readonly stdout?: string | readonly string[];
  /**
   * Replaces stdout: like `kubectl logs`, prints only the lines not older than the
   * call's --since-time (every line when the flag is absent).
   */
  readonly logLines?: readonly TimedLogLine[];
  readonly stderr?: string;
  readonly exitCode?: number;
}

export interface FlexctlReply {
  readonly output: string;
  readonly exitCode: number;
}

export interface ProbeRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Last non-empty stdout line: the line a person reads. */
  readonly finalLine: string;
  /** Content of RESULT_FILE, or undefined when the script did not write it. */
  readonly resultFile: string | undefined;
  /** argv of each call, space-joined, in call order. */
  readonly kubectlCalls: readonly string[];
  /** Epoch second at which each kubectl call started, parallel to kubectlCalls. */
  readonly kubectlCallTimes: readonly number[];
  readonly curlCalls: readonly string[];
  readonly flexctlCalls: readonly string[];
  /** Seconds of each sleep the script asked for, in order; each moved the injected clock (fake-sleep.sh). */
  readonly sleeps: readonly number[];
  /** Requests the loopback HTTP fixture received. */
  readonly requests: readonly RecordedRequest[];
}

export interface ProbeCase {
  readonly name: string;
  /** Env for the script (on top of PATH/HOME/RESULT_FILE); fixtureUrl has no trailing slash. */
  readonly env: (fixtureUrl: string) => Readonly<Record<string, string>>;
  readonly routes?: FixtureRoutes;
  readonly kubectl?: readonly KubectlRule[];
  readonly flexctl?: FlexctlReply;
  /**
   * Extra commands put first on PATH: name to POSIX sh body (a "#!/bin/sh" line is
   * added). $REAL_PATH is the PATH without the sandbox, to reach the real command.
   */
  readonly commands?: Readonly<Record<string, string>>;
  readonly expectExit: 0 | 1 | 2;
  readonly expectLine: RegExp;
  /** Extra assertions, e.g. on recorded argv or requests. */
  readonly verify?: (run: ProbeRun) => void;
}

export interface ProbeSuite {
  /** File name under templates/probes/. */
  readonly script: string;
  readonly cases: readonly ProbeCase[];
}
