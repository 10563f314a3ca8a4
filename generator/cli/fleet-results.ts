// What the main thread of a parallel generate or check makes of the outcomes its threads sent back: the problems of
// the input (each environment's, then the rules across environments) and, for the fleet bundle, whole topologies.
import type { Diagnostic } from '../diagnostics.ts';
import { crossEnvironmentProblems, type LoadedEnvironment } from '../env/cross-environment.ts';
import { parseChain, type LoadedChain } from '../env/extends.ts';
import { readChain } from '../env/read-chain.ts';
import type { Locate } from '../env/schema-errors.ts';
import type { FleetFacts } from '../model/fleet-facts.ts';
import type { Topology } from '../model/topology.ts';
import { otherEnvironments } from './commands.ts';
import type { Outcome } from './fleet-parallel.ts';
import type { Project } from './output-root.ts';

/**
 * Where a field of an environment generated in a worker was written, found only when a rule across environments
 * reports it: the main thread reads the chain again (the workers' locators are functions, which cannot be sent).
 */
function lateLocate(project: Project, file: string): Locate {
  let chain: LoadedChain | undefined;
  return (path, at) => (chain ??= parseChain(readChain(project.root, file, project.shown))).locate(path, at);
}

/** The environments that loaded, and every problem in the order the sequential run reports them. */
export function fleetProblems(project: Project, files: readonly string[], outcomes: readonly Outcome[]): { loaded: LoadedEnvironment[]; problems: Diagnostic[] } {
  const problems = outcomes.flatMap((outcome) => outcome.diagnostics ?? []);
  const loaded: LoadedEnvironment[] = outcomes.flatMap((outcome, index) => (outcome.summary ? [{ ...outcome.summary, locate: lateLocate(project, files[index]!) }] : []));
  problems.push(...crossEnvironmentProblems(loaded, [...loaded, ...otherEnvironments(project, files)]));
  return { loaded, problems };
}

/**
 * The whole topology of an environment (an ApplicationSet's first member): the one generated in this thread, or one
 * derived again from its files.
 */
export function wholeTopology(project: Project, files: readonly string[], outcomes: readonly Outcome[]): (facts: FleetFacts) => Topology {
  const indexOf = new Map(outcomes.map((outcome, index) => [outcome.summary?.topology, index]));
  return (facts) => {
    const index = indexOf.get(facts)!;
    const outcome = outcomes[index]!;
    return (outcome.summary && outcome.whole) ?? parseChain(readChain(project.root, files[index]!, project.shown)).topology;
  };
}
