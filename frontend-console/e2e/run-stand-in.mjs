// npm run e2e:stand-in: the console's new screens in Chromium against e2e/stand-in.mjs, an
// in-memory stand-in shaped like the agreed API of issue 12. It checks what the browser shows
// (labels, focus, keyboard, axe-core) while the service does not implement that API yet; it says
// nothing about the service. `npm run e2e` runs the real thing.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from './stand-in.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(here, '..');
const results = path.join(project, 'test-results', 'stand-in');
fs.mkdirSync(results, { recursive: true });

const server = createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
// `node e2e/run-stand-in.mjs notices` runs only the files whose names hold one of the words given
const only = process.argv.slice(2);
const files = fs
  .readdirSync(here)
  .filter((f) => f.endsWith('.stand-in.mjs') && (only.length === 0 || only.some((w) => f.includes(w))))
  .map((f) => path.join(here, f));
const tests = spawn(process.execPath, ['--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...files], {
  cwd: project,
  env: { ...process.env, LOKET_BASE_URL: base, LOKET_RESULTS: results },
  stdio: 'inherit',
});
// the notices files alone take two minutes (timers of 10 s at four screen sizes): all together about five on a shared machine
const limit = setTimeout(() => tests.kill('SIGTERM'), 8 * 60_000);
const code = await new Promise((resolve) => tests.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
clearTimeout(limit);
server.closeAllConnections?.();
server.close();
process.exit(code);
