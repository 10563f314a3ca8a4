// The environment schema's validator, precompiled by scripts/build-schemas.ts (npm run schemas) so loading an
// environment compiles nothing. Defaults declared in the schema are applied by it (useDefaults), which makes
// schemas/environment.schema.json the one place defaults live.
import { createRequire } from 'node:module';
import type { ErrorObject } from 'ajv';
import { PROJECT_ROOT } from '../assets.ts';

export interface EnvironmentValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// From the project root, not this file: the built CLI (dist/) sits at another depth than the sources.
const requireModule = createRequire(PROJECT_ROOT);
let loaded: EnvironmentValidator | undefined;

export function environmentValidator(): EnvironmentValidator {
  loaded ??= (requireModule('./schemas/validators/environment.js') as { validate: EnvironmentValidator }).validate;
  return loaded;
}
