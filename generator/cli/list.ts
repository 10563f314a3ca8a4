// flexmesh list: every environment, its chain of bases, mode, destination cluster and the state of its bundle.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../diagnostics.ts';
import { environmentNameOf } from '../env/load.ts';
import { readChain } from '../env/read-chain.ts';
import { generateFromSources } from '../pipeline.ts';
import { MANIFEST_FILE } from '../render/bundle.ts';
import { driftOf } from '../write/write-bundle.ts';
import { bundleDir, projectOf, type Selection } from './commands.ts';
import { listEnvironments } from './environments.ts';
import { EXIT, type Io } from './usage.ts';

export interface ListRow { name: string; bases: string; mode: string; cluster: string; bundle: string }

function table(rows: readonly ListRow[]): string[] {
  const header: ListRow = { name: 'ENVIRONMENT', bases: 'BASES', mode: 'MODE', cluster: 'CLUSTER', bundle: 'BUNDLE' };
  const keys = ['name', 'bases', 'mode', 'cluster', 'bundle'] as const;
  const widths = keys.map((key) => Math.max(...[header, ...rows].map((row) => row[key].length)));
  return [header, ...rows].map((row) => keys.map((key, index) => (index === keys.length - 1 ? row[key] : row[key].padEnd(widths[index]!))).join('  '));
}

export function runList(selection: Pick<Selection, 'outRoot'>, io: Io): number {
  const project = projectOf(io);
  const rows: ListRow[] = listEnvironments(project.root).filter((file) => !environmentNameOf(file).startsWith('_')).map((file) => {
    const name = environmentNameOf(file);
    const dir = bundleDir(project, selection.outRoot, name);
    try {
      const sources = readChain(project.root, file, project.shown);
      const { topology, files } = generateFromSources(sources);
      const destination = topology.argocd.destination;
      const bundle = !existsSync(join(dir.path, MANIFEST_FILE)) ? 'missing' : driftOf(dir.path, files).length === 0 ? 'up to date' : 'drift';
      return {
        name,
        bases: sources.slice(1).map((source) => source.path ?? source.file).join(' → ') || '-',
        mode: topology.env.flex.mode,
        cluster: destination.server ?? `name:${destination.name}`,
        bundle,
      };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { name, bases: '?', mode: '?', cluster: '?', bundle: `invalid (flexmesh check --env ${name})` };
    }
  });
  for (const line of table(rows)) io.out(line.trimEnd());
  return EXIT.ok;
}
