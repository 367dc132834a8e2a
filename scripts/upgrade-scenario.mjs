// Two versions of Loket side by side against one database, as in a rolling upgrade
// (docs/operations.md, "Upgrading"). Runs a chat across the two nodes both ways: residents on one
// node, agents on both, a transfer from an agent on one node to one on the other, close,
// transcript, change feed, callback requests. Prints one line per check (PASS/FAIL/NOTE) and
// exits 1 when a check failed. It prints no message text, names, numbers or tokens.
//
//   node scripts/upgrade-scenario.mjs <old base url> <new base url> <admin password>
//   e.g. node scripts/upgrade-scenario.mjs http://127.0.0.1:18081 http://127.0.0.1:18082 upgrade-admin-pw
//
// Both nodes need LOKET_ALWAYS_OPEN=true (or a topic open now), and the admin account.
// Uses the `ws` package from frontend-console/node_modules.

import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';

const require = createRequire(new URL('../frontend-console/package.json', import.meta.url));
const WebSocket = require('ws');

const [OLD, NEW, ADMIN_PASSWORD] = process.argv.slice(2);
if (!OLD || !NEW || !ADMIN_PASSWORD) {
  console.error('usage: node scripts/upgrade-scenario.mjs <old url> <new url> <admin password>');
  process.exit(2);
}
const NODES = { old: OLD, new: NEW };
let failures = 0;
const check = (ok, what) => {
  if (!ok) failures++;
  console.log(`${ok ? 'PASS' : 'FAIL'} ${what}`);
  return ok;
};
const note = (what) => console.log(`NOTE ${what}`);

