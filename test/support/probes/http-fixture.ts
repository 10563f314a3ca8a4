import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureResponse {
  readonly status: number;
  /** Sent with the exact name casing given, so tests can check case-insensitive parsing. */
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface BasicCredentials {
  readonly username: string;
  readonly password: string;
}

export interface FixtureRoute {
  /** A fixed reply, or one chosen by the 1-based count of hits on this route. */
  readonly respond: FixtureResponse | ((hit: number) => FixtureResponse);
  /** When set, a request without exactly these Basic credentials gets `unauthorized` and is not counted as a hit. */
  readonly basicAuth?: BasicCredentials;
  /** The refusal for basicAuth (default: 401 with WWW-Authenticate: Basic realm="fixture"). */
  readonly unauthorized?: FixtureResponse;
}

/** Routes keyed by exact request path (query string included). */
export type FixtureRoutes = Readonly<Record<string, FixtureRoute>>;

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
}

export interface HttpFixture {
  /** Base URL without a trailing slash, e.g. http://127.0.0.1:43121 */
  readonly url: string;
  readonly requests: readonly RecordedRequest[];
  close(): Promise<void>;
}

const UNAUTHORIZED: FixtureResponse = {
  status: 401,
  headers: { 'www-authenticate': 'Basic realm="fixture"' },
  body: 'unauthorized',
};
const NOT_FOUND: FixtureResponse = { status: 404, body: 'no such route in the test fixture' };

function hasCredentials(request: IncomingMessage, expected: BasicCredentials): boolean {
  const token = Buffer.from(`${expected.username}:${expected.password}`, 'utf8').toString('base64');
  return request.headers.authorization === `Basic ${token}`;
}

function send(response: ServerResponse, reply: FixtureResponse): void {
  response.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
  response.end(reply.body ?? '');
}

/** A loopback HTTP server on a random port that answers as the test programs it. */
export async function startHttpFixture(routes: FixtureRoutes): Promise<HttpFixture> {
  const requests: RecordedRequest[] = [];
  const hits = new Map<string, number>();

  const server = createServer((request, response) => {
    const path = request.url ?? '/';
    requests.push({ method: request.method ?? 'GET', path, authorization: request.headers.authorization });
    const route = routes[path];
    if (route === undefined) return send(response, NOT_FOUND);
    if (route.basicAuth !== undefined && !hasCredentials(request, route.basicAuth)) {
      return send(response, route.unauthorized ?? UNAUTHORIZED);
    }
    const hit = (hits.get(path) ?? 0) + 1;
    hits.set(path, hit);
    send(response, typeof route.respond === 'function' ? route.respond(hit) : route.respond);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
