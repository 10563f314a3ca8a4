// What a YAML input may use beyond plain data, decided before anything reads its values: UTF-8 text without raw
// control characters; no aliases (an alias bomb expands exponentially, an undefined one crashes the converter, and
// neither is needed in a configuration file); no explicit tags (`!!js/function`, `!Ref`, `!!binary`, `!!set`: a
// tag either means nothing to flexmesh or silently changes a value's type); numbers that survive conversion to a
// JavaScript number exactly (integers beyond 2^53 would be rounded, .inf and .nan are no setting's value).
import { isScalar, visit, type Document, type LineCounter } from 'yaml';
import { InputError, type Diagnostic } from '../diagnostics.ts';

const MAX_REPORTED = 20;
// C0 controls except tab, line feed and carriage return; DEL; C1 controls except NEL (which YAML allows as a break).
const RAW_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F\u0080-\u0084\u0086-\u009F]/g;

function positionAt(text: string, offset: number): { line: number; col: number } {
  const before = text.slice(0, offset).split(/\r\n|\r|\n/);
  return { line: before.length, col: (before.at(-1)?.length ?? 0) + 1 };
}

/** The byte offset of the first byte that does not start a valid UTF-8 sequence, or -1. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : lead >= 0xc2 && lead <= 0xdf ? 2 : lead >= 0xe0 && lead <= 0xef ? 3 : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    const valid = new TextDecoder('utf-8', { fatal: true });
    try {
      valid.decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return -1;
}

/** Bytes → text, refusing anything that is not UTF-8 (Node's 'utf8' would silently turn it into U+FFFD). */
export function decodeUtf8(bytes: Uint8Array, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const offset = firstInvalidUtf8(bytes);
    const { line, col } = positionAt(new TextDecoder('utf-8').decode(bytes.subarray(0, Math.max(0, offset))), Math.max(0, offset));
    const byte = offset >= 0 ? ` (byte 0x${bytes[offset]!.toString(16).padStart(2, '0')} at offset ${offset})` : '';
    throw new InputError([{ file, line, col, path: '(encoding)', problem: `the file is not UTF-8 text${byte}`, expected: 'save the file as UTF-8' }]);
  }
}

const codePoint = (char: string) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;

/** Raw control characters in the text, one diagnostic each (up to a limit). */
export function controlCharacterProblems(text: string, file: string): Diagnostic[] {
  return [...text.matchAll(RAW_CONTROL)].slice(0, MAX_REPORTED).map((match) => ({
    file,
    ...positionAt(text, match.index),
    path: '(text)',
    problem: `raw control character ${codePoint(match[0])} in the file`,
    expected: 'remove it; write special characters in a double-quoted string as an escape such as \\t',
  }));
}

/** Aliases, explicit tags and numbers a JavaScript number cannot hold exactly, each where it is written. */
export function yamlFeatureProblems(doc: Document, lines: LineCounter, file: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const at = (offset: number | undefined) => lines.linePos(offset ?? 0);
  visit(doc, {
    Alias(_key, node) {
      problems.push({ file, ...at(node.range?.[0]), path: '(yaml)', problem: `alias *${node.source} is not allowed`, expected: 'write the value out in full; flexmesh reads no anchors, aliases or merge keys' });
    },
    Node(_key, node) {
      if (node.tag !== undefined) {
        problems.push({ file, ...at(node.range?.[0]), path: '(yaml)', problem: `explicit tag ${JSON.stringify(node.tag.replace(/^tag:yaml.org,2002:/, "!!"))} is not allowed`, expected: 'remove the tag; write a plain value (quote it to make it a string)' });
      }
      if (isScalar(node) && typeof node.value === 'number' && !(Number.isFinite(node.value) && (!Number.isInteger(node.value) || Number.isSafeInteger(node.value)))) {
        problems.push({ file, ...at(node.range?.[0]), path: '(yaml)', problem: `number ${JSON.stringify(node.source ?? String(node.value))} cannot be read exactly`, expected: `a finite number; integers between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}` });
      }
    },
  });
  for (const warning of doc.warnings) {
    if (warning.code === 'TAG_RESOLVE_FAILED') continue; // already reported as an explicit tag
    problems.push({ file, ...at(warning.pos[0]), path: '(yaml)', problem: warning.message.split('\n')[0] ?? 'YAML warning', expected: 'fix the YAML' });
  }
  return problems.slice(0, MAX_REPORTED * 5);
}