async function http(node, method, path, body, token, accept = 'application/json') {
  const res = await fetch(NODES[node] + path, {
    method,
    headers: {
      'content-type': 'application/json',
      accept,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  return { status: res.status, json, text };
}

async function login(node, username, password) {
  const r = await http(node, 'POST', '/api/v1/auth/token', { username, password });
  if (r.status !== 200) throw new Error(`login ${username} on ${node}: ${r.status}`);
  return r.json.accessToken;
}

/** A socket that keeps every frame and can wait for one. */
class Socket {
  constructor(node, path, token) {
    this.node = node;
    this.frames = [];
    this.waiters = [];
    this.ws = new WebSocket(NODES[node].replace(/^http/, 'ws') + path, { headers: { authorization: `Bearer ${token}` } });
    this.ws.on('message', (data) => {
      const f = JSON.parse(data.toString());
      this.frames.push(f);
      this.waiters = this.waiters.filter((w) => !w(f));
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', resolve);
      this.ws.once('error', reject);
    });
  }
  send(frame) {
    this.ws.send(JSON.stringify(frame));
  }
  /** The first frame, seen already or to come, that matches; fails after ms. */
  waitFor(pred, what, ms = 10_000) {
    const seen = this.frames.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timeout waiting for ${what} on ${this.node}`)), ms);
      this.waiters.push((f) => {
        if (!pred(f)) return false;
        clearTimeout(timer);
        resolve(f);
        return true;
      });
    });
  }
  /** The next matching frame from now on (not one seen already). */
  next(pred, what, ms = 10_000) {
    const from = this.frames.length;
    return this.waitFor((f) => this.frames.indexOf(f) >= from && pred(f), what, ms).catch(async (e) => {
      const later = this.frames.slice(from).find(pred);
      if (later) return later;
      throw e;
    });
  }
  close() {
    this.ws.close();
  }
}

async function attempt(what, fn) {
  try {
    await fn();
  } catch (e) {
    check(false, `${what}: ${e.message}`);
  }
}

const run = randomUUID().slice(0, 8);
const TOPIC = `upg-${run}`;

async function setUp() {
  const admin = await login('old', 'admin', ADMIN_PASSWORD);
  const always = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '24:00']]]));
  const t = await http('old', 'POST', '/api/v1/admin/topics', { id: TOPIC, nameNl: 'Upgrade', nameEn: 'Upgrade', openingHours: always }, admin);
  if (t.status !== 201) throw new Error(`topic: ${t.status} ${t.text}`);
  const users = {};
  for (const [u, roles] of [
    ['a', ['agent']],
    ['b', ['agent']],
    ['i', ['integrator']],
  ]) {
    const username = `upg-${u}-${run}`;
    const r = await http('new', 'POST', '/api/v1/admin/users', {
      username,
      displayName: `Agent ${u}`,
      password: 'upgrade-password-1',
      roles,
      topics: roles.includes('agent') ? [TOPIC] : [],
      maxConcurrent: 3,
    }, admin);
    if (r.status !== 201 && r.status !== 200) throw new Error(`user ${u}: ${r.status} ${r.text}`);
    users[u] = { id: r.json.id, username };
  }
  return users;
}

/**
 * One direction: residents start and chat on residentNode; agent A on agentNode claims, agent B
 * on the other node takes the transfer and closes; the integrator reads the transcript on both.
 */
async function direction(residentNode, agentNode, users) {
  const other = agentNode === 'old' ? 'new' : 'old';
  const label = `[residents ${residentNode}, agent A ${agentNode}, agent B ${other}]`;
  const tokenA = await login(agentNode, users.a.username, 'upgrade-password-1');
  const tokenB = await login(other, users.b.username, 'upgrade-password-1');
  const a = new Socket(agentNode, '/ws/agent', tokenA);
  const b = new Socket(other, '/ws/agent', tokenB);
  await Promise.all([a.opened, b.opened]);
  await a.waitFor((f) => f.type === 'hello', 'hello A');
  await b.waitFor((f) => f.type === 'hello', 'hello B');

  // two residents start on residentNode: positions 1 and 2
  const r1 = await http(residentNode, 'POST', '/api/v1/conversations', { topic: TOPIC, name: 'Resident een' });
  const r2 = await http(residentNode, 'POST', '/api/v1/conversations', { topic: TOPIC, name: 'Resident twee' });
  check(r1.status === 201 && r2.status === 201, `${label} two starts answered 201`);
  check(r1.json.position === 1 && r2.json.position === 2, `${label} start positions 1 and 2 (${r1.json.position}, ${r2.json.position})`);
  const s1 = new Socket(residentNode, `/ws/resident/${r1.json.id}`, r1.json.token);
  const s2 = new Socket(residentNode, `/ws/resident/${r2.json.id}`, r2.json.token);
  await Promise.all([s1.opened, s2.opened]);
  const st2 = await s2.waitFor((f) => f.type === 'state', 'state r2');
  check(st2.state === 'queued' && st2.position === 2, `${label} second resident's socket says queued, position 2`);
  await a.waitFor((f) => f.type === 'queues' && f.topics.some((t) => t.id === TOPIC && t.waiting === 2), 'board shows 2 waiting');
  check(true, `${label} agent A's board (${agentNode}) counts both waiting`);

  s1.send({ type: 'message', clientMsgId: 'r1-m1', text: 'vraag 1' });
  await s1.waitFor((f) => f.type === 'message' && f.clientMsgId === 'r1-m1', 'own echo');

  // A claims the next: the first resident
  a.send({ type: 'claim', topic: TOPIC, ref: 'claim-1' });
  const assigned = await a.waitFor((f) => f.type === 'assigned', 'assigned A');
  check(assigned.conversation.id === r1.json.id, `${label} A's claim gets the first resident`);
  check(assigned.conversation.messages.some((m) => m.clientMsgId === 'r1-m1'), `${label} the assigned history holds the resident's message`);
  if (agentNode === 'new') {
    check(assigned.via === 'claim' && assigned.ref === 'claim-1', `${label} assigned from the new node carries via=claim and the claim's ref`);
  } else {
    check(assigned.via === undefined && assigned.ref === undefined, `${label} assigned from the old node carries no via/ref (the new console falls back)`);
  }
  const act = await s1.waitFor((f) => f.type === 'state' && f.state === 'active', 'resident active');
  check(act.agentName === 'Agent a', `${label} resident sees active with agent A's name`);
  const moved = await s2.waitFor((f) => f.type === 'state' && f.state === 'queued' && f.position === 1, 'r2 position 1', 10_000);
  check(!!moved, `${label} second resident moves to position 1`);

  // messages both ways
  a.send({ type: 'message', conversationId: r1.json.id, clientMsgId: 'a-1', text: 'antwoord 1' });
  await s1.waitFor((f) => f.type === 'message' && f.clientMsgId === 'a-1', 'agent message at resident');
  s1.send({ type: 'message', clientMsgId: 'r1-m2', text: 'vraag 2' });
  await a.waitFor((f) => f.type === 'message' && f.clientMsgId === 'r1-m2', 'resident message at agent');
  check(true, `${label} messages both ways arrive`);

  // transfer A -> B (B on the other node)
  a.send({ type: 'transfer', conversationId: r1.json.id, agentId: users.b.id, ref: 'tr-1' });
  const endedA = await a.waitFor((f) => (f.type === 'ended' && f.conversationId === r1.json.id) || (f.type === 'error' && f.ref === 'tr-1'), 'A ended');
  check(endedA.type === 'ended' && endedA.reason === 'transferred', `${label} A gets ended(transferred)`);
  const assignedB = await b.waitFor((f) => f.type === 'assigned' && f.conversation.id === r1.json.id, 'assigned B');
  if (other === 'new') {
    check(assignedB.via === 'transfer' && assignedB.ref === undefined, `${label} B (new node) gets assigned via=transfer without ref`);
  } else {
    check(assignedB.via === undefined, `${label} B (old node) gets assigned without via`);
  }
  check(['r1-m1', 'a-1', 'r1-m2'].every((id) => assignedB.conversation.messages.some((m) => m.clientMsgId === id)), `${label} B gets the whole history`);
  await s1.waitFor((f) => f.type === 'state' && f.state === 'active' && f.agentName === 'Agent b', 'resident sees B');
  check(true, `${label} resident sees agent B's name after the transfer`);
  b.send({ type: 'message', conversationId: r1.json.id, clientMsgId: 'b-1', text: 'antwoord 2' });
  await s1.waitFor((f) => f.type === 'message' && f.clientMsgId === 'b-1', 'B message at resident');
  s1.send({ type: 'message', clientMsgId: 'r1-m3', text: 'vraag 3' });
  await b.waitFor((f) => f.type === 'message' && f.clientMsgId === 'r1-m3', 'resident message at B');
  check(true, `${label} messages both ways with B`);

  b.send({ type: 'close', conversationId: r1.json.id, outcome: 'answered', summary: 'samenvatting' });
  await b.waitFor((f) => f.type === 'ended' && f.conversationId === r1.json.id && f.reason === 'closed', 'B ended');
  await s1.waitFor((f) => f.type === 'state' && f.state === 'closed', 'resident closed');
  check(true, `${label} close reaches agent B and the resident`);

  // the resident's own messages: every seq once, none lost
  const seqs = s1.frames.filter((f) => f.type === 'message').map((f) => f.seq);
  check(new Set(seqs).size === seqs.length, `${label} resident saw no message twice (${seqs.length} messages)`);

  // transcript, read on both nodes
  const integ = await login('new', users.i.username, 'upgrade-password-1');
  for (const node of ['old', 'new']) {
    const t = await http(node, 'GET', `/api/v1/conversations/${r1.json.id}/transcript`, undefined, integ);
    const ids = (t.json?.messages ?? []).map((m) => m.clientMsgId).filter(Boolean);
    check(t.status === 200 && ['r1-m1', 'a-1', 'r1-m2', 'b-1', 'r1-m3'].every((id) => ids.includes(id)),
      `${label} transcript on ${node}: 200, all 5 chat messages (${t.json?.messages?.length} with system messages)`);
    const txt = await http(node, 'GET', `/api/v1/conversations/${r1.json.id}/transcript.txt`, undefined, integ, 'text/plain');
    check(txt.status === 200, `${label} text transcript on ${node}: ${txt.status}`);
  }

  // the second resident asks for a callback from the queue
  s2.send({ type: 'request_callback', phone: '0900 1234567', ref: 'cb-bad' });
  const bad = await s2.waitFor((f) => f.type === 'error' && f.code === 'invalid_callback', 'invalid_callback');
  note(`${label} premium number refused by ${residentNode}: reason ${bad.errors?.[0]?.message?.length} characters`);
  s2.send({ type: 'request_callback', phone: '06 12345678', window: 'morning' });
  const created = await s2.waitFor((f) => f.type === 'callback_created', 'callback_created');
  check(!!created, `${label} callback request from the queue: callback_created`);
  const list = await http(agentNode, 'GET', `/api/v1/callbacks?topic=${TOPIC}&state=open`, undefined, tokenA);
  const req = (list.json?.items ?? []).find((c) => c.conversationId === r2.json.id);
  check(!!req, `${label} agent A (${agentNode}) lists the callback request`);
  if (req) {
    const claim = await http(agentNode, 'POST', `/api/v1/callbacks/${req.id}/claim`, {}, tokenA);
    check(claim.status === 200, `${label} agent A claims it on ${agentNode}: ${claim.status}`);
    const done = await http(other, 'POST', `/api/v1/callbacks/${req.id}/attempts`, { result: 'reached' }, tokenA);
    check(done.status === 200 && done.json.state === 'done', `${label} its attempt recorded on ${other}: ${done.status} ${done.json?.state}`);
  }
  // a public callback request on the resident's node, claimed by B on the other
  const pub = await http(residentNode, 'POST', '/api/v1/callbacks', { topic: TOPIC, phone: '020 1234567' });
  check(pub.status === 201, `${label} public callback request on ${residentNode}: ${pub.status}`);
  const claimB = await http(other, 'POST', `/api/v1/callbacks/${pub.json.id}/claim`, {}, tokenB);
  check(claimB.status === 200, `${label} claimed by B on ${other}: ${claimB.status}`);
  const cancel = await http(other, 'DELETE', `/api/v1/callbacks/${pub.json.id}`, undefined, pub.json.token);
  check(cancel.status === 204, `${label} the resident cancels it on ${other}: ${cancel.status}`);

  for (const s of [a, b, s1, s2]) s.close();
}

async function startKeyAcross() {
  const key = `upgrade-${randomUUID()}`;
  const first = await http('old', 'POST', '/api/v1/conversations', { topic: TOPIC, startKey: key });
  const again = await http('new', 'POST', '/api/v1/conversations', { topic: TOPIC, startKey: key });
  check(first.status === 201 && again.status === 201 && first.json.id === again.json.id,
    'a start sent again to the other node with the same startKey answers the same conversation');
}

async function feedAcross(users) {
  const integ = await login('old', users.i.username, 'upgrade-password-1');
  for (const [from, to] of [
    ['old', 'new'],
    ['new', 'old'],
  ]) {
    const p1 = await http(from, 'GET', `/api/v1/conversations?topic=${TOPIC}&limit=1`, undefined, integ);
    const cursor = p1.json?.nextCursor;
    if (!cursor) {
      note(`feed ${from}->${to}: no second page (feed holds back the last 5 s)`);
      continue;
    }
    const p2 = await http(to, 'GET', `/api/v1/conversations?topic=${TOPIC}&limit=1&cursor=${encodeURIComponent(cursor)}`, undefined, integ);
    check(p2.status === 200 && p2.json.items.length === 1 && p2.json.items[0].id !== p1.json.items[0].id,
      `feed: a cursor issued by the ${from} node continues on the ${to} node (${p2.status}${p2.status !== 200 ? ' ' + p2.text : ''})`);
  }
}

try {
  const users = await setUp();
  await attempt('residents old, agent new', () => direction('old', 'new', users));
  await attempt('residents new, agent old', () => direction('new', 'old', users));
  await attempt('start key across versions', startKeyAcross);
  // the feed holds back the last LOKET_FEED_SAFETY_LAG (5 s)
  await new Promise((r) => setTimeout(r, 6000));
  await attempt('feed across versions', () => feedAcross(users));
} catch (e) {
  check(false, `set-up: ${e.message}`);
}
console.log(failures === 0 ? 'ALL PASSED' : `${failures} FAILED`);
process.exit(failures === 0 ? 0 : 1);
