import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { WaitingConversation } from '../protocol';
import { CLAIM_NEXT_ID } from '../focus';
import { Refresher } from '../refresher';
import { type State, activeConversations, claimInFlight, longestWaitNow, servesTopic, waitingSince } from '../state';
import { colleaguesWithRoom } from '../supervision';
import { estimateMinutes, formatClock, formatTime } from '../util';
import { type WaitingRow, holdRows, waitingInMyTopics } from '../waitingList';
import type { Actions } from './actions';
import { useConsole, useId, useNow } from './context';
import { DepartmentNotices } from './DepartmentNotices';

export function QueueSide(props: { state: State; actions: Actions }) {
  const { t } = useConsole();
  const { state, actions } = props;
  const agent = state.agent;
  const open = state.connection === 'open';
  const away = agent?.status === 'away';
  const full = !!agent && activeConversations(state).length >= agent.maxConcurrent;
  const blocked = !open || away || full;
  // While a claim is unanswered the claim buttons refuse (actions.claim ignores them) and say so with
  // aria-disabled rather than `disabled`, which would throw the keyboard focus off the button just pressed.
  // The clock ticks so that they come back should the answer never arrive.
  const claiming = claimInFlight(state, useNow(1000));
  const reasonId = useId('claim-reason');
  const reason = away ? t('awayNoClaim') : full ? t('atCapacity', { max: agent!.maxConcurrent }) : null;
  return (
    <aside class="side" aria-label={t('queuesTitle')}>
      <button
        type="button"
        id={CLAIM_NEXT_ID}
        class="primary next"
        disabled={blocked}
        aria-disabled={claiming || undefined}
        aria-describedby={reason ? reasonId : undefined}
        aria-keyshortcuts="Alt+N"
        onClick={() => actions.claim()}
      >
        {t('nextConversation')}
      </button>
      {reason && (
        <p id={reasonId} class="hint">
          {reason}
        </p>
      )}
      <Board state={state} actions={actions} blocked={blocked} claiming={claiming} />
      <WaitingList version={state.queueVersion} total={waitingInMyTopics(state)} actions={actions} online={open} blocked={blocked} claiming={claiming} />
    </aside>
  );
}

export function ewtText(t: ReturnType<typeof useConsole>['t'], seconds: number | null | undefined): string {
  const minutes = estimateMinutes(seconds);
  if (minutes === null) return t('unknown');
  if (minutes < 1) return t('lessThanMinute');
  // a surge gives estimates of hours: "ca. 4 uur 11 min" reads at a glance, "ca. 251 min" does not
  if (minutes < 90) return t('aboutMinutes', { minutes });
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? t('aboutHours', { hours }) : t('aboutHoursMinutes', { hours, minutes: rest });
}

