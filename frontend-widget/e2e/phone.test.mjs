// A resident on a phone: a short screen (the on-screen keyboard takes half of it), a narrow one
// (200 % zoom), and the end of a conversation that came while the connection was away.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, checkScreen, createAgent, createOpenTopic, launch, openWidget, topicsAs, withSnapshot } from './helpers.mjs';

const STAMP = Date.now().toString(36);
/** A topic nobody serves: the resident who chats anyway waits with a callback offer above the chat. */
const EMPTY = { id: `leeg-${STAMP}`, nameNl: `Leeg ${STAMP}`, nameEn: `Empty ${STAMP}` };

let browser;
let agent;

before(async () => {
  await createOpenTopic(EMPTY);
  agent = await AgentSocket.connect((await createAgent(['paspoort-id'], 'Anne')).token);
  browser = await launch({ width: 360, height: 740 });
  // on every page of the context: each test opens a new tab
  await browser.context.addInitScript(() => {
    // the test's hand on the network: drop the widget's socket, and send new ones nowhere
    const Native = window.WebSocket;
    window.__loketSockets = [];
    // a reload without a connection: the test leaves a word in the tab that survives the reload
    window.__loketOffline = sessionStorage.getItem('__testOffline') === '1';
    window.WebSocket = class extends Native {
      constructor(url, protocols) {
        super(window.__loketOffline ? String(url).replace(/^ws(s?):\/\/[^/]+/, 'ws$1://127.0.0.1:9') : url, protocols);
        window.__loketSockets.push(this);
      }
    };
  });
});

after(async () => {
  agent?.close();
  await browser?.close();
});

/** A resident on `page` starts a chat about a passport and Anne takes it: the chat's dialog and the conversation's id. */
async function chatWithAnne(page) {
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText('Verbonden', { exact: true }).waitFor();
  const { id } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')));
  await agent.claim(id);
  await dialog.getByText('U chat met Anne.').waitFor();
  return { dialog, id };
}

/** Where an element of the widget is, and whether it is the one a finger at its middle would touch. */
function place(page, selector) {
  return page.evaluate((sel) => {
    const root = document.getElementById('loket-widget').shadowRoot;
    const el = root.querySelector(sel);
    const r = el.getBoundingClientRect();
    const hit = root.elementFromPoint(r.left + r.width / 2, r.top + Math.min(r.height / 2, 10));
    return { top: r.top, bottom: r.bottom, width: r.width, touchable: hit === el || el.contains(hit) };
  }, selector);
}

/** Whether an element lies wholly inside the visible part of the message log. */
function inLogView(page, text) {
  return page.evaluate((t) => {
    const root = document.getElementById('loket-widget').shadowRoot;
    const log = root.querySelector('.log').getBoundingClientRect();
    const msg = [...root.querySelectorAll('.log .msg')].find((m) => m.textContent.includes(t));
    if (!msg) return 'not in the log';
    const r = msg.getBoundingClientRect();
    return r.top >= log.top - 1 && r.bottom <= log.bottom + 1 ? 'visible' : `scrolled away (${Math.round(r.top)}–${Math.round(r.bottom)} outside ${Math.round(log.top)}–${Math.round(log.bottom)})`;
  }, text);
}

test('with the on-screen keyboard up, the message box stays in view when a callback offer comes and while messages are sent', withSnapshot(() => browser, 'phone-keyboard', async () => {
  const page = await browser.newPage();
  // a 360×740 phone with the keyboard taking the lower part of the screen
  await page.setViewportSize({ width: 360, height: 400 });
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: EMPTY.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Toch chatten en wachten' }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
  await dialog.getByText('Er is nu geen medewerker beschikbaar', { exact: false }).waitFor();
  await page.waitForTimeout(200);
  const box = page.getByLabel('Uw bericht');
  assert.equal(await box.evaluate((el) => el.getRootNode().activeElement === el), true, 'the message box has the focus');
  let at = await place(page, 'textarea');
  assert.ok(at.top >= 0 && at.bottom <= 400 && at.touchable, `the message box is in view above the keyboard: ${JSON.stringify(at)}`);

  for (let i = 1; i <= 6; i++) {
    await box.fill(`Bericht ${i}: mijn vraag gaat over afval dat niet is opgehaald in onze straat`);
    await box.press('Enter');
  }
  await dialog.getByText('Bericht 6:', { exact: false }).waitFor();
  at = await place(page, 'textarea');
  assert.ok(at.top >= 0 && at.bottom <= 400 && at.touchable, `the message box stays in view: ${JSON.stringify(at)}`);
  const send = await place(page, '.composer button[type=submit]');
  assert.ok(send.top >= 0 && send.bottom <= 400 && send.touchable, `"Verstuur" stays in view: ${JSON.stringify(send)}`);
  const title = await place(page, '.head h2');
  assert.ok(title.top >= 0, `the title is not pushed out of the top: ${JSON.stringify(title)}`);
  assert.equal(await inLogView(page, 'Bericht 6:'), 'visible', 'the message just sent is in view');
  await page.screenshot({ path: new URL('../test-results/phone-keyboard-360x400.png', import.meta.url).pathname });
}));

