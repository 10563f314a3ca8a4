// flexmesh diff: what generate would change in out/, as a unified diff per file (new, changed and removed files).
// Default selection is --all, as for check: a preview of everything a `generate --all` would write.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { unifiedDiff } from '../util/unified-diff.ts';
import { previouslyWritten } from '../write/write-bundle.ts';
import { bundleDir, generateAll, projectOf, type Selection } from './commands.ts';
import { EXIT, type Io } from './usage.ts';

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : undefined);

export function runDiff(selection: Selection, io: Io): number {
  const project = projectOf(io);
  let changed = 0;
  for (const { env, files } of generateAll(project, selection, selection.names.length === 0)) {
    const dir = bundleDir(project, selection.outRoot, env.name);
    const shownDir = dir.shown.split('\\').join('/');
    const incoming = new Set(files.map((file) => file.path));
    const removed = [...previouslyWritten(dir.path)].filter((path) => !incoming.has(path) && existsSync(join(dir.path, path)));
    const entries = [...files.map((file) => ({ path: file.path, after: file.content as string | undefined })), ...removed.map((path) => ({ path, after: undefined }))]
      .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    for (const { path, after } of entries) {
      const text = unifiedDiff(`${shownDir}/${path}`, read(join(dir.path, path)), after);
      if (text === '') continue;
      changed++;
      io.out(text.trimEnd());
    }
  }
  io.err(changed === 0 ? 'flexmesh diff: generate would change nothing' : `flexmesh diff: generate would change ${changed} file(s)`);
  return changed === 0 ? EXIT.ok : EXIT.checkFailed;
}

