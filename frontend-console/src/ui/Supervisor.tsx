import { useEffect, useState } from 'preact/hooks';
import type { Key } from '../i18n';
import type { AgentOverview, Topic, TopicStats } from '../protocol';
import type { State } from '../state';
import { normaliseAgents, normaliseStats } from '../supervision';
import { amsterdamDate, formatClock } from '../util';
import { ewtText } from './Queues';
import { useConsole } from './context';

export function SupervisorView(props: { state: State }) {
  const { t } = useConsole();
  return (
    <div class="supervisor-view">
      <h2>{t('supervisorTitle')}</h2>
      <AllQueues version={props.state.queueVersion} />
      <Agents version={props.state.queueVersion} />
      <Stats />
    </div>
  );
}

function AllQueues(props: { version: number }) {
  const { t, api, lang } = useConsole();
  const [topics, setTopics] = useState<Topic[] | null>(null);
  useEffect(() => {
    const load = () => api.get<Topic[]>('/api/v1/topics?lang=' + lang).then(setTopics).catch(() => undefined);
    const first = setTimeout(load, 200);
    const id = setInterval(load, 10_000);
    return () => {
      clearTimeout(first);
      clearInterval(id);
    };
  }, [props.version, lang]);
  return (
    <section class="card" aria-labelledby="all-queues-title">
      <h3 id="all-queues-title">{t('allQueuesTitle')}</h3>
      {topics && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('topic')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('waiting')}</th>
              <th scope="col">{t('ewt')}</th>
            </tr>
          </thead>
          <tbody>
            {topics.map((x) => {
              return (
                <tr>
                  <th scope="row">{x.name}</th>
                  <td>{x.open ? t('open') : t('closedTopic')}</td>
                  <td>{x.queueLength}</td>
                  <td>{x.open ? ewtText(t, x.estimatedWaitSeconds) : '–'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Agents(props: { version: number }) {
  const { t, api, topicName } = useConsole();
  const [agents, setAgents] = useState<AgentOverview[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const load = () =>
      api
        .get<unknown>('/api/v1/agents')
        .then((json) => {
          setAgents(normaliseAgents(json));
          setError(null);
        })
        .catch((e) => setError(e.message));
    const first = setTimeout(load, 200);
    const id = setInterval(load, 10_000);
    return () => {
      clearTimeout(first);
      clearInterval(id);
    };
  }, [props.version]);
  return (
    <section class="card" aria-labelledby="agents-title">
      <h3 id="agents-title">{t('agentsTitle')}</h3>
      {error && <p class="hint">{t('agentsUnavailable', { error })}</p>}
      {agents && (
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('agent')}</th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('openConversations')}</th>
              <th scope="col">{t('topics')}</th>
            </tr>
          </thead>
          <tbody>
            {agents.map((a) => (
              <tr>
                <th scope="row">{a.name}</th>
                <td>
                  <span class={'status-dot status-' + a.status} aria-hidden="true" />
                  {t(('status_' + a.status) as Key) ?? a.status}
                </td>
                <td>
                  {a.openConversations}
                  {a.maxConcurrent ? ' / ' + a.maxConcurrent : ''}
                </td>
                <td>{a.topics.map(topicName).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function pct(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : `${Math.round(v)}%`;
}
function dur(v: number | null | undefined): string {
  return v === null || v === undefined ? '–' : formatClock(v);
}

function Stats() {
  const { t, api, topicName } = useConsole();
  const today = amsterdamDate();
  const [from, setFrom] = useState(today);
  const [to, setTo] = useState(today);
  const [rows, setRows] = useState<TopicStats[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () =>
    api
      .get<unknown>(`/api/v1/stats?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`)
      .then((json) => {
        setRows(normaliseStats(json));
        setError(null);
      })
      .catch((e) => setError(e.message));
  useEffect(() => {
    load();
  }, []);
  return (
    <section class="card" aria-labelledby="stats-title">
      <h3 id="stats-title">{t('statsTitle')}</h3>
      <form
        class="stats-form"
        onSubmit={(e) => {
          e.preventDefault();
          load();
        }}
      >
        <div class="inline-field">
          <label for="stats-from">{t('from')}</label>
          <input id="stats-from" type="date" value={from} onInput={(e) => setFrom((e.target as HTMLInputElement).value)} />
        </div>
        <div class="inline-field">
          <label for="stats-to">{t('to')}</label>
          <input id="stats-to" type="date" value={to} onInput={(e) => setTo((e.target as HTMLInputElement).value)} />
        </div>
        <button type="submit" class="secondary">
          {t('show')}
        </button>
      </form>
      {error && <p class="hint">{t('statsUnavailable', { error })}</p>}
      {rows && !error && (
        <div class="table-scroll">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('topic')}</th>
                <th scope="col">{t('offered')}</th>
                <th scope="col">{t('answered')}</th>
                <th scope="col">{t('abandoned')}</th>
                <th scope="col">{t('callbacks')}</th>
                <th scope="col">{t('serviceLevel')}</th>
                <th scope="col">{t('medianWait')}</th>
                <th scope="col">{t('p90Wait')}</th>
                <th scope="col">{t('aht')}</th>
                <th scope="col">{t('rating')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <th scope="row">{topicName(r.topic)}</th>
                  <td>{r.offered ?? '–'}</td>
                  <td>{r.answered ?? '–'}</td>
                  <td>{r.abandoned ?? '–'}</td>
                  <td>{r.callbacks ?? '–'}</td>
                  <td>{pct(r.serviceLevel)}</td>
                  <td>{dur(r.medianWaitSeconds)}</td>
                  <td>{dur(r.p90WaitSeconds)}</td>
                  <td>{dur(r.averageHandleSeconds)}</td>
                  <td>{r.averageRating === null || r.averageRating === undefined ? '–' : r.averageRating.toFixed(1)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
