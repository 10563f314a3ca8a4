// Running the CLI in tests: the real binary as a child process, or main() in-process (the same code behind the
// bin's two lines, without the ~0.6 s start).
import { execFile, spawnSync } from 'node:child_process';
import { main } from '../../generator/cli/main.ts';
import { FLEXMESH_BIN } from './fixtures.ts';
import { HANG_GUARD_MS } from './hang-guard.ts';

export interface Run { code: number | null; stdout: string; stderr: string }

export function flexmesh(cwd: string, ...args: string[]): Run {
  const result = spawnSync(process.execPath, [FLEXMESH_BIN, ...args], { cwd, encoding: 'utf8', timeout: HANG_GUARD_MS });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The same, without blocking: independent runs overlap. */
export function flexmeshAsync(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [FLEXMESH_BIN, ...args], { cwd, encoding: 'utf8', timeout: HANG_GUARD_MS }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr });
    });
  });
}

export async function inProcess(cwd: string, args: string[]): Promise<Run> {
  const lines = { out: [] as string[], err: [] as string[] };
  const code = await main(args, { cwd, out: (line) => lines.out.push(line), err: (line) => lines.err.push(line) });
  const text = (list: string[]) => list.map((line) => `${line}\n`).join('');
  return { code, stdout: text(lines.out), stderr: text(lines.err) };
}
