// Paths and URLs an environment names end up in Application sources, routes and the README: dot segments would reach
// outside the place they name, and credentials in a URL would be committed. Table rows, then fast-check properties.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { InputError, formatDiagnostic } from '../generator/diagnostics.ts';
import { parseTopology } from '../generator/env/load.ts';
import { displayPath } from '../generator/env/source-positions.ts';
import { urlCredentialProblem, urlCredentialViolations } from '../generator/env/url-credentials.ts';
import { generateFromText } from '../generator/pipeline.ts';
import { quote, redactUrlCredentials } from '../generator/util/quote.ts';
import { DEV_FILE, devTextWith, type Edit } from './support/fixtures.ts';

function problemsOf(...edits: Edit[]): string[] | undefined {
  try {
    parseTopology(devTextWith(...edits), DEV_FILE);
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.diagnostics.map(formatDiagnostic);
  }
}

const FIELDS = {
  gitopsPath: ['gitops', 'path'],
  basePath: ['apis', 0, 'basePath'],
  image: ['verification', 'probeImage'],
  smokePath: ['apis', 0, 'smoke', 'path'],
  repoURL: ['gitops', 'repoURL'],
  istioCharts: ['istio', 'chartRepository'],
  flexCharts: ['flex', 'chartRepository'],
  server: ['argocd', 'destination', 'server'],
} as const;
type Field = keyof typeof FIELDS;

describe('path-like fields refuse dot segments', () => {
  const rows: Array<[Field, string, boolean]> = [
    ['gitopsPath', '../../etc', false],
    ['gitopsPath', '..', false],
    ['gitopsPath', '.', false],
    ['gitopsPath', './out/dev', false],
    ['gitopsPath', 'out/../dev', false],
    ['gitopsPath', 'out/./dev', false],
    ['gitopsPath', 'out/dev/..', false],
    ['gitopsPath', 'out/dev', true],
    ['gitopsPath', '.gitops/out', true],
    ['gitopsPath', 'out/dev..v2', true],
    ['basePath', '/../../etc/', false],
    ['basePath', '/./ingress/', false],
    ['basePath', '/ingress/../', false],
    ['basePath', '/ingress/./x/', false],
    ['basePath', '/ingress/', true],
    ['basePath', '/.well-known/', true],
    ['image', 'alpine/../k8s:1.29.15', false],
    ['image', '../k8s:1.29.15', false],
    ['image', 'registry.example.com/../k8s:1', false],
    ['image', 'alpine/..:1', false],
    ['image', 'alpine..evil/k8s:1', false],
    ['image', 'alpine/k8s:1.29.15', true],
    ['image', 'registry.example.com:5000/team/k8s@sha256:' + 'a'.repeat(64), true],
    ['smokePath', '/../../admin', false],
    ['smokePath', '/reviews/..', false],
    ['smokePath', '/%2e%2e/admin', false],
    ['smokePath', '/%2E./admin', false],
    ['smokePath', '/./reviews/0', false],
    ['smokePath', '/reviews/0', true],
    ['smokePath', '/reviews/0..x', true],
  ];
  for (const [field, value, accepted] of rows) {
    it(`${field} ${JSON.stringify(value)} is ${accepted ? 'accepted' : 'refused, at the field'}`, () => {
      const problems = problemsOf([FIELDS[field], value]);
      if (accepted) return assert.equal(problems, undefined, problems?.join('\n'));
      assert.ok(problems, 'refused');
      const path = displayPath(FIELDS[field]);
      assert.ok(problems.some((line) => /^environments\/dev\.yaml:\d+:\d+: /.test(line) && line.includes(`: ${path}: `)), `${path}:\n${problems.join('\n')}`);
    });
  }
});

