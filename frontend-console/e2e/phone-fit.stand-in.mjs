// The open conversation on a phone, in Chromium against the stand-in (e2e/stand-in.mjs): its panel's
// border goes round all it holds. Capped at the screen's height less the connection banner's band,
// the panel ended above its content: at 390×844 the reply box hung 16 px below the panel's bottom
// edge, at 360×640 the reply box and its buttons lay wholly under it (style.css, one column).
// Side by side ("Naast elkaar", three conversations) the same holds for each column's panel, and the
// page has no sideways scroll: there each panel was capped at the screen's height (its reply box
// below its border at 360x640) and a column was at least 24rem wide, more than a phone's 328 or
// 358 px (the page scrolled sideways, Verstuur out of view on the right). Checked at 390x844,
// 360x640 and 800x600; at 1024x700 and 1280x800 the same, and the columns stay as they were (one
// under the other at 1024 px beside the side column, two beside each other at 1280 px).
// Alone: `node e2e/run-stand-in.mjs phone-fit` (after `vite build`).

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, logIn, standIn } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;

/** The panel's border box and those of what it holds (page coordinates, so scrolling does not matter). */
function boxes(page, which = 0) {
  return page.evaluate((which) => {
    const place = (e, what) => {
      const r = e.getBoundingClientRect();
      return { what, top: r.top + scrollY, bottom: r.bottom + scrollY, left: r.left + scrollX, right: r.right + scrollX };
    };
    const panel = document.querySelectorAll('.conversations .panel')[which];
    return {
      panel: place(panel, 'panel'),
      inside: [
        place(panel.querySelector('.panel-head'), 'heading and buttons'),
        place(panel.querySelector('.transcript-box'), 'log'),
        place(panel.querySelector('.composer'), 'reply box'),
        place(panel.querySelector('.composer textarea'), 'Uw bericht'),
        ...[...panel.querySelectorAll('.composer-actions button')].map((b) => place(b, b.textContent.trim())),
      ],
    };
  }, which);
}

/** Asserts that every box in `inside` lies within `panel`'s border (a fraction of a pixel aside: sub-pixel rounding). */
function assertInside(panel, inside, label = '') {
  for (const b of inside) {
    const within = b.top >= panel.top - 0.5 && b.bottom <= panel.bottom + 0.5 && b.left >= panel.left - 0.5 && b.right <= panel.right + 0.5;
    assert.ok(
      within,
      `${label}"${b.what}" lies outside the panel (${Math.round(b.bottom - panel.bottom)} px below its bottom edge, ` +
        `${Math.round(b.right - panel.right)} px past its right edge): ${JSON.stringify({ panel, b })}`,
    );
  }
}

/** A conversation that comes to the agent as a transfer does (protocol §5), as the service would send it. */
function transferred(id, residentName, topic, text) {
  const t = new Date(Date.now() - 90_000).toISOString();
  return {
    type: 'assigned',
    via: 'transfer',
    conversation: {
      id, topic, state: 'active', residentName, queuedAt: t, assignedAt: t, residentOnline: true, confidential: false,
      messages: [{ seq: 1, from: 'resident', text, sentAt: t }],
    },
  };
}

