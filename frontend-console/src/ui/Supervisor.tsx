import type { Key } from '../i18n';
import type { AgentOverview, CapacityFlag, Topic, TopicBoard } from '../protocol';
import { type State, longestWaitNow } from '../state';
import { colleaguesWithRoom, normaliseAgents } from '../supervision';
import { formatInstant } from '../time';
import { formatClock } from '../util';
import { CapacityForm } from './Capacity';
import { useConsole, useNow } from './context';
import { DepartmentNotices } from './DepartmentNotices';
import { Figures } from './Figures';
import { HistorySearch } from './History';
import { Kcm } from './Kcm';
import { ewtText } from './Queues';
import { SubNav, useSection } from './SubNav';
import { ColumnHeads } from './table';
import { useResource } from './useResource';

const SECTIONS = ['overview', 'figures', 'kcm', 'history'] as const;
type Section = (typeof SECTIONS)[number];

/** The team lead's view: the live floor and the capacity flag, the day's figures, satisfaction, past conversations. */
export function SupervisorView(props: { state: State }) {
  const { t } = useConsole();
  const [section, setSection] = useSection<Section>('supervisor', SECTIONS);
  const names: Record<Section, string> = {
    overview: t('supOverview'),
    figures: t('supFigures'),
    kcm: t('supKcm'),
    history: t('supHistory'),
  };
  return (
    <div class="supervisor-view wide-view">
      <h2>{t('supervisorTitle')}</h2>
      <SubNav label={t('supervisorTitle')} sections={SECTIONS} current={section} names={names} onChange={setSection} />
      {section === 'overview' && <Overview state={props.state} />}
      {section === 'figures' && <Figures />}
      {section === 'kcm' && <Kcm />}
      {section === 'history' && <HistorySearch />}
    </div>
  );
}

function Overview(props: { state: State }) {
  const { api } = useConsole();
  const capacity = useResource(() => api.get<CapacityFlag[]>('/api/v1/capacity'), [], 30_000);
  return (
    <>
      <LiveBoard state={props.state} capacity={capacity.data ?? []} />
      <Agents />
      <CapacityForm flags={capacity.data} error={capacity.error} onSaved={capacity.reload} />
    </>
  );
}

/** Rows for every topic: the pushed board where there is one, the public topic list for the rest. */
function boardRows(boards: TopicBoard[], topics: Topic[]): { id: string; board: TopicBoard | null; topic: Topic | null }[] {
  const ids = [...topics.map((x) => x.id), ...boards.map((b) => b.id).filter((id) => !topics.some((x) => x.id === id))];
  return ids.map((id) => ({ id, board: boards.find((b) => b.id === id) ?? null, topic: topics.find((x) => x.id === id) ?? null }));
}

function LiveBoard(props: { state: State; capacity: CapacityFlag[] }) {
  const { t, api, lang, topicName } = useConsole();
  const now = useNow(1000);
  // open/closed now changes with the clock, not with the board: read it every 30 s
  const topics = useResource(() => api.get<Topic[]>('/api/v1/topics?lang=' + lang), [lang], 30_000);
  const rows = boardRows(props.state.boards, topics.data ?? []);
  const n = (v: number | undefined) => (v === undefined ? '–' : v);
  return (
    <section class="card" aria-labelledby="live-title">
      <h3 id="live-title">{t('liveTitle')}</h3>
      {rows.length === 0 ? (
        <p class="hint">{t('noQueues')}</p>
      ) : (
        <div class="table-scroll">
          <table class="table live-table">
            <ColumnHeads columns={[t('topic'), t('status'), t('waiting'), t('longestWait'), t('ewt'), t('colAvailable'), t('colAway'), t('colAtCapacity'), t('callbacksOpen'), t('capacity')]} />
            <tbody>
              {rows.map(({ id, board, topic }) => {
                const flag = props.capacity.find((c) => c.topic === id);
                const waiting = board?.waiting ?? topic?.queueLength ?? 0;
                return (
                  <tr data-topic={id}>
                    <th scope="row">
                      {topic?.name ?? topicName(id)}
                      <DepartmentNotices topic={id} compact headingLevel={4} />
                    </th>
                    <td>{topic ? (topic.open ? t('open') : t('closedTopic')) : '–'}</td>
                    <td>{waiting}</td>
                    <td>{board && board.waiting > 0 ? formatClock(longestWaitNow(board, props.state.boardsAt, now)) : '–'}</td>
                    <td>{ewtText(t, board ? board.estimatedWaitSeconds : topic?.estimatedWaitSeconds)}</td>
                    <td>{n(board ? colleaguesWithRoom(board) : undefined)}</td>
                    <td>{n(board?.agentsAway)}</td>
                    <td>{n(board?.agentsAtCapacity)}</td>
                    <td>{props.state.callbacksOpen[id] ?? board?.callbacksOpen ?? '–'}</td>
                    <td>{flag?.short ? <span class="tag tag-warn">{t('capacityShort')}</span> : t('capacityNormal')}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {rows.length > 0 && <p class="hint small-text">{t('liveCountsHint')}</p>}
      {topics.error && <p class="hint">{t('loadFailed', { error: topics.error })}</p>}
      {props.state.boardsAt > 0 && (
        <p class="hint small-text">{t('boardUpdated', { time: formatInstant(new Date(props.state.boardsAt).toISOString(), lang) })}</p>
      )}
    </section>
  );
}

function load(a: AgentOverview): string {
  return a.maxConcurrent ? `${a.openConversations} / ${a.maxConcurrent}` : String(a.openConversations);
}

function Agents() {
  const { t, api, topicName } = useConsole();
  const agents = useResource(() => api.get<unknown>('/api/v1/agents').then(normaliseAgents), [], 10_000);
  return (
    <section class="card" aria-labelledby="agents-title">
      <div class="section-head">
        <h3 id="agents-title">{t('agentsTitle')}</h3>
        <button type="button" class="small secondary" onClick={agents.reload}>
          {t('refresh')}
        </button>
      </div>
      {agents.error && <p class="hint">{t('agentsUnavailable', { error: agents.error })}</p>}
      {agents.data && agents.data.length === 0 && <p class="hint">{t('noAgents')}</p>}
      {agents.data && agents.data.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <ColumnHeads columns={[t('agent'), t('status'), t('load'), t('topics')]} />
            <tbody>
              {agents.data.map((a) => (
                <tr>
                  <th scope="row">{a.name}</th>
                  <td>
                    <span class={'status-dot status-' + a.status} aria-hidden="true" />
                    {t(('status_' + a.status) as Key) ?? a.status}
                  </td>
                  <td>
                    {load(a)}
                    {a.maxConcurrent !== undefined && a.status !== 'offline' && a.openConversations >= a.maxConcurrent && (
                      <span class="muted"> ({t('full')})</span>
                    )}
                  </td>
                  <td>{a.topics.map(topicName).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
