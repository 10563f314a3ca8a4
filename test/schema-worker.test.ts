// validate/schema-worker.ts: schema checks answered by a worker thread equal the checks made on the main thread,
// broken documents included, and a worker that does not answer costs a bounded wait, never a wrong or missing check.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonical } from '../generator/render/yaml.ts';
import type { Manifest } from '../generator/resources/types.ts';
import { bundleValidation } from '../generator/pipeline.ts';
import { schemaChecksOf } from '../generator/validate/schema-checks.ts';
import { schemaChecksLater, stopSchemaWorker, whileAwaitingSchemas, workerAnswers } from '../generator/validate/schema-worker.ts';
import { documentsOf, FLEXMESH_BIN, generateCommitted, listFiles, PROJECT_ROOT, useTempDirs } from './support/fixtures.ts';
import { startSourceSchemaWorker } from './support/source-worker.ts';

describe('schema checks on a worker thread', function () {
  this.timeout(120_000);
  const dev = generateCommitted('dev');
  const { targets } = bundleValidation(dev.env);
  const clean = dev.files.filter((file) => file.path.endsWith('.yaml')).flatMap((file) => documentsOf(file.content)).filter((doc) => doc !== null).map((doc) => canonical(doc) as Manifest);
  // Broken the ways a generator bug would break them: a wrong type, an unknown field, values a chart refuses.
  const application = clean.find((doc) => doc.kind === 'Application' && (doc.spec as { source?: { chart?: string } }).source?.chart === 'gateway')!;
  const broken: Manifest[] = [
    { ...clean.find((doc) => doc.kind === 'Deployment')!, spec: { replicas: 'two' } },
    { ...clean.find((doc) => doc.kind === 'Service')!, spex: {} } as Manifest,
    { ...application, spec: { ...(application.spec as object), source: { ...(application.spec as { source: object }).source, helm: { valuesObject: { replicaCount: 'x', bogus: true } } } } },
    { apiVersion: 'example.com/v1', kind: 'Unknown', metadata: { name: 'x' } },
  ];
  const docs = [...clean, ...broken];
  afterEach(() => stopSchemaWorker());

  it('answers every document as the main thread would, issues and all', () => {
    startSourceSchemaWorker(new URL('../generator/validate/schema-worker-main.ts', import.meta.url));
    const before = workerAnswers();
    const later = schemaChecksLater(docs, targets);
    const answered = docs.map(later);
    assert.equal(workerAnswers(), before + 1, 'the worker answered');
    assert.deepEqual(answered, docs.map((doc) => schemaChecksOf(doc, targets)));
    assert.ok(answered.slice(clean.length).every((checks) => checks.document.length + (checks.helmValues?.issues.length ?? 0) > 0), 'every broken document has issues');
    assert.ok(answered.slice(0, clean.length).every((checks) => checks.document.length === 0 && (checks.helmValues?.issues.length ?? 0) === 0), 'the committed bundle is clean');
    // A second request on the same worker, as generate --all makes one per environment.
    assert.deepEqual(broken.map(schemaChecksLater(broken, targets)), broken.map((doc) => schemaChecksOf(doc, targets)));
  });

  it('does the work given for meanwhile while it waits, once, and answers the same', () => {
    startSourceSchemaWorker(new URL('../generator/validate/schema-worker-main.ts', import.meta.url));
    const ran: string[] = [];
    // A worker that boots under tsx answers long after the request: this thread waits, and works meanwhile.
    const withdrawFailing = whileAwaitingSchemas(() => {
      ran.push('failing');
      throw new Error('its owner meets this error when it runs the task itself');
    });
    const withdrawReading = whileAwaitingSchemas(() => ran.push('reading'));
    const withdrawn = whileAwaitingSchemas(() => ran.push('withdrawn'));
    withdrawn();
    const before = workerAnswers();
    assert.deepEqual(docs.map(schemaChecksLater(docs, targets)), docs.map((doc) => schemaChecksOf(doc, targets)));
    assert.equal(workerAnswers(), before + 1, 'the worker answered');
    assert.deepEqual(ran, ['failing', 'reading'], 'in order, each once, a withdrawn one never');
    withdrawFailing();
    withdrawReading();
    assert.deepEqual(broken.map(schemaChecksLater(broken, targets)), broken.map((doc) => schemaChecksOf(doc, targets)));
    assert.deepEqual(ran, ['failing', 'reading'], 'a task that ran is not run again');
  });

  it('runs no meanwhile task when there is no worker to wait for', () => {
    let ran = false;
    const withdraw = whileAwaitingSchemas(() => {
      ran = true;
    });
    assert.deepEqual(broken.map(schemaChecksLater(broken, targets)), broken.map((doc) => schemaChecksOf(doc, targets)));
    withdraw();
    assert.equal(ran, false);
  });

  it('checks on this thread what a silent worker never answers, after the reply timeout', () => {
    startSourceSchemaWorker(new URL('./support/silent-worker-entry.ts', import.meta.url), { replyTimeoutMs: 300 });
    const started = Date.now();
    const before = workerAnswers();
    assert.deepEqual(broken.map(schemaChecksLater(broken, targets)), broken.map((doc) => schemaChecksOf(doc, targets)));
    assert.equal(workerAnswers(), before, 'checked here, not by the worker');
    assert.ok(Date.now() - started < 60_000, 'the wait is bounded by the reply timeout');
  });

  it('gives up on a worker that never starts serving well before the reply timeout', () => {
    startSourceSchemaWorker(new URL('./support/broken-worker-entry.ts', import.meta.url));
    const started = Date.now();
    const before = workerAnswers();
    assert.deepEqual(broken.map(schemaChecksLater(broken, targets)), broken.map((doc) => schemaChecksOf(doc, targets)));
    assert.equal(workerAnswers(), before);
    assert.ok(Date.now() - started < 30_000, 'the start timeout, not the 60 s reply timeout');
  });

  it('checks on this thread when no worker runs, and documents that were not sent', () => {
    assert.deepEqual(broken.map(schemaChecksLater(broken, targets)), broken.map((doc) => schemaChecksOf(doc, targets)));
    startSourceSchemaWorker(new URL('../generator/validate/schema-worker-main.ts', import.meta.url));
    const later = schemaChecksLater(broken.slice(0, 1), targets);
    assert.deepEqual(later(broken[1]!), schemaChecksOf(broken[1]!, targets));
    assert.deepEqual(later(broken[0]!), schemaChecksOf(broken[0]!, targets));
  });

  describe('in the built CLI', () => {
    const tempDir = useTempDirs();
    const generate = (worker: boolean) => {
      const root = tempDir();
      cpSync(join(PROJECT_ROOT, 'environments'), join(root, 'environments'), { recursive: true });
      const env = { ...process.env, FLEXMESH_CACHE_DIR: join(root, 'cache'), FLEXMESH_NO_FAST_PATH: '1', FLEXMESH_SCHEMA_WORKER: worker ? '1' : '0' };
      const run = spawnSync(process.execPath, [FLEXMESH_BIN, 'generate', '--all'], { cwd: root, encoding: 'utf8', env });
      assert.equal(run.status, 0, run.stderr);
      const out = join(root, 'out');
      return { stdout: run.stdout, files: new Map(listFiles(out).map((path) => [path, readFileSync(join(out, path), 'utf8')])), caches: listFiles(join(root, 'cache')) };
    };

    it('writes with the worker exactly what it writes without one, and the worker saves the validators\' code caches', () => {
      const withWorker = generate(true);
      const without = generate(false);
      assert.equal(withWorker.stdout, without.stdout);
      assert.deepEqual(withWorker.files, without.files);
      assert.ok(withWorker.files.size > 100);
      // The environment's validator is loaded on the main thread, the documents' on the worker: both are cached.
      assert.ok(withWorker.caches.filter((path) => !path.includes('engine-')).length >= 15, withWorker.caches.join(', '));
    });
  });
});
