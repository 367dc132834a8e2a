// Issue 12, the resident's side: a department reports "alleen op afspraak" itself, and the
// resident sees it on the topic and while waiting; the house rules say the configured retention.
//
// Against the real service: the departments backend (POST /api/v1/departments, the `department`
// role, notices, `departmentNotices` on GET /api/v1/topics, GET /api/v1/settings); docs/departments.md.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, admin, api, checkScreen, createAgent, launch, loginAs, openWidget, withSnapshot, asEnglishSite } from './helpers.mjs';

const RESIDENT_TEXT = 'Maak een afspraak via de website.';
const STAMP = Date.now().toString(36);
/** Stamped as the id is: two departments may not share a name, and the service may be one already used (LOKET_E2E_URL). */
const DEPARTMENT = `Burgerzaken ${STAMP}`;

let browser;
let agent;
let department;
let staff;
let notice;
let until;

/** Midnight in Amsterdam, `days` from now: a notice "until" a date. */
function amsterdamMidnight(days) {
  const target = new Date(Date.now() + days * 86400000);
  const [y, m, d] = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(target).split('-').map(Number);
  const clock = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Amsterdam', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  for (const offset of [1, 2]) {
    const at = new Date(Date.UTC(y, m - 1, d, -offset));
    if (clock.format(at) === '00:00') return { iso: at.toISOString(), day: d };
  }
  throw new Error('no Amsterdam midnight found');
}

/** The text assistive technology reads as the description of the element (aria-describedby). */
function describedBy(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    .map((id) => el.getRootNode().getElementById(id)?.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim());
}

before(async () => {
  const token = await admin();
  const stamp = STAMP;
  const created = await api('POST', '/api/v1/departments', {
    token,
    body: { id: `burgerzaken-${stamp}`, name: DEPARTMENT, contactRoutes: [{ kind: 'phone', label: 'Telefoon', value: '14 0000' }], topics: ['paspoort-id'] },
  });
  assert.equal(created.status, 201, `POST /api/v1/departments: ${created.status} ${created.text}`);
  department = created.json;

  // the department reports it itself, as it would by phone today
  const username = `balie${stamp}`;
  const password = 'department-password-' + stamp;
  const user = await api('POST', '/api/v1/admin/users', {
    token,
    body: { username, displayName: 'Balie Burgerzaken', password, roles: ['department'], topics: [], maxConcurrent: 1, department: department.id },
  });
  assert.ok(user.status === 201 || user.status === 200, `create department user: ${user.status} ${user.text}`);
  staff = await loginAs(username, password);

  until = amsterdamMidnight(3);
  const set = await api('POST', `/api/v1/departments/${department.id}/notices`, {
    token: staff,
    body: { kind: 'appointment_only', until: until.iso, agentText: 'Balie alleen op afspraak; verwijs naar de website.', residentText: RESIDENT_TEXT },
  });
  assert.equal(set.status, 201, `POST notice: ${set.status} ${set.text}`);
  notice = set.json;

  agent = await AgentSocket.connect((await createAgent(['paspoort-id'], 'Sanne')).token);
  browser = await launch();
});

after(async () => {
  if (notice) await api('DELETE', `/api/v1/departments/${department.id}/notices/${notice.id}`, { token: staff });
  agent?.close();
  await browser?.close();
});

test('the topic list carries the notice for residents', async () => {
  const topics = await api('GET', '/api/v1/topics?lang=nl');
  assert.equal(topics.status, 200);
  const paspoort = topics.json.find((t) => t.id === 'paspoort-id');
  const ours = (paspoort.departmentNotices ?? []).filter((n) => n.department === DEPARTMENT && n.text === RESIDENT_TEXT);
  assert.equal(ours.length, 1, JSON.stringify(paspoort.departmentNotices));
  assert.equal(ours[0].kind, 'appointment_only');
  assert.equal(new Date(ours[0].until).toISOString(), until.iso);
  const other = topics.json.find((t) => t.id === 'afval');
  assert.ok(!(other.departmentNotices ?? []).some((n) => n.text === RESIDENT_TEXT), 'not on a topic of another department');
});

test('a resident sees "alleen op afspraak" on the topic and while waiting, and the configured retention', withSnapshot(() => browser, 'department-notice', async () => {
  const settings = await api('GET', '/api/v1/settings');
  assert.equal(settings.status, 200, `GET /api/v1/settings: ${settings.status} ${settings.text}`);
  assert.ok(Number.isInteger(settings.json.retentionDays), settings.text);

  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  const topic = page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true });
  await topic.waitFor();
  const lead = new RegExp(`${DEPARTMENT}: Alleen op afspraak tot \\S+ ${until.day} \\S+( \\d{4})?\\.`);
  await dialog.locator('.topic', { has: topic }).getByText(lead).waitFor();
  await dialog.locator('.topic', { has: topic }).getByText(RESIDENT_TEXT).waitFor();
  const description = await describedBy(topic);
  assert.match(description, lead);
  assert.ok(description.includes(RESIDENT_TEXT), description);
  await checkScreen(page, '15-department-notice-topic');

  await topic.click();
  await dialog.getByText(`Wij bewaren uw naam en berichten ${settings.json.retentionDays} dagen.`, { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await dialog.getByText(/U bent (de volgende|nummer \d+) in de wachtrij/).waitFor();
  const queued = dialog.locator('.queue-notices');
  await queued.getByText(lead).waitFor();
  await queued.getByText(RESIDENT_TEXT).waitFor();
  assert.ok((await describedBy(page.getByLabel('Uw bericht'))).includes(RESIDENT_TEXT), 'the message box, which has the focus, is described by the notice');
  await checkScreen(page, '16-department-notice-queue');

  // once an agent has the conversation the notice makes room for it
  const id = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')).id);
  await agent.claim(id);
  await dialog.getByText('U chat met Sanne.').waitFor();
  assert.equal(await queued.isVisible(), false);
  agent.send({ type: 'close', conversationId: id, outcome: 'answered' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor();
  assert.deepEqual(browser.errors, []);
}));

test('in English the kind is worded in English', withSnapshot(() => browser, 'department-notice-en', async () => {
  const page = await browser.newPage();
  await asEnglishSite(page);
  await page.goto(BASE + '/');
  await page.getByRole('button', { name: 'Chat with the municipality' }).click();
  const topic = page.getByRole('button', { name: 'Passport and ID card', exact: true });
  await topic.waitFor();
  const item = page.locator('.topic', { has: topic });
  await item.getByText(new RegExp(`${DEPARTMENT}: By appointment only until \\S+ ${until.day} \\S+( \\d{4})?\\.`)).waitFor();
  assert.deepEqual(browser.errors, []);
}));

test('a notice the department ends is gone from the topic', withSnapshot(() => browser, 'department-notice-ended', async () => {
  const ended = await api('DELETE', `/api/v1/departments/${department.id}/notices/${notice.id}`, { token: staff });
  assert.equal(ended.status, 204, ended.text);
  notice = null;
  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await openWidget(page);
  const topic = page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true });
  await topic.waitFor();
  assert.equal(await page.locator('.topic', { has: topic }).getByText(RESIDENT_TEXT).count(), 0);
  assert.ok(!(await describedBy(topic)).includes(DEPARTMENT));
}));
