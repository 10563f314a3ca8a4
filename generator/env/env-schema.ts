// The environment schema's validator. Defaults declared in the schema are applied here (useDefaults),
// which makes schemas/environment.schema.json the one place defaults live.
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import type { Ajv2020 as Ajv2020Class } from 'ajv/dist/2020.js';

const require = createRequire(import.meta.url);
export const environmentSchema = require('../../schemas/environment.schema.json') as object;
// ajv ships CommonJS; require() sidesteps the ESM default-export wrapping.
const Ajv2020 = require('ajv/dist/2020.js') as { default: typeof Ajv2020Class };

let compiled: ValidateFunction | undefined;

export function environmentValidator(): ValidateFunction {
  compiled ??= new Ajv2020.default({ allErrors: true, useDefaults: true, discriminator: true, verbose: true, strict: true }).compile(environmentSchema);
  return compiled;
}
