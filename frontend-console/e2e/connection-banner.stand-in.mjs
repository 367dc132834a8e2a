// The connection's banner ("Verbinding verbroken…", then "Verbinding hersteld."), in Chromium against
// the stand-in (e2e/stand-in.mjs): the agent's network drops (the browser's offline event) and
// comes back while a conversation is open and residents wait. In the page's flow the banner pushed
// everything under it down by its height when it came and pulled it up when it went, under a
// pointer about to click Verstuur or Kies; so did the waiting list's "Laden mislukt" line, from its
// first read while offline until its first read after the reconnect. Now nothing the agent works
// with may move, and the banner, seen, may cover none of it, at 1024×700 and 1280×800, with the
// page at its top and scrolled down to Verstuur. The same in the one-column layout (≤ 900 px
// wide: 800×600, and a phone's 390×844), never tried with the banner before; and short screens
// there (640×400 = 1280×800 at 200 % zoom, 800×600 with two departments' notices), where the log,
// given less room than its least height, spilled over the reply box. Covered means what
// the pointer finds at a control's middle is the banner, not that control (elementFromPoint, the
// banner taken as solid: it lets clicks through but hides what is under it). With the page
// scrolled to Verstuur at 1024×700 the banner lay over the conversation's tab. With the banner
// shown, the page is also scrolled step by step from its top to its end: a click at the middle of
// Overdragen and Afsluiten must reach them wherever they are on screen (real hit testing: the
// banner lets clicks through but its own button does not), to the page's end; at 640×400 Nu opnieuw verbinden lay
// over Overdragen, at 800×600 with two notices over Afsluiten.
// Run with `npm run e2e:stand-in` (alone: `node e2e/run-stand-in.mjs banner`).

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { standIn, RESULTS, api, axeScan, launchBrowser, logIn, tokenFor, until } from './helpers.mjs';

const PASSWORD = 'geheim-wachtwoord-123';
let chrome;
/** What a test placed in the stand-in that others must not find (the departments' notices): taken away after it, also when it failed. */
const ending = [];

const started = Date.now() - 10 * 60_000;
const residents = (n) =>
  Array.from({ length: n }, (_, i) => {
    const at = new Date(started + i * 1000).toISOString();
    return { id: `cb-${i}`, topic: 'paspoort-id', residentName: `Bewoner ${i}`, queuedAt: at, waitingSince: at, firstMessage: null };
  });

/** Whether two boxes share any area. */
const overlap = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/**
 * Where what the agent works with is on screen (viewport coordinates, as the pointer sees it): the
 * reply box and its buttons, the first Kies, the conversation's own buttons, the header's buttons
 * and the views, which the banner may not cover (`free`); and the conversation's tab, which may
 * not move either but lies at the screen's top edge with the page scrolled to Verstuur, where the
 * banner is (style.css, .banner-slot, says why that is the least harmful place).
 */
