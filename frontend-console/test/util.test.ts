import { describe, expect, it } from 'vitest';
import { agentSocketUrl, tokenProtocols } from '../src/connection';
import { parseServerFrame } from '../src/protocol';
import {
  FrameBudget,
  InFlight,
  TypingThrottle,
  WIDGET_TYPING_SHOWN_MS,
  backoffDelay,
  decodeJwt,
  estimateMinutes,
  formatClock,
  messageProblem,
  newClientMsgId,
  tokenUsable,
  topicLabel,
} from '../src/util';
import { bilingual } from '../src/api';

function fakeJwt(payload: object): string {
  const b64 = (o: object) =>
    btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(o))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '');
  return `${b64({ alg: 'RS256' })}.${b64(payload)}.sig`;
}

describe('typing throttle', () => {
  it('lets one typing frame out per 2 s per conversation', () => {
    let now = 0;
    const t = new TypingThrottle(2000, () => now);
    expect(t.take('c1')).toBe(true);
    now = 500;
    expect(t.take('c1')).toBe(false);
    expect(t.take('c2')).toBe(true);
    now = 1999;
    expect(t.take('c1')).toBe(false);
    now = 2000;
    expect(t.take('c1')).toBe(true);
    t.reset('c1');
    expect(t.take('c1')).toBe(true);
  });
});

describe('typing stopped', () => {
  it('is worth saying only while the resident may still see the agent typing (5 s after the last typing frame)', () => {
    let now = 0;
    const t = new TypingThrottle(2000, () => now);
    // nothing typed: nothing to take back
    expect(t.stop('c1')).toBe(false);
    expect(t.take('c1')).toBe(true);
    now = 4000;
    expect(t.stop('c1')).toBe(true);
    // said once; and typing in reply mode again signals at once
    expect(t.stop('c1')).toBe(false);
    expect(t.take('c1')).toBe(true);
    // the widget's indicator has run out by itself
    now = 4000 + WIDGET_TYPING_SHOWN_MS + 1;
    expect(t.stop('c1')).toBe(false);
  });
});

describe('frame budget', () => {
  it('stays under the server limit of 100 frames in 10 s and keeps a reserve that typing cannot use', () => {
    let now = 0;
    const b = new FrameBudget(80, 10_000, 20, () => now);
    let typing = 0;
    while (b.allow(true)) {
      b.record();
      typing++;
    }
    expect(typing).toBe(60);
    let other = 0;
    while (b.allow()) {
      b.record();
      other++;
    }
    expect(other).toBe(20);
    expect(b.waitMs()).toBe(10_000);
    now = 10_000;
    expect(b.allow()).toBe(true);
  });

  it('never lets more than 100 frames through in any 10 s window, however they are spread', () => {
    let now = 0;
    const b = new FrameBudget(80, 10_000, 20, () => now);
    const sent: number[] = [];
    for (now = 0; now < 60_000; now += 37) {
      if (b.allow(now % 3 === 0)) {
        b.record();
        sent.push(now);
      }
    }
    for (const start of sent) {
      expect(sent.filter((t) => t >= start && t < start + 10_000).length).toBeLessThanOrEqual(100);
    }
  });
});

describe('reconnect back-off', () => {
  it('doubles from 1 s up to 30 s, with jitter of at most 20 %', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 10].map((n) => backoffDelay(n, () => 0.5))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(backoffDelay(0, () => 0)).toBe(800);
    expect(backoffDelay(0, () => 0.999999)).toBe(1200);
  });
});

describe('tokens', () => {
  it('reads name, roles and expiry from a JWT, including non-ASCII names', () => {
    const claims = decodeJwt(fakeJwt({ sub: 'u1', upn: 'anne', name: 'Anne Ødegård', groups: ['agent', 'supervisor'], exp: 2000 }));
    expect(claims).toMatchObject({ sub: 'u1', upn: 'anne', name: 'Anne Ødegård', groups: ['agent', 'supervisor'] });
    expect(tokenUsable(claims, 1_000_000)).toBe(true);
    expect(tokenUsable(claims, 1_950_000)).toBe(false);
    expect(decodeJwt('not-a-token')).toBeNull();
  });

  it('puts the token in the WebSocket subprotocols, URL-encoded, never in the URL', () => {
    const url = agentSocketUrl({ protocol: 'https:', host: 'kcc.gemeente.nl' });
    expect(url).toBe('wss://kcc.gemeente.nl/ws/agent');
    const protocols = tokenProtocols('abc.def.ghi');
    expect(protocols).toEqual(['bearer-token-carrier', 'quarkus-http-upgrade%23Authorization%23Bearer%20abc.def.ghi']);
  });
});