test('at 200 % zoom on a phone (180 px wide) the message box keeps a usable width', withSnapshot(() => browser, 'phone-zoom', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 180, height: 370 });
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: EMPTY.nameNl, exact: true }).click();
  await page.getByRole('button', { name: 'Toch chatten en wachten' }).click();
  await page.getByRole('button', { name: 'Start de chat' }).click();
  await page.getByLabel('Uw bericht').waitFor();
  const at = await place(page, 'textarea');
  // the body is 180 px wide with 16 px padding each side: the box should not be squeezed beside the button
  assert.ok(at.width >= 120, `the message box is ${Math.round(at.width)} px wide`);
  await page.screenshot({ path: new URL('../test-results/phone-zoom-180.png', import.meta.url).pathname });
}));

test('at 200 % zoom on a 360×640 phone (180×320 px) the agent\'s last words show between the header and the message box', withSnapshot(() => browser, 'phone-zoom-chat', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 180, height: 320 });
  const { dialog, id } = await chatWithAnne(page);
  await agent.say(id, 'U kunt een afspraak maken.');
  await dialog.getByText('U kunt een afspraak maken.').waitFor();
  // what the resident reads: the last message's text, not hidden under the header or the message box
  const seen = await page.evaluate(() => {
    const root = document.getElementById('loket-widget').shadowRoot;
    const text = [...root.querySelectorAll('.log .msg .text')].at(-1).getBoundingClientRect();
    const above = Math.max(root.querySelector('.head').getBoundingClientRect().bottom, root.querySelector('.log').getBoundingClientRect().top);
    const below = Math.min(root.querySelector('.composer').getBoundingClientRect().top, root.querySelector('.log').getBoundingClientRect().bottom);
    return { visible: Math.min(text.bottom, below) - Math.max(text.top, above), height: text.height };
  });
  await page.screenshot({ path: new URL('../test-results/phone-zoom-180x320.png', import.meta.url).pathname });
  assert.ok(seen.visible >= seen.height, `of the last message's ${Math.round(seen.height)} px, ${Math.round(seen.visible)} px show`);
}));

test('at 200 % zoom on a phone (180 px wide) a long Dutch word in the house rules wraps instead of running out of the panel', withSnapshot(() => browser, 'phone-zoom-words', async () => {
  const page = await browser.newPage();
  await page.setViewportSize({ width: 180, height: 320 });
  await page.goto(BASE + '/');
  await openWidget(page);
  await page.getByRole('button', { name: 'Paspoort en ID-kaart', exact: true }).click();
  await page.getByRole('button', { name: 'Start de chat' }).waitFor({ state: 'attached' });
  // what the resident cannot read: a line of text wider than its own box (cut at the panel's edge)
  const cut = await page.evaluate(() => {
    const root = document.getElementById('loket-widget').shadowRoot;
    return [...root.querySelectorAll('.body li, .body p, .body h3, .body label')]
      .filter((el) => el.scrollWidth > el.clientWidth + 1)
      .map((el) => el.textContent.slice(0, 40));
  });
  assert.deepEqual(cut, [], 'text running out of its box');
}));

