// `generate` with worker threads (fleet-parallel.ts): the same checks, order of output and refusals as the
// sequential run in commands.ts, with environments generated and bundles written by several threads at once.
import { InputError } from '../diagnostics.ts';
import { fleetBundle } from '../render/fleet-bundle.ts';
import { FLEET_DIR } from '../resources/fleet.ts';
import { WriteRefused } from '../write/refusal.ts';
import { encodeFiles, StagingArea, type EncodedFiles } from '../write/staging.ts';
import { writeBundles } from './commands.ts';
import type { Outcome } from './fleet-parallel.ts';
import { fleetProblems, wholeTopology } from './fleet-results.ts';
import { generateOne, KeptBundles } from './fleet-share.ts';
import { poolFor, type Prestarted } from './prestart.ts';
import type { LeftBundle } from './fast-path.ts';
import type { OutputRoot } from './fleet-protocol.ts';
import { bundleIn, summaryLine, type Project } from './output-root.ts';
import type { Io } from './usage.ts';

export interface ParallelRun { project: Project; files: readonly string[]; root: OutputRoot; all: boolean; workers: number; io: Io; prestarted?: Prestarted | undefined }

/** An error of the file system while staging, as the ordinary writer would have reported it for the bundle. */
function stagingRefusal(error: unknown, shown: string): unknown {
  if (!(error as NodeJS.ErrnoException)?.code) return error;
  return new WriteRefused([`cannot write ${shown}: ${(error as Error).message}`], `${shown}: nothing was written`);
}

/** The bundles written, in order (the fleet bundle last), with their manifests' sha256; throws as the sequential run would. */
export async function generateInWorkers({ project, files, root, all, workers, io, prestarted }: ParallelRun): Promise<LeftBundle[]> {
  const staging = new StagingArea(root.path);
  const staged: Array<string | undefined> = [];
  const kept = new KeptBundles();
  const pool = poolFor(prestarted, workers, project.root, io.cwd, root);
  try {
    const stage = (index: number, name: string, encoded: EncodedFiles) => {
      try {
        staging.stage(name, encoded);
      } catch (error) {
        throw stagingRefusal(error, bundleIn(root, name).shown);
      }
      staged[index] = name;
    };
    // This thread's own share, generated as a worker would (fleet-share.ts).
    const local = (index: number, file: string): Outcome => {
      const one = generateOne(project, root, file);
      if (one.diagnostics) return one;
      if (one.fresh) stage(index, one.name, encodeFiles(one.files));
      else kept.keep(index, one.name, one.files);
      return { summary: one.summary, whole: one.whole };
    };
    const outcomes = await pool.generate(files, (index, bundle) => stage(index, bundle.name, bundle.files), local);
    const { loaded, problems } = fleetProblems(project, files, outcomes);
    if (problems.length > 0) throw new InputError(problems);
    // Checked before any bundle is written, as in the sequential run.
    const fleet = all ? fleetBundle(loaded.map((entry) => entry.topology), wholeTopology(project, files, outcomes)) : undefined;

    // Lines are printed in the environments' order, as soon as all before them are written.
    const written: Array<{ dir: string; line: string } | undefined> = [];
    const left: LeftBundle[] = [];
    let next = 0;
    const wrote = (index: number, dir: string, line: string) => {
      written[index] = { dir, line };
      for (; written[next] !== undefined; next++) {
        io.out(written[next]!.line);
        left.push({ dir: written[next]!.dir, manifest: outcomes[next]!.summary!.manifest });
      }
    };
    // Bundles that existed are written by the threads that kept them (this one too), then the new ones are moved into
    // place in order; the first refusal (by index) stops what comes after it.
    let refusal = await pool.write(root, wrote, kept);
    for (let index = 0; index < staged.length; index++) {
      const name = staged[index];
      if (name === undefined) continue;
      if (refusal && refusal.index < index) break;
      const dir = bundleIn(root, name);
      try {
        wrote(index, dir.path, summaryLine(dir.shown, staging.commit(name, dir)));
      } catch (error) {
        if (!(error instanceof WriteRefused)) throw stagingRefusal(error, dir.shown);
        refusal = { index, problems: [...error.problems], outcome: error.outcome };
        break;
      }
    }
    // After a refusal, bundles written beyond the gap are reported too, in order.
    for (const entry of written.slice(next)) if (entry) io.out(entry.line);
    if (refusal) throw new WriteRefused(refusal.problems, refusal.outcome);
    if (fleet) left.push(...writeBundles([{ name: FLEET_DIR, files: fleet }], root, io));
    return left;
  } finally {
    staging.discard();
    await pool.close();
  }
}
