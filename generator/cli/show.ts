// flexmesh show --env NAME: the merged, defaulted environment generate works from, as a standalone environment file.
import { stringify } from 'yaml';
import type { Topology } from '../model/topology.ts';
import { generateAll, projectOf, type Selection } from './commands.ts';
import { EXIT, UsageError, type Io } from './usage.ts';

/** The environment as generate used it: bases merged, schema defaults applied, the name-derived values filled in. */
export function shownEnvironment(topology: Topology): Record<string, unknown> {
  const { name: _name, ...env } = topology.env;
  return {
    ...env,
    gitops: { ...env.gitops, path: topology.gitops.path },
    argocd: { ...env.argocd, project: topology.argocd.project },
  };
}

export function showText(topology: Topology): string {
  const sources = topology.sources ?? [`environments/${topology.name}.yaml`];
  const header = [
    `# Environment ${topology.name} as flexmesh generate uses it: ${sources.join(', extending ')},`,
    '# merged (maps by key; lists and scalars replace; null removes), with schema defaults and name-derived values',
    '# (gitops.path, argocd.project) filled in. Saved as a file of its own, it generates the same bundle.',
  ];
  return `${header.join('\n')}\n${stringify(shownEnvironment(topology), { lineWidth: 0, version: '1.1' })}`;
}

export function runShow(selection: Selection, io: Io): number {
  if (selection.all || selection.names.length !== 1) throw new UsageError('show takes exactly one --env NAME');
  const [generated] = generateAll(projectOf(io), selection, false);
  io.out(showText(generated!.topology).trimEnd());
  return EXIT.ok;
}
