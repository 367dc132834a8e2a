// An in-memory stand-in for the parts of the Loket API that the console's new screens use, shaped
// as the API contract agreed for issue 12 describes them. It exists so that the screens can be
// looked at, walked with the keyboard and scanned with axe-core before the service implements
// that contract; it proves nothing about the service. `npm run e2e` runs the real thing.
//
//   node e2e/stand-in.mjs [port]      serves dist/ at /console/ and the API, until stopped

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocketServer } from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
const DIST = path.resolve(process.env.LOKET_OUT_DIR || path.join(here, '..', 'dist'));
const PASSWORD = 'geheim-wachtwoord-123';

const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (user) =>
  `${b64({ alg: 'none' })}.${b64({
    sub: user.id,
    upn: user.username,
    name: user.displayName,
    groups: user.roles.includes('supervisor') ? [...new Set([...user.roles, 'agent'])] : user.roles,
    exp: Math.floor(Date.now() / 1000) + 8 * 3600,
    ...(user.department ? { department: user.department } : {}),
  })}.x`;

function day(offset = 0) {
  const d = new Date(Date.now() + offset * 86_400_000);
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(d);
}

export function createState() {
  const hours = { mon: [['08:30', '17:00']], tue: [['08:30', '17:00']], wed: [['08:30', '17:00']], thu: [['08:30', '17:00']], fri: [['08:30', '12:00']], sat: [], sun: [] };
  return {
    users: [
      { id: 'u-admin', username: 'admin', displayName: 'Beheerder', roles: ['admin'], topics: [], maxConcurrent: 3, active: true, department: null },
      { id: 'u-sara', username: 'sara', displayName: 'Sara', roles: ['supervisor'], topics: ['paspoort-id', 'rijbewijs'], maxConcurrent: 3, active: true, department: null },
      { id: 'u-anne', username: 'anne', displayName: 'Anne', roles: ['agent'], topics: ['paspoort-id', 'rijbewijs'], maxConcurrent: 3, active: true, department: null },
      { id: 'u-dora', username: 'dora', displayName: 'Dora', roles: ['department'], topics: [], maxConcurrent: 3, active: true, department: 'burgerzaken' },
      { id: 'u-piet', username: 'piet', displayName: 'Piet', roles: ['agent'], topics: ['rijbewijs'], maxConcurrent: 2, active: true, department: null, mustChange: true },
    ],
    topics: [
      { id: 'paspoort-id', nameNl: 'Paspoort en ID-kaart', nameEn: 'Passport and ID card', sortOrder: 10, openingHours: hours, closedDates: [day(-10), day(30)], callbackThresholdSeconds: 600, digitalAlternatives: [{ title: 'Afspraak maken', url: 'https://www.example.org/afspraak' }], notice: null, noticeEn: null },
      { id: 'rijbewijs', nameNl: 'Rijbewijs', nameEn: 'Driving licence', sortOrder: 20, openingHours: hours, closedDates: [], callbackThresholdSeconds: 600, digitalAlternatives: [], notice: null, noticeEn: null },
    ],
    capacity: {},
    canned: [{ id: 'c1', title: 'Afspraak maken', text: 'U kunt online een afspraak maken, {naam}.', topics: ['paspoort-id'], locale: 'nl' }],
    departments: [
      { id: 'burgerzaken', name: 'Burgerzaken', contactRoutes: [{ kind: 'phone', label: 'Telefonisch', value: '14 020' }, { kind: 'desk', label: 'Balie stadhuis', value: 'Markt 1' }], topics: ['paspoort-id', 'rijbewijs'] },
      { id: 'belastingen', name: 'Belastingen', contactRoutes: [{ kind: 'web', label: 'Website', value: 'https://www.example.org/belastingen' }], topics: [] },
    ],
    notices: [],
    audit: [{ id: 1, at: new Date(Date.now() - 3_600_000).toISOString(), actor: 'sara', role: 'supervisor', action: 'read_transcript', conversationId: 'c0ffee00-0000-4000-8000-000000000001', detail: { format: 'json' } }],
    ratings: [
      { conversationId: 'c0ffee00-0000-4000-8000-000000000001', topic: 'paspoort-id', score: 2, comment: 'Lang gewacht, maar "goed" geholpen; =ja', ratedAt: new Date(Date.now() - 7_200_000).toISOString(), agent: { id: 'u-anne', name: 'Anne' } },
      { conversationId: 'c0ffee00-0000-4000-8000-000000000002', topic: 'rijbewijs', score: 5, comment: null, ratedAt: new Date(Date.now() - 9_000_000).toISOString(), agent: { id: 'u-anne', name: 'Anne' } },
    ],
    conversations: [
      { id: 'c0ffee00-0000-4000-8000-000000000001', topic: 'paspoort-id', state: 'closed', residentName: 'Jan', queuedAt: new Date(Date.now() - 8_000_000).toISOString(), assignedAt: new Date(Date.now() - 7_900_000).toISOString(), closedAt: new Date(Date.now() - 7_500_000).toISOString(), agent: { id: 'u-anne', name: 'Anne' }, outcome: 'answered', rating: 2, confidential: false, messageCount: 3, updatedAt: new Date().toISOString(), summary: 'Uitgelegd hoe je een afspraak maakt' },
    ],
    noticeSeq: 1,
    // the waiting list; null: the one resident every screen test expects. A test sets it with
    // POST /__stand-in/waiting (rows in queue order), which also pushes the board to every console.
    waiting: null,
    // POST /__stand-in/queue-fails {fails: true}: GET /api/v1/queue answers 503 until set back
    queueFails: false,
    // POST /__stand-in/callbacks: the callback requests the list gives
    callbacks: null,
    // POST /__stand-in/later {userId, conversation}: a conversation that user holds which the
    // service cannot read just now; every hello to that user names its id in `later` (protocol §5)
    // until POST /__stand-in/later-arrives {userId} sends its `assigned` (via transfer, no ref,
    // every message) and forgets it. {userId, conversation: null} forgets it without a word.
    later: null,
  };
}

