import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiManagerReconciledSuite } from './support/probes/cases/api-manager-reconciled.cases.ts';
import { argocdAppsSuite } from './support/probes/cases/argocd-apps.cases.ts';
import { eastWestLogSuite } from './support/probes/cases/east-west-log.cases.ts';
import { flexctlCheckSuite } from './support/probes/cases/flexctl-check.cases.ts';
import { lockdownSuite } from './support/probes/cases/lockdown.cases.ts';
import { northSouthSuite } from './support/probes/cases/north-south.cases.ts';
import { rateLimitSuite } from './support/probes/cases/rate-limit.cases.ts';
import { summarySuite } from './support/probes/cases/summary.cases.ts';
import { workloadsReadySuite } from './support/probes/cases/workloads-ready.cases.ts';
import type { ProbeCase, ProbeRun, ProbeSuite } from './support/probes/probe-case.ts';
import { PROBE_SHELL, PROBES_DIR, runProbeCase } from './support/probes/probe-sandbox.ts';

const SUITES: readonly ProbeSuite[] = [
  argocdAppsSuite,
  apiManagerReconciledSuite,
  workloadsReadySuite,
  northSouthSuite,
  eastWestLogSuite,
  rateLimitSuite,
  lockdownSuite,
  flexctlCheckSuite,
  summarySuite,
];

/** Shared code every probe sources; it ships beside them but is not itself a probe. */
const PROBE_LIBRARY = 'probe-lib.sh';
const SOURCES_LIBRARY = /^\. "\$\(dirname "\$0"\)\/probe-lib\.sh"$/m;

/** Parses a script without running it, under the shell the cases run in; throws on a syntax error. */
function checkSyntax(file: string): void {
  const [shell = 'sh', ...shellArgs] = PROBE_SHELL;
  execFileSync(shell, [...shellArgs, '-n', file]);
}

/**
 * ShellCheck as a POSIX sh linter: `sh -n` only parses, and accepts `local`, `[[ ]]` or `source` that busybox ash may
 * run differently or not at all. -x follows the `. probe-lib.sh` line, so a function's caller-set inputs are seen.
 * Every finding fails, informational ones included. .ci/run installs Debian's shellcheck.
 */
