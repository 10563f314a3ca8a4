// The environment schema's validator, precompiled by scripts/build-schemas.ts (npm run schemas) so loading an
// environment compiles nothing. Defaults declared in the schema are applied by it (useDefaults), which makes
// schemas/environment.schema.json the one place defaults live.
import type { ErrorObject } from 'ajv';
import { loadValidator } from '../validate/load-validator.ts';

export interface EnvironmentValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

/** schemas/validators/environment.js (its built copy when the CLI runs built), loaded once. */
export function environmentValidator(): EnvironmentValidator {
  return loadValidator('environment');
}
