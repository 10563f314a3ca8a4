// npm run bench:fleet: generate --all for a fleet, the dev environment under N names each on its own cluster
// (issue 9's targets: 1,000 environments in <= 5 s, cost(1,000)/cost(100) <= 11, peak RSS <= 400 MB). Each size runs
// in a fresh `flexmesh generate --all` process; GNU time is not assumed, so the peak RSS is read from
// /proc/self/status at exit through a preloaded module (Linux; "n/a" elsewhere).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../generator/assets.ts';

const SIZES = (process.env.BENCH_FLEET_SIZES ?? '100,1000').split(',').map(Number);

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

const results: Array<{ size: number; ms: number; rssMb: number | undefined }> = [];
for (const size of SIZES) {
  const root = fleetProject(size);
  const rssFile = join(root, 'rss.txt');
  try {
    const started = performance.now();
    execFileSync(process.execPath, ['--require', rssProbe, join(PROJECT_ROOT, 'bin/flexmesh.js'), 'generate', '--all'], { cwd: root, env: { ...process.env, FLEXMESH_RSS_FILE: rssFile }, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 28 });
    const ms = performance.now() - started;
    let rssMb: number | undefined;
    try {
      rssMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    } catch {
      rssMb = undefined;
    }
    results.push({ size, ms, rssMb });
    console.log(`fleet generate --all, ${size} environments: ${(ms / 1000).toFixed(2)} s, peak RSS ${rssMb === undefined ? 'n/a' : `${rssMb.toFixed(0)} MB`}`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
const small = results.find((entry) => entry.size === 100);
const large = results.find((entry) => entry.size === 1000);
if (small && large) {
  const ratio = large.ms / small.ms;
  console.log(`cost(1000)/cost(100): ${ratio.toFixed(2)} (target <= 11); 1000 in ${(large.ms / 1000).toFixed(2)} s (target <= 5 s); peak RSS ${large.rssMb?.toFixed(0) ?? 'n/a'} MB (target <= 400)`);
}
