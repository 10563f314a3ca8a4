import { spawn } from 'node:child_process';
import { accessSync, constants, copyFileSync, chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startHttpFixture } from './http-fixture.ts';
import type { KubectlRule, ProbeCase, ProbeRun } from './probe-case.ts';

const SUPPORT_DIR = fileURLToPath(new URL('.', import.meta.url));
export const PROBES_DIR = fileURLToPath(new URL('../../../templates/probes/', import.meta.url));

/** Generous next to the scripts' own waits; a hung script fails the test instead of hanging it. */
const SCRIPT_TIMEOUT_MS = 15_000;

/**
 * The shell the probes run under: `busybox sh` with busybox's own text tools and date first on PATH, as the
 * Alpine probe image runs them (dash, the usual /bin/sh here, accepts bashisms busybox ash does not, and GNU tools
 * accept options busybox's do not). .ci/run installs Debian's busybox; PROBE_SHELL=sh runs them under the
 * machine's sh instead, for a look at a failure without busybox.
 */
export const PROBE_SHELL: readonly string[] = process.env.PROBE_SHELL === 'sh' ? ['sh'] : ['busybox', 'sh'];
/** Epoch second the injected clock starts at (2026-12-01T00:00:00Z); only the fake sleep moves it. */
export const CLOCK_START = 1796083200;
const BUSYBOX_APPLETS = ['awk', 'cat', 'cut', 'date', 'grep', 'head', 'printf', 'sed', 'sleep', 'sort', 'tail', 'tr', 'wc'];

function findOnPath(command: string): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  throw new Error(`probe tests need a real ${command} on PATH`);
}

function installExecutable(source: string, target: string): void {
  copyFileSync(join(SUPPORT_DIR, source), target);
  chmodSync(target, 0o755);
}

function writeKubectlRules(fakeDir: string, rules: readonly KubectlRule[]): void {
  rules.forEach((rule, index) => {
    // Zero-padded so the shell glob visits rules in declaration order.
    const ruleDir = join(fakeDir, 'kubectl-rules', String(index).padStart(3, '0'));
    mkdirSync(ruleDir, { recursive: true });
    writeFileSync(join(ruleDir, 'match'), rule.match);
    if (rule.logLines !== undefined) {
      const lines = rule.logLines.map((line) => {
        if (/[\t\n]/.test(line.text)) throw new Error(`a timed log line cannot hold a tab or newline: ${line.text}`);
        return `${Math.trunc(line.secondsAfterTrigger)}\t${line.fromCall ?? 1}\t${line.text}\n`;
      });
      writeFileSync(join(ruleDir, 'log-lines'), lines.join(''));
    }
    const replies = typeof rule.stdout === 'string' ? [rule.stdout] : (rule.stdout ?? ['']);
    replies.forEach((reply, call) => {
      const isLast = call === replies.length - 1;
      writeFileSync(join(ruleDir, isLast ? 'stdout' : `stdout.${call + 1}`), reply);
    });
    writeFileSync(join(ruleDir, 'stderr'), rule.stderr ?? '');
    writeFileSync(join(ruleDir, 'exit'), String(rule.exitCode ?? 0));
  });
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
  } catch {
    return [];
  }
}

function readOptional(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

interface Exit {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function installBusyboxApplets(dir: string): void {
  const busybox = findOnPath('busybox');
  mkdirSync(dir);
  for (const applet of BUSYBOX_APPLETS) symlinkSync(busybox, join(dir, applet)); // busybox dispatches on argv[0]
}

function runSh(script: string, env: NodeJS.ProcessEnv): Promise<Exit> {
  const [shell = 'sh', ...shellArgs] = PROBE_SHELL;
  return new Promise((resolve, reject) => {
    const child = spawn(shell, [...shellArgs, script], { env, timeout: SCRIPT_TIMEOUT_MS, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

/**
 * Runs one probe script under PROBE_SHELL with fake kubectl/flexctl, a recording
 * curl, the case's extra commands and a loopback HTTP fixture, then gathers
 * everything the test may assert on. Only PATH (fake dir first), HOME,
 * RESULT_FILE, the fakes' settings and the case's env reach the script.
 */
export async function runProbeCase(script: string, probeCase: ProbeCase): Promise<ProbeRun> {
  const sandbox = mkdtempSync(join(tmpdir(), 'flexmesh-probe-'));
  const binDir = join(sandbox, 'bin');
  const fakeDir = join(sandbox, 'fake');
  mkdirSync(binDir);
  mkdirSync(fakeDir);
  installExecutable('fake-kubectl.sh', join(binDir, 'kubectl'));
  installExecutable('fake-flexctl.sh', join(binDir, 'flexctl'));
  installExecutable('recording-curl.sh', join(binDir, 'curl'));
  // The injected clock: `date -u +%s` reads it, `sleep` advances it (a case's own date or sleep replaces these).
  installExecutable('fake-date.sh', join(binDir, 'date'));
  installExecutable('fake-sleep.sh', join(binDir, 'sleep'));
  writeFileSync(join(fakeDir, 'clock'), `${CLOCK_START}\n`);
  for (const [name, body] of Object.entries(probeCase.commands ?? {})) {
    writeFileSync(join(binDir, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(binDir, name), 0o755);
  }
  const realPath = process.env.PATH ?? '/usr/bin:/bin';
  let toolsPath = realPath;
  if (PROBE_SHELL[0] === 'busybox') {
    installBusyboxApplets(join(sandbox, 'busybox'));
    toolsPath = `${join(sandbox, 'busybox')}${delimiter}${realPath}`;
  }
  writeKubectlRules(fakeDir, probeCase.kubectl ?? []);
  writeFileSync(join(fakeDir, 'flexctl-output'), probeCase.flexctl?.output ?? '');
  writeFileSync(join(fakeDir, 'flexctl-exit'), String(probeCase.flexctl?.exitCode ?? 0));

  const fixture = await startHttpFixture(probeCase.routes ?? {});
  const resultFile = join(sandbox, 'result');
  try {
    const exit = await runSh(join(PROBES_DIR, script), {
      PATH: `${binDir}${delimiter}${toolsPath}`,
      REAL_PATH: realPath,
      TOOLS_PATH: toolsPath,
      HOME: sandbox,
      FAKE_DIR: fakeDir,
      REAL_CURL: findOnPath('curl'),
      RESULT_FILE: resultFile,
      ...probeCase.env(fixture.url),
    });
    const stdoutLines = exit.stdout.split('\n').filter((line) => line !== '');
    return {
      ...exit,
      finalLine: stdoutLines.at(-1) ?? '',
      resultFile: readOptional(resultFile),
      kubectlCalls: readLines(join(fakeDir, 'kubectl-calls.log')),
      kubectlCallTimes: readLines(join(fakeDir, 'kubectl-times.log')).map(Number),
      curlCalls: readLines(join(fakeDir, 'curl-calls.log')),
      flexctlCalls: readLines(join(fakeDir, 'flexctl-calls.log')),
      sleeps: readLines(join(fakeDir, 'sleep-calls.log')).map(Number),
      requests: [...fixture.requests],
    };
  } finally {
    await fixture.close();
    rmSync(sandbox, { recursive: true, force: true });
  }
}
