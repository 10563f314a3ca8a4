// Input written as an attacker or a careless user would write it: every row must be refused with a located message
// (file:line:col), never crash, never echo a secret, never print a raw control or bidi character.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, formatDiagnostic } from '../generator/diagnostics.ts';
import { parseTopology, readEnvironmentText } from '../generator/env/load.ts';
import { inProcess } from './support/cli-run.ts';
import { DEV_FILE, devText, devTextWith, useTempDirs, type Edit } from './support/fixtures.ts';

/** The formatted diagnostics of loading `text`, or undefined when it loads. */
function problemsOf(text: string): string[] | undefined {
  try {
    parseTopology(text, DEV_FILE);
    return undefined;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return error.diagnostics.map(formatDiagnostic);
  }
}

const UNSAFE_OUTPUT = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069\u2028\u2029]/;
// targetRevision's value starts at line 10, column 19 of the dev text (environments/_base.yaml, which dev.yaml extends).
const REVISION = 'targetRevision: main';
const withRevision = (value: string) => devText().replace(REVISION, `targetRevision: ${value}`);

describe('hostile YAML is refused, located, before any value is read', () => {
  const cases: Array<{ name: string; text: string; at: string; problem: RegExp }> = [
    { name: 'undefined alias', text: withRevision('*nowhere'), at: '10:19', problem: /alias \*nowhere is not allowed/ },
    { name: 'alias of a defined anchor', text: withRevision('&rev main\n  path: *rev'), at: '11:9', problem: /alias \*rev is not allowed/ },
    { name: 'alias bomb (billion laughs)', text: `a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n${devText()}`, at: '2:8', problem: /alias \*a is not allowed/ },
    { name: 'merge key', text: `base: &base {repoURL: https://example.com/x.git}\n${devText().replace('gitops:\n', 'gitops:\n  <<: *base\n')}`, at: '10:7', problem: /alias \*base is not allowed/ },
    { name: '!!js/function', text: withRevision('!!js/function "function () { return 1 }"'), at: '10:33', problem: /explicit tag "!!js\/function" is not allowed/ },
    { name: '!Ref (CloudFormation style)', text: withRevision('!Ref Revision'), at: '10:24', problem: /explicit tag "!Ref" is not allowed/ },
    { name: 'verbatim tag !<tag:...>', text: withRevision('!<tag:example.com,2024:rev> main'), at: '10:47', problem: /explicit tag "tag:example.com,2024:rev" is not allowed/ },
    { name: '!!binary', text: withRevision('!!binary bWFpbg=='), at: '10:28', problem: /explicit tag "!!binary" is not allowed/ },
    { name: '!!set', text: withRevision('!!set {main}'), at: '10:25', problem: /explicit tag "!!set" is not allowed/ },
    { name: '!!str (even a harmless tag)', text: withRevision('!!str main'), at: '10:25', problem: /explicit tag "!!str" is not allowed/ },
    { name: 'integer 2^53 + 1 (would round)', text: devText().replace('maximumRequests: 2', 'maximumRequests: 9007199254740993'), at: '82:30', problem: /number "9007199254740993" cannot be read exactly/ },
    { name: 'negative integer below -2^53', text: devText().replace('port: 8081', 'port: -9007199254740993'), at: '31:9', problem: /number "-9007199254740993" cannot be read exactly/ },
    { name: 'integer as 1e30', text: devText().replace('port: 8081', 'port: 1e30'), at: '31:9', problem: /number "1e30" cannot be read exactly/ },
    { name: '.inf', text: devText().replace('port: 8081', 'port: .inf'), at: '31:9', problem: /number ".inf" cannot be read exactly/ },
    { name: '.nan', text: devText().replace('port: 8081', 'port: .nan'), at: '31:9', problem: /number ".nan" cannot be read exactly/ },
    { name: 'raw NUL', text: withRevision('ma\u0000in'), at: '10:21', problem: /raw control character U\+0000/ },
    { name: 'raw BEL', text: withRevision('\u0007main'), at: '10:19', problem: /raw control character U\+0007/ },
    { name: 'raw ESC (terminal escape)', text: withRevision('"\u001b[31mred"'), at: '10:20', problem: /raw control character U\+001B/ },
    { name: 'raw DEL', text: withRevision('main\u007f'), at: '10:23', problem: /raw control character U\+007F/ },
    { name: 'raw C1 control (CSI)', text: withRevision('main\u009b'), at: '10:23', problem: /raw control character U\+009B/ },
    { name: 'raw form feed in a comment', text: `# page\u000cbreak\n${devText()}`, at: '1:7', problem: /raw control character U\+000C/ },
  ];
  for (const { name, text, at, problem } of cases) {
    it(name, () => {
      const problems = problemsOf(text);
      assert.ok(problems, 'refused');
      assert.ok(problems.some((line) => line.startsWith(`${DEV_FILE}:${at}: `) && problem.test(line)), `expected ${problem} at ${at}, got:\n${problems.join('\n')}`);
      for (const line of problems) assert.doesNotMatch(line, UNSAFE_OUTPUT);
    });
  }
});

