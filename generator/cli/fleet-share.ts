// One thread's share of a parallel `generate` (fleet-parallel.ts): each worker, and the main thread too, generates
// the environments handed to it with generateOne and keeps the bundles whose directories exist in a KeptBundles,
// which writes them once the main thread says every environment and every rule held.
import type { Diagnostic } from '../diagnostics.ts';
import { InputError } from '../diagnostics.ts';
import { readChain } from '../env/read-chain.ts';
import { fleetFacts } from '../model/fleet-facts.ts';
import type { Topology } from '../model/topology.ts';
import { generateFromSources } from '../pipeline.ts';
import { manifestDigest, type OutputFile } from '../render/bundle.ts';
import { isAbsent } from '../write/staging.ts';
import { WriteRefused, writeBundle } from '../write/write-bundle.ts';
import type { GeneratedSummary, OutputRoot } from './fleet-protocol.ts';
import { bundleIn, summaryLine, type Project } from './output-root.ts';

export type OneGenerated =
  /** `fresh`: the bundle's directory does not exist, so it can be staged (write/staging.ts) at once. */
  | { summary: GeneratedSummary; whole: Topology; name: string; files: OutputFile[]; fresh: boolean; diagnostics?: undefined }
  | { diagnostics: Diagnostic[]; summary?: undefined };

/** Generates the environment `file` (relative to the project root); problems of the input come back, others throw. */
export function generateOne(project: Project, outRoot: OutputRoot, file: string): OneGenerated {
  try {
    const sources = readChain(project.root, file, project.shown);
    const result = generateFromSources(sources);
    const summary = { file: project.shown(file), text: sources[0]!.text, topology: fleetFacts(result.topology), manifest: manifestDigest(result.files) };
    const name = result.env.name;
    return { summary, whole: result.topology, name, files: result.files, fresh: isAbsent(bundleIn(outRoot, name).path) };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { diagnostics: error.diagnostics };
  }
}

export type WriteEvent =
  | { type: 'written'; index: number; dir: string; line: string }
  | { type: 'refused'; index: number; problems: string[]; outcome: string };

/** Bundles kept unwritten, by the index of their environment in the run. */
export class KeptBundles {
  private readonly kept = new Map<number, { name: string; files: OutputFile[] }>();

  get size(): number {
    return this.kept.size;
  }

  keep(index: number, name: string, files: OutputFile[]): void {
    this.kept.set(index, { name, files });
  }

  /**
   * Writes them in the order of their indices. `stop` (one Int32 shared by every thread of the run) is set on a
   * refusal, here or in another thread: as the sequential writer would, nothing is written after it.
   */
  write(outRoot: OutputRoot, stop: Int32Array, report: (event: WriteEvent) => void): void {
    for (const index of [...this.kept.keys()].sort((a, b) => a - b)) {
      if (Atomics.load(stop, 0) !== 0) break;
      const { name, files } = this.kept.get(index)!;
      const dir = bundleIn(outRoot, name);
      try {
        const summary = writeBundle(dir.path, files, { root: outRoot.path, label: dir.shown });
        report({ type: 'written', index, dir: dir.path, line: summaryLine(dir.shown, summary) });
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw error;
        Atomics.store(stop, 0, 1);
        report({ type: 'refused', index, problems: [...error.problems], outcome: error.outcome });
        break;
      }
      // Written bundles are not needed any more; a fleet's worth of them is most of the memory a run takes.
      this.kept.delete(index);
    }
    this.kept.clear();
  }
}
