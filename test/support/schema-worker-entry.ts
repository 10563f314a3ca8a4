// A schema worker on the TypeScript sources, as the bundled CLI runs one on dist/main.cjs (test/schema-worker.test.ts).
import { serveSchemaChecks } from '../../generator/validate/schema-worker.ts';

await serveSchemaChecks();
