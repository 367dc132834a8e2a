import { describe, expect, it } from 'vitest';
import { noAnnouncement, nextAnnouncement } from '../src/announce';

describe('live announcements', () => {
  it('makes the same words twice into two announcements, so a screen reader reads both', () => {
    const first = nextAnnouncement(noAnnouncement, 'Nieuw bericht van Jan in een ander gesprek.');
    const second = nextAnnouncement(first, 'Nieuw bericht van Jan in een ander gesprek.');
    expect(second.text).toBe(first.text);
    // the live region renders each announcement as an element keyed by its id: a new id is a new node
    expect(second.id).not.toBe(first.id);
  });
});
