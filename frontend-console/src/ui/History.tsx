import { useRef, useState } from 'preact/hooks';
import { checkConversationId, errorsFor } from '../forms';
import type { Key } from '../i18n';
import type { AgentOverview, ConversationItem, FieldError, Outcome, SearchPage } from '../protocol';
import { SEARCH_PAGE as PAGE, type SearchQuery as Query, searchPath } from '../queries';
import { normaliseAgents } from '../supervision';
import { addDays, formatInstant, isDay } from '../time';
import { amsterdamDate } from '../util';
import { useConsole } from './context';
import { LoadFailed, SelectField, TextField, focusFirstInvalid } from './fields';
import { ColumnHeads } from './table';
import { TranscriptDialog } from './TranscriptDialog';
import { useResource } from './useResource';

const OUTCOMES: Outcome[] = ['answered', 'referred', 'no_response', 'other'];
const STATES = ['closed', 'abandoned', 'callback', 'active', 'queued'];

/** Past conversations by day, topic, outcome, agent and the resident's name, or by conversation id; each opens read-only. */
export function HistorySearch() {
  const { t, api, lang, topics, topicName } = useConsole();
  const today = amsterdamDate();
  const [form, setForm] = useState<Query>({ from: addDays(today, -7), to: today, topic: '', outcome: '', agentId: '', state: '', conversationId: '', residentName: '' });
  const formRef = useRef<HTMLFormElement>(null);
  const [query, setQuery] = useState<Query | null>(null);
  const [offset, setOffset] = useState(0);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [open, setOpen] = useState<string | null>(null);
  const agents = useResource<AgentOverview[]>(() => api.get<unknown>('/api/v1/agents').then(normaliseAgents), []);
  const result = useResource<SearchPage | null>(() => (query ? api.get<SearchPage>(searchPath(query, offset)) : Promise.resolve(null)), [query, offset]);

  const submit = (e: Event) => {
    e.preventDefault();
    const found: FieldError[] = [];
    if (form.conversationId.trim()) {
      // an id is found on any day: the period does not matter then
      found.push(...checkConversationId(form.conversationId, t));
    } else {
      if (!isDay(form.from)) found.push({ field: 'from', message: t('errDate') });
      if (!isDay(form.to)) found.push({ field: 'to', message: t('errDate') });
      if (!found.length && form.to < form.from) found.push({ field: 'to', message: t('errToBeforeFrom') });
    }
    setErrors(found);
    if (found.length) {
      focusFirstInvalid(formRef.current);
      return;
    }
    setOffset(0);
    setQuery({ ...form });
  };

  const page = result.data;
  const set = (key: keyof Query) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <section class="card" aria-labelledby="history-title">
      <h3 id="history-title">{t('historyTitle')}</h3>
      <form class="filter-form" ref={formRef} onSubmit={submit} noValidate>
        <TextField
          id="history-conversationId"
          label={t('conversationIdOptional')}
          hint={t('historyIdHint')}
          value={form.conversationId}
          errors={errorsFor(errors, 'conversationId')}
          onInput={set('conversationId')}
        />
        <TextField id="history-residentName" label={t('residentNameOptional')} value={form.residentName} maxLength={100} onInput={set('residentName')} />
        <TextField id="history-from" type="date" label={t('from')} value={form.from} errors={errorsFor(errors, 'from')} onInput={set('from')} />
        <TextField id="history-to" type="date" label={t('to')} value={form.to} errors={errorsFor(errors, 'to')} onInput={set('to')} />
        <SelectField id="history-topic" label={t('topic')} value={form.topic} onChange={set('topic')}>
          <option value="">{t('allTopics')}</option>
          {topics.map((x) => (
            <option value={x.id}>{x.name}</option>
          ))}
        </SelectField>
        <SelectField id="history-outcome" label={t('outcome')} value={form.outcome} onChange={set('outcome')}>
          <option value="">{t('anyOutcome')}</option>
          {OUTCOMES.map((o) => (
            <option value={o}>{t(('outcome_' + o) as Key)}</option>
          ))}
        </SelectField>
        <SelectField id="history-agent" label={t('agent')} value={form.agentId} onChange={set('agentId')}>
          <option value="">{t('anyAgent')}</option>
          {(agents.data ?? []).map((a) => (
            <option value={a.id}>{a.name}</option>
          ))}
        </SelectField>
        <SelectField id="history-state" label={t('status')} value={form.state} onChange={set('state')}>
          <option value="">{t('anyState')}</option>
          {STATES.map((s) => (
            <option value={s}>{t(('state_' + s) as Key)}</option>
          ))}
        </SelectField>
        <div class="form-actions">
          <button type="submit" class="primary">
            {t('search')}
          </button>
        </div>
      </form>
      <div role="status" class="result-count">
        {page ? t('resultCount', { total: page.total }) : ''}
      </div>
      <LoadFailed error={result.error} />
      {page && page.items.length > 0 && (
        <>
          <div class="table-scroll">
            <table class="table history-table">
              <ColumnHeads columns={[t('queuedAt'), t('name'), t('topic'), t('agent'), t('outcome'), t('ratingScore'), t('messages')]} actions={t('open')} />
              <tbody>
                {page.items.map((c: ConversationItem) => {
                  const name = c.residentName || t('anonymous');
                  const when = formatInstant(c.queuedAt, lang);
                  return (
                    <tr data-conversation={c.id}>
                      <td>{when}</td>
                      <th scope="row">{name}</th>
                      <td>{topicName(c.topic)}</td>
                      <td>{c.agent?.name ?? '–'}</td>
                      <td>{c.outcome ? t(('outcome_' + c.outcome) as Key) : t(('state_' + c.state) as Key)}</td>
                      <td>{c.rating ?? '–'}</td>
                      <td>{c.messageCount}</td>
                      <td>
                        <button type="button" class="small" aria-label={t('viewConversationLabel', { name, time: when })} onClick={() => setOpen(c.id)}>
                          {t('view')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <Pager offset={offset} count={page.items.length} total={page.total} onMove={setOffset} />
        </>
      )}
      {open && <TranscriptDialog conversationId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}

function Pager(props: { offset: number; count: number; total: number; onMove(offset: number): void }) {
  const { t } = useConsole();
  if (props.total <= PAGE) return null;
  return (
    <nav class="pager" aria-label={t('pages')}>
      <button type="button" class="secondary" disabled={props.offset === 0} onClick={() => props.onMove(Math.max(0, props.offset - PAGE))}>
        {t('previous')}
      </button>
      <span>{t('range', { from: props.offset + 1, to: props.offset + props.count, total: props.total })}</span>
      <button type="button" class="secondary" disabled={props.offset + PAGE >= props.total} onClick={() => props.onMove(props.offset + PAGE)}>
        {t('next')}
      </button>
    </nav>
  );
}
