// A fake Anypoint control plane on 127.0.0.1 for the reconcile script: the token endpoint, the Accounts
// environments list, API Manager's apis/upstreams/policies and the proxies xapi deployments, with the request and
// response shapes of anypoint-api-manager.md (§1.4, §1.5). It records every call and can fail chosen calls.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiRoutes, type Route } from './routes.ts';
import type { FakeState } from './state.ts';

export interface Call { method: string; path: string; query: Record<string, string>; body: unknown; authorization?: string }
export interface Fault { method: string; path: RegExp; status: number; times: number; body?: unknown }

export interface FakeApiManager {
  url: string;
  state: FakeState;
  calls: Call[];
  faults: Fault[];
  /** Calls that change something (not GET, not the token request). */
  writes(): Call[];
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? undefined : JSON.parse(text);
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export async function startFakeApiManager(state: FakeState): Promise<FakeApiManager> {
  const calls: Call[] = [];
  const faults: Fault[] = [];
  const routes: Route[] = apiRoutes(state);
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(request);
      const call: Call = { method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), body, authorization: request.headers.authorization };
      calls.push(call);
      const fault = faults.find((candidate) => candidate.times > 0 && candidate.method === call.method && candidate.path.test(call.path));
      if (fault) {
        fault.times--;
        return send(response, fault.status, fault.body ?? { message: `injected ${fault.status}` });
      }
      for (const route of routes) {
        const match = route.method === call.method ? route.path.exec(call.path) : null;
        if (!match) continue;
        if (route.auth !== false && !state.tokens.has((call.authorization ?? '').replace(/^Bearer /, ''))) return send(response, 401, { message: 'Unauthorized' });
        const result = route.handle({ params: match.slice(1), query: call.query, body });
        return send(response, result.status, result.body);
      }
      send(response, 404, { message: `no route ${call.method} ${call.path}` });
    })().catch((error: unknown) => send(response, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    calls,
    faults,
    writes: () => calls.filter((call) => call.method !== 'GET' && call.path !== '/accounts/api/v2/oauth2/token'),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