describe('URLs carrying credentials are refused wherever they appear, and never echoed', () => {
  const rows: Array<[Field, string, boolean]> = [
    ['repoURL', 'https://user:S3CRET@github.com/org/repo.git', false],
    ['repoURL', 'https://S3CRET@github.com/org/repo.git', false],
    ['repoURL', 'https://x-access-token:S3CRET@github.com/org/repo.git', false],
    ['repoURL', 'http://user:@github.com/org/repo.git', false],
    ['repoURL', 'ssh://git:S3CRET@github.com/org/repo.git', false],
    ['repoURL', 'https://github.com/org/repo.git?access_token=S3CRET', false],
    ['repoURL', 'ssh://git@github.com/org/repo.git', true],
    ['repoURL', 'git@github.com:org/repo.git', true],
    ['repoURL', 'https://github.com/org/repo.git', true],
    ['istioCharts', 'https://user:S3CRET@charts.example.com/istio', false],
    ['istioCharts', 'https://S3CRET@charts.example.com/istio', false],
    ['flexCharts', 'https://robot:S3CRET@flex-packages.anypoint.mulesoft.com/helm', false],
    ['flexCharts', 'https://flex-packages.anypoint.mulesoft.com/helm?token=S3CRET', false],
    ['server', 'https://admin:S3CRET@kubernetes.default.svc', false],
    ['server', 'https://kubernetes.default.svc', true],
  ];
  for (const [field, value, accepted] of rows) {
    it(`${field} ${value.replace('S3CRET', '…')} is ${accepted ? 'accepted' : 'refused'}`, () => {
      const problems = problemsOf([FIELDS[field], value]);
      if (accepted) return assert.equal(problems, undefined, problems?.join('\n'));
      assert.ok(problems?.some((line) => /carries/.test(line)), problems?.join('\n') ?? 'accepted');
      for (const line of problems!) assert.doesNotMatch(line, /S3CRET/, line);
    });
  }

  it('a credential URL in a field with no URL rule of its own (a smoke body pattern) is refused too', () => {
    const problems = problemsOf([['apis', 0, 'smoke'], { path: '/x', expectBodyPattern: 'https://u:S3CRET@host/' }]);
    assert.ok(problems?.some((line) => line.includes('apis[0].smoke.expectBodyPattern: the URL carries')), problems?.join('\n'));
  });

  it('every leaking string is reported at its own path, in document order, wherever maps and lists nest it', () => {
    const data = {
      gitops: { repoURL: 'https://u:S3CRET@git.example.com/x.git', path: 'out/dev' },
      lists: [['https://ok.example.com', 'https://S3CRET@a.example.com'], { deep: [null, 3, 'https://h/x?token=S3CRET'] }],
      clean: 'https://kubernetes.default.svc',
    };
    assert.deepEqual(urlCredentialViolations(data).map((violation) => violation.path), [['gitops', 'repoURL'], ['lists', 0, 1], ['lists', 1, 'deep', 2]]);
    assert.deepEqual(urlCredentialViolations({ a: ['https://x.example.com'], b: 'git@github.com:org/repo.git' }), []);
  });

  it('no accepted URL reaches the bundle with credentials (the dev bundle, unchanged URLs)', () => {
    const bundle = generateFromText(devTextWith(), DEV_FILE).files;
    for (const file of bundle) assert.doesNotMatch(file.content, /:\/\/[^/\s"'@]+@/, file.path);
  });
});

describe('properties: dot segments and URL credentials (fast-check)', () => {
  const segment = fc.constantFrom('.', '..', 'out', 'dev', '.hidden', 'a.b', '..x', 'x..', '%2e', '-');

  it('gitops.path is accepted exactly when it has no "." or ".." segment (and only allowed characters)', () => {
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 5 }), (segments) => {
        const path = segments.join('/');
        const valid = segments.every((s) => s !== '.' && s !== '..' && /^[A-Za-z0-9._-]+$/.test(s));
        assert.equal(problemsOf([FIELDS.gitopsPath, path]) === undefined, valid, path);
      }),
      { numRuns: 150 },
    );
  });

  it('an API base path is accepted exactly when it has no "." or ".." segment', () => {
    fc.assert(
      fc.property(fc.array(segment.filter((s) => s !== '%2e'), { minLength: 0, maxLength: 4 }), (segments) => {
        const basePath = `/${segments.map((s) => `${s}/`).join('')}`;
        const valid = segments.every((s) => s !== '.' && s !== '..');
        const problems = problemsOf([FIELDS.basePath, basePath]);
        // A valid base path may still clash with another API's; only the dot-segment rule is judged here.
        assert.equal(problems?.some((line) => line.includes('apis[0].basePath: "')) ?? false, !valid, `${basePath}\n${problems?.join('\n')}`);
      }),
      { numRuns: 150 },
    );
  });

  it('any http(s) URL is refused exactly when it has a user-info part, and messages never show that part', () => {
    fc.assert(
      fc.property(fc.webUrl({ authoritySettings: { withUserInfo: true, withPort: true }, withQueryParameters: false, withFragments: true }), (url) => {
        const authority = /^https?:\/\/([^/?#]*)/.exec(url)![1]!;
        const userinfo = authority.includes('@') ? authority.slice(0, authority.lastIndexOf('@')) : undefined;
        assert.equal(urlCredentialProblem(url) !== undefined, userinfo !== undefined, url);
        if (userinfo) {
          const redacted = url.replace(`://${userinfo}@`, '://***@');
          assert.equal(redactUrlCredentials(url), redacted);
          assert.equal(quote(url), JSON.stringify(redacted));
        }
      }),
      { numRuns: 300 },
    );
  });
});
