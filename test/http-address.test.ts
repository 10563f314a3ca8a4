// The one http(s) address parser of the output checks (ApiInstance spec.address, probe URLs), IPv6 hosts included.
import assert from 'node:assert/strict';
import { parseHttpAddress } from '../generator/validate/cross-references/http-address.ts';
import { crossReferenceIssues } from '../generator/validate/cross-references/index.ts';
import { locateDocuments } from '../generator/validate/located.ts';
import { generated } from './support/verification/bundle.ts';

const CASES: Array<[string, ReturnType<typeof parseHttpAddress>]> = [
  ['http://0.0.0.0:8081/ingress/', { host: '0.0.0.0', port: 8081, path: '/ingress/' }],
  ['http://[::]:8081/api/', { host: '[::]', port: 8081, path: '/api/' }],
  ['http://[2001:db8::1]:8081/', { host: '[2001:db8::1]', port: 8081, path: '/' }],
  ['http://flex.flex.svc.cluster.local:8081/bookinfo/reviews/reviews/0', { host: 'flex.flex.svc.cluster.local', port: 8081, path: '/bookinfo/reviews/reviews/0' }],
  ['https://gateway.example.com/x', { host: 'gateway.example.com', port: 443, path: '/x' }],
  ['http://details.bookinfo', { host: 'details.bookinfo', port: 80, path: '/' }],
  ['ftp://host/', undefined],
  ['http://', undefined],
  ['http://[::1/', undefined],
  ['0.0.0.0:8081/ingress/', undefined],
];

describe('http address parser of the output checks', () => {
  for (const [text, expected] of CASES) it(`${text} → ${JSON.stringify(expected)}`, () => assert.deepEqual(parseHttpAddress(text), expected));

  it('an ApiInstance listening on an IPv6 address is checked like any other (wrong port reported)', () => {
    const dev = generated();
    const docs = [...dev.files].filter(([path]) => path.endsWith('.yaml')).flatMap(([path, content]) =>
      locateDocuments(`out/dev/${path}`, path.endsWith('apiinstance-ingress.yaml') ? content.replace('http://0.0.0.0:8081/ingress/', 'http://[::]:8082/ingress/') : content).docs);
    const issues = crossReferenceIssues(docs, ['argo', 'argocd']).map((issue) => `${issue.rule} ${issue.located.doc.kind}/${issue.located.doc.metadata.name}: ${issue.message}`);
    assert.ok(issues.some((issue) => issue.startsWith('apiinstance-port ApiInstance/ingress: listens on port 8082')), issues.join('\n') || '(none)');
  });
});
