// Loads precompiled validators on first use. Loading is synchronous (Node >= 20.19 can require() ES modules) so
// validateDocument stays a plain function, and lazy so a run only pays for the kinds it emits.
// The sources (tests, tsx) load schemas/validators/*.js; the built CLI loads the CommonJS copies scripts/build.ts
// made of them in dist/validators, through a V8 code cache (compiled-script.ts).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ErrorObject } from 'ajv';
import { PROJECT_ROOT } from '../assets.ts';
import { buildFingerprint } from '../util/build-fingerprint.ts';
import { requireCompiled } from './compiled-script.ts';

/** Replaced by `true` in the esbuild bundle (scripts/build.ts); undefined when the sources run. */
declare const FLEXMESH_BUNDLED: boolean | undefined;
const BUNDLED = typeof FLEXMESH_BUNDLED !== 'undefined' && FLEXMESH_BUNDLED;

export interface CompiledValidator {
  (data: unknown): boolean;
  errors?: ErrorObject[] | null;
}

// From the project root, not this file: the built CLI (dist/) sits at another depth than the sources.
const SCHEMAS_DIR = pathToFileURL(`${PROJECT_ROOT}schemas/`);
const requireModule = createRequire(SCHEMAS_DIR);
const validators = new Map<string, CompiledValidator>();

/** `relativePath` as produced by documentSchemaPath/helmValuesSchemaPath (no extension). */
export function loadValidator(relativePath: string): CompiledValidator {
  const cached = validators.get(relativePath);
  if (cached) return cached;
  const file = BUNDLED ? `${PROJECT_ROOT}dist/validators/${relativePath}.cjs` : fileURLToPath(new URL(`validators/${relativePath}.js`, SCHEMAS_DIR));
  const loaded: unknown = BUNDLED ? requireCompiled(file, buildFingerprint()) : requireModule(file);
  const validate = typeof loaded === 'object' && loaded !== null ? (loaded as { validate?: unknown }).validate : undefined;
  if (typeof validate !== 'function') {
    throw new Error(`${file} does not export a validator; run: npx tsx scripts/build-schemas.ts`);
  }
  validators.set(relativePath, validate as CompiledValidator);
  return validate as CompiledValidator;
}

/** Reads a generated JSON file under schemas/pinned (e.g. "index.json"). */
export function readPinnedJson(relativePath: string): unknown {
  return JSON.parse(readFileSync(new URL(`pinned/${relativePath}`, SCHEMAS_DIR), 'utf8'));
}
