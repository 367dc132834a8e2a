import { describe, expect, it } from 'vitest';
import { translate, type Key } from '../src/i18n';
import { auditActionText, auditPath, detailText, ratingsPath, searchPath } from '../src/queries';

describe('search and filter URLs', () => {
  it('asks for past conversations with only the filters that are set', () => {
    const q = { from: '2026-11-01', to: '2026-11-30', topic: '', outcome: 'referred', agentId: 'u-7', state: '', conversationId: '', residentName: '' };
    expect(searchPath(q, 50)).toBe('/api/v1/conversations/search?from=2026-11-01&to=2026-11-30&outcome=referred&agentId=u-7&limit=50&offset=50');
  });

  it('asks for a conversation by its id on any day, leaving the period and other filters out; a name within the period', () => {
    const q = { from: '2026-11-01', to: '2026-11-30', topic: 'afval', outcome: '', agentId: '', state: '', conversationId: ' 3F2A0000-0000-4000-8000-000000000001 ', residentName: 'kees' };
    expect(searchPath(q, 0)).toBe('/api/v1/conversations/search?conversationId=3F2A0000-0000-4000-8000-000000000001&limit=50&offset=0');
    expect(searchPath({ ...q, conversationId: '  ', residentName: ' de Vries ' }, 0)).toBe(
      '/api/v1/conversations/search?from=2026-11-01&to=2026-11-30&topic=afval&residentName=de+Vries&limit=50&offset=0',
    );
  });

  it('asks for ratings of a period, for all topics or one', () => {
    expect(ratingsPath('2026-11-01', '2026-11-30', '')).toBe('/api/v1/ratings?from=2026-11-01&to=2026-11-30');
    expect(ratingsPath('2026-11-01', '2026-11-30', 'paspoort-id')).toBe('/api/v1/ratings?from=2026-11-01&to=2026-11-30&topic=paspoort-id');
  });

  it('filters the audit log on instants that cover whole Amsterdam days', () => {
    expect(auditPath({ actor: ' sara ', action: 'read_ratings', from: '2026-11-01', to: '2026-11-30', conversationId: '', limit: '100' })).toBe(
      '/api/v1/admin/audit?actor=sara&action=read_ratings&from=2026-10-31T23%3A00%3A00.000Z&to=2026-11-30T23%3A00%3A00.000Z&limit=100',
    );
    expect(auditPath({ actor: '', action: '', from: '', to: '', conversationId: '', limit: '' })).toBe('/api/v1/admin/audit');
  });

  it('shows audit details as readable pairs', () => {
    expect(detailText({ topic: 'paspoort-id', count: 3, filter: { from: '2026-11-01' } })).toBe('topic: paspoort-id, count: 3, filter: {"from":"2026-11-01"}');
    expect(detailText(null)).toBe('');
  });

  it('names the reads of callback requests and logouts in both languages, as the other actions', () => {
    const nl = (key: Key) => translate('nl', key);
    const en = (key: Key) => translate('en', key);
    expect(auditActionText('read_callbacks', nl)).toBe('Terugbelverzoeken gelezen');
    expect(auditActionText('read_callback', nl)).toBe('Terugbelverzoek gelezen');
    expect(auditActionText('logout', nl)).toBe('Uitgelogd');
    expect(auditActionText('read_callbacks', en)).toBe('Read callback requests');
    expect(auditActionText('read_callback', en)).toBe('Read a callback request');
    expect(auditActionText('logout', en)).toBe('Logged out');
    // an action the console has no words for stays its code
    expect(auditActionText('something_new', nl)).toBe('something_new');
  });
});
