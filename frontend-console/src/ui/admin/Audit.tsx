import { useRef, useState } from 'preact/hooks';
import { errorsFor } from '../../forms';
import type { AuditEntry, FieldError } from '../../protocol';
import { type AuditQuery, auditActionText, auditPath, auditRoleText, detailText } from '../../queries';
import { formatInstant, isDay } from '../../time';
import { useConsole } from '../context';
import { LoadFailed, SelectField, TextField } from '../fields';
import { ColumnHeads } from '../table';
import { useResource } from '../useResource';

const EMPTY: AuditQuery = { actor: '', action: '', from: '', to: '', conversationId: '', limit: '100' };

export function AuditLog() {
  const { t, api, lang } = useConsole();
  const [form, setForm] = useState<AuditQuery>(EMPTY);
  const [query, setQuery] = useState<AuditQuery>(EMPTY);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const log = useResource(() => api.get<{ items: AuditEntry[] }>(auditPath(query)), [query]);
  const items = log.data?.items ?? [];
  // the actions seen so far become suggestions for the filter
  const actions = useRef(new Set<string>());
  for (const i of items) actions.current.add(i.action);
  const seen = [...actions.current].sort();

  const submit = (e: Event) => {
    e.preventDefault();
    const found: FieldError[] = [];
    if (form.from && !isDay(form.from)) found.push({ field: 'from', message: t('errDate') });
    if (form.to && !isDay(form.to)) found.push({ field: 'to', message: t('errDate') });
    if (!found.length && form.from && form.to && form.to < form.from) found.push({ field: 'to', message: t('errToBeforeFrom') });
    setErrors(found);
    if (!found.length) setQuery({ ...form });
  };
  const set = (key: keyof AuditQuery) => (value: string) => setForm({ ...form, [key]: value });
  return (
    <section class="card" aria-labelledby="audit-title">
      <h3 id="audit-title">{t('adminAudit')}</h3>
      <form class="filter-form" onSubmit={submit} noValidate>
        <TextField id="audit-actor" label={t('actor')} value={form.actor} errors={errorsFor(errors, 'actor')} onInput={set('actor')} />
        <div class="field">
          <label for="audit-action">{t('action')}</label>
          <input id="audit-action" list="audit-actions" autocomplete="off" value={form.action} onInput={(e) => set('action')((e.target as HTMLInputElement).value)} />
          <datalist id="audit-actions">
            {seen.map((a) => (
              <option value={a} />
            ))}
          </datalist>
        </div>
        <TextField id="audit-from" type="date" label={t('from')} value={form.from} errors={errorsFor(errors, 'from')} onInput={set('from')} />
        <TextField id="audit-to" type="date" label={t('to')} value={form.to} errors={errorsFor(errors, 'to')} onInput={set('to')} />
        <TextField id="audit-conversation" label={t('conversationIdOptional')} value={form.conversationId} errors={errorsFor(errors, 'conversationId')} onInput={set('conversationId')} />
        <SelectField id="audit-limit" label={t('limit')} value={form.limit} onChange={set('limit')}>
          {['50', '100', '500', '1000'].map((n) => (
            <option value={n}>{n}</option>
          ))}
        </SelectField>
        <div class="form-actions">
          <button type="submit" class="primary">
            {t('search')}
          </button>
        </div>
      </form>
      <div role="status" class="result-count">
        {log.data ? t('auditCount', { count: items.length }) : ''}
      </div>
      <LoadFailed error={log.error} />
      {items.length > 0 && (
        <div class="table-scroll">
          <table class="table audit-table">
            <ColumnHeads columns={[t('time'), t('actor'), t('role'), t('action'), t('conversation'), t('details')]} />
            <tbody>
              {items.map((i) => (
                <tr>
                  <td>{formatInstant(i.at, lang)}</td>
                  <th scope="row">{i.actor}</th>
                  <td>{auditRoleText(i.role, t)}</td>
                  <td>
                    {auditActionText(i.action, t)}
                    {auditActionText(i.action, t) !== i.action && (
                      <>
                        {' '}
                        <code class="muted small-text">{i.action}</code>
                      </>
                    )}
                  </td>
                  <td>{i.conversationId ? <code class="id">{i.conversationId}</code> : '–'}</td>
                  <td class="clip">{detailText(i.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
