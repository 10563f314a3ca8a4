// Starts a worker thread on a TypeScript module of the sources: tsx is registered inside the worker first, because
// a worker's own `--import tsx` is not in place yet when its entry module loads.
import { startSchemaWorker } from '../../generator/validate/schema-worker.ts';

export function startSourceSchemaWorker(entry: URL, options: { replyTimeoutMs?: number } = {}): void {
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry.href)}); });`;
  startSchemaWorker(code, { ...options, eval: true });
}
