// API Manager over HTTPS for the reconcile Job: a Connected App token, JSON requests with bounded retries of
// transient failures (5xx, 429, network), and messages that never carry a secret. Node.js 20+, no dependencies.

/** Replaces every secret value in text, longest first so a secret that contains another is hidden whole; add() takes more. */
export function redactor(secrets) {
  let values = [];
  const redact = (text) => values.reduce((out, value) => out.split(value).join('***'), String(text));
  redact.add = (...more) => {
    values = [...new Set([...values, ...more.filter((value) => typeof value === 'string' && value.length > 0)])].sort((a, b) => b.length - a.length);
  };
  redact.add(...secrets);
  return redact;
}

export class ApiError extends Error {
  constructor(method, path, status, detail) {
    super(`${method} ${path} -> ${status}: ${detail}`);
    this.status = status;
  }
}

const TRANSIENT = (status) => status === 429 || status >= 500;

function detailOf(text) {
  try {
    const body = JSON.parse(text);
    const message = body.message ?? body.error_description ?? body.error ?? body.errors?.[0]?.message ?? body.errors?.[0]?.detail;
    if (message !== undefined) return typeof message === 'string' ? message : JSON.stringify(message);
  } catch {
    // not JSON: the text itself, shortened
  }
  return text.slice(0, 300) || '(empty body)';
}

function retryAfterMs(response) {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}

/**
 * settings: { baseUrl, maxAttempts, retryBaseMs, retryMaxMs, timeoutMs, redact (from redactor), log, sleep }
 * Counts writes (any method but GET) so a run can report that nothing was written.
 */
export function createClient(settings) {
  const { baseUrl, maxAttempts, retryBaseMs, retryMaxMs, timeoutMs, redact, log } = settings;
  const sleep = settings.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  let token;
  const stats = { requests: 0, writes: 0, retries: 0 };

  async function send(method, path, body, auth) {
    for (let attempt = 1; ; attempt++) {
      let response;
      let failure;
      try {
        stats.requests++;
        // The token request changes nothing in API Manager; every other non-GET does.
        if (auth && method !== 'GET') stats.writes++;
        response = await fetch(`${baseUrl}${path}`, {
          method,
          headers: { accept: 'application/json', ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(auth && token ? { authorization: `Bearer ${token}` } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        failure = `network error: ${error?.cause?.code ?? error?.name ?? 'unknown'}`;
      }
      const text = response ? await response.text() : '';
      if (response && response.ok) return text === '' ? undefined : JSON.parse(text);
      const status = response ? response.status : 0;
      const detail = redact(response ? detailOf(text) : failure);
      if ((status === 0 || TRANSIENT(status)) && attempt < maxAttempts) {
        const wait = Math.min(retryMaxMs, (response && retryAfterMs(response)) ?? retryBaseMs * 2 ** (attempt - 1));
        stats.retries++;
        log(`retry ${attempt}/${maxAttempts - 1}: ${method} ${path} -> ${status || 'no response'} (${detail}); waiting ${wait} ms`);
        await sleep(wait);
        continue;
      }
      throw new ApiError(method, path, status || 'no response', detail);
    }
  }

  return {
    stats,
    async login(clientId, clientSecret) {
      const body = await send('POST', '/accounts/api/v2/oauth2/token', { grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret }, false);
      if (typeof body?.access_token !== 'string') throw new ApiError('POST', '/accounts/api/v2/oauth2/token', 'ok', 'no access_token in the response');
      token = body.access_token;
      redact.add(token);
    },
    get: (path) => send('GET', path, undefined, true),
    post: (path, body) => send('POST', path, body, true),
    patch: (path, body) => send('PATCH', path, body, true),
    delete: (path) => send('DELETE', path, undefined, true),
  };
}