function workPlaces(page, fits = true) {
  return page.evaluate((fits) => {
    const place = (free) => (e) => {
      const r = e.getBoundingClientRect();
      return { what: (e.getAttribute('aria-label') || e.textContent || e.tagName).trim().slice(0, 30), free, x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return [
      ...[
        ...document.querySelectorAll('.composer textarea, .composer-actions button'),
        document.querySelector('.waiting-list button'),
        ...document.querySelectorAll('.top-actions button, .views button'),
      ].map(place(true)),
      // on a screen too short for the whole conversation the page scrolls it: scrolled to Verstuur its
      // buttons may lie at the screen's top edge, as the tabs do
      ...[...document.querySelectorAll('.panel-actions button')].map(place(fits)),
      ...[...document.querySelectorAll('.tabs .tab')].map(place(false)),
    ];
  }, fits);
}

/** The banner's box in the viewport, or null while there is none. */
function bannerPlace(page) {
  return page.evaluate(() => {
    const b = document.querySelector('.banner-slot .banner');
    if (!b) return null;
    const r = b.getBoundingClientRect();
    return { text: b.textContent, x: r.x, y: r.y, width: r.width, height: r.height };
  });
}

describe('the connection banner moves nothing and covers nothing the agent works with', { timeout: 120_000 }, () => {
  before(async () => {
    chrome = await launchBrowser();
    await standIn('waiting', { rows: residents(6) });
  });
  after(async () => {
    while (ending.length) await ending.pop()().catch(() => undefined);
    await standIn('waiting', { rows: null });
    await chrome?.close();
  });

  for (const { notices = 0, fits = true, sweep = true, ...viewport } of [
    { width: 1024, height: 700 },
    { width: 1280, height: 800 },
    { width: 800, height: 600 },
    // short screens in one column: 1280×800 at 200 % zoom, and 800×600 with two departments' notices beside the conversation
    { width: 640, height: 400, fits: false },
    { width: 800, height: 600, notices: 2, fits: false },
    { width: 390, height: 844 },
    // a small phone: the conversation is taller than the screen less the band, and the page scrolls
    { width: 360, height: 640, fits: false },
  ]) {
    // one column (style.css, ≤ 900 px): the waiting list above the conversation, out of view with the page scrolled to Verstuur
    const oneColumn = viewport.width <= 900;
    const size = `${viewport.width}×${viewport.height}${notices ? `, ${notices} department notices` : ''}`;
    it(`at ${size}: Verstuur, Kies and the conversation's buttons stay put and free while the connection goes and comes back`, async () => {
      // the departments' notices beside the conversation, placed by the department before Anne logs in (ended after)
      const dora = notices ? await tokenFor('dora', PASSWORD) : null;
      const placed = [];
      // gone without a trace: the departments' screen test reads the notices' history
      if (dora) ending.push(() => standIn('notices-forget', { ids: placed }));
      for (let i = 0; i < notices; i++) {
        const body = { kind: i ? 'reduced' : 'appointment_only', agentText: i ? 'Minder bezetting vandaag: verwijs waar het kan naar de website.' : 'Paspoort en rijbewijs alleen op afspraak.' };
        placed.push((await api('POST', '/api/v1/departments/burgerzaken/notices', { token: dora, body })).json.id);
      }
      const { page, context, errors } = await logIn(chrome.browser, 'anne', PASSWORD, {
        viewport,
        timeout: 10_000,
        ready: async (p) => {
          await p.getByRole('heading', { name: 'Gesprek met Lotte' }).waitFor();
          await p.locator('.waiting-list button').first().waitFor();
        },
      });
      // the waiting list's reads (every 5 s) that fail while the network is gone
      let failedReads = 0;
      page.on('requestfailed', (r) => {
        if (new URL(r.url()).pathname === '/api/v1/queue') failedReads++;
      });
      const banner = page.locator('.banner-slot');
      await until(async () => (await banner.textContent()) === '', 'no banner while connected');
      // the page at its top, and scrolled down as far as Verstuur needs (conversation-fit.test.mjs)
      const toTop = () => page.evaluate(() => scrollTo(0, 0));
      const toVerstuur = () => page.locator('.composer button[type="submit"]').evaluate((e) => e.scrollIntoView({ block: 'end' }));
      const measure = async () => {
        await toTop();
        const top = { scrollY: await page.evaluate(() => scrollY), places: await workPlaces(page, fits), banner: await bannerPlace(page) };
        await toVerstuur();
        const foot = { scrollY: await page.evaluate(() => scrollY), places: await workPlaces(page, fits), banner: await bannerPlace(page) };
        return { top, foot };
      };
      if (notices) assert.equal(await page.locator('.panel .dept-notice').count(), notices, 'the notices beside the conversation');
      // the log's place never reaches into the reply box (a short screen gave it less room than its least height)
      const spill = await page.evaluate(() => {
        const log = document.querySelector('.panel .transcript-box').getBoundingClientRect();
        const reply = document.querySelector('.panel .composer').getBoundingClientRect();
        return { logBottom: log.bottom, replyTop: reply.top };
      });
      assert.ok(spill.logBottom <= spill.replyTop + 0.5, `the log spills over the reply box: ${JSON.stringify(spill)}`);
      const before = await measure();
      assert.equal(before.top.banner, null);
      assert.ok(before.foot.scrollY > 0, 'Verstuur is below the fold at the top: the two positions differ');
      for (const what of ['Verstuur', 'Kies', 'Overdragen', 'Afsluiten', 'Uitloggen']) {
        assert.ok(before.top.places.some((p) => p.what.startsWith(what)), `${what} measured: ${JSON.stringify(before.top.places)}`);
      }
      // in view at the foot, as the agent sees them when the connection drops
      // (to the pixel: scrolled to Verstuur's end, its edge may lie a fraction below the screen's)
      const seen = (p) => p.y >= 0 && p.y + p.height <= viewport.height + 1;
      // (a screen too short for the whole conversation scrolls it: Verstuur in view, its buttons above)
      for (const what of !fits ? ['Verstuur'] : oneColumn ? ['Verstuur', 'Overdragen', 'Afsluiten'] : ['Verstuur', 'Kies', 'Overdragen', 'Afsluiten']) {
        assert.ok(seen(before.foot.places.find((p) => p.what.startsWith(what))), `${what} in view with the page scrolled to Verstuur: ${JSON.stringify(before.foot.places)}`);
      }

      /** What the agent sees (the screen, not the whole page: the banner is fixed to the screen), at the page's top and scrolled to Verstuur. */
      const shoot = async (name) => {
        fs.mkdirSync(RESULTS, { recursive: true });
        await toTop();
        await page.screenshot({ path: path.join(RESULTS, `${name}-${viewport.width}x${viewport.height}-top.png`) });
        await toVerstuur();
        await page.screenshot({ path: path.join(RESULTS, `${name}-${viewport.width}x${viewport.height}-verstuur.png`) });
      };

      /** Nothing moved since before the drop, and the banner is in view and over none of it. */
      const check = async (state, shown) => {
        const now = await measure();
        for (const at of ['top', 'foot']) {
          assert.equal(now[at].scrollY, before[at].scrollY, `${state}, page at its ${at}: the page scrolls as far`);
          assert.deepEqual(now[at].places, before[at].places, `${state}, page at its ${at}: nothing moved`);
          const b = now[at].banner;
          if (!shown) {
            assert.equal(b, null, `${state}: no banner`);
            continue;
          }
          assert.ok(b && b.text.includes(shown), `${state}: the banner says "${shown}": ${JSON.stringify(b)}`);
          assert.ok(b.width > 0 && b.height > 0 && b.x >= 0 && b.y >= 0 && b.x + b.width <= viewport.width && b.y + b.height <= viewport.height, `${state}, page at its ${at}: the banner in view: ${JSON.stringify(b)}`);
          for (const p of now[at].places.filter((x) => x.free)) assert.ok(!overlap(b, p), `${state}, page at its ${at}: the banner covers "${p.what}": ${JSON.stringify({ b, p })}`);
        }
        // what is under Verstuur's and the first Kies's middle is that button (in one column Kies is out of view, above)
        const hits = await page.evaluate(() =>
          ['.composer button[type="submit"]', '.waiting-list button'].map((sel) => {
            const e = document.querySelector(sel);
            const r = e.getBoundingClientRect();
            const x = r.x + r.width / 2;
            const y = r.y + r.height / 2;
            return { sel, hit: y < 0 || y >= innerHeight ? 'out of view' : e.contains(document.elementFromPoint(x, y)) };
          }),
        );
        assert.ok(hits.every((h) => h.hit !== false), `${state}: ${JSON.stringify(hits)}`);
        if (!oneColumn) assert.ok(hits.every((h) => h.hit === true), `${state}: ${JSON.stringify(hits)}`);
        if (shown && sweep) {
          const missed = await missedClicks();
          assert.deepEqual(missed, [], `${state}: a click at the middle of Overdragen or Afsluiten does not reach it with the page scrolled there: ${JSON.stringify(await bannerPlace(page))}`);
        }
        if (shown) {
          for (const at of ['top', 'foot']) {
            const covered = await coveredByBanner(at);
            assert.deepEqual(covered, [], `${state}, page at its ${at}: the banner hides ${JSON.stringify(covered)} from the agent: ${JSON.stringify(await bannerPlace(page))}`);
          }
        }
      };

      /**
       * The controls the agent needs while disconnected (the conversations' tabs, the reply box,
       * Verstuur, Kies, Afsluiten) whose middle is on screen and under the banner. The banner lets
       * a click through (pointer-events: none), so elementFromPoint would find the control under
       * it; for this look it is taken as solid, as the eye takes it.
       */
      const coveredByBanner = async (at) => {
        await (at === 'top' ? toTop() : toVerstuur());
        return page.evaluate((fits) => {
          const slot = document.querySelector('.banner-slot');
          slot.style.pointerEvents = 'auto';
          try {
            const controls = [
              ...document.querySelectorAll('.tabs .tab'),
              document.querySelector('.composer textarea'),
              document.querySelector('.composer button[type="submit"]'),
              document.querySelector('.waiting-list button'),
              fits ? document.querySelector('.panel-actions button.danger') : null,
            ];
            return controls
              .filter((e) => e)
              .map((e) => {
                const r = e.getBoundingClientRect();
                const x = r.x + r.width / 2;
                const y = r.y + r.height / 2;
                // scrolled out of view: nothing there to cover
                if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return null;
                const hit = document.elementFromPoint(x, y);
                return slot.contains(hit) ? `${(e.getAttribute('aria-label') || e.textContent).trim().slice(0, 30)} (${Math.round(x)},${Math.round(y)})` : null;
              })
              .filter((w) => w);
          } finally {
            slot.style.pointerEvents = '';
          }
        }, fits);
      };

      /**
       * On a screen too short for the whole conversation the agent scrolls between its buttons and
       * Verstuur, under the banner: at every scroll from the page's top to Verstuur (8 px apart), what
       * the pointer finds at the middle of Overdragen and Afsluiten while it is on screen is that
       * button, not the banner's own button (the rest of the banner lets a click through). Those it
       * did not reach, with the scroll. From the page's top to its end, which takes in every scroll
       * with Verstuur in view.
       */
      const missedClicks = () =>
        page.evaluate(() => {
          // to the page's end: scrolled past the point where Verstuur comes into view it stays in view
          const end = document.documentElement.scrollHeight - innerHeight;
          const buttons = [...document.querySelectorAll('.panel-actions button')].filter((b) => ['Overdragen', 'Afsluiten'].includes(b.textContent.trim()));
          const missed = [];
          for (let step = 0; step <= Math.ceil(end / 8); step++) {
            // the page's end itself too
            scrollTo(0, Math.min(step * 8, end));
            for (const b of buttons) {
              const r = b.getBoundingClientRect();
              const x = r.x + r.width / 2;
              const m = r.y + r.height / 2;
              // a middle within the screen's last pixel (639.6 of 640) is rounded off it by elementFromPoint
              if (m < 0 || m > innerHeight - 1) continue;
              const hit = document.elementFromPoint(x, m);
              if (!b.contains(hit)) missed.push({ what: b.textContent.trim(), scrollY: scrollY, at: [Math.round(x), Math.round(m)], hit: hit ? `${hit.tagName} ${hit.textContent.trim().slice(0, 30)}` : null });
            }
          }
          scrollTo(0, 0);
          return missed;
        });

      await context.setOffline(true);
      await banner.getByText(/Verbinding verbroken/).waitFor({ timeout: 5000 });
      await check('offline', 'Verbinding verbroken');
      // a read of the waiting list fails meanwhile: its failure pushed Kies down too, before (and up after the reconnect)
      await until(async () => failedReads > 0, 'a failed read of the waiting list while offline', 10_000);
      await check('offline, a read failed', 'Verbinding verbroken');
      await shoot('connection-banner-offline' + (notices ? '-notices' : ''));
      // its text and edge stand out from what is under it (axe's colour contrast among the rest)
      assert.deepEqual(await axeScan(page, `connection-banner-offline-${viewport.width}x${viewport.height}${notices ? '-notices' : ''}`, { all: true }), []);
      assert.equal(await banner.getAttribute('role'), 'status');
      assert.equal(await banner.getAttribute('aria-live'), 'polite');

      await context.setOffline(false);
      await banner.getByText('Verbinding hersteld.').waitFor({ timeout: 10_000 });
      await check('reconnected', 'Verbinding hersteld.');
      await shoot('connection-banner-restored' + (notices ? '-notices' : ''));

      // it goes by itself, as before, and takes nothing with it
      await until(async () => (await banner.textContent()) === '', 'the banner gone after a few seconds');
      await check('after', null);
      assert.deepEqual(errors, []);
      await context.close();
      while (ending.length) await ending.pop()();
    });
  }
});
