// Child process for write-crash.test.ts: runs the writer and kills itself with SIGKILL just before step K,
// a real kill -9 at a chosen point rather than a timing race.
//   node --import tsx test/support/kill-writer.ts DIR ROOT FILES.json K
import { readFileSync } from 'node:fs';
import type { OutputFile } from '../../generator/render/bundle.ts';
import { writeBundle } from '../../generator/write/write-bundle.ts';

const [dir, root, filesJson, k] = process.argv.slice(2) as [string, string, string, string];
const files = JSON.parse(readFileSync(filesJson, 'utf8')) as OutputFile[];
let count = 0;
writeBundle(dir, files, {
  root,
  beforeStep: () => {
    if (count++ === Number(k)) process.kill(process.pid, 'SIGKILL');
  },
});
