// npm run bench: how long generation takes and how much memory it needs. Speed is measured here, never in tests.
// Cold = a fresh process running `flexmesh generate` end to end (module loading, validator start-up included);
// warm = the in-memory pipeline repeated in this process.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { PROJECT_ROOT } from '../generator/assets.ts';
import { generateFromFile, outputDiagnostics } from '../generator/pipeline.ts';

const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 5);
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 50);

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function report(label: string, samples: number[]): void {
  console.log(`${label}: median ${percentile(samples, 50).toFixed(1)} ms, p90 ${percentile(samples, 90).toFixed(1)} ms, n=${samples.length}`);
}

const workdir = mkdtempSync(join(tmpdir(), 'flexmesh-bench-'));
try {
  cpSync(join(PROJECT_ROOT, 'environments'), join(workdir, 'environments'), { recursive: true });
  const cli = join(PROJECT_ROOT, 'bin', 'flexmesh.js');
  const cold: number[] = [];
  for (let run = 0; run < COLD_RUNS; run++) {
    const started = performance.now();
    execFileSync(process.execPath, [cli, 'generate', '--out', join(workdir, 'out')], { cwd: workdir, stdio: 'ignore' });
    cold.push(performance.now() - started);
  }
  report('cold generate (new process, dev)', cold);

  const firstStart = performance.now();
  const { env, files } = generateFromFile(join(workdir, 'environments', 'dev.yaml'), 'environments/dev.yaml');
  console.log(`first in-process generate (validators load): ${(performance.now() - firstStart).toFixed(1)} ms`);
  // Output validation alone, now that every validator is loaded: the per-run cost of the strict checks.
  const checks: number[] = [];
  for (let run = 0; run < WARM_RUNS; run++) {
    const started = performance.now();
    outputDiagnostics(env, files);
    checks.push(performance.now() - started);
  }
  report('output validation (schemas, models, cross-references; validators loaded)', checks);
  const warm: number[] = [];
  for (let run = 0; run < WARM_RUNS; run++) {
    const started = performance.now();
    generateFromFile(join(workdir, 'environments', 'dev.yaml'), 'environments/dev.yaml');
    warm.push(performance.now() - started);
  }
  report('warm generate (in process, dev)', warm);
  const memory = process.memoryUsage();
  console.log(`memory after warm runs: rss ${(memory.rss / 2 ** 20).toFixed(0)} MiB, heap used ${(memory.heapUsed / 2 ** 20).toFixed(0)} MiB`);
} finally {
  rmSync(workdir, { recursive: true, force: true });
}
