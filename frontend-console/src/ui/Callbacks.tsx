import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { claimGone, claimedLists, references } from '../callbacks';
import type { Key } from '../i18n';
import type { AttemptResult, CallbackRequest } from '../protocol';
import { InFlight, formatDateTime } from '../util';
import { useConsole } from './context';
import { ColumnHeads } from './table';

const RESULTS: AttemptResult[] = ['reached', 'no_answer', 'wrong_number'];

export function CallbacksView(props: { version: number; agentTopics: string[] }) {
  const { t, api, claims, topicName } = useConsole();
  const [filter, setFilter] = useState<string>('mine');
  const [open, setOpen] = useState<CallbackRequest[] | null>(null);
  const [mine, setMine] = useState<CallbackRequest[] | null>(null);
  const [others, setOthers] = useState<CallbackRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const me = claims.upn ?? claims.preferred_username ?? '';
  const loading = useRef(0);

  const load = async () => {
    const n = ++loading.current;
    try {
      const [o, c] = await Promise.all([
        api.get<{ items: CallbackRequest[] }>('/api/v1/callbacks?state=open'),
        api.get<{ items: CallbackRequest[] }>('/api/v1/callbacks?state=claimed'),
      ]);
      if (n !== loading.current) return;
      setOpen(o.items);
      const lists = claimedLists(c.items, me, claims.groups);
      setMine(lists.mine);
      setOthers(lists.others);
      setError(null);
    } catch (e) {
      if (n === loading.current) setError((e as Error).message);
    }
  };

  // a `callbacks` event means a callback list changed somewhere (also a claimed request cancelled): read them again
  useEffect(() => {
    const id = setTimeout(load, 150);
    return () => clearTimeout(id);
  }, [props.version]);
  // requests whose next attempt comes due become claimable without any event
  useEffect(() => {
    const id = setInterval(load, 30_000);
    return () => clearInterval(id);
  }, []);

  const shown = (open ?? []).filter((r) =>
    filter === 'all' ? true : filter === 'mine' ? props.agentTopics.length === 0 || props.agentTopics.includes(r.topic) : r.topic === filter,
  );

  // a double click must not post twice: the second post's 409 would say a colleague has it
  const inFlight = useRef(new InFlight());
  const [claiming, setClaiming] = useState<string[]>([]);
  const claim = async (r: CallbackRequest) => {
    if (inFlight.current.has(r.id)) return;
    setMessage(null);
    setClaiming((ids) => [...ids, r.id]);
    try {
      await inFlight.current.run(r.id, () => api.post(`/api/v1/callbacks/${r.id}/claim`));
      setMessage(t('claimed'));
    } catch (e) {
      setMessage(e instanceof ApiError && e.status === 409 ? t('claimConflict') : (e as Error).message);
    } finally {
      setClaiming((ids) => ids.filter((id) => id !== r.id));
    }
    await load();
  };

  // a team lead frees a request a colleague holds (gone home, ill): it is open again for everyone
  const release = async (r: CallbackRequest) => {
    if (inFlight.current.has(r.id)) return;
    setMessage(null);
    const agent = r.claimedByName || r.claimedBy || '';
    try {
      await inFlight.current.run(r.id, () => api.post(`/api/v1/callbacks/${r.id}/release`));
      setMessage(t('released', { agent }));
    } catch (e) {
      setMessage((e as Error).message);
    }
    await load();
  };

  const topicsInList = [...new Set((open ?? []).map((r) => r.topic))];
  return (
    <div class="callbacks-view">
      <h2>{t('callbacksTitle')}</h2>
      {/* the list shows residents' phone numbers: each read of it, and of one request, is in the audit log (read_callbacks, read_callback) */}
      <p class="hint small-text">{t('auditedRead')}</p>
      <div class="status-line" role="status">
        {message}
      </div>
      {error && <p class="error">{t('loadFailed', { error })}</p>}
      <section aria-labelledby="mine-title" class="card">
        <h3 id="mine-title">{t('myCallbacks')}</h3>
        {mine && mine.length === 0 && <p class="hint">{t('noMyCallbacks')}</p>}
        {mine && mine.length > 0 && (
          <ul class="claimed-list">
            {mine.map((r) => (
              <ClaimedCallback key={r.id} request={r} onDone={(text) => {
                setMessage(text);
                load();
              }} />
            ))}
          </ul>
        )}
      </section>
      {others && (
        <section aria-labelledby="others-title" class="card">
          <h3 id="others-title">{t('othersCallbacks')}</h3>
          {others.length === 0 && <p class="hint">{t('noOthersCallbacks')}</p>}
          {others.length > 0 && (
            <table class="table">
              <caption class="sr-only">{t('othersCallbacks')}</caption>
              <ColumnHeads columns={[t('name'), t('topic'), t('phone'), t('claimedByColumn'), t('claimedSince')]} actions={t('release')} />
              <tbody>
                {others.map((r) => {
                  const name = r.name || t('anonymous');
                  const agent = r.claimedByName || r.claimedBy || '–';
                  return (
                    <tr data-callback={r.id}>
                      <th scope="row">
                        {name}
                        {references(r).length > 0 && <div class="muted small-text ref">{t('reference', { reference: references(r).join(', ') })}</div>}
                      </th>
                      <td>{topicName(r.topic)}</td>
                      <td>{r.phone}</td>
                      <td>{agent}</td>
                      <td>{formatDateTime(r.claimedAt)}</td>
                      <td>
                        <button type="button" class="small secondary" aria-label={t('releaseLabel', { name, agent })} onClick={() => release(r)}>
                          {t('release')}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
        </section>
      )}
      <section aria-labelledby="open-title" class="card">
        <div class="section-head">
          <h3 id="open-title">{t('openCallbacks')}</h3>
          <div class="inline-field">
            <label for="callback-filter">{t('filterTopic')}</label>
            <select id="callback-filter" value={filter} onChange={(e) => setFilter((e.target as HTMLSelectElement).value)}>
              <option value="mine">{t('topics')}: {props.agentTopics.map(topicName).join(', ') || '–'}</option>
              <option value="all">{t('allTopics')}</option>
              {topicsInList.map((id) => (
                <option value={id}>{topicName(id)}</option>
              ))}
            </select>
          </div>
        </div>
        {open && shown.length === 0 && <p class="hint">{t('noCallbacks')}</p>}
        {shown.length > 0 && (
          <table class="table">
            <caption class="sr-only">{t('openCallbacks')}</caption>
            <ColumnHeads columns={[t('name'), t('topic'), t('phone'), t('window'), t('priority'), t('attempts')]} actions={t('claim')} />
            <tbody>
              {shown.map((r) => {
                const name = r.name || t('anonymous');
                return (
                  <tr data-callback={r.id}>
                    <th scope="row">
                      {name}
                      {r.conversationId && <span class="muted small-text"> ({t('fromConversation')})</span>}
                      {references(r).length > 0 && <div class="muted small-text ref">{t('reference', { reference: references(r).join(', ') })}</div>}
                      {r.note && <div class="muted small-text">{r.note}</div>}
                    </th>
                    <td>{topicName(r.topic)}</td>
                    <td>{r.phone}</td>
                    <td>{r.window ? t(('window_' + r.window) as Key) : '–'}</td>
                    <td>{formatDateTime(r.priorityAt)}</td>
                    <td>{r.attempts.length}</td>
                    <td>
                      <button
                        type="button"
                        class="small"
                        aria-label={t('claimCallbackLabel', { name })}
                        aria-disabled={claiming.includes(r.id) || undefined}
                        onClick={() => claim(r)}
                      >
                        {t('claim')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

function ClaimedCallback(props: { request: CallbackRequest; onDone(message: string): void }) {
  const { t, api, topicName } = useConsole();
  const r = props.request;
  const [result, setResult] = useState<AttemptResult | null>(null);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const name = r.name || t('anonymous');
  const base = 'cb-' + r.id;
  // refused because the request was cancelled, ended or taken away: say why and read the list again, so it leaves the screen
  const refused = (err: unknown) => {
    if (claimGone(err)) {
      props.onDone((err as Error).message);
    } else {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  const giveBack = async () => {
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/callbacks/${r.id}/release`);
      props.onDone(t('givenBack'));
    } catch (err) {
      refused(err);
    }
  };
  const submit = async (e: Event) => {
    e.preventDefault();
    if (!result) {
      setError(t('required'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post(`/api/v1/callbacks/${r.id}/attempts`, { result, note: note.trim() || undefined });
      props.onDone(t('attemptSaved', { result: t(('result_' + result) as Key) }));
    } catch (err) {
      refused(err);
    }
  };
  return (
    <li class="claimed" data-callback={r.id}>
      <h4>
        {name} · {topicName(r.topic)}
      </h4>
      {references(r).length > 0 && <p class="muted small-text ref">{t('reference', { reference: references(r).join(', ') })}</p>}
      <p>
        {r.phone && (
          <a href={'tel:' + r.phone} class="phone">
            {t('call', { phone: r.phone })}
          </a>
        )}{' '}
        <span class="muted">
          {r.window ? t(('window_' + r.window) as Key) : ''} · {formatDateTime(r.priorityAt)}
        </span>
      </p>
      {r.note && <p class="callback-note">{r.note}</p>}
      {r.attempts.length > 0 && (
        <ul class="attempts">
          {r.attempts.map((a) => (
            <li>
              {formatDateTime(a.at)} · {t(('result_' + a.result) as Key)}
              {a.by ? ' · ' + a.by : ''}
              {a.note ? ': ' + a.note : ''}
            </li>
          ))}
        </ul>
      )}
      <form class="attempt-form" onSubmit={submit} aria-busy={busy}>
        <fieldset>
          <legend>
            {t('result')} <span class="sr-only">({name})</span>
          </legend>
          {RESULTS.map((x) => (
            <label class="choice">
              <input type="radio" name={base + '-result'} value={x} checked={result === x} onChange={() => setResult(x)} />
              {t(('result_' + x) as Key)}
            </label>
          ))}
        </fieldset>
        <label for={base + '-note'}>{t('attemptNote')}</label>
        <textarea id={base + '-note'} rows={2} maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            {t('attempt')}
          </button>
          <button type="button" class="secondary" disabled={busy} aria-label={t('giveBackLabel', { name })} onClick={giveBack}>
            {t('giveBack')}
          </button>
        </div>
      </form>
    </li>
  );
}
