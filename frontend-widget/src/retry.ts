// When the widget tries a REST call again by itself after a passing failure (503 `unavailable`,
// another 5xx, no answer at all): not before the service's Retry-After, backing off from 2 s,
// never more than a minute apart, spread a little so that residents who failed in the same
// second do not all come back in the same second; and not for ever. A chat message answered
// `unavailable` on the socket backs off alike (protocol.ts), for as long as the socket is open.

/** Tries by itself after a failure; after these only the resident's own "Opnieuw proberen". */
export const AUTO_RETRIES = 5;
const FIRST_MS = 2000;
/** The longest wait, also when Retry-After asks for more. */
export const MAX_RETRY_MS = 60000;

/**
 * How long to wait before the `n`th try by itself (0 for the first): 2 s doubling, at least
 * `retryAfter` seconds, plus up to a fifth at random, and at most a minute.
 */
export function retryDelay(n: number, retryAfter: number | null, random: () => number = Math.random): number {
  const wait = Math.max(FIRST_MS * 2 ** n, (retryAfter ?? 0) * 1000);
  return Math.min(MAX_RETRY_MS, Math.round(wait * (1 + 0.2 * random())));
}
