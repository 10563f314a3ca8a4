// The bundle README says only what is true of this environment: regression tests for text that went stale
// (a lockdown promised with lockdown off, "drops reviews " with nothing dropped, one Secret to create twice).
import assert from 'node:assert/strict';
import { bundleWith, type Edit } from './support/fixtures.ts';

const readme = (...edits: Edit[]): string => bundleWith(...edits).get('README.md')!;
const row = (text: string, dir: string): string => text.split('\n').find((line) => line.startsWith(`| \`${dir}/\``)) ?? '';

describe('bundle README: true of this environment', () => {
  const cases: Array<{ name: string; edits: Edit[]; has: RegExp[]; hasNot: RegExp[] }> = [
    { name: 'lockdown off: no AuthorizationPolicy promised', edits: [[['lockdown', 'enabled'], false]], has: [/VirtualServices through Flex\)/, /`lockdown`: lockdown\.enabled is false/], hasNot: [/AuthorizationPolicy/, /Bookinfo lockdown/] },
    { name: 'lockdown on: names who is admitted', edits: [], has: [/an AuthorizationPolicy admitting only flex, bookinfo to bookinfo/, /Bookinfo lockdown/], hasNot: [] },
    { name: 'nothing excluded: keeps every reviews version', edits: [[['samples', 'bookinfo', 'excludeVersions'], []]], has: [/keeps every reviews version/, /Bookinfo with every reviews version/], hasNot: [/drops reviews\s*\|/, /drops\s*$/m] },
    { name: 'v1 excluded: names the Deployments dropped', edits: [[['samples', 'bookinfo', 'excludeVersions'], ['v1']]], has: [/drops reviews-v1 \|/], hasNot: [/details-v1|productpage-v1 \|/] },
  ];
  for (const { name, edits, has, hasNot } of cases) {
    it(name, () => {
      const text = readme(...edits);
      for (const pattern of has) assert.match(text, pattern);
      for (const pattern of hasNot) assert.doesNotMatch(text.replace(/^\d+\. `workloads-ready`.*$/m, ''), pattern);
    });
  }

  it('verification.credentialsSecret with several credentials: one Secret to create, holding every key', () => {
    const text = readme(
      [['credentials', 1], { name: 'reviewers', secretName: 'reviewers-auth', usernameKey: 'reviewer-user', passwordKey: 'reviewer-pass' }],
      // ratings: reviews-v1 (the only version kept) does not call it, so basic-auth there breaks nothing.
      [['apis', 2], { name: 'ratings', basePath: '/ratings/', traffic: 'east-west', upstream: { service: 'ratings', port: 9080 }, policies: [{ type: 'basic-auth', credentials: 'reviewers' }] }],
      [['verification', 'credentialsSecret'], 'probe-credentials'],
    );
    const commands = text.split('\n').filter((line) => line.includes('kubectl create secret generic probe-credentials'));
    assert.equal(commands.length, 1, commands.join('\n'));
    for (const key of ['username', 'password', 'reviewer-user', 'reviewer-pass']) assert.match(commands[0]!, new RegExp(`--from-literal=${key}=<`));
  });

  it('a shared credentialsSecret whose credentials use the same key names is refused with the reason', () => {
    assert.throws(
      () => bundleWith([['credentials', 1], { name: 'reviewers', secretName: 'reviewers-auth' }], [['apis', 2], { name: 'ratings', basePath: '/ratings/', traffic: 'east-west', upstream: { service: 'ratings', port: 9080 }, policies: [{ type: 'basic-auth', credentials: 'reviewers' }] }], [['verification', 'credentialsSecret'], 'probe-credentials']),
      /verification\.credentialsSecret: Secret probe-credentials would hold key "username" for both "ingress-users" and "reviewers"/,
    );
  });

  it('the mesh row follows the APIs: no north-south API, no Gateway promised', () => {
    const text = readme([['apis', 0, 'traffic'], 'east-west'], [['apis', 0, 'upstream'], { service: 'details', port: 9080 }], [['apis', 0, 'policies'], []]);
    assert.doesNotMatch(row(text, 'manifests/mesh'), /Gateway/);
    assert.match(row(text, 'manifests/mesh'), /details\.bookinfo\.svc\.cluster\.local, reviews\.bookinfo\.svc\.cluster\.local through Flex/);
  });
});
