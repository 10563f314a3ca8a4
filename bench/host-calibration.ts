// How fast the host is at the moment of a bench:fleet run, in two figures that have nothing to do with flexmesh.
// These 2-core machines differ, and one machine drifts within a session: the same 1,000-environment fleet took
// 4.4 s on one and 9.7 s on another with the same code. A fleet figure means something only next to these.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

// Object building, JSON, string concatenation and Map look-ups, as generating a bundle does; one warm-up round,
// then the median of five, in a fresh process so nothing of the bench's own heap or JIT state counts.
const JS_WORKLOAD = `
const round = () => {
  const started = process.hrtime.bigint();
  let sum = 0;
  for (let r = 0; r < 40; r++) {
    const objects = [];
    for (let i = 0; i < 2000; i++) objects.push({ name: 'n' + i, labels: { app: 'x' + (i % 7), tier: [i, i + 1, 'z'] }, spec: { port: i, host: 'h' + i + '.example.com' } });
    const text = JSON.stringify(objects);
    sum += JSON.parse(text).length;
    let yaml = '';
    for (const object of objects) yaml += '- name: ' + object.name + '\\n  host: ' + object.spec.host + '\\n';
    const byName = new Map(objects.map((object) => [object.name, object]));
    sum += yaml.length + byName.size;
  }
  if (sum === 0) throw new Error('unreachable');
  return Number(process.hrtime.bigint() - started) / 1e6;
};
round();
const times = [0, 1, 2, 3, 4].map(round).sort((a, b) => a - b);
process.stdout.write(String(times[2]));
`;

/** Median milliseconds of the reference JavaScript workload in a fresh Node process. */
export function referenceWorkloadMs(): number {
  return Number(execFileSync(process.execPath, ['-e', JS_WORKLOAD], { encoding: 'utf8' }));
}

/**
 * Microseconds per file of creating 100 folders of 10 files (2 kB each) under `scratch`, as staging a bundle does.
 * The files stay: the caller removes `scratch` with the fleets, after the last figure (see fleet.bench.ts on why).
 */
const FOLDERS = 100;
const FILES_PER_FOLDER = 10;

export function fileCreationMicros(scratch: string): number {
  const content = Buffer.alloc(2048, 0x61);
  const root = join(scratch, 'host-calibration');
  mkdirSync(root);
  const started = performance.now();
  for (let folder = 0; folder < FOLDERS; folder++) {
    const dir = join(root, `folder-${folder}`);
    mkdirSync(dir);
    for (let file = 0; file < FILES_PER_FOLDER; file++) writeFileSync(join(dir, `file-${file}.yaml`), content);
  }
  return ((performance.now() - started) * 1000) / (FOLDERS * FILES_PER_FOLDER);
}

export function hostLine(scratch: string): string {
  const js = referenceWorkloadMs();
  const files = fileCreationMicros(scratch);
  return `host: reference JavaScript workload ${js.toFixed(0)} ms, file creation ${files.toFixed(0)} µs per file (lower is faster; compare fleet figures only between runs with similar host figures)`;
}
