// A fleet's worker threads take a few hundred milliseconds to start (fleet-parallel.ts). When no earlier run left a
// record for the no-change fast path (main.ts), generate starts them first, so their start overlaps the fast path's
// hashing and the loading of the pipeline; they are stopped if unused. Only light modules are loaded here.
import { selectEnvironmentFiles } from './environments.ts';
import { FleetWorkers } from './fleet-parallel.ts';
import { workersFor } from './fleet-threads.ts';
import type { OutputRoot } from './fleet-protocol.ts';
import { outputRoot, projectAt } from './output-root.ts';
import { findProjectRoot } from './project.ts';
import type { Io } from './usage.ts';

export interface Prestarted {
  pool: FleetWorkers;
  /** What the pool was started for; generate uses it only for exactly this. */
  root: string;
  cwd: string;
  outRoot: OutputRoot;
  count: number;
}

/** Workers for `generate`'s selection when it is a fleet; undefined otherwise, and on any problem (generate reports it). */
export function prestartWorkers(selection: { names: readonly string[]; all: boolean; outRoot: string }, io: Io): Prestarted | undefined {
  try {
    const project = projectAt(findProjectRoot(io.cwd), io.cwd);
    const files = selectEnvironmentFiles(project.root, selection.names, selection.all, project.shown);
    const count = workersFor(files); // as runGenerate decides
    if (count < 1) return undefined;
    const outRoot = outputRoot(project, selection.outRoot);
    return { pool: new FleetWorkers(count, project.root, io.cwd, outRoot), root: project.root, cwd: io.cwd, outRoot, count };
  } catch {
    return undefined;
  }
}

/** The prestarted pool when it was started for exactly this run; otherwise it is stopped and a new one is made. */
export function poolFor(prestarted: Prestarted | undefined, count: number, root: string, cwd: string, outRoot: OutputRoot): FleetWorkers {
  if (prestarted && prestarted.count === count && prestarted.root === root && prestarted.cwd === cwd && prestarted.outRoot.path === outRoot.path && prestarted.outRoot.shown === outRoot.shown) return prestarted.pool;
  void prestarted?.pool.close();
  return new FleetWorkers(count, root, cwd, outRoot);
}
