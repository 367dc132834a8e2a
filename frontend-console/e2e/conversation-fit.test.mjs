// An open conversation on a small laptop, against the service: an agent, and a team lead who is
// also an agent (more tabs in the header), each with a conversation claimed and a reply being
// typed, must see the conversation's heading, Overdragen and Afsluiten, the newest message and
// Verstuur at once, scrolled only as far as Verstuur needs. The department behind the topic has a
// notice, shown beside the conversation as on a working day: the stand-in's check
// (notices-layout.stand-in.mjs) has none and passed, while on a service where one was set (as
// teamlead-admin-departments.test.mjs sets one for paspoort-id) the heading was pushed out of
// view. Part of `npm run e2e`; alone: `npm run e2e -- e2e/conversation-fit.test.mjs`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentBoard, api, createUser, launchBrowser, logIn, resident, screenshot, tokenFor, until } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-789';
const STAMP = Date.now().toString(36);
const TOPIC = `fit-${STAMP}`;
const ALL_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '23:59']]]));
const ROLES = { agent: ['agent'], supervisor: ['supervisor', 'agent'] };

let chrome;
// closed in after() too: a test that fails before its own close would keep the test process alive
const residents = [];

/** Where the parts of the page that take its height are (viewport coordinates), to say what did not fit. */
function heights(page) {
  return page.evaluate(() => {
    const place = (sel) => {
      const e = document.querySelector(sel);
      if (!e) return null;
      const r = e.getBoundingClientRect();
      return { top: Math.round(r.top), height: Math.round(r.height) };
    };
    return {
      innerHeight, scrollY: Math.round(scrollY), scrollHeight: document.documentElement.scrollHeight,
      header: place('header.top'), views: place('header.top .views'), main: place('main'), tabs: place('.conversations .tabs'),
      panelHead: place('.panel .panel-head'), deptNotices: place('.panel .dept-notices'), transcriptBox: place('.panel .transcript-box'), composer: place('.panel .composer'),
    };
  });
}

/** Whether the element lies wholly within the viewport; for a message, also within its log's visible part. */
const inView = (locator) => locator.evaluate((e) => {
  const r = e.getBoundingClientRect();
  const log = e.closest('.transcript')?.getBoundingClientRect();
  const top = Math.max(0, log ? log.top : 0);
  const bottom = Math.min(innerHeight, log ? log.bottom : innerHeight);
  return r.top >= top - 0.5 && r.bottom <= bottom + 0.5;
});

// Its topic and department have names of their own: the other files of the run look for "Paspoort" in
// the figures and check the departments' screen, where a second "Burgerzaken" is a landmark named twice.
describe('an open conversation fits a small laptop, for an agent and a team lead', { timeout: 240_000 }, () => {
  before(async () => {
    const admin = await tokenFor('admin', process.env.LOKET_ADMIN_PASSWORD);
    await api('POST', '/api/v1/admin/topics', {
      token: admin,
      body: { id: TOPIC, nameNl: `Schermpassing ${STAMP}`, nameEn: `Screen fit ${STAMP}`, sortOrder: 999, openingHours: ALL_DAY, closedDates: [] },
      expect: 201,
    });
    await api('POST', '/api/v1/departments', {
      token: admin,
      body: { id: `fit-dept-${STAMP}`, name: `Schermpassing ${STAMP}`, contactRoutes: [{ kind: 'phone', label: 'Telefonisch', value: '14 020' }], topics: [TOPIC] },
      expect: 201,
    });
    await createUser(admin, { username: `fit-dept-${STAMP}`, displayName: 'Dora', password: PASSWORD, roles: ['department'], topics: [], department: `fit-dept-${STAMP}` });
    await api('POST', `/api/v1/departments/fit-dept-${STAMP}/notices`, {
      token: await tokenFor(`fit-dept-${STAMP}`, PASSWORD),
      body: { kind: 'reduced', agentText: 'Vandaag beperkt bereikbaar: verwijs voor spoed naar de balie.' },
      expect: [200, 201],
    });
    for (const [role, roles] of Object.entries(ROLES)) {
      await createUser(admin, { username: `fit-${role}-${STAMP}`, displayName: role === 'agent' ? 'Anne' : 'Tess', password: PASSWORD, roles, topics: [TOPIC] });
    }
    chrome = await launchBrowser();
  });

  after(async () => {
    for (const r of residents) r.close();
    await chrome?.close();
  });

  for (const role of Object.keys(ROLES)) {
    for (const viewport of [
      { width: 1024, height: 700 },
      { width: 1280, height: 800 },
      { width: 800, height: 900 },
    ]) {
      it(`${role} at ${viewport.width}×${viewport.height}: heading, Overdragen, Afsluiten, the newest message and Verstuur in view at once`, async () => {
        const { page, context, errors } = await logIn(chrome.browser, `fit-${role}-${STAMP}`, PASSWORD, { viewport, ready: agentBoard });
        const jan = await resident(TOPIC, 'Jan');
        residents.push(jan);
        jan.send('Mijn paspoort is verlopen');
        await page.getByRole('button', { name: 'Volgende gesprek' }).click();
        const log = page.locator('.panel .transcript');
        await log.locator('.msg-resident').first().waitFor();
        // a conversation under way: the log is fuller than its place, the newest message at its foot
        for (let i = 1; i <= 8; i++) jan.send(`Vraag ${i} over mijn aanvraag`);
        const newest = log.locator('.msg-resident', { hasText: 'Vraag 8 over mijn aanvraag' });
        await newest.waitFor();
        await page.locator('.panel .dept-notices').waitFor();

        // the agent types a reply, Verstuur at the foot of the screen: the page scrolled no further than it needs
        await page.getByLabel('Uw bericht').fill('Ik zoek het voor u op.');
        const send = page.getByRole('button', { name: 'Verstuur', exact: true });
        // the board and the waiting list above the conversation (one column) may still close up after the claim: look again until settled
        const outOfView = async () => {
          await send.evaluate((e) => e.scrollIntoView({ block: 'end' }));
          const seen = {
            heading: await inView(page.getByRole('heading', { name: 'Gesprek met Jan' })),
            Overdragen: await inView(page.getByRole('button', { name: 'Overdragen', exact: true })),
            Afsluiten: await inView(page.getByRole('button', { name: 'Afsluiten', exact: true })),
            newest: await inView(newest),
            Verstuur: await inView(send),
          };
          return Object.keys(seen).filter((k) => !seen[k]);
        };
        const missed = await until(async () => ((await outOfView()).length === 0 ? [] : null), 'everything in view', 10_000).catch(() => outOfView());
        await screenshot(page, `conversation-fit-${role}-${viewport.width}x${viewport.height}`);
        const measured = await heights(page);
        console.log(`  ${role} ${viewport.width}×${viewport.height}: ${JSON.stringify(measured)}`);
        assert.deepEqual(missed, [], `out of view: ${JSON.stringify(measured)}`);
        assert.deepEqual(errors, []);
        // closed, so that the next test's Volgende gesprek brings its own conversation
        await page.getByRole('button', { name: 'Afsluiten', exact: true }).click();
        const dialog = page.getByRole('dialog', { name: 'Gesprek afsluiten' });
        await dialog.getByLabel('Doorverwezen').check();
        await dialog.getByRole('button', { name: 'Afsluiten' }).click();
        await jan.waitFor((f) => f.type === 'state' && f.state === 'closed', 'closed');
        await context.close();
        jan.close();
      });
    }
  }
});
