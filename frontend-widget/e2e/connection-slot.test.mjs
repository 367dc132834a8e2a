// A resident on a 360×740 phone waits in a surge with a callback offer above the chat when the
// connection drops and comes back: "Geen verbinding", "De verbinding is terug." and "Verbonden"
// take one line of fixed height in the header, so the message box, the conversation's last line
// and "Bel mij terug" stay where the resident's finger and eyes are. Also at 200 % zoom.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { join } from 'node:path';
import { BASE, createOpenTopic, dropNetwork, handOnSockets, launch, openWidget, restoreNetwork, RESULTS, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
/** A topic nobody serves: the resident who chats anyway waits with a callback offer above the chat. */
const EMPTY = { id: `stil-${STAMP}`, nameNl: `Stil ${STAMP}`, nameEn: `Quiet ${STAMP}` };

let browser;

before(async () => {
  await createOpenTopic(EMPTY);
  browser = await launch({ width: 360, height: 740 }, { touch: true });
  // the test's hand on the network: drop the widget's socket, and send new ones nowhere
  await handOnSockets(browser.context);
});

after(async () => {
  await browser?.close();
});

/** Where the things a resident reads and taps are, in the viewport. */
function places(page) {
  return page.evaluate(() => {
    const root = document.getElementById('loket-widget').shadowRoot;
    const top = (el) => (el ? Math.round(el.getBoundingClientRect().top) : null);
    const bottom = (el) => (el ? Math.round(el.getBoundingClientRect().bottom) : null);
    const buttons = [...root.querySelectorAll('button')];
    return {
      messageBox: top(root.querySelector('textarea')),
      send: top(buttons.find((b) => b.textContent === 'Verstuur')),
      callMeBack: top(buttons.find((b) => b.textContent === 'Bel mij terug')),
      lastLine: bottom([...root.querySelectorAll('.log .msg')].at(-1)),
      queue: top(root.querySelector('.queue')),
    };
  });
}

/** The header's connection line: its words, and whether all of them are in view (nothing clipped). */
function connectionLine(page) {
  return page.evaluate(() => {
    const line = document.getElementById('loket-widget').shadowRoot.querySelector('.conn');
    const words = line.querySelector('span') ?? line;
    const r = words.getBoundingClientRect();
    const box = line.getBoundingClientRect();
    return {
      text: line.textContent.trim(),
      readable: r.width > 0 && r.top >= box.top - 1 && r.bottom <= box.bottom + 1 && r.bottom <= window.innerHeight && r.right <= window.innerWidth + 1,
    };
  });
}

async function outageKeepsPlaces(page, label) {
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  await page.waitForTimeout(300); // the offer's and the message's layout settle (no condition to wait on)
  const was = await places(page);
  assert.ok(was.messageBox !== null && was.callMeBack !== null && was.lastLine !== null, `${label}: all in view ${JSON.stringify(was)}`);

  await dropNetwork(page);
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor();
  assert.deepEqual(await places(page), was, `${label}: nothing moves when the connection drops`);
  assert.equal((await connectionLine(page)).readable, true, `${label}: "Geen verbinding" readable`);
  await page.screenshot({ path: join(RESULTS, `connection-slot-offline-${label}.png`) });

  await restoreNetwork(page);
  await dialog.getByText('De verbinding is terug.').waitFor({ timeout: 20000 });
  assert.deepEqual(await places(page), was, `${label}: nothing moves when it is back`);
  assert.equal((await connectionLine(page)).readable, true, `${label}: "De verbinding is terug." readable`);
  await dialog.getByText('Verbonden', { exact: true }).waitFor({ timeout: 10000 });
  assert.deepEqual(await places(page), was, `${label}: nothing moves when the line says "Verbonden" again`);
}

test('the connection dropping and coming back moves neither the message box, the last line nor "Bel mij terug"', withSnapshot(() => browser, 'connection-slot', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: EMPTY.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Toch chatten en wachten' }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByRole('button', { name: 'Bel mij terug' }).waitFor();
  await page.getByLabel('Uw bericht').fill('Ik wacht op mijn beurt');
  await page.getByRole('button', { name: 'Verstuur' }).tap();
  await dialog.locator('.msg:not(.pending)', { hasText: 'Ik wacht op mijn beurt' }).waitFor();
  await outageKeepsPlaces(page, '360px');

  // 200 % zoom on the same phone: a 180 px wide page
  await page.setViewportSize({ width: 180, height: 370 });
  await outageKeepsPlaces(page, 'zoom200');
  assert.deepEqual(browser.errors, []);
}));
