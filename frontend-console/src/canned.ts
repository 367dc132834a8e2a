// Canned replies (standaardantwoorden): typed as "/keyword" in the reply box, or picked from a list.

import type { CannedReply } from './protocol';

/** The "/query" being typed at the caret, if any: a slash at the start of the box or after whitespace. */
export function slashQuery(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)\/([^\s/]*)$/.exec(before);
  if (!match) return null;
  const start = before.length - match[2].length - 1;
  return { start, query: match[2] };
}

function normalise(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase();
}

/**
 * The replies that fit a conversation, best first: those for its topic (or for every topic) and
 * its language, matching the query in the title before those matching it only in the text.
 */
export function matchCanned(replies: CannedReply[], query: string, topic: string, locale = 'nl', limit = 8): CannedReply[] {
  const q = normalise(query.trim());
  const fits = replies.filter((r) => {
    const topicOk = !r.topics || r.topics.length === 0 || r.topics.includes(topic);
    const localeOk = !r.locale || r.locale === locale;
    return topicOk && localeOk;
  });
  const scored = fits
    .map((r) => {
      const title = normalise(r.title);
      const text = normalise(r.text);
      let score = -1;
      if (!q) score = 1;
      else if (title.startsWith(q)) score = 3;
      else if (title.includes(q)) score = 2;
      else if (text.includes(q)) score = 1;
      // replies for this very topic before general ones
      if (score >= 0 && r.topics && r.topics.includes(topic)) score += 0.5;
      return { r, score };
    })
    .filter((x) => x.score >= 0);
  scored.sort((a, b) => b.score - a.score || a.r.title.localeCompare(b.r.title, 'nl'));
  return scored.slice(0, limit).map((x) => x.r);
}

/**
 * Fills the placeholders a reply may hold: {naam} / {name} the resident, {medewerker} / {agent} the
 * agent. A resident name `undefined` is not known yet (a conversation still loading, known by its
 * id alone): {naam} stays as typed for the agent to fill in, where it used to give "Goedemiddag ,".
 */
export function fillCanned(text: string, residentName: string | null | undefined, agentName: string | null): string {
  const named = residentName === undefined ? text : text.replace(/\{(naam|name)\}/gi, residentName?.trim() || '');
  return named
    .replace(/\{(medewerker|agent)\}/gi, agentName?.trim() || '')
    .replace(/ {2,}/g, ' ');
}

/** Replaces the "/query" (or inserts at the caret) with the reply; returns the new text and caret. */
export function insertCanned(
  text: string,
  caret: number,
  reply: string,
  slash: { start: number; query: string } | null,
): { text: string; caret: number } {
  const from = slash ? slash.start : caret;
  const to = slash ? slash.start + 1 + slash.query.length : caret;
  const next = text.slice(0, from) + reply + text.slice(to);
  return { text: next, caret: from + reply.length };
}