function Board(props: { state: State; actions: Actions; blocked: boolean; claiming: boolean }) {
  const { t, topicName } = useConsole();
  const now = useNow(1000);
  const { boards, boardsAt } = props.state;
  return (
    <section class="board" aria-labelledby="queues-title">
      <h2 id="queues-title">{t('queuesTitle')}</h2>
      {boards.length === 0 ? (
        <p class="hint">{t('noQueues')}</p>
      ) : (
        <ul class="board-list">
          {boards.map((b) => {
            const name = topicName(b.id);
            const longest = longestWaitNow(b, boardsAt, now);
            return (
              <li class={'board-card' + (b.waiting > 0 ? ' has-waiting' : '')} data-topic={b.id}>
                <div class="board-head">
                  <h3>{name}</h3>
                  {servesTopic(props.state, b.id) && (
                    <button
                      type="button"
                      class="small"
                      disabled={props.blocked || b.waiting === 0}
                      aria-disabled={props.claiming || undefined}
                      aria-label={t('claimTopic', { topic: name })}
                      onClick={() => props.actions.claim({ topic: b.id })}
                    >
                      {t('claimTopicShort')}
                    </button>
                  )}
                </div>
                <dl class="board-stats">
                  <div>
                    <dt>{t('waiting')}</dt>
                    <dd class="waiting-count">{b.waiting}</dd>
                  </div>
                  <div>
                    <dt>{t('longestWait')}</dt>
                    <dd>{b.waiting > 0 ? formatClock(longest) : '–'}</dd>
                  </div>
                  <div>
                    <dt>{t('ewt')}</dt>
                    <dd>{ewtText(t, b.estimatedWaitSeconds)}</dd>
                  </div>
                  <div>
                    <dt>{t('agentsAvailable')}</dt>
                    <dd>{colleaguesWithRoom(b)}</dd>
                  </div>
                  <div>
                    <dt>{t('callbacksOpen')}</dt>
                    <dd>{props.state.callbacksOpen[b.id] ?? b.callbacksOpen ?? 0}</dd>
                  </div>
                </dl>
                <DepartmentNotices topic={b.id} compact headingLevel={4} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

/**
 * The least time between two reads of the waiting list started by board changes. A read is two
 * queries and up to 200 rows; in a surge boards are pushed five times a second to every console,
 * so each console reads the list at most every 2 s (plus the 5 s poll), not on every push.
 */
export const WAITING_LIST_THROTTLE_MS = 2_000;

/** How long the waiting list holds its rows still after the pointer last moved in it. */
export const WAITING_LIST_HOLD_MS = 8_000;

/** The most residents `GET /api/v1/queue` lists (docs/protocol.md §5). */
export const WAITING_LIST_LIMIT = 200;

function WaitingList(props: { version: number; total: number; actions: Actions; online: boolean; blocked: boolean; claiming: boolean }) {
  const { t, api, topicName } = useConsole();
  const [items, setItems] = useState<WaitingConversation[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A read that fails while the socket is down says nothing the connection's banner does not
  // ("Verbinding verbroken…"), and its line above the rows pushed every Kies down by its height,
  // and up again at the first read after the reconnect: the rows stay as last read (their Kies
  // disabled meanwhile) and the next read, once connected, brings them up to date.
  const online = useRef(props.online);
  online.current = props.online;
  // While the agent aims at the list, rows stay where they are (holdRows): a resident a colleague
  // took stays as "Niet meer in de wachtrij" instead of the rows below moving up under the mouse.
  // Aiming: the keyboard focus in the list, or the pointer in it and moved within
  // WAITING_LIST_HOLD_MS; a pointer left resting there (the agent typing in a chat) lets it close up.
  const [held, setHeld] = useState(false);
  const pointerMovedAt = useRef<number | null>(null);
  const focusIn = useRef(false);
  const release = useRef<ReturnType<typeof setTimeout> | null>(null);
  const shown = useRef<WaitingRow[]>([]);
  const rows: WaitingRow[] | null = items && (held ? holdRows(shown.current, items) : items);
  shown.current = rows ?? [];
  const hold = () => {
    const moved = pointerMovedAt.current;
    setHeld(focusIn.current || (moved !== null && Date.now() - moved < WAITING_LIST_HOLD_MS));
  };
  const pointerMoved = (inside: boolean) => {
    pointerMovedAt.current = inside ? Date.now() : null;
    hold();
    if (release.current !== null) clearTimeout(release.current);
    release.current = inside ? setTimeout(hold, WAITING_LIST_HOLD_MS) : null;
  };
  useEffect(() => () => {
    if (release.current !== null) clearTimeout(release.current);
  }, []);
  // only the newest read is shown: a slow older answer must not bring back a resident already taken
  const refresher = useMemo(
    () =>
      new Refresher<WaitingConversation[]>({
        load: () => api.get<WaitingConversation[]>('/api/v1/queue'),
        show: (list) => {
          setItems(list);
          setError(null);
        },
        fail: (message) => {
          if (online.current) setError(message);
        },
        throttleMs: WAITING_LIST_THROTTLE_MS,
      }),
    [api],
  );
  const load = () => refresher.load();
  // the board changes whenever somebody joins or leaves a queue: read the list again then,
  // at most every 2 s however busy it gets
  useEffect(() => refresher.changed(), [props.version, refresher]);
  useEffect(() => {
    const id = setInterval(load, 5_000);
    return () => {
      clearInterval(id);
      refresher.stop();
    };
  }, [refresher]);
  return (
    <section class="waiting" aria-labelledby="waiting-title">
      <div class="section-head">
        <h2 id="waiting-title">{t('waitingListTitle')}</h2>
        <button type="button" class="small secondary" onClick={load}>
          {t('refresh')}
        </button>
      </div>
      {error && !(rows && rows.length > 0) && <p class="error">{t('loadFailed', { error })}</p>}
      {items && items.length >= WAITING_LIST_LIMIT && props.total > items.length && (
        <p class="hint">{t('waitingShownOf', { shown: items.length, total: props.total })}</p>
      )}
      {rows && rows.length === 0 && <p class="hint">{t('waitingEmpty')}</p>}
      {rows && rows.length > 0 && (
        <ol
          class="waiting-list"
          onPointerEnter={() => pointerMoved(true)}
          onPointerMove={() => pointerMoved(true)}
          onPointerLeave={() => pointerMoved(false)}
          onFocusIn={() => {
            focusIn.current = true;
            hold();
          }}
          onFocusOut={(e) => {
            focusIn.current = (e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null);
            hold();
          }}
        >
          {rows.map((w) => {
            const name = w.residentName || t('anonymous');
            return (
              // keyed: a focused "Kies" must leave with its resident, not be handed to the next one
              <li key={w.id} data-conversation={w.id} class={w.gone ? 'is-gone' : undefined}>
                <div class="waiting-main">
                  <strong>{name}</strong> <span class="muted">· {topicName(w.topic)}</span>
                  <div class="muted small-text">{w.gone ? t('waitingGone') : t('waitingSince', { time: formatTime(waitingSince(w)) })}</div>
                  {w.firstMessage && <p class="first-message">{w.firstMessage}</p>}
                </div>
                <button
                  type="button"
                  class="small"
                  disabled={props.blocked}
                  aria-disabled={props.claiming || w.gone || undefined}
                  aria-label={t('pickLabel', { name })}
                  onClick={() => {
                    if (!w.gone) props.actions.claim({ conversationId: w.id });
                  }}
                >
                  {t('pick')}
                </button>
              </li>
            );
          })}
        </ol>
      )}
      {/* Rows on screen stay as last read: the failure is said under them, not above, where its line
          pushed every Kies down under a pointer about to click, and up again at the next good read */}
      {error && rows && rows.length > 0 && (
        <p class="error" role="status">
          {t('loadFailed', { error })}
        </p>
      )}
    </section>
  );
}
