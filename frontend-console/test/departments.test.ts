import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  DEPARTMENTS_FALLBACK_POLL_MS,
  DEPARTMENTS_THROTTLE_MS,
  DepartmentsReader,
  isCurrent,
  noticeStatus,
  noticesForTopic,
  sharedNameNote,
} from '../src/departments';
import { type Lang, translate } from '../src/i18n';
import { type Department, type DepartmentNotice, parseServerFrame } from '../src/protocol';

const now = Date.parse('2026-02-20T10:00:00Z');
const notice = (id: string, extra: Partial<DepartmentNotice> = {}): DepartmentNotice => ({
  id,
  departmentId: 'burgerzaken',
  kind: 'reduced',
  from: '2026-02-01T08:00:00Z',
  until: null,
  agentText: 'tekst ' + id,
  setBy: 'sara',
  setAt: '2026-02-01T08:00:00Z',
  ...extra,
});
const dept = (id: string, name: string, topics: string[], notices: DepartmentNotice[]): Department => ({ id, name, topics, notices, contactRoutes: [] });

describe('department notices for agents', () => {
  const departments = [
    dept('burgerzaken', 'Burgerzaken', ['paspoort-id', 'rijbewijs'], [
      notice('a', { kind: 'appointment_only', until: '2026-03-01T16:00:00Z' }),
      notice('gone', { until: '2026-02-20T09:59:00Z' }),
    ]),
    dept('belastingen', 'Belastingen', ['paspoort-id'], [notice('b', { departmentId: 'belastingen', kind: 'unreachable' })]),
    dept('vergunningen', 'Vergunningen', ['bouwen'], [notice('c', { departmentId: 'vergunningen' })]),
  ];

  it('lists the current notices of the departments behind a topic, worst first', () => {
    const list = noticesForTopic(departments, 'paspoort-id', now);
    expect(list.map((x) => [x.department, x.notice.kind])).toEqual([
      ['Belastingen', 'unreachable'],
      ['Burgerzaken', 'appointment_only'],
    ]);
    expect(noticesForTopic(departments, 'rijbewijs', now).map((x) => x.notice.id)).toEqual(['a']);
    expect(noticesForTopic(departments, 'afval', now)).toEqual([]);
  });

  it('drops a notice the moment it runs out or is ended, and shows none before it starts', () => {
    expect(isCurrent(notice('x', { until: '2026-02-20T10:00:00Z' }), now)).toBe(false);
    expect(isCurrent(notice('x', { endedAt: '2026-02-20T09:00:00Z' }), now)).toBe(false);
    expect(isCurrent(notice('x', { from: '2026-02-21T08:00:00Z' }), now)).toBe(false);
    expect(isCurrent(notice('x'), now)).toBe(true);
    // placed a moment ago by a server whose clock runs a little ahead of this browser's
    expect(isCurrent(notice('x', { from: '2026-02-20T10:00:20Z' }), now)).toBe(true);
  });

  it('says where each notice in the history stands', () => {
    expect(noticeStatus(notice('x'), now)).toBe('current');
    expect(noticeStatus(notice('x', { from: '2026-02-21T08:00:00Z' }), now)).toBe('scheduled');
    expect(noticeStatus(notice('x', { until: '2026-02-10T08:00:00Z' }), now)).toBe('expired');
    expect(noticeStatus(notice('x', { until: '2026-02-10T08:00:00Z', endedAt: '2026-02-05T08:00:00Z' }), now)).toBe('ended');
  });
});

describe('when the console reads the departments again', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  const reader = () => {
    const load = vi.fn(() => Promise.resolve([] as Department[]));
    const shown: Department[][] = [];
    const r = new DepartmentsReader(load, (list) => shown.push(list), DEPARTMENTS_FALLBACK_POLL_MS);
    return { r, load, shown };
  };
  const frame = (text: string) => parseServerFrame(text)!;

  it('reads at once when the socket says a department changed, not at the next poll', async () => {
    const { r, load, shown } = reader();
    r.start();
    expect(load).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(60_000); // a quiet minute: no poll yet
    expect(load).toHaveBeenCalledTimes(1);

    r.frame(frame('{"type":"departments_changed"}'));
    expect(load).toHaveBeenCalledTimes(2);
    await vi.runOnlyPendingTimersAsync();
    expect(shown).toHaveLength(2);
    r.stop();
  });

  it('reads once for changes close together, and once more after the last of them', () => {
    const { r, load } = reader();
    r.start();
    r.frame(frame('{"type":"departments_changed"}'));
    r.frame(frame('{"type":"departments_changed"}'));
    r.frame(frame('{"type":"departments_changed"}'));
    expect(load).toHaveBeenCalledTimes(1); // within the throttle of the first read
    vi.advanceTimersByTime(DEPARTMENTS_THROTTLE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(10 * DEPARTMENTS_THROTTLE_MS);
    expect(load).toHaveBeenCalledTimes(2);
    r.stop();
  });

  it('reads after every hello, since a change may have gone by while the socket was away, and on the slow poll', () => {
    const { r, load } = reader();
    r.start();
    vi.advanceTimersByTime(DEPARTMENTS_THROTTLE_MS);
    r.frame(frame('{"type":"hello","agent":{"id":"a","name":"Anne","topics":[],"maxConcurrent":3,"status":"available"},"conversations":[]}'));
    expect(load).toHaveBeenCalledTimes(2);
    r.frame(frame('{"type":"queues","topics":[]}'));
    r.frame(frame('{"type":"callbacks","topics":[]}'));
    vi.advanceTimersByTime(DEPARTMENTS_FALLBACK_POLL_MS - DEPARTMENTS_THROTTLE_MS - 1);
    expect(load).toHaveBeenCalledTimes(2);
    vi.advanceTimersByTime(1);
    expect(load).toHaveBeenCalledTimes(3);
    r.stop();
    vi.advanceTimersByTime(DEPARTMENTS_FALLBACK_POLL_MS);
    expect(load).toHaveBeenCalledTimes(3);
  });

  it('still ignores a frame it does not know (a newer service)', () => {
    expect(parseServerFrame('{"type":"departments_renamed"}')).toBeNull();
    expect(parseServerFrame('{"type":"departments_changed"}')).toEqual({ type: 'departments_changed' });
  });
});

describe('a name two departments share', () => {
  const t = (lang: Lang) => (key: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate(lang, key, params);
  const wijk = (nameSharedWith?: string[]): Department => ({ ...dept('wijkbeheer', 'Wijkbeheer', [], []), nameSharedWith });

  it('tells an administrator, in their language, to rename one of them', () => {
    expect(sharedNameNote(wijk(['wijkbeheer-oud']), true, t('nl'))).toBe(
      'Deze naam heeft ook een andere afdeling; geef een van beide een andere naam.',
    );
    expect(sharedNameNote(wijk(['wijkbeheer-oud']), true, t('en'))).toBe(
      'Another department has this name too; give one of them another name.',
    );
  });

  it('says nothing of a name of its own, to anyone who cannot rename, or when an older service sends no mark', () => {
    expect(sharedNameNote(wijk([]), true, t('nl'))).toBeNull();
    expect(sharedNameNote(wijk(['wijkbeheer-oud']), false, t('nl'))).toBeNull();
    expect(sharedNameNote(wijk(undefined), true, t('nl'))).toBeNull();
  });
});
