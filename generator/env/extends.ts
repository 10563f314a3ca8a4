// Shared bases: an environment file may say `extends: _base.yaml`; the base may extend another (a chain).
// Merge rules, applied from the deepest base up to the environment file:
//   - maps merge key by key;
//   - lists and scalars replace what the base had, whole (so `apis` and `credentials` are replaced, never merged
//     by name: an overlay that writes `apis` lists every API it wants);
//   - `key: null` removes the key the base set (a required key removed is reported as missing).
// The schema then validates the merged result, and every error points at the file, line and column where the
// offending value was written, base or overlay, naming the environment that inherited it.
import { compareDiagnostics, InputError, type Diagnostic } from '../diagnostics.ts';
import type { Topology } from '../model/topology.ts';
import { checkEnvironment, environmentNameOf, parseYaml, type ParsedYaml } from './load.ts';
import type { Locate } from './schema-errors.ts';
import type { PathSegment } from './source-positions.ts';

export const EXTENDS_KEY = 'extends';

/** One file of a chain: `file` is how diagnostics name it; sources are ordered environment first, deepest base last. */
export interface SourceFile { file: string; text: string; /** Relative to the project root, as the bundle README names it. */ path?: string }

interface Layer { file: string; parsed: ParsedYaml; data: unknown }

type PlainMap = Record<string, unknown>;
const isMap = (value: unknown): value is PlainMap => value !== null && typeof value === 'object' && !Array.isArray(value);

/** A layer's data without its `extends` key, which names a file and is not part of the environment. */
function ownData(data: unknown): unknown {
  if (!isMap(data)) return data;
  const { [EXTENDS_KEY]: _ignored, ...rest } = data;
  return rest;
}

/** `overlay` over `base` by the rules above; a map written over nothing still drops its null keys. */
export function mergeValues(base: unknown, overlay: unknown): unknown {
  if (!isMap(overlay)) return overlay;
  const merged: PlainMap = isMap(base) ? { ...base } : {};
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) delete merged[key];
    else merged[key] = mergeValues(merged[key], value);
  }
  return merged;
}

/** The merged data of a chain, environment first. */
export function mergeChain(chain: readonly unknown[]): unknown {
  return chain.map(ownData).reduceRight<unknown>((base, overlay) => (base === undefined ? overlay : mergeValues(base, overlay)), undefined);
}

/**
 * Which layer wrote the value at `path` of the merged result: the most derived layer that sets the key wins; while the
 * value is a map, lower layers that also hold a map there contribute keys, until one that sets a non-map cuts the chain.
 */
export function owningLayer(chain: readonly unknown[], path: readonly PathSegment[]): number {
  let candidates = chain.map((_, index) => index);
  let values = chain.map(ownData);
  for (const segment of path) {
    const setting = candidates.filter((index) => isMap(values[index]) && String(segment) in (values[index] as PlainMap));
    const first = setting[0];
    if (first === undefined) return candidates[0] ?? 0;
    const value = (values[first] as PlainMap)[String(segment)];
    if (!isMap(value)) return first;
    const cut = setting.findIndex((index) => !isMap((values[index] as PlainMap)[String(segment)]));
    candidates = cut === -1 ? setting : setting.slice(0, cut);
    values = values.map((layer) => (isMap(layer) ? layer[String(segment)] : undefined));
  }
  return candidates[0] ?? 0;
}

export interface LoadedChain { topology: Topology; locate: Locate; sources: string[] }

/** Pure: the texts of an environment and its bases → the validated topology of the merged result. */
export function parseChain(sources: readonly SourceFile[]): LoadedChain {
  const layers: Layer[] = [];
  const problems: Diagnostic[] = [];
  for (const source of sources) {
    try {
      const parsed = parseYaml(source.text, source.file);
      layers.push({ file: source.file, parsed, data: parsed.toJS() });
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.diagnostics);
    }
  }
  if (problems.length > 0) throw new InputError(problems.sort(compareDiagnostics));
  const name = environmentNameOf(layers[0]!.file);
  const chain = layers.map((layer) => layer.data);
  const locate: Locate = (path, at) => {
    const index = owningLayer(chain, path);
    const layer = layers[index]!;
    return { file: layer.file, ...layer.parsed.positionOf(path, at), ...(index > 0 ? { note: `inherited by environment ${name} from ${layer.file}` } : {}) };
  };
  const data = layers.length === 1 ? chain[0] : mergeChain(chain);
  const topology = checkEnvironment(data, name, locate);
  topology.sources = sources.map((source) => source.path ?? source.file);
  return { topology, locate, sources: topology.sources };
}
