import { useState } from 'preact/hooks';
import { csvFileName, saveBlob } from '../download';
import { errorsFor } from '../forms';
import type { FieldError, Ratings } from '../protocol';
import { ratingsPath } from '../queries';
import { addDays, formatInstant, isDay } from '../time';
import { amsterdamDate } from '../util';
import { useConsole } from './context';
import { LoadFailed, SelectField, TextField } from './fields';
import { ColumnHeads } from './table';
import { TranscriptDialog } from './TranscriptDialog';
import { useResource } from './useResource';

interface Period {
  from: string;
  to: string;
  topic: string;
}

/** Satisfaction (KCM): the residents' ratings with their comments, per topic and period, and a CSV export. */
export function Kcm() {
  const { t, api, lang, topics, topicName } = useConsole();
  const today = amsterdamDate();
  const [form, setForm] = useState<Period>({ from: addDays(today, -30), to: today, topic: '' });
  const [period, setPeriod] = useState<Period>(form);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const ratings = useResource(() => api.get<Ratings>(ratingsPath(period.from, period.to, period.topic)), [period]);

  const check = (p: Period): boolean => {
    const found: FieldError[] = [];
    if (!isDay(p.from)) found.push({ field: 'from', message: t('errDate') });
    if (!isDay(p.to)) found.push({ field: 'to', message: t('errDate') });
    if (!found.length && p.to < p.from) found.push({ field: 'to', message: t('errToBeforeFrom') });
    setErrors(found);
    return found.length === 0;
  };

  const exportCsv = async () => {
    if (!check(form)) return;
    setBusy(true);
    setStatus('');
    try {
      const blob = await api.download(ratingsPath(form.from, form.to, form.topic), 'text/csv');
      const name = csvFileName('kcm', form.from, form.to, form.topic || null);
      saveBlob(blob, name);
      setStatus(t('csvSaved', { name }));
    } catch (e) {
      setStatus(t('loadFailed', { error: (e as Error).message }));
    } finally {
      setBusy(false);
    }
  };

  const data = ratings.data;
  const max = data ? Math.max(1, ...Object.values(data.distribution ?? {})) : 1;
  return (
    <section class="card" aria-labelledby="kcm-title">
      <h3 id="kcm-title">{t('kcmTitle')}</h3>
      <form
        class="filter-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (check(form)) setPeriod({ ...form });
        }}
        noValidate
      >
        <TextField id="kcm-from" type="date" label={t('from')} value={form.from} errors={errorsFor(errors, 'from')} onInput={(v) => setForm({ ...form, from: v })} />
        <TextField id="kcm-to" type="date" label={t('to')} value={form.to} errors={errorsFor(errors, 'to')} onInput={(v) => setForm({ ...form, to: v })} />
        <SelectField id="kcm-topic" label={t('topic')} value={form.topic} onChange={(v) => setForm({ ...form, topic: v })}>
          <option value="">{t('allTopics')}</option>
          {topics.map((x) => (
            <option value={x.id}>{x.name}</option>
          ))}
        </SelectField>
        <div class="form-actions">
          <button type="submit" class="primary">
            {t('show')}
          </button>
          <button type="button" class="secondary" disabled={busy} onClick={exportCsv}>
            {t('exportCsv')}
          </button>
        </div>
      </form>
      <p role="status" class="saved-note">
        {status}
      </p>
      <LoadFailed error={ratings.error} />
      {data && (
        <>
          <div class="kcm-summary">
            <p>
              {t('ratingCount', { count: data.count })}
              {data.average !== null && data.average !== undefined && <> · {t('ratingAverage', { average: data.average.toFixed(1) })}</>}
            </p>
            <table class="table distribution">
              <caption>{t('distribution')}</caption>
              <ColumnHeads columns={[t('ratingScore'), t('count')]} />
              <tbody>
                {['5', '4', '3', '2', '1'].map((score) => {
                  const n = data.distribution?.[score] ?? 0;
                  return (
                    <tr>
                      <th scope="row">{score}</th>
                      <td>
                        <span class="dist-bar" style={{ width: `${Math.round((n / max) * 10)}rem` }} aria-hidden="true" />
                        {n}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {data.items.length === 0 ? (
            <p class="hint">{t('noRatings')}</p>
          ) : (
            <div class="table-scroll">
              <table class="table kcm-table">
                <caption class="sr-only">{t('ratingsWithComments')}</caption>
                <ColumnHeads columns={[t('ratedAt'), t('topic'), t('ratingScore'), t('comment'), t('agent')]} actions={t('open')} />
                <tbody>
                  {data.items.map((r) => {
                    const when = formatInstant(r.ratedAt, lang);
                    return (
                      <tr data-conversation={r.conversationId}>
                        <td>{when}</td>
                        <td>{topicName(r.topic)}</td>
                        <td>{r.score} / 5</td>
                        <td class="comment">{r.comment ?? '–'}</td>
                        <td>{r.agent?.name ?? '–'}</td>
                        <td>
                          <button type="button" class="small" aria-label={t('viewRatedConversation', { time: when })} onClick={() => setOpen(r.conversationId)}>
                            {t('view')}
                          </button>
                        </td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          )}
          {data.count > data.items.length && <p class="hint">{t('ratingsCapped', { shown: data.items.length, count: data.count })}</p>}
        </>
      )}
      {open && <TranscriptDialog conversationId={open} onClose={() => setOpen(null)} />}
    </section>
  );
}
