// Rule secret-read-is-provided: every Secret key a workload or probe of the bundle reads (a secretKeyRef anywhere in
// the documents, in the namespace it is read from) is either committed in the bundle or listed in the README's
// "create these Secrets" table and command, key included. Judged from the documents that read the Secrets and from
// the README text, never from the code that writes the README, so a Secret the README forgets fails here.
import assert from 'node:assert/strict';
import { bundleWith, documentsOf, type Edit } from './support/fixtures.ts';
import type { Manifest } from '../generator/resources/types.ts';

interface Read { namespace: string; name: string; key: string; by: string }

/** Every `secretKeyRef` under `value`. */
function secretKeyRefs(value: unknown): Array<{ name: string; key: string }> {
  if (Array.isArray(value)) return value.flatMap(secretKeyRefs);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  const own = record.secretKeyRef && typeof record.secretKeyRef === 'object' ? [record.secretKeyRef as { name: string; key: string }] : [];
  return [...own, ...Object.entries(record).filter(([key]) => key !== 'secretKeyRef').flatMap(([, child]) => secretKeyRefs(child))];
}

/** An Application's chart values are read in its destination namespace; any other object's in its own. */
function reads(doc: Manifest): Read[] {
  const namespace = doc.kind === 'Application' ? (doc.spec as { destination: { namespace: string } }).destination.namespace : doc.metadata.namespace ?? 'default';
  return secretKeyRefs(doc.kind === 'Application' ? doc.spec : doc).map((ref) => ({ namespace, name: ref.name, key: ref.key, by: `${doc.kind}/${doc.metadata.name}` }));
}

function committedKeys(docs: readonly Manifest[]): Set<string> {
  return new Set(docs.filter((doc) => doc.kind === 'Secret').flatMap((doc) => Object.keys({ ...(doc.data as object), ...(doc.stringData as object) }).map((key) => `${doc.metadata.namespace}/${doc.metadata.name}/${key}`)));
}

/** Keys the README tells the user to create: its table rows and its kubectl commands must both name them. */
function readmeKeys(readme: string): { table: Set<string>; commands: Set<string> } {
  const table = new Set<string>();
  for (const match of readme.matchAll(/^\| `([^`]+)` \| `([^`]+)` \| ([^|]+) \|/gm)) {
    for (const key of match[3]!.split(',').map((part) => part.trim())) table.add(`${match[2]}/${match[1]}/${key}`);
  }
  const commands = new Set<string>();
  for (const match of readme.matchAll(/kubectl create secret generic (\S+) -n (\S+)(.*)$/gm)) {
    for (const literal of match[3]!.matchAll(/--from-(?:literal=([^=\s]+)=<[^>]*>|file=([^\s`]+))/g)) commands.add(`${match[2]}/${match[1]}/${literal[1] ?? literal[2]}`);
  }
  return { table, commands };
}

const DEMO: Edit = [['credentials', 0, 'insecureDemoUser'], { username: 'demo', password: 'Demo-Pa55word' }];
const SHARED: Edit = [['verification', 'credentialsSecret'], 'probe-credentials'];
const SECOND_CREDENTIAL: Edit[] = [
  [['credentials', 1], { name: 'reviewers', secretName: 'reviewers-auth', usernameKey: 'reviewer-user', passwordKey: 'reviewer-pass' }],
  [['apis', 2], { name: 'ratings', basePath: '/ratings/', traffic: 'east-west', upstream: { service: 'ratings', port: 9080 }, policies: [{ type: 'basic-auth', credentials: 'reviewers' }] }],
];

const CASES: Array<{ name: string; edits: Edit[] }> = [
  { name: 'dev', edits: [] },
  { name: 'a demo user', edits: [DEMO] },
  { name: 'verification.credentialsSecret', edits: [SHARED] },
  { name: 'a demo user and verification.credentialsSecret', edits: [DEMO, SHARED] },
  { name: 'two credentials in one verification.credentialsSecret', edits: [...SECOND_CREDENTIAL, SHARED] },
  { name: 'two credentials, one a demo user, in one verification.credentialsSecret', edits: [...SECOND_CREDENTIAL, DEMO, SHARED] },
  { name: 'verification disabled', edits: [[['verification', 'enabled'], false]] },
];

describe('rule secret-read-is-provided: every Secret key read is committed or in the README', () => {
  for (const { name, edits } of CASES) {
    it(name, () => {
      const bundle = bundleWith(...edits);
      const docs = [...bundle].filter(([path]) => path.endsWith('.yaml')).flatMap(([, content]) => documentsOf(content)).filter(Boolean);
      const read = docs.flatMap(reads);
      assert.ok(read.length > 0, 'something reads a Secret (basic-auth credentials)');
      const committed = committedKeys(docs);
      const { table, commands } = readmeKeys(bundle.get('README.md')!);
      const missing = read.filter((entry) => {
        const id = `${entry.namespace}/${entry.name}/${entry.key}`;
        return !committed.has(id) && !(table.has(id) && commands.has(id));
      });
      assert.deepEqual(missing.map((entry) => `${entry.by} reads ${entry.namespace}/${entry.name} key ${entry.key}`), []);
    });
  }
});
