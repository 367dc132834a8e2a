// Fails the build when loket-widget.js grows past its budget: 30 KB gzipped (issue 5).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET = 30 * 1024;
const dir = process.env.LOKET_OUT_DIR || resolve(import.meta.dirname, '..', 'dist');
const file = resolve(dir, 'loket-widget.js');
const raw = readFileSync(file);
const gz = gzipSync(raw, { level: 9 }).length;
const kb = (n) => (n / 1024).toFixed(1) + ' KB';
if (gz > BUDGET) {
  console.error(`loket-widget.js is ${kb(gz)} gzipped, over its budget of ${kb(BUDGET)}`);
  process.exit(1);
}
console.log(`loket-widget.js: ${kb(raw.length)}, ${kb(gz)} gzipped (budget ${kb(BUDGET)})`);