function csvCell(v) {
  let s = v === null || v === undefined ? '' : String(v);
  if (/^[=+\-@]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function problem(res, status, code, detail, errors) {
  res.writeHead(status, { 'Content-Type': 'application/problem+json' });
  res.end(JSON.stringify({ type: '/problems/' + code, title: detail, status, detail, ...(errors ? { errors } : {}) }));
}

function json(res, status, body) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(body === undefined ? '' : JSON.stringify(body));
}

const current = (n, now) => !n.endedAt && Date.parse(n.from) <= now && (!n.until || Date.parse(n.until) > now);

/** The board frame: fixed figures, the waiting counts from the test's waiting list when it set one. */
function boards(state) {
  const waiting = (topic, fixed) => (state.waiting ? state.waiting.filter((w) => w.topic === topic).length : fixed);
  return { type: 'queues', topics: [
    { id: 'paspoort-id', waiting: waiting('paspoort-id', 1), longestWaitSeconds: 75, estimatedWaitSeconds: 120, agentsAvailable: 1, callbacksOpen: 0, agentsAway: 0, agentsAtCapacity: 0 },
    { id: 'rijbewijs', waiting: waiting('rijbewijs', 1), longestWaitSeconds: 90, estimatedWaitSeconds: 240, agentsAvailable: 1, callbacksOpen: 2, agentsAway: 1, agentsAtCapacity: 1 }, // one available, and full
  ] };
}

export function createServer(state = createState()) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const p = url.pathname;
    let body = null;
    if (req.method === 'POST' || req.method === 'PUT') {
      const chunks = [];
      for await (const c of req) chunks.push(c);
      body = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : null;
    }
    const auth = req.headers.authorization?.replace(/^Bearer /, '');
    const me = auth ? state.users.find((u) => u.id === JSON.parse(Buffer.from(auth.split('.')[1], 'base64url')).sub) : null;
    const now = Date.now();

    if (p === '/console' || p === '/console/' || p.startsWith('/console/')) {
      const rel = p === '/console' || p === '/console/' ? 'index.html' : p.slice('/console/'.length);
      const file = path.join(DIST, rel);
      if (!file.startsWith(DIST) || !fs.existsSync(file)) return problem(res, 404, 'not-found', 'Niet gevonden / Not found');
      const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'text/html; charset=utf-8';
      res.writeHead(200, { 'Content-Type': type });
      return res.end(fs.readFileSync(file));
    }
    if (p === '/api/v1/auth/token' && req.method === 'POST') {
      const u = state.users.find((x) => x.username === body?.username);
      if (!u || body.password !== (u.password ?? PASSWORD)) return problem(res, 401, 'invalid-credentials', 'Gebruikersnaam of wachtwoord onjuist / Wrong username or password');
      if (u.mustChange) return problem(res, 403, 'password-change-required', 'Kies eerst een nieuw wachtwoord / Choose a new password first');
      return json(res, 200, { accessToken: jwt(u), tokenType: 'Bearer', expiresIn: 28800 });
    }
    if (p === '/api/v1/auth/password' && req.method === 'POST') {
      const u = state.users.find((x) => x.username === body?.username);
      if (!u || body.currentPassword !== (u.password ?? PASSWORD)) return problem(res, 401, 'invalid-credentials', 'Wachtwoord onjuist / Wrong password');
      if (!body.newPassword || body.newPassword.length < 10) return problem(res, 400, 'validation', 'Ongeldige invoer / Invalid input', [{ field: 'newPassword', message: 'minstens 10 tekens / at least 10 characters' }]);
      u.password = body.newPassword;
      u.mustChange = false;
      return json(res, 200, { accessToken: jwt(u), tokenType: 'Bearer', expiresIn: 28800 });
    }
    if (p === '/api/v1/topics') {
      const en = url.searchParams.get('lang') === 'en';
      return json(res, 200, state.topics.map((x) => ({ id: x.id, name: en ? x.nameEn : x.nameNl, open: !x.closedDates.includes(day()), queueLength: 1, estimatedWaitSeconds: 120, notice: x.notice })));
    }
    // for the tests only: no token
    // for the tests only: the callback list (rows as GET /api/v1/callbacks gives them; null: none)
    if (p === '/__stand-in/callbacks' && req.method === 'POST') {
      state.callbacks = body.rows;
      return json(res, 204);
    }
    // a department stored before names were unique, with Burgerzaken's name ({add: false} takes it away again)
    if (p === '/__stand-in/department-pair' && req.method === 'POST') {
      state.departments = state.departments.filter((d) => d.id !== 'burgerzaken-oud');
      if (body.add) state.departments.push({ id: 'burgerzaken-oud', name: ' burgerzaken', contactRoutes: [], topics: [] });
      return json(res, 204);
    }
    if (p === '/__stand-in/queue-fails' && req.method === 'POST') {
      state.queueFails = !!body.fails;
      return json(res, 204);
    }
    if (p === '/__stand-in/waiting' && req.method === 'POST') {
      state.waiting = body.rows;
      for (const ws of sockets) ws.send(JSON.stringify(boards(state)));
      return json(res, 204);
    }
    // POST /__stand-in/notices-forget {ids}: departments' notices a test placed, gone without a trace (history included)
    if (p === '/__stand-in/notices-forget' && req.method === 'POST') {
      state.notices = state.notices.filter((n) => !body.ids.includes(n.id));
      return json(res, 204);
    }
    if (p === '/__stand-in/later' && req.method === 'POST') {
      state.later = body.conversation ? { userId: body.userId, conversation: body.conversation } : null;
      return json(res, 204);
    }
    if (p === '/__stand-in/later-arrives' && req.method === 'POST') {
      const held = state.later;
      if (!held || held.userId !== body.userId) return problem(res, 409, 'conflict', 'Niets onderweg / Nothing on its way');
      state.later = null;
      const frame = { type: 'assigned', conversation: held.conversation, via: 'transfer' };
      for (const ws of sockets) if (ws.userId === held.userId) ws.send(JSON.stringify(frame));
      return json(res, 204);
    }
    // for the tests only: a frame to every console of one user, as the service would send it
    if (p === '/__stand-in/agent-frame' && req.method === 'POST') {
      for (const ws of sockets) if (ws.userId === body.userId) ws.send(JSON.stringify(body.frame));
      return json(res, 204);
    }
    if (!me) return problem(res, 401, 'unauthorized', 'Niet ingelogd / Not authenticated');
    const has = (...roles) => roles.some((r) => me.roles.includes(r) || (r === 'agent' && me.roles.includes('supervisor')));
    const forbid = () => problem(res, 403, 'forbidden', 'Geen toegang / Forbidden');

    if (p === '/api/v1/departments' && req.method === 'GET') {
      // as the service: the ids of the others with the same name, case and surrounding spaces aside
      const key = (d) => d.name.trim().toLowerCase();
      return json(res, 200, state.departments.map((d) => ({
        ...d,
        notices: state.notices.filter((n) => n.departmentId === d.id && current(n, now)),
        nameSharedWith: state.departments.filter((o) => o.id !== d.id && key(o) === key(d)).map((o) => o.id),
      })));
    }
    let m = /^\/api\/v1\/departments\/([^/]+)\/notices(?:\/([^/]+))?$/.exec(p);
    if (m) {
      const d = state.departments.find((x) => x.id === m[1]);
      if (!d) return problem(res, 404, 'not-found', 'Onbekende afdeling / Unknown department');
      if (req.method === 'GET') return json(res, 200, state.notices.filter((n) => n.departmentId === d.id).sort((a, b) => b.setAt.localeCompare(a.setAt)));
      if (!(has('supervisor', 'admin') || (me.roles.includes('department') && me.department === d.id))) return forbid();
      if (req.method === 'POST') {
        const errors = [];
        if (!['normal', 'reduced', 'appointment_only', 'unreachable'].includes(body?.kind)) errors.push({ field: 'kind', message: 'onbekende soort / unknown kind' });
        if (!body?.agentText?.trim()) errors.push({ field: 'agentText', message: 'verplicht / required' });
        if (errors.length) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', errors);
        const n = { id: 'n' + state.noticeSeq++, departmentId: d.id, kind: body.kind, from: body.from ?? new Date().toISOString(), until: body.until ?? null, agentText: body.agentText, residentText: body.residentText ?? null, setBy: me.username, setAt: new Date().toISOString(), endedAt: null };
        state.notices.push(n);
        return json(res, 201, n);
      }
      if (req.method === 'DELETE') {
        const n = state.notices.find((x) => x.id === m[2]);
        if (!n) return problem(res, 404, 'not-found', 'Onbekende melding / Unknown notice');
        n.endedAt = new Date().toISOString();
        return json(res, 204);
      }
    }
    m = /^\/api\/v1\/departments(?:\/([^/]+))?$/.exec(p);
    if (m && (req.method === 'POST' || req.method === 'PUT')) {
      if (!has('admin')) return forbid();
      if (!body?.name?.trim()) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', [{ field: 'name', message: 'verplicht / required' }]);
      if (req.method === 'POST') {
        const d = { id: body.id || body.name.toLowerCase().replace(/[^a-z0-9]+/g, '-'), name: body.name, contactRoutes: body.contactRoutes ?? [], topics: body.topics ?? [] };
        state.departments.push(d);
        return json(res, 201, { ...d, notices: [] });
      }
      const d = state.departments.find((x) => x.id === m[1]);
      Object.assign(d, { name: body.name, contactRoutes: body.contactRoutes, topics: body.topics });
      return json(res, 200, { ...d, notices: [] });
    }
    if (p === '/api/v1/canned-replies') return json(res, 200, state.canned);
    if (p === '/api/v1/queue') {
      if (state.queueFails) return problem(res, 503, 'unavailable', 'Tijdelijk niet beschikbaar / Temporarily unavailable');
      if (state.waiting) return json(res, 200, state.waiting.slice(0, 200));
      return json(res, 200, [{ id: 'w1', topic: 'rijbewijs', residentName: 'Kees', queuedAt: new Date(now - 90_000).toISOString(), waitingSince: new Date(now - 90_000).toISOString(), firstMessage: 'Mijn rijbewijs is verlopen' }]);
    }
    if (p === '/api/v1/callbacks') return json(res, 200, { items: (state.callbacks ?? []).filter((r) => r.state === url.searchParams.get('state')) });
    if (p === '/api/v1/agents') {
      if (!has('agent', 'supervisor')) return forbid();
      return json(res, 200, state.users.filter((u) => u.roles.includes('agent') || u.roles.includes('supervisor')).map((u) => ({ id: u.id, username: u.username, name: u.displayName, status: u.id === 'u-anne' ? 'available' : 'offline', topics: u.topics, maxConcurrent: u.maxConcurrent, openConversations: u.id === 'u-anne' ? 1 : 0 })));
    }
    if (p === '/api/v1/capacity') return json(res, 200, state.topics.map((x) => ({ topic: x.id, short: false, until: null, reason: null, setBy: null, updatedAt: null, ...state.capacity[x.id] })));
    m = /^\/api\/v1\/capacity\/([^/]+)$/.exec(p);
    if (m && req.method === 'PUT') {
      if (body.until && Date.parse(body.until) < now) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', [{ field: 'until', message: 'ligt in het verleden / lies in the past' }]);
      state.capacity[m[1]] = { topic: m[1], short: !!body.short, until: body.short ? (body.until ?? null) : null, reason: body.short ? (body.reason ?? null) : null, setBy: me.username, updatedAt: new Date().toISOString() };
      return json(res, 200, state.capacity[m[1]]);
    }
    if (p === '/api/v1/stats') {
      return json(res, 200, { from: url.searchParams.get('from'), to: url.searchParams.get('to'), serviceLevelSeconds: 60, topics: [{ topic: 'paspoort-id', offered: 12, answered: 9, abandoned: 2, callbacks: 1, waiting: 0, callbackRequests: 3, serviceLevel: 75, medianWaitSeconds: 48, p90WaitSeconds: 190, averageHandleSeconds: 420, averageRating: 4.2 }] });
    }
    if (p === '/api/v1/stats/hourly') {
      const hours = Array.from({ length: 24 }, (_, h) => {
        const offered = h >= 9 && h <= 16 ? [3, 5, 7, 4, 2, 6, 3, 1][h - 9] : 0;
        // each conversation once, as the server counts: offered = answered + abandoned + callbacks + waiting
        const abandoned = h % 3 === 0 && offered ? 1 : 0;
        const callbacks = h === 11 ? 1 : 0;
        const waiting = h === 16 ? 1 : 0;
        return { hour: h, offered, answered: offered - abandoned - callbacks - waiting, abandoned, callbacks, waiting, medianWaitSeconds: offered ? 30 + h * 5 : null, p90WaitSeconds: offered ? 120 + h * 10 : null };
      });
      return json(res, 200, { date: url.searchParams.get('date'), topic: url.searchParams.get('topic'), hours });
    }
    if (p === '/api/v1/ratings') {
      const topic = url.searchParams.get('topic');
      const items = state.ratings.filter((r) => !topic || r.topic === topic);
      if ((req.headers.accept ?? '').includes('text/csv')) {
        const lines = ['conversationId,topic,score,comment,ratedAt,agentName', ...items.map((r) => [r.conversationId, r.topic, r.score, r.comment, r.ratedAt, r.agent?.name].map(csvCell).join(','))];
        res.writeHead(200, { 'Content-Type': 'text/csv; charset=utf-8' });
        return res.end(lines.join('\r\n') + '\r\n');
      }
      const distribution = { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 };
      for (const r of items) distribution[r.score]++;
      const average = items.length ? items.reduce((s, r) => s + r.score, 0) / items.length : null;
      return json(res, 200, { from: url.searchParams.get('from'), to: url.searchParams.get('to'), count: items.length, average, distribution, items });
    }
    if (p === '/api/v1/conversations/search') {
      // as the service: an exact id on any day, or part of the name in any case (the stand-in's conversations are all in the default period)
      const id = url.searchParams.get('conversationId')?.trim().toLowerCase();
      const name = url.searchParams.get('residentName')?.trim().toLowerCase();
      const items = state.conversations.filter((c) => (!id || c.id === id) && (!name || (c.residentName ?? '').toLowerCase().includes(name)));
      return json(res, 200, { items, total: items.length });
    }
    m = /^\/api\/v1\/conversations\/([^/]+)\/transcript$/.exec(p);
    if (m) {
      const c = state.conversations.find((x) => x.id === m[1]) ?? { ...state.conversations[0], id: m[1] };
      return json(res, 200, {
        conversation: c,
        messages: [
          { seq: 1, from: 'resident', text: 'Hoe maak ik een afspraak voor een paspoort?', sentAt: c.queuedAt },
          { seq: 2, from: 'agent', text: 'Dat kan online, Jan.', sentAt: c.assignedAt, agentName: 'Anne' },
          { seq: 3, from: 'note', text: 'Verwezen naar de website', sentAt: c.closedAt, agentName: 'Anne', internal: true },
        ],
      });
    }
    if (p.startsWith('/api/v1/admin/') && !has('admin')) return forbid();
    if (p === '/api/v1/admin/topics' && req.method === 'GET') return json(res, 200, state.topics.map((x) => ({ ...x, openNow: !x.closedDates.includes(day()), nextOpenAt: x.closedDates.includes(day()) ? new Date(Date.parse(day(1) + 'T07:30:00Z')).toISOString() : null })));
    m = /^\/api\/v1\/admin\/topics(?:\/([^/]+))?$/.exec(p);
    if (m && (req.method === 'POST' || req.method === 'PUT')) {
      const errors = [];
      for (const [d, list] of Object.entries(body.openingHours ?? {})) for (const [a, b] of list) if (!(a < b)) errors.push({ field: 'openingHours.' + d, message: 'begin voor eind / start before end' });
      if (errors.length) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', errors);
      const i = state.topics.findIndex((x) => x.id === body.id);
      if (req.method === 'POST' && i >= 0) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', [{ field: 'id', message: 'bestaat al / already exists' }]);
      if (i >= 0) state.topics[i] = body;
      else state.topics.push(body);
      return json(res, req.method === 'POST' ? 201 : 200, body);
    }
    if (p === '/api/v1/admin/users' && req.method === 'GET') return json(res, 200, state.users.map(({ password, mustChange, ...u }) => u));
    m = /^\/api\/v1\/admin\/users\/([^/]+)\/reset-password$/.exec(p);
    if (m) {
      const u = state.users.find((x) => x.id === m[1]);
      if ((body?.temporaryPassword ?? '').length < 10) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', [{ field: 'temporaryPassword', message: 'minstens 10 tekens / at least 10 characters' }]);
      u.password = body.temporaryPassword;
      u.mustChange = true;
      return json(res, 204);
    }
    m = /^\/api\/v1\/admin\/users(?:\/([^/]+))?$/.exec(p);
    if (m && (req.method === 'POST' || req.method === 'PUT')) {
      if (req.method === 'POST') {
        if (state.users.some((u) => u.username === body.username)) return problem(res, 400, 'validation', 'Controleer de gemarkeerde velden. / Check the listed fields.', [{ field: 'username', message: 'bestaat al / already exists' }]);
        const u = { id: 'u-' + body.username, ...body, department: body.department ?? null };
        state.users.push(u);
        return json(res, 201, u);
      }
      const u = state.users.find((x) => x.id === m[1]);
      Object.assign(u, body);
      return json(res, 200, u);
    }
    if (p === '/api/v1/admin/canned-replies' && req.method === 'GET') return json(res, 200, state.canned);
    m = /^\/api\/v1\/admin\/canned-replies(?:\/([^/]+))?$/.exec(p);
    if (m) {
      if (req.method === 'DELETE') {
        state.canned = state.canned.filter((c) => c.id !== m[1]);
        return json(res, 204);
      }
      if (req.method === 'POST') {
        const c = { id: 'c' + (state.canned.length + 2), ...body };
        state.canned.push(c);
        return json(res, 201, c);
      }
      const c = state.canned.find((x) => x.id === m[1]);
      Object.assign(c, body);
      return json(res, 200, c);
    }
    m = /^\/api\/v1\/admin\/conversations\/([^/]+)\/personal-data$/.exec(p);
    if (m && req.method === 'DELETE') return state.conversations.some((c) => c.id === m[1]) ? json(res, 204) : problem(res, 404, 'not-found', 'Onbekend gesprek / Unknown conversation');
    if (p === '/api/v1/admin/callbacks/forget' && req.method === 'POST') {
      // as the service answers a number that is none (PhoneNumbers.lookup): the console shows its reason, it has no rule of its own
      if (body?.phone === '06-12') {
        return problem(res, 400, 'validation', 'Ongeldige invoer / Invalid input', [{ field: 'phone', message: 'Vul een geldig nummer in. / Enter a valid number.' }]);
      }
      return json(res, 200, { removed: 2 });
    }
    if (p === '/api/v1/admin/audit') return json(res, 200, { items: state.audit.filter((a) => !url.searchParams.get('actor') || a.actor === url.searchParams.get('actor')) });
    return problem(res, 404, 'not-found', 'Niet gevonden / Not found');
  });

  const wss = new WebSocketServer({ noServer: true });
  const sockets = new Set();
  server.on('upgrade', (req, socket, head) => {
    const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((s) => s.trim());
    const carrier = decodeURIComponent(protocols[1] ?? '');
    const token = carrier.replace(/^quarkus-http-upgrade#Authorization#Bearer /, '');
    let user = null;
    try {
      user = state.users.find((u) => u.id === JSON.parse(Buffer.from(token.split('.')[1], 'base64url')).sub);
    } catch {
      user = null;
    }
    if (!user || !(user.roles.includes('agent') || user.roles.includes('supervisor'))) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const t = new Date(Date.now() - 60_000).toISOString();
      const conversations =
        user.id === 'u-anne'
          ? [{ id: 'live-1', topic: 'paspoort-id', state: 'active', residentName: 'Lotte', queuedAt: t, assignedAt: t, residentOnline: true, confidential: false, messages: [{ seq: 1, from: 'resident', text: 'Kan ik langskomen voor een paspoort?', sentAt: t }] }]
          : [];
      // a held conversation the service cannot read just now: named in `later`, its `assigned` follows
      const later = state.later?.userId === user.id ? [state.later.conversation.id] : [];
      ws.send(JSON.stringify({ type: 'hello', agent: { id: user.id, name: user.displayName, topics: user.topics, maxConcurrent: user.maxConcurrent, status: 'available' }, conversations, ...(later.length ? { later } : {}) }));
      ws.send(JSON.stringify(boards(state)));
      ws.userId = user.id;
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', () => undefined);
    });
  });
  return server;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.argv[2] ?? 8099);
  createServer().listen(port, '127.0.0.1', () => console.log(`stand-in on http://127.0.0.1:${port}/console/`));
}
