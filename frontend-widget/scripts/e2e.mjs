// End-to-end run: start the packaged service on a free port with a throwaway data directory,
// wait until it is ready, run the browser tests (e2e/*.test.mjs) against it, and always stop
// the service and remove the directory afterwards, also when the tests fail or are interrupted.
//
//   LOKET_APP_DIR   the Quarkus app to start (default ../target/quarkus-app)
//   LOKET_E2E_URL   test an already running service instead (nothing is started then)
//   LOKET_E2E_SITE  with it, the municipal site in that service's LOKET_ALLOWED_ORIGINS
//                   (e2e/embedded.test.mjs); a service started here lists http://localhost:<port>
//
// With file arguments (`npm run e2e -- e2e/departments.pending.mjs`) it runs those files
// instead of e2e/*.test.mjs; that is how a test waiting for its backend (*.pending.mjs) runs.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, mkdirSync, createWriteStream } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const here = resolve(import.meta.dirname, '..');
const results = join(here, 'test-results');
mkdirSync(results, { recursive: true });

function anyFreePort() {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
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

let startFailed = false;

async function waitReady(health, service, deadline) {
  while (Date.now() < deadline) {
    if (service && service.exitCode !== null) throw new Error(`the service exited with ${service.exitCode} before it was ready`);
    if (startFailed) throw new Error('the service failed to start (see test-results/service.log)');
    try {
      const res = await fetch(health + '/q/health/ready');
      if (res.status === 200) return;
    } catch {
      /* not listening yet */
    }
    await sleep(500);
  }
  throw new Error('the service was not ready in time');
}

/** Processes (the embedded PostgreSQL) still running from our own data directory. */
function leftovers(dataDir) {
  const pids = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.includes(dataDir)) pids.push(Number(entry));
    } catch {
      /* gone */
    }
  }
  return pids;
}

let service = null;
let dataDir = null;
let stopping = null;

async function stop() {
  if (stopping) return stopping;
  stopping = (async () => {
    if (service && service.exitCode === null) {
      service.kill('SIGTERM'); // Quarkus shuts down and stops its embedded PostgreSQL
      const deadline = Date.now() + 30000;
      while (service.exitCode === null && service.signalCode === null && Date.now() < deadline) await sleep(200);
      if (service.exitCode === null && service.signalCode === null) service.kill('SIGKILL');
    }
    if (dataDir) {
      for (const pid of leftovers(dataDir)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
      rmSync(dataDir, { recursive: true, force: true });
    }
  })();
  return stopping;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, async () => {
    await stop();
    process.exit(130);
  });
}

/** The test files to run: the ones named on the command line, or every e2e/*.test.mjs. */
function testFiles() {
  const named = process.argv.slice(2);
  if (!named.length) return readdirSync(join(here, 'e2e')).filter((f) => f.endsWith('.test.mjs')).sort().map((f) => join('e2e', f));
  return named.map((f) => {
    const file = resolve(process.cwd(), f);
    if (!existsSync(file)) throw new Error(`${f} not found`);
    return relative(here, file);
  });
}

let code = 1;
try {
  const tests = testFiles();
  let base = process.env.LOKET_E2E_URL;
  let site = process.env.LOKET_E2E_SITE;
  const adminPassword = process.env.LOKET_E2E_ADMIN_PASSWORD || 'e2e-admin-' + Math.random().toString(36).slice(2);
  if (!base) {
    const appDir = resolve(process.env.LOKET_APP_DIR || join(here, '..', 'target', 'quarkus-app'));
    const jar = join(appDir, 'quarkus-run.jar');
    if (!existsSync(jar)) throw new Error(`${jar} not found: build the service first (./mvnw package)`);
    if (!existsSync('/usr/bin/chromium')) throw new Error('/usr/bin/chromium not found: apt-get install chromium');
    const port = await freePort();
    const managementPort = await freePort();
    dataDir = mkdtempSync(join(tmpdir(), 'loket-e2e-'));
    base = `http://127.0.0.1:${port}`;
    // the site that embeds the widget: another origin (another host name for the same service)
    site = `http://localhost:${port}`;
    const log = createWriteStream(join(results, 'service.log'));
    service = spawn('java', ['-jar', jar], {
      cwd: dataDir,
      env: {
        ...process.env,
        QUARKUS_HTTP_PORT: String(port),
        QUARKUS_MANAGEMENT_PORT: String(managementPort),
        LOKET_DATA_DIR: join(dataDir, 'data'),
        LOKET_ALWAYS_OPEN: 'true',
        LOKET_ALLOWED_ORIGINS: site,
        LOKET_BOOTSTRAP_ADMIN_PASSWORD: adminPassword,
        // several conversations start from one address within a minute
        LOKET_PUBLIC_RATE_LIMIT: '600',
        // the tests start many conversations from one address
        LOKET_LIMITS_OPEN_CONVERSATIONS_PER_ADDRESS: '0',
        // and ask for many callbacks from it
        LOKET_LIMITS_OPEN_CALLBACKS_PER_ADDRESS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    service.stdout.pipe(log);
    service.stderr.pipe(log);
    // a Quarkus that failed at start-up may linger without exiting: do not wait the full time for it
    for (const stream of [service.stdout, service.stderr]) {
      stream.on('data', (chunk) => {
        if (String(chunk).includes('Failed to start application')) startFailed = true;
      });
    }
    console.log(`starting Loket on ${base} (log: test-results/service.log)`);
    const started = Date.now();
    await waitReady(`http://127.0.0.1:${managementPort}`, service, Date.now() + 120000);
    console.log(`Loket ready after ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  const runner = spawn(process.execPath, ['--test', '--test-force-exit', '--test-concurrency=1', '--test-timeout=120000', ...tests], {
    cwd: here,
    env: { ...process.env, LOKET_E2E_URL: base, LOKET_E2E_ADMIN_PASSWORD: adminPassword, ...(site ? { LOKET_E2E_SITE: site } : {}) },
    stdio: 'inherit',
  });
  code = await new Promise((ok) => runner.on('exit', (c, sig) => ok(c ?? (sig ? 1 : 0))));
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  code = 1;
} finally {
  await stop();
}
process.exit(code);
