// No credentials inside URLs. Every URL an environment names (Git repository, chart repositories, clusters, and any
// field added later) is written into the bundle: Application sources, chart values, the bundle README. A
// user:password or token in it would be committed to Git, so such a URL is refused wherever it appears; there is no
// opt-in. Argo CD takes repository and cluster credentials from its own Secrets instead.
// Allowed: a bare user name on ssh (ssh://git@host/..., git@host:org/repo), which carries no secret.
import type { RuleViolation } from './rules.ts';
import type { PathSegment } from './source-positions.ts';

const SCHEME_URL = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)/i;
const SCP_WITH_PASSWORD = /^[^\s/@:]+:[^\s/@]*@[^\s/:]+:/;
const SECRET_QUERY = /[?&;](access_token|private_token|token|auth|password|passwd|secret|client_secret|api_key|apikey|sig|signature|x-amz-signature|x-goog-signature)=/i;

const HOW = 'remove the credentials from the URL; give Argo CD repository or cluster credentials in its own Secret (see the Argo CD docs: declarative setup, repositories and clusters)';

/** Why `value` carries credentials, or undefined. */
export function urlCredentialProblem(value: string): string | undefined {
  const url = SCHEME_URL.exec(value);
  if (url) {
    const [, scheme, authority] = url as unknown as [string, string, string];
    const at = authority.lastIndexOf('@');
    if (at >= 0) {
      const userinfo = authority.slice(0, at);
      if (!(/ssh$/i.test(scheme) && !userinfo.includes(':') && userinfo !== '')) return 'the URL carries a user name and password or a token (user:password@ or token@)';
    }
  } else if (SCP_WITH_PASSWORD.test(value)) {
    return 'the address carries a password (user:password@host:path)';
  }
  return SECRET_QUERY.test(value) ? 'the URL carries a credential in its query string' : undefined;
}

/**
 * Every string in the environment, wherever it is, that carries credentials in a URL. Judged for every environment a
 * fleet generates, so the walk keeps one path and copies it only for a string it reports.
 */
export function urlCredentialViolations(data: unknown): RuleViolation[] {
  const found: RuleViolation[] = [];
  const path: PathSegment[] = [];
  const visit = (value: unknown): void => {
    if (typeof value === 'string') {
      const problem = urlCredentialProblem(value);
      if (problem) found.push({ path: [...path], problem: `${problem}; it would be written into the bundle`, expected: HOW });
    } else if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) {
        path.push(index);
        visit(value[index]);
        path.pop();
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) {
        path.push(key);
        visit(item);
        path.pop();
      }
    }
  };
  visit(data);
  return found;
}