test('on a phone, the end of a conversation shows its last words and a message that was not sent', withSnapshot(() => browser, 'phone-end', async () => {
  const page = await browser.newPage();
  const { dialog, id } = await chatWithAnne(page);
  const box = page.getByLabel('Uw bericht');
  for (let i = 1; i <= 4; i++) await agent.say(id, `Antwoord ${i}: u kunt een afspraak maken via de website van de gemeente.`);
  await dialog.getByText('Antwoord 4:', { exact: false }).waitFor();

  // the connection drops; the resident writes on, and the agent closes meanwhile
  await page.evaluate(() => {
    window.__loketOffline = true;
    for (const s of window.__loketSockets) s.close();
  });
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor();
  await box.fill('Nog een vraag: moet ik een foto meenemen?');
  await box.press('Enter');
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Verwezen naar afspraak' });
  await agent.next((f) => f.type === 'ended' && f.conversationId === id).catch(() => {});
  await page.evaluate(() => {
    window.__loketOffline = false;
    window.dispatchEvent(new Event('online'));
  });
  await dialog.getByText('Het gesprek is beëindigd.', { exact: true }).waitFor();
  await dialog.getByText('niet verstuurd', { exact: false }).waitFor();
  await page.waitForTimeout(300);
  assert.equal(await inLogView(page, 'Nog een vraag: moet ik een foto meenemen?'), 'visible', 'the message that was not sent is in view, to copy');
  await page.screenshot({ path: new URL('../test-results/phone-end-360.png', import.meta.url).pathname });
}));

test('on a phone, a reload without a connection says the conversation is still there, and shows it once the connection is back', withSnapshot(() => browser, 'phone-reload-offline', async () => {
  const page = await browser.newPage();
  const { dialog, id } = await chatWithAnne(page);
  await agent.say(id, 'Voor een nieuw paspoort maakt u een afspraak.');
  await dialog.getByText('Voor een nieuw paspoort maakt u een afspraak.').waitFor();

  // the train goes into a tunnel and the resident reloads the page: the service cannot be reached
  await page.evaluate(() => sessionStorage.setItem('__testOffline', '1'));
  await page.reload();
  const note = dialog.getByText('Uw gesprek is er nog. Zodra er weer verbinding is, ziet u hier weer de berichten tot nu toe.');
  await note.waitFor();
  assert.equal(await dialog.getByText('Voor een nieuw paspoort maakt u een afspraak.').count(), 0, 'the browser keeps no history');
  await checkScreen(page, '20-reload-offline');

  // the connection is back: the server brings the conversation so far, and the note goes
  await page.evaluate(() => {
    sessionStorage.removeItem('__testOffline');
    window.__loketOffline = false;
    window.dispatchEvent(new Event('online'));
  });
  await dialog.getByText('Voor een nieuw paspoort maakt u een afspraak.').waitFor();
  await note.waitFor({ state: 'hidden' });
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Afspraak' });
  await dialog.getByText('Het gesprek is beëindigd.', { exact: true }).waitFor();
}));

/** An element's size on screen, found by its accessible name inside the widget. */
async function targetSize(locator) {
  const box = await locator.boundingBox();
  return { width: Math.round(box.width), height: Math.round(box.height) };
}

test('on a phone, "Gesprek beëindigen" and the "×" of a message that was not sent are big enough for a finger (44×44 px)', withSnapshot(() => browser, 'phone-targets', async () => {
  const page = await browser.newPage();
  const { dialog, id } = await chatWithAnne(page);

  const leave = dialog.getByRole('button', { name: 'Gesprek beëindigen' });
  const leaveSize = await targetSize(leave);
  assert.ok(leaveSize.width >= 44 && leaveSize.height >= 44, `"Gesprek beëindigen" is ${leaveSize.width}×${leaveSize.height} px`);

  // a message written while the connection is away, and the agent closes meanwhile: it was not sent
  await page.evaluate(() => {
    window.__loketOffline = true;
    for (const s of window.__loketSockets) s.close();
  });
  await dialog.getByText('Geen verbinding', { exact: true }).waitFor();
  const box = page.getByLabel('Uw bericht');
  await box.fill('Moet ik een foto meenemen?');
  await box.press('Enter');
  agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Afspraak' });
  await agent.next((f) => f.type === 'ended' && f.conversationId === id).catch(() => {});
  await page.evaluate(() => {
    window.__loketOffline = false;
    window.dispatchEvent(new Event('online'));
  });
  await dialog.getByText('niet verstuurd', { exact: false }).waitFor();
  const remove = dialog.getByRole('button', { name: 'Bericht verwijderen' });
  const removeSize = await targetSize(remove);
  await page.screenshot({ path: new URL('../test-results/phone-targets-360.png', import.meta.url).pathname });
  assert.ok(removeSize.width >= 44 && removeSize.height >= 44, `the "×" that removes the message is ${removeSize.width}×${removeSize.height} px`);
}));

