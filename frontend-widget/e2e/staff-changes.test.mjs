// Issue 12, seen from the widget: what a team lead and an administrator set in the console
// reaches a resident in a real browser. The console's own e2e drives the same settings through
// its screens (frontend-console/e2e/teamlead-admin-departments.test.mjs); here they are made
// over the same API, and the widget must show them.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, admin, api, checkScreen, createAgent, createOpenTopic, launch, loginAs, openWidget, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
const TOPIC = { id: `krap-${STAMP}`, nameNl: `Parkeren ${STAMP}`, nameEn: `Parking ${STAMP}` };

let browser;
let agent;
let adminToken;
let teamLead;

/** Today in Amsterdam, as a closed date. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(new Date());

before(async () => {
  adminToken = await admin();
  await createOpenTopic(TOPIC);
  const username = `tl${STAMP}`;
  const password = 'teamlead-password-' + STAMP;
  const lead = await api('POST', '/api/v1/admin/users', {
    token: adminToken,
    body: { username, displayName: 'Sara', password, roles: ['supervisor'], topics: [TOPIC.id], maxConcurrent: 1 },
  });
  assert.ok(lead.status === 201 || lead.status === 200, `create team lead: ${lead.status} ${lead.text}`);
  teamLead = await loginAs(username, password);
  // an agent is on duty, so nothing but the flag makes the widget offer a callback
  agent = await AgentSocket.connect((await createAgent([TOPIC.id], 'Sanne')).token);
  browser = await launch();
});

after(async () => {
  agent?.close();
  await browser?.close();
});

async function startChat(page) {
  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await dialog.getByText(/U bent (de volgende|nummer \d+) in de wachtrij/).waitFor();
  return dialog;
}

test('a team lead flags the topic short and the waiting resident is offered a callback', withSnapshot(() => browser, 'capacity-short', async () => {
  const page = await browser.newPage();
  const dialog = await startChat(page);
  assert.equal(await dialog.getByText('Het is nu erg druk. Wilt u dat wij u terugbellen?', { exact: false }).count(), 0,
    'no offer before the flag');

  const flag = await api('PUT', `/api/v1/capacity/${TOPIC.id}`, {
    token: teamLead,
    body: { short: true, until: new Date(Date.now() + 3_600_000).toISOString(), reason: 'Ziekte in het team' },
  });
  assert.equal(flag.status, 200, `flag: ${flag.status} ${flag.text}`);
  await dialog.getByText('Het is nu erg druk. Wilt u dat wij u terugbellen?', { exact: false }).waitFor();

  const back = await api('PUT', `/api/v1/capacity/${TOPIC.id}`, { token: teamLead, body: { short: false } });
  assert.equal(back.status, 200, `unflag: ${back.status} ${back.text}`);
  // the reason went: the offer goes quiet (after standing 10 s at least), and a callback can still be asked for
  await dialog.getByText('Het is minder druk geworden.', { exact: false }).waitFor({ timeout: 30_000 });
  assert.equal(await dialog.getByText('Het is nu erg druk. Wilt u dat wij u terugbellen?', { exact: false }).count(), 0,
    'the busy words are gone');
  assert.equal(await dialog.getByRole('button', { name: 'Bel mij terug' }).count(), 0);
  await dialog.getByRole('button', { name: 'Liever teruggebeld worden?' }).waitFor();
  await checkScreen(page, '19-callback-offer-withdrawn');
  await dialog.getByRole('button', { name: 'Liever teruggebeld worden?' }).click();
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  await page.close();
}));

test('an administrator closes the topic for today and the widget shows it closed with its next opening', withSnapshot(() => browser, 'closed-day', async () => {
  const current = await api('GET', `/api/v1/admin/topics`, { token: adminToken });
  const topic = (current.json.items ?? current.json).find((t) => t.id === TOPIC.id);
  const closed = await api('PUT', `/api/v1/admin/topics/${TOPIC.id}`, {
    token: adminToken,
    body: { ...topic, closedDates: [today()] },
  });
  assert.equal(closed.status, 200, `close: ${closed.status} ${closed.text}`);
  try {
    const page = await browser.newPage();
    await page.goto(BASE + '/');
    await openWidget(page);
    const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
    const item = dialog.locator('li.topic', { has: page.getByRole('button', { name: TOPIC.nameNl, exact: true }) });
    // "Nu gesloten. Weer open <the next day that is not closed>."
    await item.getByText(/Nu gesloten\.\s+Weer open .+\./).waitFor();
    await page.getByRole('button', { name: TOPIC.nameNl, exact: true }).click();
    await dialog.getByText(/Dit onderwerp is nu gesloten\. Wij zijn weer open .+\./).waitFor();
    await page.close();
  } finally {
    await api('PUT', `/api/v1/admin/topics/${TOPIC.id}`, { token: adminToken, body: { ...topic, closedDates: [] } });
  }
}));