describe('bytes that are not UTF-8 are refused at their position', () => {
  const tempDir = useTempDirs();
  const prefix = Buffer.from(devText().slice(0, devText().indexOf(REVISION) + 'targetRevision: '.length));
  const suffix = Buffer.from(devText().slice(devText().indexOf(REVISION) + 'targetRevision: '.length));
  const cases: Array<{ name: string; bytes: number[]; col: number; byte: string }> = [
    { name: 'Latin-1 é', bytes: [0x63, 0x61, 0x66, 0xe9], col: 22, byte: '0xe9' },
    { name: 'lone continuation byte', bytes: [0x80], col: 19, byte: '0x80' },
    { name: 'overlong encoding of "/"', bytes: [0x6d, 0xc0, 0xaf], col: 20, byte: '0xc0' },
    { name: 'UTF-16 surrogate encoded in UTF-8', bytes: [0xed, 0xa0, 0x80], col: 19, byte: '0xed' },
    { name: 'byte 0xFF', bytes: [0x6d, 0x61, 0xff], col: 21, byte: '0xff' },
    { name: 'code point beyond U+10FFFF', bytes: [0xf4, 0x90, 0x80, 0x80], col: 19, byte: '0xf4' },
  ];
  for (const { name, bytes, col, byte } of cases) {
    it(name, () => {
      const path = join(tempDir(), 'dev.yaml');
      writeFileSync(path, Buffer.concat([prefix, Buffer.from(bytes), suffix]));
      assert.throws(() => readEnvironmentText(path, DEV_FILE), (error: unknown) => {
        assert.ok(error instanceof InputError);
        assert.equal(formatDiagnostic(error.diagnostics[0]!), `${DEV_FILE}:10:${col}: (encoding): the file is not UTF-8 text (byte ${byte} at offset ${prefix.length + col - 19}) (save the file as UTF-8)`);
        return true;
      });
    });
  }

  it('a truncated sequence at the very end of the file', () => {
    const path = join(tempDir(), 'dev.yaml');
    writeFileSync(path, Buffer.concat([Buffer.from(devText()), Buffer.from([0xe2, 0x82])]));
    assert.throws(() => readEnvironmentText(path, DEV_FILE), /not UTF-8/);
  });
});

describe('hostile input through the CLI: exit 2, located, nothing written, no stack trace', () => {
  const tempDir = useTempDirs();
  const cases: Array<{ name: string; content: Buffer | string; message: RegExp }> = [
    { name: 'tag', content: withRevision('!!js/function "f"'), message: /environments\/dev\.yaml:10:\d+: \(yaml\): explicit tag/ },
    { name: 'alias bomb', content: `a: &a [x, x]\nb: [*a, *a]\n${devText()}`, message: /environments\/dev\.yaml:2:5: \(yaml\): alias \*a/ },
    { name: 'not UTF-8', content: Buffer.concat([Buffer.from(devText()), Buffer.from([0xff])]), message: /environments\/dev\.yaml:\d+:1: \(encoding\)/ },
    { name: 'big integer', content: devText().replace('port: 8081', 'port: 18446744073709551616'), message: /environments\/dev\.yaml:31:9: \(yaml\): number/ },
  ];
  for (const { name, content, message } of cases) {
    it(name, async () => {
      const root = tempDir();
      mkdirSync(join(root, 'environments'));
      writeFileSync(join(root, 'environments', 'dev.yaml'), content);
      const run = await inProcess(root, ['generate']);
      assert.equal(run.code, 2);
      assert.match(run.stderr, message);
      assert.match(run.stderr, /nothing was written/);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
      assert.equal(run.stdout, '');
      const { existsSync } = await import('node:fs');
      assert.equal(existsSync(join(root, 'out')), false);
    });
  }
});

