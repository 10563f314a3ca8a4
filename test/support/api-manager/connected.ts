// dev.yaml in Connected Mode, and the reconcile Job's script and desired state as the ConfigMap volume mounts them.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWith, documentsOf, type Edit } from '../fixtures.ts';
import { HANG_GUARD_MS } from '../hang-guard.ts';

export const ORG = '11111111-2222-4333-8444-555555555555';
export const ENV_ID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';
export const TARGET = 'agent-0f3e9c';
export const CLIENT = { id: 'connected-app-id-7731', secret: 'connected-app-SECRET-93f1' };
export const BASIC_AUTH = { username: 'tutorial-user-x81', password: 'p4ss-w0rd-Zq7' };

export const ANYPOINT = { organizationId: ORG, environment: { id: ENV_ID }, connectedApp: { secretName: 'anypoint-connected-app' }, apiAsset: { assetId: 'flexmesh-bookinfo', version: '1.0.0' }, targetId: TARGET };

/** dev.yaml switched to Connected Mode; `anypoint` merged over ANYPOINT. */
export function connectedEdits(anypoint: Record<string, unknown> = {}): Edit[] {
  return [[['flex', 'mode'], 'connected'], [['anypoint'], { ...ANYPOINT, ...anypoint }]];
}

/** Writes the ConfigMap's keys into dir, as the Job's volume holds them; returns the desired state. */
export function mountReconcile(dir: string, ...edits: Edit[]): Record<string, unknown> {
  const bundle = bundleWith(...connectedEdits(), ...edits);
  const path = [...bundle.keys()].find((file) => /^manifests\/flex-apis\/configmap-.*-api-manager\.yaml$/.test(file))!;
  const data = (documentsOf(bundle.get(path)!)[0] as unknown as { data: Record<string, string> }).data;
  mkdirSync(dir, { recursive: true });
  for (const [key, value] of Object.entries(data)) writeFileSync(join(dir, key), value);
  return JSON.parse(data['desired-state.json']!) as Record<string, unknown>;
}

export interface ReconcileRun { code: number | null; stdout: string; stderr: string }

/** The script as the Job runs it (node <mount>/reconcile.mjs), against the fake; never blocks the fake's event loop. */
export function runReconcile(dir: string, baseUrl: string, env: Record<string, string> = {}): Promise<ReconcileRun> {
  const childEnv = {
    PATH: process.env.PATH ?? '',
    FLEXMESH_DESIRED_STATE: join(dir, 'desired-state.json'),
    ANYPOINT_BASE_URL: baseUrl,
    ANYPOINT_CLIENT_ID: CLIENT.id,
    ANYPOINT_CLIENT_SECRET: CLIENT.secret,
    FLEXMESH_INGRESS_USERS_USERNAME: BASIC_AUTH.username,
    FLEXMESH_INGRESS_USERS_PASSWORD: BASIC_AUTH.password,
    FLEXMESH_RETRY_BASE_MS: '10',
    // Bounded by the child's exit, not by seconds (a loaded machine is not what these tests check).
    FLEXMESH_TIMEOUT_MS: String(HANG_GUARD_MS),
    ...env,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, [join(dir, 'reconcile.mjs')], { env: childEnv, encoding: 'utf8', timeout: HANG_GUARD_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}
