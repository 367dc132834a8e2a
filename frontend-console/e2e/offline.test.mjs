// An agent whose browser goes offline (the office Wi-Fi drops): the browser says so at once
// (`offline`), and so must the console, rather than no banner and a reply "wordt verstuurd…"
// over a socket that carries nothing (Chromium keeps it open). The reply typed meanwhile goes
// once the network is back, once; what the resident wrote meanwhile shows once. Part of
// `npm run e2e`; alone: `npm run e2e -- e2e/offline.test.mjs`.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { agentBoard, api, createUser, launchBrowser, logIn, resident, tokenFor, until } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-789';
const STAMP = Date.now().toString(36);
const TOPIC = `offline-${STAMP}`;
const ALL_DAY = Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((d) => [d, [['00:00', '23:59']]]));

let chrome;

describe('the console when the browser goes offline', { timeout: 120_000 }, () => {
  before(async () => {
    const admin = await tokenFor('admin', process.env.LOKET_ADMIN_PASSWORD);
    await api('POST', '/api/v1/admin/topics', {
      token: admin,
      body: { id: TOPIC, nameNl: `Offline ${STAMP}`, nameEn: `Offline ${STAMP}`, sortOrder: 999, openingHours: ALL_DAY, closedDates: [] },
      expect: 201,
    });
    await createUser(admin, { username: `off-${STAMP}`, displayName: 'Olga', password: PASSWORD, roles: ['agent'], topics: [TOPIC] });
    chrome = await launchBrowser();
  });

  after(async () => {
    await chrome?.close();
  });

  it('says "Verbinding verbroken" at once, and sends the reply typed meanwhile once when it is back', async () => {
    const { page, context, errors } = await logIn(chrome.browser, `off-${STAMP}`, PASSWORD, { ready: agentBoard });
    const jan = await resident(TOPIC, 'Jan');
    jan.send('Mijn paspoort is verlopen');
    await page.getByRole('button', { name: 'Volgende gesprek' }).click();
    const transcript = page.locator('.panel .transcript');
    await transcript.locator('.msg-resident', { hasText: 'Mijn paspoort is verlopen' }).waitFor();
    const banner = page.locator('.banner-slot');
    await until(async () => (await banner.textContent()) === '', 'no banner while connected');

    await context.setOffline(true);
    // said within a few seconds, not only once the network is back
    await banner.getByText(/Verbinding verbroken/).waitFor({ timeout: 3000 });
    await page.getByLabel('Uw bericht').fill('Ik zoek het voor u op.');
    await page.getByRole('button', { name: 'Verstuur' }).click();
    await transcript.locator('.msg-pending', { hasText: 'Ik zoek het voor u op.' }).waitFor();
    jan.send('Ik wacht even');

    await context.setOffline(false);
    await until(async () => !/Verbinding verbroken/.test(await banner.textContent()), 'the banner gone once the network is back');
    await jan.waitFor((f) => f.type === 'message' && f.text === 'Ik zoek het voor u op.', 'the reply');
    await transcript.locator('.msg-resident', { hasText: 'Ik wacht even' }).waitFor();
    await until(async () => (await transcript.locator('.msg-pending').count()) === 0, 'nothing left pending');
    const texts = await transcript.locator('.msg-resident, .msg-agent').evaluateAll((els) => els.map((e) => e.querySelector('.text')?.textContent ?? e.textContent));
    assert.equal(texts.filter((t) => t.includes('Ik zoek het voor u op.')).length, 1, `the reply once: ${JSON.stringify(texts)}`);
    assert.equal(texts.filter((t) => t.includes('Ik wacht even')).length, 1, `the resident's message once: ${JSON.stringify(texts)}`);
    assert.equal(jan.frames.filter((f) => f.type === 'message' && f.text === 'Ik zoek het voor u op.').length, 1, 'stored and delivered once');
    assert.deepEqual(errors, []);
    await context.close();
    jan.close();
  });
});
