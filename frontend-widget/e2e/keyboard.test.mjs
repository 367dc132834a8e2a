// The whole journey by keyboard alone, with visible focus; and the layout at 200 % zoom and
// on a 360 px wide phone, with reduced motion respected.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, createAgent, focused, launch, openWidget, withSnapshot } from './helpers.mjs';

let browser;
let agent;

before(async () => {
  agent = await AgentSocket.connect((await createAgent(['rijbewijs'], 'Karin')).token);
  browser = await launch();
});

after(async () => {
  agent?.close();
  await browser?.close();
});

/** Press Tab until the focused element matches; fails after a page's worth of stops. */
async function tabTo(page, text, { shift = false, max = 40 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const f = await focused(page);
    if (f && f.text === text) return f;
  }
  throw new Error(`Tab never reached "${text}"`);
}

/** The focused element shows a focus indicator (an outline of at least 2 px). */
async function assertVisibleFocus(page) {
  const style = await page.evaluate(() => {
    const host = document.getElementById('loket-widget');
    const el = host.shadowRoot.activeElement ?? document.activeElement;
    const s = getComputedStyle(el);
    return { style: s.outlineStyle, width: parseFloat(s.outlineWidth), tag: el.tagName };
  });
  assert.notEqual(style.style, 'none', `focus on ${style.tag} is visible`);
  assert.ok(style.width >= 2, `focus outline on ${style.tag} is at least 2px`);
}

test('a resident goes through the whole journey with the keyboard only', withSnapshot(() => browser, 'keyboard', async () => {
  const page = await browser.newPage();
  await page.goto(BASE + '/');
  await page.getByRole('button', { name: 'Chat met de gemeente' }).waitFor();

  await tabTo(page, 'Chat met de gemeente');
  await assertVisibleFocus(page);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Rijbewijs', exact: true }).waitFor();
  assert.equal((await focused(page)).text, 'Waarover gaat uw vraag?', 'focus moves into the panel, to its heading');

  await tabTo(page, 'Rijbewijs');
  await assertVisibleFocus(page);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Voordat u begint' }).waitFor();
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).tag, 'input');
  await assertVisibleFocus(page);
  await page.keyboard.type('Kees');
  await tabTo(page, 'Start de chat');
  await assertVisibleFocus(page);
  await page.keyboard.press('Enter');

  await page.getByLabel('Uw bericht').waitFor();
  assert.equal((await focused(page)).tag, 'textarea', 'the message box has focus once the chat starts');
  await page.keyboard.type('Mijn rijbewijs is gestolen');
  await page.keyboard.press('Enter');
  const id = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')).id);
  await agent.next((f) => f.type === 'queues');
  await agent.claim(id);
  await agent.say(id, 'Doe eerst aangifte bij de politie.');
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText('Doe eerst aangifte bij de politie.').waitFor();

  // Escape closes; focus returns to the launcher; Enter opens again where the resident was
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'hidden' });
  assert.equal((await focused(page)).text, 'Chat met de gemeente');
  await assertVisibleFocus(page);
  await agent.say(id, 'Daarna kunt u een nieuw rijbewijs aanvragen.');
  // with the panel closed, the launcher shows that something came in, and a screen reader hears it
  await page.locator('#loket-widget .launcher .badge').waitFor();
  assert.equal(await page.getByRole('status').filter({ hasText: 'Nieuw bericht van Karin in de chat.' }).count(), 1);
  await page.keyboard.press('Enter');
  await dialog.getByText('Daarna kunt u een nieuw rijbewijs aanvragen.').waitFor();
  assert.equal((await focused(page)).tag, 'textarea');

  // the agent closes; the rating is reachable and operable by keyboard
  agent.send({ type: 'close', conversationId: id, outcome: 'answered' });
  await dialog.getByRole('heading', { name: 'Het gesprek is beëindigd.' }).waitFor();
  await tabTo(page, '5');
  await assertVisibleFocus(page);
  await page.keyboard.press('Space');
  assert.equal(await dialog.getByRole('button', { name: '5', exact: true }).getAttribute('aria-pressed'), 'true');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).tag, 'textarea');
  await page.keyboard.type('Duidelijk antwoord');
  await tabTo(page, 'Beoordeling versturen');
  await page.keyboard.press('Enter');
  await dialog.getByText('Bedankt voor uw beoordeling.').waitFor();
  await tabTo(page, 'Nieuwe vraag');
  await assertVisibleFocus(page);
  await page.keyboard.press('Enter');
  await page.getByRole('button', { name: 'Rijbewijs', exact: true }).waitFor();
  assert.deepEqual(browser.errors, []);
}));

test('nothing is cut off at 200 % zoom or on a 360 px phone, and motion follows the system setting', withSnapshot(() => browser, 'zoom', async () => {
  const page = await browser.newPage();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: 'Rijbewijs', exact: true }).waitFor();
  const animation = await page.evaluate(() => getComputedStyle(document.getElementById('loket-widget').shadowRoot.querySelector('.panel')).animationName);
  assert.equal(animation, 'none', 'no animation with prefers-reduced-motion: reduce');

  // 1280×800 at 200 % zoom is a 640×400 CSS-pixel viewport
  for (const size of [{ width: 640, height: 400 }, { width: 360, height: 640 }]) {
    await page.setViewportSize(size);
    const fit = await page.evaluate(() => {
      const root = document.getElementById('loket-widget').shadowRoot;
      const panel = root.querySelector('.panel').getBoundingClientRect();
      const body = root.querySelector('.body');
      return {
        inside: panel.left >= 0 && panel.top >= 0 && panel.right <= innerWidth + 0.5 && panel.bottom <= innerHeight + 0.5,
        noSideways: body.scrollWidth <= body.clientWidth + 1,
      };
    });
    assert.deepEqual(fit, { inside: true, noSideways: true }, `panel fits ${size.width}×${size.height}`);
    // everything can be reached: the last topic scrolls into view and works
    const last = page.getByRole('button', { name: 'Overige vragen', exact: true }).or(page.getByRole('button', { name: 'Overig', exact: true }));
    await last.first().scrollIntoViewIfNeeded();
    assert.ok(await last.first().isVisible());
  }
}));
