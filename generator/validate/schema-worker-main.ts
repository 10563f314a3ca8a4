// Entry point of the schema worker's bundle (dist/schema-worker.cjs, built by scripts/build.ts).
import { serveSchemaChecks } from './schema-worker.ts';

serveSchemaChecks();