describe('on a phone the open conversation holds its reply box', { timeout: 60_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  for (const viewport of [
    { width: 390, height: 844 },
    { width: 360, height: 640 },
  ]) {
    it(`at ${viewport.width}×${viewport.height} the reply box, Verstuur and the log lie inside the panel's border`, async () => {
      const { page, context, errors } = await logIn(chrome.browser, 'anne', PASSWORD, {
        viewport,
        timeout: 10_000,
        ready: (p) => p.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor(),
      });
      const { panel, inside } = await boxes(page);
      assert.ok(inside.some((b) => b.what === 'Verstuur'), `Verstuur measured: ${JSON.stringify(inside)}`);
      assertInside(panel, inside);
      // and the agent can scroll down to Verstuur: nothing past the page's end
      const send = page.getByRole('button', { name: 'Verstuur', exact: true });
      await send.evaluate((e) => e.scrollIntoView({ block: 'end' }));
      const seen = await send.evaluate((e) => {
        const r = e.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= innerHeight + 1;
      });
      assert.ok(seen, 'Verstuur in view once scrolled to');
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});

describe('side by side, each column holds its reply box and the page does not scroll sideways', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
  });
  after(async () => {
    await chrome?.close();
  });

  for (const { viewport, across } of [
    { viewport: { width: 390, height: 844 }, across: 1 },
    { viewport: { width: 360, height: 640 }, across: 1 },
    { viewport: { width: 800, height: 600 }, across: 1 },
    // the desktop layouts as they were: beside the side column one under the other at 1024 px, two abreast at 1280 px
    { viewport: { width: 1024, height: 700 }, across: 1 },
    { viewport: { width: 1280, height: 800 }, across: 2 },
  ]) {
    it(`at ${viewport.width}×${viewport.height} three conversations side by side: every panel holds its reply box and Verstuur, ${across} abreast, no sideways scroll`, async () => {
      const { page, context, errors } = await logIn(chrome.browser, 'anne', PASSWORD, {
        viewport,
        timeout: 10_000,
        ready: (p) => p.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor(),
      });
      // two more come to her (the stand-in's hello has Lotte's alone; these live in this page only)
      await standIn('agent-frame', { userId: 'u-anne', frame: transferred('c0ffee00-0000-4000-8000-0000000000b1', 'Sanne', 'rijbewijs', 'Mijn rijbewijs is verlopen, wat nu?') });
      await standIn('agent-frame', { userId: 'u-anne', frame: transferred('c0ffee00-0000-4000-8000-0000000000b2', 'Mehmet', 'paspoort-id', 'Hoe lang duurt een ID-kaart?') });
      await page.getByRole('tab', { name: /^Mehmet/ }).waitFor();
      const toggle = page.getByRole('button', { name: 'Naast elkaar', exact: true });
      await toggle.click();
      assert.equal(await toggle.getAttribute('aria-pressed'), 'true');
      await page.locator('.columns .panel.column').nth(2).waitFor();
      for (const name of ['Lotte', 'Sanne', 'Mehmet']) await page.getByRole('heading', { name: `Gesprek met ${name}` }).waitFor();

      const lefts = new Set();
      for (const which of [0, 1, 2]) {
        const { panel, inside } = await boxes(page, which);
        assert.ok(inside.some((b) => b.what === 'Verstuur'), `Verstuur measured in column ${which + 1}: ${JSON.stringify(inside)}`);
        assertInside(panel, inside, `column ${which + 1}: `);
        lefts.add(Math.round(panel.left));
      }
      assert.equal(lefts.size, across, `panels abreast: ${[...lefts].join(', ')}`);

      // no sideways scroll: the page is no wider than the screen, and every Verstuur can be seen whole
      const width = await page.evaluate(() => ({ page: document.documentElement.scrollWidth, screen: document.documentElement.clientWidth }));
      assert.ok(width.page <= width.screen, `the page is ${width.page} px wide on a screen of ${width.screen} px`);
      const sends = page.getByRole('button', { name: 'Verstuur', exact: true });
      assert.equal(await sends.count(), 3);
      for (const which of [0, 1, 2]) {
        const send = sends.nth(which);
        await send.evaluate((e) => e.scrollIntoView({ block: 'end', inline: 'nearest' }));
        const seen = await send.evaluate((e) => {
          const r = e.getBoundingClientRect();
          return { top: r.top, bottom: r.bottom, left: r.left, right: r.right, width: innerWidth, height: innerHeight, scrollX };
        });
        const whole = seen.top >= 0 && seen.bottom <= seen.height + 1 && seen.left >= 0 && seen.right <= seen.width + 1 && seen.scrollX === 0;
        assert.ok(whole, `Verstuur of column ${which + 1} in view, unscrolled sideways, once scrolled to: ${JSON.stringify(seen)}`);
      }
      assert.deepEqual(errors, []);
      await context.close();
    });
  }
});
