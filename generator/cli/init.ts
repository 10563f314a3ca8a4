// flexmesh init NAME: writes environments/NAME.yaml, an overlay on a base (or on another environment) that sets what
// is the new environment's own: a name-derived GitOps folder and AppProject, the mode and the destination cluster.
// The written file is loaded (bases merged, schema and rules checked) before it is written, and never overwrites.
import { PLACEHOLDER_API_ASSET_VERSION } from '../model/policy-assets.ts';
import { existsSync, writeFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { stringify } from 'yaml';
import { mergeChain, parseChain } from '../env/extends.ts';
import { parseYaml } from '../env/load.ts';
import { readChain } from '../env/read-chain.ts';
import type { Environment } from '../env/types.ts';
import { projectOf } from './commands.ts';
import { DEFAULT_BASE_FILE, ENVIRONMENTS_DIR, environmentNameProblem } from './environments.ts';
import { EXIT, UsageError, type Io } from './usage.ts';

export interface InitOptions { name: string; from?: string; base?: string; mode?: string; cluster?: string }

// UNVERIFIED placeholder: an id of the right shape that no organization has, so nothing syncs by accident.
const PLACEHOLDER_ORGANIZATION = '00000000-0000-0000-0000-000000000000';

/** What the chain being extended sets, merged but not validated (a base alone need not be a whole environment). */
export interface Inherited { destination: { server?: string; name?: string }; mode: string; anypoint?: Record<string, unknown> }

export function inheritedOf(data: unknown): Inherited {
  const env = (data ?? {}) as { argocd?: { destination?: Inherited['destination'] }; flex?: { mode?: string }; anypoint?: Record<string, unknown> };
  return { destination: env.argocd?.destination ?? { server: 'https://kubernetes.default.svc' }, mode: env.flex?.mode ?? 'local', anypoint: env.anypoint };
}

/** The overlay's data; `inherited` is what the chain it extends sets. */
export function initOverlay(options: InitOptions, extendsPath: string, inherited: Inherited): Record<string, unknown> {
  const overlay: Record<string, unknown> = { extends: extendsPath, gitops: { path: `out/${options.name}` }, argocd: { project: `flexmesh-${options.name}` } };
  const argocd = overlay.argocd as Record<string, unknown>;
  if (options.cluster !== undefined) {
    const byUrl = /^https:\/\//.test(options.cluster);
    const had = inherited.destination;
    argocd.destination = byUrl ? { server: options.cluster, ...(had.name !== undefined ? { name: null } : {}) } : { name: options.cluster, ...(had.server !== undefined ? { server: null } : {}) };
  }
  if (options.mode !== undefined && options.mode !== inherited.mode) overlay.flex = { mode: options.mode };
  const mode = options.mode ?? inherited.mode;
  if (mode === 'connected') {
    // Only what the chain leaves out: placeholders that load, and that the comments above tell the user to replace.
    const placeholders: Record<string, unknown> = { organizationId: PLACEHOLDER_ORGANIZATION, environment: { name: 'Sandbox' }, connectedApp: { secretName: 'anypoint-connected-app' }, apiAsset: { assetId: `flexmesh-${options.name}`, version: PLACEHOLDER_API_ASSET_VERSION } };
    const missing = Object.entries(placeholders).filter(([key]) => inherited.anypoint?.[key] === undefined);
    if (missing.length > 0) overlay.anypoint = Object.fromEntries(missing);
  }
  if (mode === 'local' && inherited.anypoint) overlay.anypoint = null;
  return overlay;
}

function fillInComments(env: Environment): string[] {
  const ns = env.flex.namespace;
  return [
    '# To fill in before the first sync (the bundle README lists every Secret with its command):',
    `# - the Flex registration Secret ${env.flex.registrationSecret} in namespace ${ns} (flexctl registration create … ${env.flex.mode === 'connected' ? '--connected=true' : ''}),`.replace(' ,', ','),
    ...[...new Set(env.credentials.map((credential) => credential.secretName))].map((secret) => `# - the credentials Secret ${secret} in namespace ${ns} (basic-auth users),`),
    ...(env.anypoint ? [`# - the Connected App Secret ${env.anypoint.connectedApp.secretName} in namespace ${ns}, and anypoint.organizationId / environment / apiAsset below (or in the base),`] : []),
    '# - with a remote cluster: `argocd cluster add <context>` so Argo CD knows it.',
  ];
}

export function runInit(options: InitOptions, io: Io): number {
  const problem = environmentNameProblem(options.name);
  if (problem) throw new UsageError(`environment name "${options.name}" is not valid: ${problem}`);
  if (options.from !== undefined && options.base !== undefined) throw new UsageError('use either --from ENV or --base FILE, not both');
  if (options.mode !== undefined && options.mode !== 'local' && options.mode !== 'connected') throw new UsageError(`--mode ${options.mode}: expected local or connected`);
  const project = projectOf(io);
  const file = `${ENVIRONMENTS_DIR}/${options.name}.yaml`;
  for (const existing of [file, `${ENVIRONMENTS_DIR}/${options.name}.yml`]) {
    if (existsSync(join(project.root, existing))) throw new UsageError(`${project.shown(existing)} already exists; init never overwrites (edit it, or choose another name)`);
  }
  const extendsPath = options.from !== undefined ? `${options.from}.yaml` : options.base !== undefined ? posix.relative(ENVIRONMENTS_DIR, posix.normalize(options.base.startsWith(`${ENVIRONMENTS_DIR}/`) ? options.base : `${ENVIRONMENTS_DIR}/${options.base}`)) : DEFAULT_BASE_FILE;
  if (!existsSync(join(project.root, ENVIRONMENTS_DIR, extendsPath))) {
    throw new UsageError(`${project.shown(`${ENVIRONMENTS_DIR}/${extendsPath}`)} does not exist; name an environment with --from ENV or a base with --base FILE`);
  }
  const chain = readChain(project.root, `${ENVIRONMENTS_DIR}/${extendsPath}`, project.shown);
  const inherited = inheritedOf(mergeChain(chain.map((source) => parseYaml(source.text, source.file).toJS())));
  const overlay = initOverlay(options, extendsPath, inherited);
  const draft = `${stringify(overlay, { lineWidth: 0, version: '1.1' })}`;
  // Loaded as generate will load it, from memory, before anything is written: a refusal names the base's line.
  const sources = [{ file: project.shown(file), text: draft, path: file }, ...chain];
  const merged = parseChain(sources).topology.env;
  const header = ['# yaml-language-server: $schema=../schemas/pinned/environment-overlay.schema.json', `# Environment ${options.name}: ${extendsPath} with the values below; \`flexmesh show --env ${options.name}\` prints the merged result.`, ...fillInComments(merged)];
  writeFileSync(join(project.root, file), `${header.join('\n')}\n${draft}`, { flag: 'wx' });
  io.out(`${project.shown(file)}: written (extends ${extendsPath}); next: flexmesh generate --env ${options.name}, then commit both`);
  return EXIT.ok;
}
