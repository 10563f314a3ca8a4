// The rules across environments over a fleet: grouped by each rule's key (not every pair compared), they still find
// every environment a rule joins, name the others in the fleet's order and place the problem in the file.
import assert from 'node:assert/strict';
import { crossEnvironmentProblems, type LoadedEnvironment } from '../generator/env/cross-environment.ts';
import { parseTopology } from '../generator/env/load.ts';
import { devTextWith, type Edit } from './support/fixtures.ts';

const SIZE = 120;
const nameOf = (index: number) => `env-${String(index).padStart(3, '0')}`;

function load(index: number, ...edits: Edit[]): LoadedEnvironment {
  const file = `environments/${nameOf(index)}.yaml`;
  const text = devTextWith([['argocd', 'destination'], { server: `https://${nameOf(index)}.example.com:6443` }], ...edits);
  return { file, text, topology: parseTopology(text, file) };
}

describe('rules across environments in a fleet', () => {
  const edits: Record<number, Edit[]> = {
    // Three environments writing one GitOps folder, far apart in the fleet.
    5: [[['gitops', 'path'], 'out/shared']],
    60: [[['gitops', 'path'], 'out/shared']],
    119: [[['gitops', 'path'], 'out/shared']],
    // Two sharing an AppProject.
    10: [[['argocd', 'project'], 'team']],
    90: [[['argocd', 'project'], 'team']],
    // Two Flex releases in one namespace of one cluster, and a third with the same release (the same Flex).
    20: [[['argocd', 'destination'], { server: 'https://lab.example.com:6443' }], [['flex', 'releaseName'], 'flex-a']],
    30: [[['argocd', 'destination'], { server: 'https://lab.example.com:6443' }], [['flex', 'releaseName'], 'flex-b']],
    40: [[['argocd', 'destination'], { server: 'https://lab.example.com:6443' }], [['flex', 'releaseName'], 'flex-a']],
  };
  const fleet = Array.from({ length: SIZE }, (_, index) => load(index, ...(edits[index] ?? [])));

  it('reports each environment a rule joins, naming the others in order, with the line of the field', () => {
    const problems = crossEnvironmentProblems(fleet, fleet);
    const summary = problems.map((problem) => `${problem.file}: ${problem.path}: ${problem.problem}`);
    assert.deepEqual(summary, [
      'environments/env-005.yaml: gitops.path: environment env-005 shares its GitOps folder out/shared with env-060 (environments/env-060.yaml), env-119 (environments/env-119.yaml)',
      'environments/env-010.yaml: argocd.project: environment env-010 shares its AppProject team with env-090 (environments/env-090.yaml)',
      'environments/env-020.yaml: flex.namespace: environment env-020 deploys Flex release flex-a to namespace flex of cluster https://lab.example.com:6443, where env-030 (environments/env-030.yaml) deploys release flex-b',
      'environments/env-030.yaml: flex.namespace: environment env-030 deploys Flex release flex-b to namespace flex of cluster https://lab.example.com:6443, where env-020 (environments/env-020.yaml) deploys release flex-a, env-040 (environments/env-040.yaml) deploys release flex-a',
      'environments/env-040.yaml: flex.namespace: environment env-040 deploys Flex release flex-a to namespace flex of cluster https://lab.example.com:6443, where env-030 (environments/env-030.yaml) deploys release flex-b',
      'environments/env-060.yaml: gitops.path: environment env-060 shares its GitOps folder out/shared with env-005 (environments/env-005.yaml), env-119 (environments/env-119.yaml)',
      'environments/env-090.yaml: argocd.project: environment env-090 shares its AppProject team with env-010 (environments/env-010.yaml)',
      'environments/env-119.yaml: gitops.path: environment env-119 shares its GitOps folder out/shared with env-005 (environments/env-005.yaml), env-060 (environments/env-060.yaml)',
    ]);
    assert.ok(problems.every((problem) => typeof problem.line === 'number' && problem.line > 1 && typeof problem.col === 'number'));
  });

  it('checks only the selected environments, against the whole fleet', () => {
    const selected = [fleet[60]!, fleet[1]!];
    assert.deepEqual(crossEnvironmentProblems(selected, fleet).map((problem) => problem.file), ['environments/env-060.yaml']);
  });
});
