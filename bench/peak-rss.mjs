// Preloaded into a measured process (node --import): reports its peak resident set size on exit, on fd 3.
import { writeSync } from 'node:fs';

process.on('exit', () => writeSync(3, `${process.resourceUsage().maxRSS}\n`));
