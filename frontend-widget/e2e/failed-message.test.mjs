// A message the service could not take for a passing reason (`internal`): its note says "niet
// verstuurd" with "Opnieuw versturen" and "×". At 200 % zoom of a 1280×800 screen (a 640×400 CSS
// viewport at device scale 2) and on a 360×640 phone, in Dutch and English: each button is a
// 44×44 px target a finger reaches, no word of it is broken inside, and sending again works.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { AgentSocket, BASE, RESULTS, createAgent, launch, withSnapshot, asEnglishSite } from './helpers.mjs';
import { join } from 'node:path';

const LANGS = {
  nl: {
    launcher: 'Chat met de gemeente', topic: 'Paspoort en ID-kaart', start: 'Start de chat', online: 'Verbonden',
    withAnne: 'U chat met Anne.', box: 'Uw bericht', notSent: 'niet verstuurd', retry: 'Opnieuw versturen', remove: 'Bericht verwijderen',
    text: 'Moet ik voor mijn nieuwe paspoort een pasfoto meenemen?',
  },
  en: {
    launcher: 'Chat with the municipality', topic: 'Passport and ID card', start: 'Start the chat', online: 'Connected',
    withAnne: 'You are chatting with Anne.', box: 'Your message', notSent: 'not sent', retry: 'Send again', remove: 'Remove message',
    text: 'Do I need to bring a passport photo for my new passport?',
  },
};

const SCREENS = [
  { name: 'zoom200', label: '1280×800 at 200 % zoom', viewport: { width: 640, height: 400 }, options: { scale: 2 } },
  { name: 'phone360', label: 'a 360×640 phone', viewport: { width: 360, height: 640 }, options: { touch: true } },
];

let agent;

before(async () => {
  agent = await AgentSocket.connect((await createAgent(['paspoort-id'], 'Anne')).token);
});

after(() => agent?.close());

/**
 * The test's hand on the service's answers, on every page of the context: while
 * `window.__loketRefuse` is set, a message the widget sends gets the service's answer to an
 * unexpected failure (`internal`, retryable; docs/protocol.md §4) instead of reaching it.
 */
async function refuseMessages(context) {
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    window.__loketRefuse = false;
    window.__loketRefused = 0;
    window.WebSocket = class extends Native {
      send(data) {
        const frame = JSON.parse(data);
        if (!window.__loketRefuse || frame.type !== 'message') {
          super.send(data);
          return;
        }
        window.__loketRefused++;
        const answer = { type: 'error', code: 'internal', clientMsgId: frame.clientMsgId,
          message: 'Er ging iets mis; probeer het opnieuw. / Something went wrong; please retry.' };
        // the answer comes later, as from the network
        setTimeout(() => this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(answer) })));
      }
    };
  });
}

/** The buttons of the unsent message's note as the resident sees them. */
function noteButtons(page) {
  return page.evaluate(() => {
    const root = document.getElementById('loket-widget').shadowRoot;
    const bubble = root.querySelector('.msg.failed').getBoundingClientRect();
    return [...root.querySelectorAll('.msg.failed .note button')].map((b) => {
      const r = b.getBoundingClientRect();
      const hit = root.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
      // each word of its text: on one line (one box), or broken inside (a box per piece)
      const node = [...b.childNodes].find((n) => n.nodeType === Node.TEXT_NODE);
      const words = [];
      for (const m of node.data.matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        words.push({ word: m[0], boxes: [...range.getClientRects()].filter((x) => x.width > 0).length });
      }
      return {
        name: b.getAttribute('aria-label') || b.textContent,
        width: r.width,
        height: r.height,
        reached: hit === b || b.contains(hit),
        inBubble: r.left >= bubble.left - 1 && r.right <= bubble.right + 1,
        words,
      };
    });
  });
}

for (const screen of SCREENS) {
  for (const [lang, t] of Object.entries(LANGS)) {
    test(`on ${screen.label} in ${lang === 'nl' ? 'Dutch' : 'English'}, the buttons of a message that was not sent are whole 44×44 px targets, and sending again works`,
      async () => {
        const browser = await launch(screen.viewport, screen.options);
        try {
          await withSnapshot(() => browser, `failed-message-${screen.name}-${lang}`, async () => {
            await refuseMessages(browser.context);
            const page = await browser.newPage();
            if (lang === 'en') {
              await asEnglishSite(page);
            }
            await page.goto(BASE + '/');
            await page.getByRole('button', { name: t.launcher }).click();
            const dialog = page.getByRole('dialog', { name: t.launcher });
            await dialog.getByRole('button', { name: t.topic, exact: true }).click();
            await dialog.getByRole('button', { name: t.start }).click();
            await dialog.getByText(t.online, { exact: true }).waitFor();
            const { id } = await page.evaluate(() => JSON.parse(sessionStorage.getItem('loket.widget.v1')));
            await agent.claim(id);
            await dialog.getByText(t.withAnne).waitFor();

            // the service fails the message, and its one automatic retry too: the buttons stay
            await page.evaluate(() => (window.__loketRefuse = true));
            const box = page.getByLabel(t.box);
            await box.fill(t.text);
            await box.press('Enter');
            await page.waitForFunction(() => window.__loketRefused >= 2, null, { timeout: 15000 });
            const retry = dialog.getByRole('button', { name: t.retry });
            await retry.waitFor();
            await dialog.getByText(t.notSent, { exact: false }).waitFor();
            await page.screenshot({ path: join(RESULTS, `failed-message-${screen.name}-${lang}.png`) });

            const buttons = await noteButtons(page);
            assert.deepEqual(buttons.map((b) => b.name), [t.retry, t.remove]);
            for (const b of buttons) {
              assert.ok(b.width >= 44 && b.height >= 44, `"${b.name}" is ${Math.round(b.width)}×${Math.round(b.height)} px`);
              assert.ok(b.reached, `a finger at the middle of "${b.name}" reaches it`);
              assert.ok(b.inBubble, `"${b.name}" stays inside its message`);
              const broken = b.words.filter((w) => w.boxes !== 1).map((w) => `${w.word} (${w.boxes} pieces)`);
              assert.deepEqual(broken, [], `words of "${b.name}" broken inside, ${Math.round(b.width)}×${Math.round(b.height)} px`);
            }

            // the service takes messages again: the resident sends it again, and it goes out once
            await page.evaluate(() => (window.__loketRefuse = false));
            if (screen.options.touch) await retry.tap();
            else await retry.click();
            const got = await agent.next((f) => f.type === 'message' && f.conversationId === id && f.from === 'resident' && f.text === t.text);
            assert.ok(got.seq > 0);
            await dialog.locator('.msg.failed').waitFor({ state: 'detached' });
            assert.equal(await dialog.locator('.msg.resident', { hasText: t.text }).count(), 1, 'the message shows once');
            assert.equal(await page.evaluate(() => window.__loketRefused), 2, 'sending again went to the service');

            agent.send({ type: 'close', conversationId: id, outcome: 'answered', summary: 'Pasfoto' });
            await agent.next((f) => f.type === 'ended' && f.conversationId === id);
          })();
        } finally {
          await browser.close();
        }
      });
  }
}
