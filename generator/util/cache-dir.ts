// Where flexmesh keeps what only speeds it up (the no-change record, V8 code caches): a user cache directory,
// never the project. FLEXMESH_CACHE_DIR overrides it; set empty, nothing is cached and every run starts afresh.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheDir(): string | undefined {
  const override = process.env['FLEXMESH_CACHE_DIR'];
  if (override !== undefined) return override === '' ? undefined : override;
  return join(process.env['XDG_CACHE_HOME'] || join(homedir(), '.cache'), 'flexmesh');
}
