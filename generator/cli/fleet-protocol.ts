// What the main thread and the worker threads of a parallel `generate`, `check` or `diff` say to each other (fleet-parallel.ts,
// fleet-worker.ts). Kept apart, without imports of code, so main.ts can recognise a worker without loading the pipeline.
import type { Diagnostic } from '../diagnostics.ts';
import type { FleetFacts } from '../model/fleet-facts.ts';
import type { EncodedFiles } from '../write/staging.ts';
import type { BundleReport, CompareKind } from './bundle-report.ts';

export const FLEET_WORKER = 'flexmesh-fleet-worker';

/** The workerData of every worker: where the project is, and the flag that stops writing after a refusal. */
export interface WorkerSetup {
  kind: typeof FLEET_WORKER;
  /** The project root and the directory flexmesh runs in (diagnostics name files relative to it). */
  root: string;
  cwd: string;
  /** One Int32: set to 1 by the main thread when a bundle was refused, so the others stop between bundles. */
  stop: SharedArrayBuffer;
  /** Where bundles go: a bundle whose directory is not there yet is sent back to be staged (write/staging.ts). */
  outRoot: OutputRoot;
  /** The V8 flags the main thread set for the fleet (util/v8-tiering.ts), which this worker runs under. */
  v8Flags: string;
  /**
   * After this many environments a worker has compiled the pipeline: the first to get there (it sets the Int32 of
   * `cacheClaim` to 1) writes the code caches that were missing or refused.
   */
  codeCacheAfter: number;
  cacheClaim: SharedArrayBuffer;
  /** A check's or diff's workers: each compares the bundle it generated with the one on disk and sends back the report, never the bundle. */
  compare?: CompareKind;
  /** The built CLI's worker start (bin/engine-cache.js, runEngineInWorker): the engine and its code cache. */
  engine?: { file: string; fingerprint: string; cacheKind: string };
}

export function isWorkerSetup(data: unknown): data is WorkerSetup {
  return data !== null && typeof data === 'object' && (data as { kind?: unknown }).kind === FLEET_WORKER;
}

export interface OutputRoot { path: string; shown: string }

export type ToWorker =
  /** Generate (and keep, unwritten) the environment `file`, relative to the project root. */
  | { type: 'generate'; index: number; file: string }
  /** Every environment generated and every rule held: write the kept bundles (those not sent back), in the order of their indices. */
  | { type: 'write'; outRoot: OutputRoot };

/**
 * What the main thread needs of a generated environment: the rules across environments and the fleet bundle read
 * `topology` (only its facts: model/fleet-facts.ts), and the fast path records `manifest` (the sha256 of the bundle's
 * manifest) once the bundle is written.
 */
export interface GeneratedSummary { file: string; text: string; topology: FleetFacts; manifest: string }

/**
 * A GeneratedSummary as a worker sends it: the facts as JSON text. They are plain data (test/fleet-workers checks
 * every committed and fixture environment's), so the round trip keeps every value; cloning the whole topology's ~300
 * objects took three times as long as writing and reading it as text (0.4 ms against 0.14 ms an environment).
 */
export interface SentSummary { file: string; text: string; factsJson: string; manifest: string }

export function sentSummary({ topology, ...rest }: GeneratedSummary): SentSummary {
  return { ...rest, factsJson: JSON.stringify(topology) };
}

export function receivedSummary({ factsJson, ...rest }: SentSummary): GeneratedSummary {
  return { ...rest, topology: JSON.parse(factsJson) as FleetFacts };
}

export type FromWorker =
  /**
   * `fresh`: the bundle of an environment whose directory does not exist, for the main thread to stage; else the
   * worker keeps it. A check's or diff's worker keeps nothing and sends its `report` instead.
   */
  | { type: 'generated'; index: number; summary: SentSummary; fresh?: { name: string; files: EncodedFiles }; report?: BundleReport }
  | { type: 'invalid'; index: number; diagnostics: Diagnostic[] }
  | { type: 'written'; index: number; dir: string; line: string }
  | { type: 'refused'; index: number; problems: string[]; outcome: string }
  /** Anything but a problem of the input or the output directory: a bug, reported with the worker's stack. */
  | { type: 'failed'; message: string; stack?: string }
  | { type: 'wrote' };
