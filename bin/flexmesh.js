#!/usr/bin/env node
// Runs the JavaScript that scripts/build.ts bundled into dist/main.cjs (npm ci and npm pack build it; never tsx).
// In a checkout, a build older than any source it was made from is refused instead of run: a stale build would
// quietly generate what the sources no longer say. An installed package has no sources, so it skips the check.
// CommonJS (bin/package.json says so): an ES-module entry point costs Node's module loader ~10 ms more per run.
'use strict';
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { relative } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');

const root = pathToFileURL(`${__dirname}/../`);
const buildInfo = new URL('dist/build-info.json', root);
const engine = fileURLToPath(new URL('dist/main.cjs', root));
// What the build is made from (scripts/build.ts); the other files under schemas/ only feed npm run schemas.
const SOURCES = ['generator', 'templates', 'schemas/validators', 'schemas/pinned/index.json', 'bin', 'package.json'];

/** The newest source file (path, mtime) when it is newer than the build; undefined when the build is current. */
function newerSource(builtAt) {
  for (const source of SOURCES) {
    const path = fileURLToPath(new URL(source, root));
    const stat = statSync(path, { throwIfNoEntry: false });
    if (!stat) continue;
    if (stat.isFile()) {
      if (stat.mtimeMs > builtAt) return source;
      continue;
    }
    for (const entry of readdirSync(path, { recursive: true, withFileTypes: true })) {
      const file = `${entry.parentPath}/${entry.name}`;
      if (entry.isFile() && statSync(file).mtimeMs > builtAt) return relative(fileURLToPath(root), file);
    }
  }
  return undefined;
}

function refuse(why) {
  process.stderr.write(`flexmesh: ${why}; run: npm run build\n`);
  process.exit(2);
}

const built = statSync(buildInfo, { throwIfNoEntry: false });
if (!built) refuse('no build in dist/ (npm ci builds it)');
if (existsSync(new URL('generator/', root))) {
  const newer = newerSource(built.mtimeMs);
  if (newer) refuse(`the build in dist/ is older than ${newer}`);
}
const tool = JSON.parse(readFileSync(buildInfo, 'utf8'));

// A reader that went away (`flexmesh diff | head`) is not a failure of the command: the rest of its output is dropped
// and the command still ends with its own exit code.
let readerGone = false;
process.stdout.on('error', (error) => {
  if (error.code !== 'EPIPE') throw error;
  readerGone = true;
});
const out = (line) => readerGone || process.stdout.write(`${line}\n`);

// `flexmesh --help` or `--version` alone: the build recorded what the engine prints for it (scripts/build.ts,
// staticAnswers), so the engine is not compiled for it.
const alone = process.argv.length === 3 ? process.argv[2] : undefined;
const answer = alone !== undefined && Object.hasOwn(tool.answers ?? {}, alone) ? tool.answers[alone] : undefined;
if (typeof answer === 'string') out(answer);
else runEngine();

function runEngine() {
  // dist/main.cjs compiled as CommonJS would be, through a V8 code cache (Node 20 has no compile cache of its own).
  const { engineCache, loadEngine } = require('./engine-cache.js');
  const cache = engineCache(tool.fingerprint);
  const cachedData = cache?.read();
  const { script, exports: engineExports } = loadEngine(engine, cachedData?.data);
  const { main, ranFullPipeline, tieringTag, whenCodeCachesDue } = engineExports;
  if (cache) {
    // At exit, unless a fleet changed V8's flags (generator/util/v8-tiering.ts): V8 would refuse a cache written under
    // them, so the fleet has the cache written just before.
    let kept = false;
    const keep = () => {
      if (kept || tieringTag() !== '') return;
      kept = true;
      cache.update(script, cachedData, ranFullPipeline());
    };
    whenCodeCachesDue(keep);
    process.once('exit', keep);
  }
  main(process.argv.slice(2), {
    out,
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    tool,
  }).then((code) => {
    process.exitCode = code;
  });
}
