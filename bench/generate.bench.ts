// npm run bench: flexmesh's start-up and run times as ratios to `node -e ''`, each target measured side by side with
// its baseline in one run (the rounds interleave every command, so machine load hits them alike), plus peak RSS.
// Speed is measured here, never in tests. The machine load is printed with the figures: on a busy machine the ratios
// are what to read, not the milliseconds.
//
//   BENCH_ROUNDS=9 npm run bench
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../generator/assets.ts';
import { generateFromFile } from '../generator/pipeline.ts';
import { locateDocuments } from '../generator/validate/located.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);
const RSS_RUNS = 3;
const CLI = join(PROJECT_ROOT, 'bin', 'flexmesh.js');
const CDK8S = join(PROJECT_ROOT, 'bench', 'cdk8s-synth.mjs');
const PEAK_RSS = join(PROJECT_ROOT, 'bench', 'peak-rss.mjs');

const load = () => readFileSync('/proc/loadavg', 'utf8').trim().split(' ').slice(0, 3).join(' ');

interface Command { label: string; args: string[]; env?: Record<string, string>; fresh?: () => void }

function timed(command: Command, cwd: string): number {
  command.fresh?.();
  const started = performance.now();
  const result = spawnSync(process.execPath, command.args, { cwd, stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, ...command.env } });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${command.label} failed (${result.status}): ${result.stderr.toString()}`);
  return elapsed;
}

function peakRss(command: Command, cwd: string): number {
  command.fresh?.();
  const result = spawnSync(process.execPath, ['--import', PEAK_RSS, ...command.args], { cwd, stdio: ['ignore', 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...command.env } });
  if (result.status !== 0) throw new Error(`${command.label} failed: ${result.stderr.toString()}`);
  return Number(result.output[3]!.toString().trim()) / 1024; // KiB → MiB
}

const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

const workdir = mkdtempSync(join(tmpdir(), 'flexmesh-bench-'));
try {
  cpSync(join(PROJECT_ROOT, 'environments'), join(workdir, 'environments'), { recursive: true });
  const cache = join(workdir, 'cache');
  // cdk8s gets the very documents flexmesh writes for dev (verbatim samples included), as JSON.
  const { files } = generateFromFile(join(workdir, 'environments', 'dev.yaml'), 'environments/dev.yaml');
  const documents = files.filter((file) => file.path.endsWith('.yaml')).flatMap((file) => locateDocuments(file.path, file.content).docs.map((located) => located.doc));
  const documentsFile = join(workdir, 'dev-documents.json');
  writeFileSync(documentsFile, JSON.stringify(documents));

  const freshOut = (dir: string) => () => rmSync(join(workdir, dir), { recursive: true, force: true });
  const commands: Record<string, Command> = {
    node: { label: "node -e ''", args: ['-e', ''] },
    // Cold: a new process, every check, every file written; only the V8 code cache of the validators is kept.
    cold: { label: 'cold generate --env dev', args: [CLI, 'generate', '--out', 'cold'], env: { FLEXMESH_CACHE_DIR: cache, FLEXMESH_NO_FAST_PATH: '1' }, fresh: freshOut('cold') },
    first: { label: 'first run ever (no code cache either)', args: [CLI, 'generate', '--out', 'first'], env: { FLEXMESH_CACHE_DIR: '' }, fresh: freshOut('first') },
    again: { label: 'generate again (no change)', args: [CLI, 'generate', '--out', 'warm'], env: { FLEXMESH_CACHE_DIR: cache } },
    check: { label: 'check (no change)', args: [CLI, 'check', '--env', 'dev', '--out', 'warm'], env: { FLEXMESH_CACHE_DIR: cache } },
    help: { label: 'flexmesh --help', args: [CLI, '--help'] },
    cdk8s: { label: 'cdk8s synth (same documents, no validation)', args: [CDK8S, documentsFile, join(workdir, 'cdk8s')], fresh: freshOut('cdk8s') },
  };
  // The no-change runs need a bundle and records to find (one full generate and check first); cold runs a code cache.
  timed(commands['cold']!, workdir);
  timed(commands['again']!, workdir);
  timed(commands['check']!, workdir);

  const loadBefore = load();
  const samples = Object.fromEntries(Object.keys(commands).map((key) => [key, [] as number[]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const [key, command] of Object.entries(commands)) samples[key]!.push(timed(command, workdir));
  }
  const rss = Array.from({ length: RSS_RUNS }, () => peakRss(commands['cold']!, workdir));
  const loadAfter = load();

  const ms = Object.fromEntries(Object.entries(samples).map(([key, values]) => [key, median(values)])) as Record<keyof typeof commands, number>;
  const ratio = (key: keyof typeof commands) => ms[key]! / ms['node']!;
  console.log(`flexmesh bench: ${ROUNDS} interleaved rounds, medians; ${cpus().length} CPUs; load average ${loadBefore} before, ${loadAfter} after`);
  for (const [key, command] of Object.entries(commands)) console.log(`  ${command.label.padEnd(46)} ${ms[key]!.toFixed(0).padStart(5)} ms  ${ratio(key).toFixed(2).padStart(5)} × node`);
  const peak = median(rss);
  const targets: Array<[string, number, string, number]> = [
    ['cold generate --env dev', ratio('cold'), '× node', 3.0],
    ['generate again (no change)', ratio('again'), '× node', 1.5],
    ['check (no change)', ratio('check'), '× node', 1.5],
    ['flexmesh --help', ratio('help'), '× node', 1.3],
    ['cold generate ÷ cdk8s synth', ms['cold']! / ms['cdk8s']!, '', 1.0],
    ['peak RSS of a cold dev generate (MiB)', peak, 'MiB', 100],
  ];
  console.log('targets:');
  for (const [label, value, unit, limit] of targets) {
    const strict = label.includes('cdk8s');
    const met = strict ? value < limit : value <= limit;
    console.log(`  ${met ? 'met    ' : 'NOT MET'} ${label.padEnd(40)} ${value.toFixed(2)} ${unit} (target ${strict ? '<' : '≤'} ${limit}${unit ? ` ${unit}` : ''})`);
  }
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
