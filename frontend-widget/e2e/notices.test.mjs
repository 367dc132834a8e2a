// The widget's half of issue 12 in a real browser, with the service's answers amended by the
// test (so it runs before the departments backend exists): a department notice on a topic and
// in the queue, and the house rules with the retention from GET /api/v1/settings.
// e2e/departments.pending.mjs tests the same against the real backend.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, checkScreen, launch, openWidget, topicsAs, withSnapshot } from './helpers.mjs';

const NOTICE = {
  department: 'Burgerzaken',
  kind: 'appointment_only',
  text: 'Maak een afspraak via de website.',
  until: '2027-02-28T23:00:00Z', // 1 March 2027, 00:00 in Amsterdam
};

let browser;

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

function describedBy(locator) {
  return locator.evaluate((el) => (el.getAttribute('aria-describedby') ?? '').split(/\s+/).filter(Boolean)
    .map((id) => el.getRootNode().getElementById(id)?.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim());
}

test('a department notice shows on its topic and in the queue; the rules say the configured days', withSnapshot(() => browser, 'notices', async () => {
  const page = await browser.newPage();
  // no agent is free in this run: the widget proposes a callback first, whatever the wait
  await topicsAs(page, (t) => {
    if (t.id === 'paspoort-id') Object.assign(t, { departmentNotices: [NOTICE], open: true, callbackOffered: true });
  });
  await page.route('**/api/v1/settings', (route) => route.fulfill({ json: { retentionDays: 14 } }));

  await page.goto(BASE + '/');
  await openWidget(page);
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  const topic = page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true });
  await topic.waitFor();
  const item = dialog.locator('.topic', { has: topic });
  await item.getByText('Burgerzaken: Alleen op afspraak tot maandag 1 maart 2027.').waitFor();
  await item.getByText('Maak een afspraak via de website.').waitFor();
  assert.match(await describedBy(topic), /Burgerzaken: Alleen op afspraak tot maandag 1 maart 2027\. Maak een afspraak via de website\.$/);
  // other topics carry no notice
  assert.equal(await dialog.locator('.topic', { has: page.getByRole('button', { name: 'Rijbewijs', exact: true }) }).locator('.dept-notices').count(), 0);
  await checkScreen(page, '17-notice-topic');

  await topic.click();
  await dialog.getByRole('heading', { name: 'Terugbelverzoek' }).waitFor();
  await dialog.getByText('verwijderen ze 14 dagen nadat uw verzoek is afgehandeld', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Toch chatten en wachten' }).click();
  await dialog.getByText('Wij bewaren uw naam en berichten 14 dagen.', { exact: false }).waitFor();
  await dialog.getByText('Deel geen BSN', { exact: false }).waitFor();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await dialog.getByText(/U bent (de volgende|nummer \d+) in de wachtrij/).waitFor();
  const queued = dialog.locator('.queue-notices');
  await queued.getByText('Burgerzaken: Alleen op afspraak tot maandag 1 maart 2027.').waitFor();
  const box = page.getByLabel('Uw bericht');
  assert.equal(await box.evaluate((el) => el === el.getRootNode().activeElement), true, 'the message box has the focus');
  assert.ok((await describedBy(box)).includes('Maak een afspraak via de website.'));
  await checkScreen(page, '18-notice-queue');

  await page.getByRole('button', { name: 'Gesprek beëindigen' }).click();
  await page.getByRole('button', { name: 'Ja, beëindigen' }).click();
  await dialog.getByRole('heading', { name: 'U staat niet meer in de wachtrij.' }).waitFor();
  assert.equal(await queued.isVisible(), false);
  assert.deepEqual(browser.errors, []);
}));