test('on a touch phone (390×844 and 360×640) each "online regelen" link under a topic is a target of at least 44 px high, and the list stays usable', withSnapshot(() => browser, 'phone-alternatives', async () => {
  for (const viewport of [{ width: 390, height: 844 }, { width: 360, height: 640 }]) {
    const phone = await launch(viewport, { touch: true, scale: 2 });
    try {
      const page = await phone.newPage();
      // a topic with three alternatives stacked, one with a title long enough to wrap on a phone
      await topicsAs(page, (t) => {
        if (t.id === 'paspoort-id') {
          t.digitalAlternatives = [
            { title: 'Maak online een afspraak voor uw paspoort of ID-kaart', url: 'https://www.gemeente.example/afspraak' },
            { title: 'Vermissing doorgeven', url: 'https://www.gemeente.example/vermissing' },
            { title: 'Kosten', url: 'https://www.gemeente.example/kosten' },
          ];
        }
      });
      await page.goto(BASE + '/');
      await openWidget(page);
      const dialog = page.getByRole('dialog', { name: 'Chat met de gemeente' });
      await dialog.getByRole('link', { name: 'Kosten' }).waitFor();
      const links = await page.evaluate(() => {
        const root = document.getElementById('loket-widget').shadowRoot;
        return [...root.querySelectorAll('.alts a')].map((a) => {
          // each as the resident reaches it: scrolled to in the topic list
          a.scrollIntoView({ block: 'nearest' });
          const r = a.getBoundingClientRect();
          // the link a finger at the middle of its box touches (not the one above or below)
          const hit = root.elementFromPoint(r.left + Math.min(r.width / 2, 40), r.top + r.height / 2);
          return { text: a.textContent, top: Math.round(r.top), bottom: Math.round(r.bottom), height: Math.round(r.height), touchable: hit === a || a.contains(hit) };
        });
      });
      assert.ok(links.length >= 3, `links found: ${links.length}`);
      for (const l of links) assert.ok(l.height >= 44 && l.touchable, `${viewport.width}×${viewport.height}: "${l.text}" is ${l.height} px high ${JSON.stringify(l)}`);
      // the first topic's three, in view together (the topic list scrolled back to its top)
      await page.evaluate(() => (document.getElementById('loket-widget').shadowRoot.querySelector('.body').scrollTop = 0));
      const stacked = await page.evaluate(() => {
        const root = document.getElementById('loket-widget').shadowRoot;
        const topic = [...root.querySelectorAll('.topic')].find((t) => t.textContent.includes('Kosten'));
        return [...topic.querySelectorAll('.alts a')].map((a) => a.getBoundingClientRect()).map((r) => ({ top: Math.round(r.top), bottom: Math.round(r.bottom) }));
      });
      assert.equal(stacked.length, 3);
      for (let i = 1; i < stacked.length; i++) assert.ok(stacked[i].top >= stacked[i - 1].bottom, `${viewport.width}px: the stacked links do not overlap ${JSON.stringify(stacked)}`);
      // still usable: the topic with the most alternatives fits in the panel with them
      const first = await page.evaluate(() => {
        const root = document.getElementById('loket-widget').shadowRoot;
        const body = root.querySelector('.body').getBoundingClientRect();
        const topic = [...root.querySelectorAll('.topic')].find((t) => t.textContent.includes('Kosten')).getBoundingClientRect();
        return { topic: Math.round(topic.height), body: Math.round(body.height) };
      });
      assert.ok(first.topic <= first.body, `${viewport.width}×${viewport.height}: the topic with three links (${first.topic} px) fits in the panel (${first.body} px)`);
      await page.screenshot({ path: new URL(`../test-results/phone-alternatives-${viewport.width}x${viewport.height}.png`, import.meta.url).pathname });
    } finally {
      await phone.close();
    }
  }
}));
