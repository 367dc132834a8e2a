// npm run e2e: starts the packaged service on a free port with a fresh data directory, waits
// until it is ready, runs the browser tests against it, and always stops it and cleans up.
//
//   LOKET_APP_DIR        target/quarkus-app of the Maven build (default ../target/quarkus-app)
//   LOKET_E2E_PENDING=1  also run e2e/*.pending.mjs: tests written against an agreed API that the
//                        service does not implement yet (issue 12); rename one to *.test.mjs once
//                        it passes
//   LOKET_E2E_LIMIT_MS   stop the tests after this long (default 8 minutes)
//   LOKET_E2E_PORTS      "18118,18119": the HTTP and management ports, instead of free ones
//
//   node e2e/run.mjs e2e/some.pending.mjs   runs only the files named

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const project = path.resolve(here, '..');
const appDir = path.resolve(process.env.LOKET_APP_DIR || path.join(project, '..', 'target', 'quarkus-app'));
const results = path.join(project, 'test-results');
const named = process.argv.slice(2).map((f) => path.resolve(f));
const withPending = process.env.LOKET_E2E_PENDING === '1' || named.some((f) => f.endsWith('.pending.mjs'));
const TOTAL_LIMIT_MS = Number(process.env.LOKET_E2E_LIMIT_MS) || 8 * 60_000;

/** The files to run: those named on the command line, else every *.test.mjs (and *.pending.mjs when asked). */
function testFiles(dir, names, pending) {
  if (names.length) return names;
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.mjs') || (pending && f.endsWith('.pending.mjs')))
    .sort()
    .map((f) => path.join(dir, f));
}

function anyFreePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// the kernel may give the same port to two binds in a row once the first is closed: a service
// whose HTTP and management ports are one never answers its readiness
const handedOut = new Set();

async function freePort() {
  for (;;) {
    const port = await anyFreePort();
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let service = null;
let dataDir = null;
let tests = null;
let cleaned = false;

/** The embedded PostgreSQL is a child of the JVM; if the JVM dies hard it may outlive it. */
function postmasterPids(dir) {
  const pids = [];
  const walk = (d, depth) => {
    if (depth > 4) return;
    let entries = [];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isFile() && e.name === 'postmaster.pid') {
        const pid = Number(fs.readFileSync(p, 'utf8').split('\n')[0]);
        if (pid > 0) pids.push(pid);
      } else if (e.isDirectory()) walk(p, depth + 1);
    }
  };
  walk(dir, 0);
  return pids;
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function cleanup() {
  if (cleaned) return;
  cleaned = true;
  if (tests && tests.exitCode === null) tests.kill('SIGTERM');
  if (service && service.exitCode === null) {
    service.kill('SIGTERM');
    for (let i = 0; i < 100 && service.exitCode === null; i++) await sleep(100);
    if (service.exitCode === null) service.kill('SIGKILL');
  }
  if (dataDir) {
    for (const pid of postmasterPids(dataDir)) {
      if (!alive(pid)) continue;
      process.kill(pid, 'SIGTERM');
      for (let i = 0; i < 50 && alive(pid); i++) await sleep(100);
      if (alive(pid)) process.kill(pid, 'SIGKILL');
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, async () => {
    await cleanup();
    process.exit(130);
  });
}

async function waitReady(health, deadline) {
  while (Date.now() < deadline) {
    if (service.exitCode !== null) throw new Error(`service exited with ${service.exitCode}; see test-results/service.log`);
    try {
      const res = await fetch(health + '/q/health/ready');
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new Error('service not ready in time; see test-results/service.log');
}

async function main() {
  const jar = path.join(appDir, 'quarkus-run.jar');
  if (!fs.existsSync(jar)) throw new Error(`${jar} not found: build the service first (./mvnw -DskipTests package)`);
  fs.mkdirSync(results, { recursive: true });
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loket-console-e2e-'));
  // LOKET_E2E_PORTS=18118,18119: the HTTP and management ports to use instead of free ones (a shared machine's agreed range)
  const fixed = (process.env.LOKET_E2E_PORTS ?? '').split(',').map(Number).filter((n) => n > 0);
  const port = fixed[0] ?? (await freePort());
  const managementPort = fixed[1] ?? (await freePort());
  const base = `http://127.0.0.1:${port}`;
  const adminPassword = 'e2e-admin-' + Math.random().toString(36).slice(2);
  const log = fs.openSync(path.join(results, 'service.log'), 'w');
  const started = Date.now();
  service = spawn('java', ['-jar', jar], {
    cwd: dataDir,
    env: {
      ...process.env,
      QUARKUS_HTTP_PORT: String(port),
      QUARKUS_MANAGEMENT_PORT: String(managementPort),
      LOKET_DATA_DIR: path.join(dataDir, 'data'),
      LOKET_ALWAYS_OPEN: 'true',
      // the tests start many conversations from one address
      LOKET_LIMITS_OPEN_CONVERSATIONS_PER_ADDRESS: '0',
      // and ask for many callbacks from it
      LOKET_LIMITS_OPEN_CALLBACKS_PER_ADDRESS: '0',
      LOKET_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
      LOKET_GRACE_AGENT: '60s',
    },
    stdio: ['ignore', log, log],
  });
  await waitReady(`http://127.0.0.1:${managementPort}`, Date.now() + 120_000);
  console.log(`service ready on port ${port} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const files = testFiles(here, named, withPending);
  for (const f of files) if (!fs.existsSync(f)) throw new Error(`${f} not found`);
  console.log(`running ${files.map((f) => path.relative(project, f)).join(', ')}`);
  tests = spawn(process.execPath, ['--test', '--test-force-exit', '--test-concurrency=1', '--test-reporter=spec', ...files], {
    cwd: project,
    env: { ...process.env, LOKET_BASE_URL: base, LOKET_ADMIN_PASSWORD: adminPassword, LOKET_RESULTS: results },
    stdio: 'inherit',
  });
  const limit = setTimeout(() => {
    console.error(`e2e: over ${TOTAL_LIMIT_MS / 1000} s, stopping`);
    tests.kill('SIGTERM');
  }, TOTAL_LIMIT_MS - (Date.now() - started));
  const code = await new Promise((resolve) => tests.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
  clearTimeout(limit);
  return code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  console.error('e2e:', e.message);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
