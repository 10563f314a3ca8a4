// npm run bench:fleet: generate --all for a fleet, the dev environment under N names each on its own cluster
// (issue 9's targets: 1,000 environments in <= 5 s, cost(1,000)/cost(100) <= 11, peak RSS <= 400 MB). Each size runs
// in a fresh `flexmesh generate --all` process; GNU time is not assumed, so the peak RSS is read from
// /proc/self/status at exit through a preloaded module (Linux; "n/a" elsewhere). The machine's load average is printed
// before each size and the run's CPU time (user + system, all threads) after it: on a shared machine the wall time
// alone says little, and a last line gives the host's own speed (host-calibration.ts). After each fresh generate, a
// full check --all and a no-change generate --all are timed too (no targets: what a fleet's CI and a rerun cost).
// BENCH_FLEXMESH_BIN runs another build's bin instead (an A/B comparison, interleaved by hand).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../generator/assets.ts';
import { hostLine } from './host-calibration.ts';

const SIZES = (process.env.BENCH_FLEET_SIZES ?? '100,1000').split(',').map(Number);
const BIN = process.env.BENCH_FLEXMESH_BIN ?? join(PROJECT_ROOT, 'bin/flexmesh.js');

/** CPU seconds (user, system) of this process's waited-for children so far: fields 16 and 17 of /proc/self/stat. */
function childCpu(): { user: number; system: number } | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Clock ticks; 100 per second on Linux as Node is built.
    return { user: Number(fields[13]) / 100, system: Number(fields[14]) / 100 };
  } catch {
    return undefined;
  }
}

function fleetProject(size: number): string {
  const root = mkdtempSync(join(tmpdir(), 'flexmesh-fleet-bench-'));
  mkdirSync(join(root, 'environments'));
  copyFileSync(join(PROJECT_ROOT, 'environments/_base.yaml'), join(root, 'environments/_base.yaml'));
  for (let index = 0; index < size; index++) {
    const name = `env-${String(index).padStart(4, '0')}`;
    writeFileSync(join(root, 'environments', `${name}.yaml`), `extends: _base.yaml\nargocd:\n  destination:\n    server: https://${name}.clusters.example.com:6443\n`);
  }
  return root;
}

const rssProbe = join(mkdtempSync(join(tmpdir(), 'flexmesh-rss-')), 'rss.cjs');
writeFileSync(rssProbe, `process.on('exit', () => { try { const m = /VmHWM:\\s+(\\d+)/.exec(require('fs').readFileSync('/proc/self/status', 'utf8')); if (m) require('fs').writeFileSync(process.env.FLEXMESH_RSS_FILE, m[1]); } catch {} });\n`);

/**
 * The kernel's directory-entry cache before a run (Linux). Creating files slowed down 35-fold on these machines once
 * hours of tests had left ~700,000 unused entries (`echo 3 > /proc/sys/vm/drop_caches` restored it): read the
 * figures with it.
 */
function dentryState(): string {
  try {
    const [total, unused] = readFileSync('/proc/sys/fs/dentry-state', 'utf8').trim().split(/\s+/).map(Number);
    return `; dentry cache ${total} entries, ${unused} unused`;
  } catch {
    return '';
  }
}

interface Run { label: string; args: string[]; env?: Record<string, string> }
const GENERATE: Run = { label: 'fleet generate --all', args: ['generate', '--all'] };
// Not targets of issue 9, but what a fleet's CI and a rerun cost: check --all in full (the fast path off, as on a
// fresh clone), then generate --all again with nothing changed (the fast path answers). Neither creates files.
const AFTER: Run[] = [
  { label: '  then check --all (full)', args: ['check', '--all'], env: { FLEXMESH_NO_FAST_PATH: '1' } },
  { label: '  then generate --all, nothing changed (fast path)', args: ['generate', '--all'] },
];

/** One `flexmesh` run over the project at `root`; the first of a size is a fresh `generate --all`. */
function measure(size: number, root: string, run: Run = GENERATE): { size: number; ms: number; rssMb: number | undefined } {
  const rssFile = join(root, 'rss.txt');
  const load = loadavg().map((value) => value.toFixed(2)).join(' ');
  const dentries = dentryState();
  const cpuBefore = childCpu();
  const started = performance.now();
  execFileSync(process.execPath, ['--require', rssProbe, BIN, ...run.args], { cwd: root, env: { ...process.env, ...run.env, FLEXMESH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 28 });
  const ms = performance.now() - started;
  let rssMb: number | undefined;
  try {
    rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
  } catch {
    rssMb = undefined;
  }
  const cpuAfter = childCpu();
  const cpu = cpuBefore && cpuAfter ? `, CPU ${(cpuAfter.user - cpuBefore.user).toFixed(2)} s user + ${(cpuAfter.system - cpuBefore.system).toFixed(2)} s system` : '';
  console.log(`${run.label}, ${size} environments: ${(ms / 1000).toFixed(2)} s, peak RSS ${rssMb === undefined ? 'n/a' : `${rssMb.toFixed(0)} MB`}${cpu} (load average before: ${load}${dentries})`);
  return { size, ms, rssMb };
}

// The last bench's removal of its fleets, remembered so the next one can say its figures are spoiled: three runs in a
// row took 10.8, 27 and 55 s on one machine, the system time growing with every removal before them.
const REMOVED_AT = join(tmpdir(), 'flexmesh-fleet-bench-removed-at');
// ext4 (fs/ext4/ialloc.c, recently_deleted) skips an inode deleted less than 60 s ago, or 360 s while the block of
// its inode table is still dirty: a run 5.5 minutes after a removal still took 4 s of system time instead of 1 s.
const RECENT_REMOVAL_MS = 6 * 60_000;

function warnIfRecentlyRemoved(): void {
  let removedAt: number;
  try {
    removedAt = Number(readFileSync(REMOVED_AT, 'utf8'));
  } catch {
    return;
  }
  const ago = Date.now() - removedAt;
  if (ago >= 0 && ago < RECENT_REMOVAL_MS) {
    console.log(`warning: a bench:fleet removed its fleets ${Math.round(ago / 1000)} s ago; file creation stays slower for minutes after such a removal, so these figures are likely too high (wait 6 minutes and run again)`);
  }
}

warnIfRecentlyRemoved();
const results: Array<{ size: number; ms: number; rssMb: number | undefined }> = [];
// Removed only after the last size: on an ext4 file system without a journal, creating a file skips (by a scan) the
// inodes deleted in the last minutes, so removing one size's 45,000 files first would slow the next size's writes.
const projects: string[] = [];
try {
  for (const size of SIZES) {
    projects.push(fleetProject(size));
    results.push(measure(size, projects.at(-1)!));
    for (const run of AFTER) measure(size, projects.at(-1)!, run);
  }
  // After the fleets, so its files cannot slow theirs; removed with them.
  if (projects[0]) console.log(hostLine(projects[0]));
} finally {
  for (const root of projects) rmSync(root, { recursive: true, force: true });
  if (projects.length > 0) writeFileSync(REMOVED_AT, String(Date.now()));
}
const small = results.find((entry) => entry.size === 100);
const large = results.find((entry) => entry.size === 1000);
if (small && large) {
  const ratio = large.ms / small.ms;
  console.log(`cost(1000)/cost(100): ${ratio.toFixed(2)} (target <= 11); 1000 in ${(large.ms / 1000).toFixed(2)} s (target <= 5 s); peak RSS ${large.rssMb?.toFixed(0) ?? 'n/a'} MB (target <= 400)`);
}