function shellcheck(file: string): void {
  try {
    execFileSync('shellcheck', ['--shell=sh', '--external-sources', '--source-path=SCRIPTDIR', '--format=gcc', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (error) {
    const failure = error as { code?: string; stdout?: string; stderr?: string; message: string };
    if (failure.code === 'ENOENT') throw new Error('shellcheck is not installed: apt-get install shellcheck (.ci/run installs it)');
    throw new Error(`shellcheck -s sh ${file}:\n${failure.stdout ?? ''}${failure.stderr ?? failure.message}`);
  }
}

/** The leading comment block, i.e. the script's documented contract. */
function headerComment(source: string): string {
  const lines = source.split('\n');
  const end = lines.findIndex((line) => !line.startsWith('#'));
  return lines.slice(0, end === -1 ? lines.length : end).join('\n');
}

/** Upper-case variables the script reads but never assigns: its env inputs. */
function envInputs(source: string): string[] {
  const body = source.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
  const read = new Set([...body.matchAll(/\$\{?([A-Z][A-Z0-9_]*)/g)].map((match) => match[1] ?? ''));
  const assigned = new Set([...body.matchAll(/^\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1] ?? ''));
  return [...read].filter((name) => !assigned.has(name)).sort();
}

/** What every probe run must satisfy, whatever the case. */
function assertProbeContract(suite: ProbeSuite, probeCase: ProbeCase, run: ProbeRun): void {
  const context = `exit ${run.exitCode}\nstdout:\n${run.stdout}\nstderr:\n${run.stderr}`;
  assert.equal(run.exitCode, probeCase.expectExit, context);
  assert.match(run.finalLine, probeCase.expectLine, context);
  assert.equal(run.resultFile, `${run.finalLine}\n`, 'RESULT_FILE holds the final line');
  if (suite !== summarySuite) {
    assert.equal(run.stdout, `${run.finalLine}\n`, 'a probe prints exactly one line on stdout');
  }
  const password = probeCase.env('http://127.0.0.1:1').BASIC_AUTH_PASSWORD;
  if (password) {
    for (const [where, text] of Object.entries({ stdout: run.stdout, stderr: run.stderr, curl: run.curlCalls.join('\n'), kubectl: run.kubectlCalls.join('\n') })) {
      assert.ok(!text.includes(password), `the password leaked into ${where}`);
    }
  }
  for (const call of run.curlCalls) assert.match(call, /--max-time \d+/, `unbounded curl: ${call}`);
  for (const call of run.kubectlCalls) assert.match(call, /--request-timeout=\d+s/, `unbounded kubectl: ${call}`);
}

describe('probe scripts', () => {
  describe('static contract', () => {
    it('ships exactly the scripts under test, plus the library they share', () => {
      const shipped = readdirSync(PROBES_DIR).filter((file) => file.endsWith('.sh')).sort();
      assert.deepEqual(shipped, [...SUITES.map((suite) => suite.script), PROBE_LIBRARY].sort());
    });

    describe(PROBE_LIBRARY, () => {
      const library = readFileSync(join(PROBES_DIR, PROBE_LIBRARY), 'utf8');

      it('never contains "{{", which Argo would try to template', () => {
        assert.ok(!library.includes('{{'));
      });

      it('is POSIX sh: parsed by busybox ash, clean under shellcheck -s sh', () => {
        checkSyntax(join(PROBES_DIR, PROBE_LIBRARY));
        shellcheck(join(PROBES_DIR, PROBE_LIBRARY));
      });

      it('documents every variable it reads in its header comment', () => {
        const header = headerComment(library);
        for (const name of envInputs(library)) {
          assert.match(header, new RegExp(`^#\\s+${name}\\s`, 'm'), `${name} is read but not documented`);
        }
      });
    });

    for (const { script } of SUITES) {
      describe(script, () => {
        const source = readFileSync(join(PROBES_DIR, script), 'utf8');

        it('never contains "{{", which Argo would try to template', () => {
          assert.ok(!source.includes('{{'));
        });

        it('sources the shared library', () => {
          assert.match(source, SOURCES_LIBRARY);
        });

        it('leaves HTTP status parsing to the library: its curl calls use HTTP_STATUS_FORMAT and parse_curl_output', () => {
          const code = source.split('\n').filter((line) => !line.trimStart().startsWith('#')).join('\n');
          assert.doesNotMatch(code, /http_code|probe-http-status=/, 'a status format or marker of its own');
          const curls = [...code.matchAll(/\bcurl -[^\n]*/g)].map((match) => match[0]);
          for (const call of curls) assert.match(call, /-w "\$HTTP_STATUS_FORMAT"/, `curl without the library's status format: ${call}`);
          if (curls.length > 0) assert.match(code, /\bparse_curl_output (body-only|with-headers)\b/);
        });

        it('is POSIX sh with set -eu: parsed by busybox ash, clean under shellcheck -s sh', () => {
          assert.ok(source.startsWith('#!/bin/sh\n'));
          assert.match(source, /^set -eu$/m);
          checkSyntax(join(PROBES_DIR, script));
          shellcheck(join(PROBES_DIR, script));
        });

        it('documents every env var it reads, itself or through the library, in its or the library\'s header', () => {
          const library = readFileSync(join(PROBES_DIR, PROBE_LIBRARY), 'utf8');
          const header = `${headerComment(source)}\n${headerComment(library)}`;
          assert.match(headerComment(source), /Env contract:/);
          for (const name of envInputs(`${source}\n${library}`)) {
            assert.match(header, new RegExp(`^#\\s+${name}\\s`, 'm'), `${name} is read but not documented`);
          }
        });
      });
    }
  });

  for (const suite of SUITES) {
    describe(suite.script, () => {
      for (const probeCase of suite.cases) {
        it(probeCase.name, async () => {
          const run = await runProbeCase(suite.script, probeCase);
          assertProbeContract(suite, probeCase, run);
          probeCase.verify?.(run);
        });
      }
    });
  }
});
