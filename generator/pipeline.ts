// load → validate input → build typed objects → render → validate output. Only loading touches the disk here;
// writing is the caller's last step.
import { readFileSync } from 'node:fs';
import { loadAssets } from './assets.ts';
import { InputError, type Diagnostic } from './diagnostics.ts';
import { parseEnvironment } from './env/load.ts';
import type { Environment } from './env/types.ts';
import { buildBundle, renderBundle, type OutputFile } from './render/bundle.ts';
import type { BundleFile } from './resources/types.ts';
import { modelProblems } from './validate/models.ts';

export interface GeneratedEnvironment { env: Environment; files: OutputFile[] }

/** Output problems are flexmesh bugs or impossible configurations: report every one, write nothing. */
export function outputDiagnostics(env: Environment, files: readonly BundleFile[]): Diagnostic[] {
  return files.flatMap((file) =>
    'documents' in file
      ? file.documents.flatMap((doc) =>
          modelProblems(doc).map((problem) => ({ file: `out/${env.name}/${file.path}`, path: `${doc.kind}/${doc.metadata.name}`, problem, expected: 'a document the upstream model accepts' })),
        )
      : [],
  );
}

export function generateFromText(text: string, file: string): GeneratedEnvironment {
  const env = parseEnvironment(text, file);
  const bundle = buildBundle(env, loadAssets(env.istio.version));
  const problems = outputDiagnostics(env, bundle);
  if (problems.length > 0) throw new InputError(problems);
  return { env, files: renderBundle(env.name, bundle) };
}

/** `label` is how diagnostics name the file (relative to where the user ran flexmesh). */
export function generateFromFile(path: string, label = path): GeneratedEnvironment {
  return generateFromText(readFileSync(path, 'utf8'), label);
}
