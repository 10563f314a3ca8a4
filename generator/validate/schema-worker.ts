// Schema checks on a second thread. Loading the pinned validators is the largest part of a cold run (megabytes of
// compiled schemas), and nothing else waits for it until the bundle has rendered, so the CLI starts one worker early
// and sends it the built documents while this thread renders them. The pipeline stays synchronous: the answer is
// awaited with Atomics.wait and taken with receiveMessageOnPort. Without a worker, or when it fails or does not answer,
// the same checks run here: the result never depends on where they ran.
import { existsSync } from 'node:fs';
import { isMainThread, MessageChannel, receiveMessageOnPort, Worker, workerData, type MessagePort } from 'node:worker_threads';
import { PROJECT_ROOT } from '../assets.ts';
import type { Manifest } from '../resources/types.ts';
import { writeCodeCache } from './compiled-script.ts';
import { schemaChecksOf, type SchemaChecks } from './schema-checks.ts';
import type { TargetVersions } from './types.ts';

/** Replaced by `true` in the esbuild bundle (scripts/build.ts); undefined when the sources run. */
declare const FLEXMESH_BUNDLED: boolean | undefined;

interface Request { id: number; docs: readonly Manifest[]; targets: TargetVersions }
type Reply = { id: number; checks: SchemaChecks[] } | { id: number; error: string };
interface Connection { worker: Worker; port: MessagePort; signal: Int32Array; sent: number; replyTimeoutMs: number }

/** A worker that died without a word must not hang the run: after this long its requests are checked here. */
const REPLY_TIMEOUT_MS = 60_000;
/** One that never started (its bundle missing or broken) is given up on sooner. */
const START_TIMEOUT_MS = 5_000;
// The shared signal: [the id of the last request answered, 1 once the worker serves].
const ANSWERED = 0;
const SERVING = 1;

let connection: Connection | undefined;
let answered = 0;
/** Work the main thread does while it waits for an answer, instead of sleeping (whileAwaitingSchemas). */
const meanwhile: Array<() => void> = [];

/**
 * `task` runs on this thread the first time it would otherwise sleep waiting for the worker, if that happens before
 * the returned function withdraws it. It may never run: its owner must run it (or its memoized result) itself when
 * it needs the result, and an error it throws here is dropped, to meet the owner there.
 */
export function whileAwaitingSchemas(task: () => void): () => void {
  meanwhile.push(task);
  return () => {
    const index = meanwhile.indexOf(task);
    if (index !== -1) meanwhile.splice(index, 1);
  };
}

/** How many requests a worker has answered in this process (for tests: the worker, not the fallback, answered). */
export function workerAnswers(): number {
  return answered;
}

/** Starts the worker once: `entry` must call serveSchemaChecks (generator/validate/schema-worker-main.ts does). */
export function startSchemaWorker(entry: string | URL, options: { eval?: boolean; replyTimeoutMs?: number } = {}): void {
  if (connection) return;
  const { replyTimeoutMs = REPLY_TIMEOUT_MS, ...workerOptions } = options;
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(8));
  let worker: Worker;
  try {
    worker = new Worker(entry, { ...workerOptions, workerData: { port: port2, signal }, transferList: [port2] });
  } catch {
    return; // No thread to be had (resource limits): the checks run here.
  }
  // Neither keeps the process alive: when the command is done, the worker goes with it.
  worker.unref();
  worker.on('error', () => stopSchemaWorker());
  connection = { worker, port: port1, signal, sent: 0, replyTimeoutMs };
}

/** The worker's own bundle (scripts/build.ts): only the schema checks, so it starts faster than the CLI would. */
export const SCHEMA_WORKER_FILE = 'dist/schema-worker.cjs';

/**
 * The built CLI checks schemas on a worker; FLEXMESH_SCHEMA_WORKER=0 keeps them on the main thread. The sources
 * (tests) check on the main thread unless a test starts a worker.
 */
export function startCliSchemaWorker(): void {
  if (typeof FLEXMESH_BUNDLED === 'undefined' || !FLEXMESH_BUNDLED || process.env['FLEXMESH_SCHEMA_WORKER'] === '0') return;
  const entry = `${PROJECT_ROOT}${SCHEMA_WORKER_FILE}`;
  if (existsSync(entry)) startSchemaWorker(entry);
}

export function stopSchemaWorker(): void {
  const stopping = connection;
  connection = undefined;
  if (stopping) void stopping.worker.terminate();
}

/**
 * Sends `docs` to the worker (if one runs) and returns their checks by document; the first lookup waits for the
 * answer. A document that was not sent, or any document when there is no answer, is checked on this thread.
 */
/** Whether checks go to a schema worker now (the documents are best sent before the bundle renders). */
export function schemaWorkerConnected(): boolean {
  return connection !== undefined;
}

export function schemaChecksLater(docs: readonly Manifest[], targets: TargetVersions): (doc: Manifest) => SchemaChecks {
  const here = (doc: Manifest) => schemaChecksOf(doc, targets);
  const sending = connection;
  if (!sending || docs.length === 0) return here;
  const id = ++sending.sent;
  sending.port.postMessage({ id, docs, targets } satisfies Request);
  let answers: Map<Manifest, SchemaChecks> | undefined;
  return (doc) => (answers ??= awaitReply(sending, id, docs)).get(doc) ?? here(doc);
}

function awaitReply(from: Connection, id: number, docs: readonly Manifest[]): Map<Manifest, SchemaChecks> {
  const started = Date.now();
  const deadline = started + from.replyTimeoutMs;
  for (;;) {
    const received = receiveMessageOnPort(from.port);
    if (received) {
      const reply = received.message as Reply;
      if (reply.id !== id) continue; // the answer to a request that was given up on
      if ('checks' in reply) answered++;
      return 'checks' in reply && reply.checks.length === docs.length ? new Map(docs.map((doc, index) => [doc, reply.checks[index]!])) : new Map();
    }
    const lastAnswer = Atomics.load(from.signal, ANSWERED);
    if (lastAnswer >= id) continue;
    const now = Date.now();
    if (now > deadline || (Atomics.load(from.signal, SERVING) === 0 && now - started > Math.min(START_TIMEOUT_MS, from.replyTimeoutMs))) {
      stopSchemaWorker();
      return new Map();
    }
    const task = meanwhile.shift();
    if (task) {
      try {
        task();
      } catch {
        // Its owner runs it again and reports the error where it belongs.
      }
      continue;
    }
    Atomics.wait(from.signal, ANSWERED, lastAnswer, 50);
  }
}

/** The worker's side: answers every request in order, then saves the validators' code caches. */
export function serveSchemaChecks(): void {
  if (isMainThread) return;
  const { port, signal } = workerData as { port: MessagePort; signal: Int32Array };
  Atomics.store(signal, SERVING, 1);
  port.on('message', (request: Request) => {
    let reply: Reply;
    try {
      reply = { id: request.id, checks: request.docs.map((doc) => schemaChecksOf(doc, request.targets)) };
    } catch (error) {
      reply = { id: request.id, error: String((error as Error | undefined)?.stack ?? error) };
    }
    port.postMessage(reply);
    Atomics.store(signal, ANSWERED, request.id);
    Atomics.notify(signal, ANSWERED);
    // The process may end this thread before its exit handlers run.
    writeCodeCache();
  });
}