describe('frames and texts', () => {
  it('ignores what is not a known server frame', () => {
    expect(parseServerFrame('{"type":"hello","agent":{},"conversations":[]}')?.type).toBe('hello');
    expect(parseServerFrame('{"type":"surprise"}')).toBeNull();
    expect(parseServerFrame('not json')).toBeNull();
    expect(parseServerFrame(new ArrayBuffer(2))).toBeNull();
  });

  it('shows the half of a bilingual server message for the page language', () => {
    expect(bilingual('Er wacht niemand. / Nobody is waiting.', 'nl')).toBe('Er wacht niemand.');
    expect(bilingual('Er wacht niemand. / Nobody is waiting.', 'en')).toBe('Nobody is waiting.');
    expect(bilingual('Alleen Nederlands', 'en')).toBe('Alleen Nederlands');
  });

  it('checks a message as the server does: 1–2000 characters after trimming', () => {
    expect(messageProblem('   ')).toBe('empty');
    expect(messageProblem(' x ')).toBeNull();
    expect(messageProblem('x'.repeat(2000))).toBeNull();
    expect(messageProblem('x'.repeat(2001))).toBe('too_long');
  });

  it('formats waits as a clock and estimates as whole minutes, unknown staying unknown', () => {
    expect(formatClock(42)).toBe('0:42');
    expect(formatClock(185)).toBe('3:05');
    expect(formatClock(3725)).toBe('1:02:05');
    expect(estimateMinutes(null)).toBeNull();
    expect(estimateMinutes(0)).toBe(0);
    expect(estimateMinutes(61)).toBe(2);
  });

  it('makes distinct client message ids', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newClientMsgId('a')));
    expect(ids.size).toBe(1000);
    expect([...ids][0]).toMatch(/^a-[0-9a-f]{24}$/);
  });
});

describe('requests under way', () => {
  it('refuses a second start of the same request while the first runs (a double click on "Claimen")', async () => {
    const inFlight = new InFlight();
    const posts: string[] = [];
    let answer!: () => void;
    const claim = (id: string) =>
      inFlight.run(id, () => {
        posts.push(id);
        return new Promise<void>((resolve) => (answer = resolve));
      });
    const first = claim('cb-1');
    const second = claim('cb-1');
    expect(inFlight.has('cb-1')).toBe(true);
    expect(await second).toBe(false);
    expect(posts).toEqual(['cb-1']);
    answer();
    expect(await first).toBe(true);
    expect(inFlight.has('cb-1')).toBe(false);
  });

  it('frees a request that failed, so it can be tried again', async () => {
    const inFlight = new InFlight();
    await expect(inFlight.run('cb-1', () => Promise.reject(new Error('409')))).rejects.toThrow('409');
    expect(await inFlight.run('cb-1', () => Promise.resolve())).toBe(true);
  });
});

describe('topicLabel', () => {
  const topics = [
    { id: 'paspoort-id', name: 'Paspoort en ID-kaart' },
    { id: 'rijbewijs', name: 'Rijbewijs' },
  ];

  it('shows the placeholder, not the id, until the names have come', () => {
    expect(topicLabel(null, 'paspoort-id', '…')).toBe('…');
  });

  it('shows the name once the names have come', () => {
    expect(topicLabel(topics, 'paspoort-id', '…')).toBe('Paspoort en ID-kaart');
    expect(topicLabel(topics, 'rijbewijs', '…')).toBe('Rijbewijs');
  });

  it('shows the id of a topic the names do not hold: nothing better is known', () => {
    expect(topicLabel(topics, 'parkeren', '…')).toBe('parkeren');
    expect(topicLabel([], 'parkeren', '…')).toBe('parkeren');
  });
});