describe('flexmesh validate refuses the same YAML, located, without crashing', () => {
  const tempDir = useTempDirs();
  const manifest = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  namespace: default\ndata:\n  k: v\n';
  const cases: Array<{ name: string; content: Buffer | string; message: RegExp }> = [
    { name: 'tag', content: manifest.replace('k: v', 'k: !!binary aGk='), message: /cm\.yaml:7:\d+: \(yaml\): explicit tag "!!binary"/ },
    { name: 'undefined alias', content: manifest.replace('k: v', 'k: *none'), message: /cm\.yaml:7:6: \(yaml\): alias \*none/ },
    { name: 'alias bomb', content: `${manifest}  a: &a [x, x, x, x, x, x, x, x]\n  b: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n  c: [*b, *b, *b, *b, *b, *b, *b, *b]\n`, message: /cm\.yaml:9:\d+: \(yaml\): alias \*a/ },
    { name: 'big integer', content: manifest.replace('k: v', 'k: 9007199254740993'), message: /cm\.yaml:7:6: \(yaml\): number "9007199254740993"/ },
    { name: 'not UTF-8', content: Buffer.concat([Buffer.from(manifest), Buffer.from([0xc3, 0x28])]), message: /cm\.yaml:8:1: \(encoding\)/ },
    { name: 'raw NUL', content: manifest.replace('k: v', 'k: v\u0000'), message: /cm\.yaml:7:7: \(text\): raw control character U\+0000/ },
  ];
  for (const { name, content, message } of cases) {
    it(name, async () => {
      const root = tempDir();
      writeFileSync(join(root, 'cm.yaml'), content);
      const run = await inProcess(root, ['validate', 'cm.yaml']);
      assert.equal(run.code, 1, run.stderr);
      assert.match(run.stderr, message);
      assert.doesNotMatch(run.stderr, /\n\s+at /);
    });
  }
});

describe('secret values are never echoed, whatever their type', () => {
  const SECRET = 'hunter2-8675309';
  const user = (value: unknown): Edit => [['credentials', 0, 'insecureDemoUser'], value];
  const cases: Array<{ name: string; edits: Edit[] }> = [
    { name: 'password as a number', edits: [user({ username: 'max', password: 8675309 })] },
    { name: 'password as a list', edits: [user({ username: 'max', password: [SECRET] })] },
    { name: 'password as an object', edits: [user({ username: 'max', password: { value: SECRET } })] },
    { name: 'password as a boolean-looking string is fine, as a bool refused', edits: [user({ username: 'max', password: true })] },
    { name: 'username as a number', edits: [user({ username: 8675309, password: SECRET })] },
    { name: 'insecureDemoUser as a string', edits: [user(`max:${SECRET}`)] },
    { name: 'insecureDemoUser as a list', edits: [user(['max', SECRET])] },
    { name: 'an unknown field beside the password', edits: [user({ username: 'max', password: SECRET, pasword: SECRET })] },
    { name: 'credentials as an object holding the password', edits: [[['credentials'], { a: { insecureDemoUser: { username: 'max', password: SECRET } } }]] },
    { name: 'credentials entry as a list holding the password', edits: [[['credentials', 0], [{ insecureDemoUser: { password: SECRET } }]]] },
    { name: 'a token in a URL that also fails its pattern', edits: [[['gitops', 'repoURL'], `https://x-access-token:${SECRET}@github.com/a b.git`]] },
    { name: 'a token in a scp-like Git address', edits: [[['gitops', 'repoURL'], `git:${SECRET}@github.com:org/repo.git`]] },
  ];
  for (const { name, edits } of cases) {
    it(name, () => {
      const problems = problemsOf(devTextWith(...edits));
      assert.ok(problems, 'refused');
      for (const line of problems) {
        assert.doesNotMatch(line, /hunter2|8675309/, line);
        assert.match(line, /^environments\/dev\.yaml:\d+:\d+: /);
      }
    });
  }
});

describe('control and bidi characters in quoted input are escaped', () => {
  const cases: Array<{ name: string; edits: Edit[]; shows: string }> = [
    { name: 'right-to-left override in a value', edits: [[['apis', 0, 'traffic'], 'north\u202Esouth']], shows: 'north\\u202Esouth' },
    { name: 'right-to-left override in a field name', edits: [[['gitops', 'repo\u202ELRU'], 'x']], shows: 'repo\\u202ELRU' },
    { name: 'isolate and mark characters', edits: [[['apis', 0, 'traffic'], '\u2066east\u2069\u200F']], shows: '\\u2066east\\u2069\\u200F' },
    { name: 'terminal escape written as a YAML escape', edits: [[['apis', 0, 'traffic'], '\u001b[2Jgone']], shows: '\\u001b[2Jgone' },
    { name: 'a newline that would fake a second message', edits: [[['apis', 0, 'traffic'], 'x\nenvironments/dev.yaml:1:1: all good']], shows: 'x\\nenvironments' },
    { name: 'C1 control and line separator', edits: [[['apis', 0, 'traffic'], 'a\u0085b\u2028c']], shows: 'a\\u0085b\\u2028c' },
  ];
  for (const { name, edits, shows } of cases) {
    it(name, () => {
      const problems = problemsOf(devTextWith(...edits));
      assert.ok(problems, 'refused');
      assert.ok(problems.some((line) => line.includes(shows)), problems.join('\n'));
      for (const line of problems) assert.doesNotMatch(line, UNSAFE_OUTPUT, JSON.stringify(line));
    });
  }
});
