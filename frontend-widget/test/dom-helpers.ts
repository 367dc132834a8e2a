import { vi } from 'vitest';
import type { ChatActions } from '../src/screens/chat';

/** What assistive technology reads as an element's description: the text of its aria-describedby targets. */
export function description(el: Element): string {
  const root = el.getRootNode() as Document | ShadowRoot;
  return (el.getAttribute('aria-describedby') ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((id) => root.getElementById(id)?.textContent?.trim() ?? '')
    .filter(Boolean)
    .join(' ');
}

/** Visible text with runs of white space collapsed, as a reader sees it. */
export function text(el: Element | null | undefined): string {
  return (el?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/**
 * The focus falls to the page's body, as Chromium lets it fall from a focused button that is
 * disabled (happy-dom keeps it there, and ignores `blur()` on a disabled element).
 */
export function dropFocus(): void {
  const stand = document.createElement('input');
  document.body.append(stand);
  stand.focus();
  stand.blur();
  stand.remove();
}

/** Let pending promise callbacks run. */
export const settle = () => new Promise((r) => setTimeout(r, 0));

/** `until`: the answer comes only once it settles (a slow call, still in flight meanwhile). */
export type Answer = { status: number; body?: unknown; headers?: Record<string, string>; until?: Promise<unknown> } | 'network-down';

/** A fetch that answers by path; a list answers its calls in turn, its last one over and over. What was asked is kept. */
export function stubFetch(answers: Record<string, Answer | Answer[]>) {
  const asked: string[] = [];
  const calls: Record<string, number> = {};
  const fetch = vi.fn(async (url: string) => {
    const path = new URL(url).pathname;
    asked.push(path);
    const given = answers[path] ?? { status: 404, body: { title: 'Not Found' } };
    const n = (calls[path] = (calls[path] ?? 0) + 1) - 1;
    const a = Array.isArray(given) ? given[Math.min(n, given.length - 1)] : given;
    if (a === 'network-down') throw new TypeError('Failed to fetch');
    if (a.until) await a.until;
    return new Response(a.body === undefined ? null : JSON.stringify(a.body), {
      status: a.status,
      headers: { 'Content-Type': a.status < 400 ? 'application/json' : 'application/problem+json', ...a.headers },
    });
  });
  vi.stubGlobal('fetch', fetch);
  return asked;
}

/** An open topic with two waiting, as the public topic list describes it. */
export const topic = {
  id: 'paspoort-id',
  name: 'Paspoort en ID-kaart',
  open: true,
  nextOpenAt: null,
  queueLength: 2,
  estimatedWaitSeconds: 600,
  callbackOffered: false,
  notice: null,
  digitalAlternatives: [],
};

/** The answer to a start in that topic: queued third. */
export const STARTED = {
  status: 201,
  body: { id: 'c9', token: 't9', topic: 'paspoort-id', state: 'queued', position: 3, estimatedWaitSeconds: 600 },
} satisfies Answer;

/** What the chat screen may ask of the widget, each doing nothing, but for those a test gives. */
export function chatActions(actions: Partial<ChatActions> = {}): ChatActions {
  const noop = () => {};
  return {
    send: () => null,
    typing: noop,
    discard: noop,
    retry: noop,
    leave: () => true,
    acceptOffer: noop,
    rate: async () => {},
    transcript: async () => {},
    newQuestion: noop,
    rated: () => false,
    ...actions,
  };
}
