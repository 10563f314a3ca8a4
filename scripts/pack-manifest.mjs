// npm pack hooks (prepack / postpack): the packed package.json leaves out `prepare`, the build step a checkout needs.
// The tarball already holds the build, and npm counts a tarball's `prepare` as an install script: left in, every
// `npm install -g ./flexmesh-*.tgz` would warn about it (and, if allowed, try to build without the sources).
// The same trick as pinst; postpack puts the file back byte for byte, with its modification time.
import { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';

const saved = 'node_modules/.cache/flexmesh-pack/package.json';
const step = process.argv[2];
if (step === 'strip') {
  const text = readFileSync('package.json', 'utf8');
  mkdirSync('node_modules/.cache/flexmesh-pack', { recursive: true });
  writeFileSync(saved, text);
  // Restored with its own times, so bin/flexmesh.js does not take the build made in between for a stale one.
  const { atime, mtime } = statSync('package.json');
  utimesSync(saved, atime, mtime);
  const manifest = JSON.parse(text);
  for (const script of ['prepare', 'prepack', 'postpack']) delete manifest.scripts[script];
  writeFileSync('package.json', `${JSON.stringify(manifest, null, 2)}\n`);
} else if (step === 'restore') {
  renameSync(saved, 'package.json');
} else {
  throw new Error('usage: node scripts/pack-manifest.mjs strip|restore');
}
