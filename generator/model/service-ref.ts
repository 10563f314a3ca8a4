// A Kubernetes Service as routes and probes address it.

export interface ServiceRef {
  name: string;
  namespace: string;
  port: number;
  /** `<name>.<namespace>.svc.cluster.local`: what VirtualServices and probes use, unambiguous from any namespace. */
  host: string;
}

export function fqdn(service: string, namespace: string): string {
  return `${service}.${namespace}.svc.cluster.local`;
}

export function serviceRef(name: string, namespace: string, port: number): ServiceRef {
  return { name, namespace, port, host: fqdn(name, namespace) };
}

/** `http://host:port` of a Service, with `path` appended as given. */
export function serviceUrl(service: ServiceRef, path = ''): string {
  return `http://${service.host}:${service.port}${path}`;
}
