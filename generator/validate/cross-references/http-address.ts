// The one parser of http(s) addresses the output checks use: ApiInstance spec.address and probe URLs. WHATWG URL
// parsing, so an IPv6 literal ("http://[::]:8081/api/") splits like any other host.

export interface HttpAddress { host: string; port: number; path: string }

export function parseHttpAddress(text: string): HttpAddress | undefined {
  if (!/^https?:\/\//.test(text)) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  const port = url.port !== '' ? Number(url.port) : url.protocol === 'https:' ? 443 : 80;
  return { host: url.hostname, port, path: url.pathname || '/' };
}
