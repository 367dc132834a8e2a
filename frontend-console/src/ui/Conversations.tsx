import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { fillCanned, insertCanned, matchCanned, slashQuery } from '../canned';
import { conversationTitle, knownResidentName, presenceOf, residentLabel, tabPresence } from '../conversationText';
import type { CannedReply, Message } from '../protocol';
import { type Conversation, type Pending, type State, panelActions, residentTyping, unreadCount } from '../state';
import { loadJson, saveJson } from '../session';
import { ScrollPositions, isAtBottom } from '../scroll';
import { MAX_MESSAGE, formatTime, messageProblem } from '../util';
import type { Actions } from './actions';
import { useConsole, useNow } from './context';
import { DepartmentNotices } from './DepartmentNotices';

/**
 * Where the agent was in each transcript, kept outside the panels: in tab mode a panel is built
 * anew on every switch, and each conversation comes back where it was left.
 */
const positions = new ScrollPositions();

export function ConversationsArea(props: {
  state: State;
  actions: Actions;
  drafts: Record<string, string>;
  canned: CannedReply[] | 'error' | null;
  /** The console's notices (Console.tsx, useNotices): they open in the conversation shown, above its log. */
  notices: ComponentChildren;
}) {
  const { t } = useConsole();
  const { state, actions } = props;
  const [columns, setColumns] = useState(() => loadJson('columns', false));
  const selected = state.conversations.find((c) => c.id === state.selected) ?? null;
  useEffect(() => positions.keep(state.conversations.map((c) => c.id)), [state.conversations]);
  // in columns, the selected conversation's (the one the agent works in), else the first's
  const noticesIn = selected?.id ?? state.conversations[0]?.id;
  const panel = (c: Conversation, mode: 'tab' | 'column') => (
    <Panel
      notices={c.id === noticesIn ? props.notices : null}
      key={c.id}
      mode={mode}
      selected={c.id === state.selected}
      conversation={c}
      agentName={state.agent?.name ?? null}
      online={state.connection === 'open'}
      leaving={state.leaving.includes(c.id)}
      scrolledUp={state.scrolledUp.includes(c.id)}
      actions={actions}
      draft={props.drafts[c.id] ?? ''}
      canned={props.canned}
    />
  );
  // one conversation at a time, under its tabs: the whole of it fits below the connection banner's band (style.css)
  const tabbed = state.conversations.length > 0 && !(columns && state.conversations.length > 1);
  return (
    <section class={'conversations' + (tabbed ? ' tabbed' : '')} aria-labelledby="conversations-title">
      <div class="section-head">
        <h2 id="conversations-title" class="sr-only">
          {t('myConversations')}
        </h2>
        {state.conversations.length > 1 && (
          <button
            type="button"
            class="small secondary layout-toggle"
            aria-pressed={columns}
            onClick={() => {
              setColumns(!columns);
              saveJson('columns', !columns);
            }}
          >
            {t('sideBySide')}
          </button>
        )}
      </div>
      {state.conversations.length === 0 ? (
        <>
          <p class="empty">{t('noConversations')}</p>
          {/* under it nothing else: a notice that comes here moves nothing, and covers nothing */}
          {props.notices}
        </>
      ) : columns && state.conversations.length > 1 ? (
        <div class="columns">{state.conversations.map((c) => panel(c, 'column'))}</div>
      ) : (
        <>
          <Tabs state={state} actions={actions} />
          {selected && panel(selected, 'tab')}
        </>
      )}
    </section>
  );
}

function Tabs(props: { state: State; actions: Actions }) {
  const { t, topicName } = useConsole();
  const now = useNow(1000);
  const list = props.state.conversations;
  const onKey = (e: KeyboardEvent, index: number) => {
    let next = -1;
    if (e.key === 'ArrowRight') next = (index + 1) % list.length;
    else if (e.key === 'ArrowLeft') next = (index - 1 + list.length) % list.length;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = list.length - 1;
    if (next < 0) return;
    e.preventDefault();
    props.actions.select(list[next].id);
    document.getElementById('tab-' + list[next].id)?.focus();
  };
  return (
    <div class="tabs" role="tablist" aria-label={t('myConversations')}>
      {list.map((c, i) => {
        const selected = c.id === props.state.selected;
        const unread = unreadCount(c);
        const name = residentLabel(c, t);
        const typing = residentTyping(c, now);
        return (
          <button
            type="button"
            role="tab"
            id={'tab-' + c.id}
            aria-selected={selected}
            aria-controls={'panel-' + c.id}
            tabIndex={selected ? 0 : -1}
            class={'tab' + (selected ? ' selected' : '') + (c.ended ? ' ended' : '') + (unread ? ' has-unread' : '')}
            aria-keyshortcuts={i < 9 ? `Alt+${i + 1}` : undefined}
            onClick={() => props.actions.select(c.id)}
            onKeyDown={(e) => onKey(e, i)}
          >
            <span class={'presence is-' + presenceOf(c)} aria-hidden="true" />
            <span class="tab-name">{name}</span>
            {c.topic && <span class="tab-topic">{topicName(c.topic)}</span>}
            <span class="sr-only">, {tabPresence(c, t)}</span>
            {typing && (
              <span class="tab-typing" aria-hidden="true">
                …
              </span>
            )}
            {unread > 0 && (
              <span class="badge">
                <span class="sr-only">, </span>
                {t('unread', { count: unread })}
              </span>
            )}
          </button>
        );
      })}
    </div>
  );
}

function endedText(t: ReturnType<typeof useConsole>['t'], reason: string): string {
  switch (reason) {
    case 'resident_left':
      return t('endedResidentLeft');
    case 'timeout':
      return t('endedTimeout');
    case 'callback':
      return t('endedCallback');
    case 'transferred':
      return t('endedTransferred');
    case 'unassigned_offline':
      return t('endedUnassignedOffline');
    default:
      return t('endedClosed');
  }
}

function Panel(props: {
  notices: ComponentChildren;
  mode: 'tab' | 'column';
  selected: boolean;
  conversation: Conversation;
  agentName: string | null;
  online: boolean;
  leaving: boolean;
  scrolledUp: boolean;
  actions: Actions;
  draft: string;
  canned: CannedReply[] | 'error' | null;
}) {
  const { t, topicName } = useConsole();
  const c = props.conversation;
  // still loading (`later`): closed or transferred as any, its callback waits for it (panelActions)
  const can = panelActions(c, props.leaving, props.online);
  // not known while it loads: neither online nor offline
  const presence = presenceOf(c);
  const column = props.mode === 'column';
  const unread = unreadCount(c);
  const Wrapper = column ? 'section' : 'div';
  const wrapperProps = column
    ? {
        'aria-labelledby': 'col-title-' + c.id,
        onFocusIn: () => {
          if (!props.selected) props.actions.select(c.id);
        },
      }
    : { role: 'tabpanel' as const, 'aria-labelledby': 'tab-' + c.id };
  return (
    <Wrapper
      class={'panel' + (c.ended ? ' is-ended' : '') + (column ? ' column' : '') + (column && props.selected ? ' selected' : '')}
      id={'panel-' + c.id}
      {...wrapperProps}
    >
      <div class="panel-head">
        <div>
          <h3 class="panel-title" id={'col-title-' + c.id}>
            {conversationTitle(c, t)}
            {column && unread > 0 && (
              <span class="badge">
                <span class="sr-only">, </span>
                {t('unread', { count: unread })}
              </span>
            )}
          </h3>
          <p class="panel-meta">
            {c.topic && <span>{topicName(c.topic)}</span>}
            <span class={'presence-text is-' + presence}>
              <span class="presence" aria-hidden="true" />
              {presence === 'online' ? t('residentOnline') : presence === 'offline' ? t('residentOffline') : t('residentPresenceUnknown')}
            </span>
            {c.confidential && <span class="tag">{t('confidentialBadge')}</span>}
            {c.queuedAt && <span class="muted">{t('queuedAtLabel', { time: formatTime(c.queuedAt) })}</span>}
            {c.assignedAt && <span class="muted">{t('assignedAtLabel', { time: formatTime(c.assignedAt) })}</span>}
          </p>
        </div>
        <div class="panel-actions">
          <button type="button" class="secondary" disabled={!can.transfer} aria-keyshortcuts="Alt+O" onClick={() => props.actions.openDialog({ kind: 'transfer', id: c.id })}>
            {t('transfer')}
          </button>
          <button type="button" class="secondary" disabled={!can.callback} aria-keyshortcuts="Alt+T" onClick={() => props.actions.openDialog({ kind: 'callback', id: c.id })}>
            {t('toCallback')}
          </button>
          <button type="button" class="danger" disabled={!can.close} aria-keyshortcuts="Alt+A" onClick={() => props.actions.openDialog({ kind: 'close', id: c.id })}>
            {t('close')}
          </button>
        </div>
      </div>
      <DepartmentNotices topic={c.topic} headingLevel={4} />
      <Transcript conversation={c} scrolledUp={props.scrolledUp} actions={props.actions} notices={props.notices} />
      {c.ended ? (
        <>
          <div class="ended-box" role="status">
            <p>{endedText(t, c.ended)}</p>
            {c.lateWords && <p class="late-words">{t('endedLateWords')}</p>}
            <button type="button" class="secondary" onClick={() => props.actions.dismiss(c.id)}>
              {t('removeFromView')}
            </button>
          </div>
          {props.draft && <UnsentDraft conversationId={c.id} text={props.draft} />}
        </>
      ) : (
        <Composer
          conversation={c}
          agentName={props.agentName}
          actions={props.actions}
          draft={props.draft}
          canned={props.canned}
          disabled={props.leaving}
        />
      )}
    </Wrapper>
  );
}

/** What the agent had typed when the conversation left them: readable and copyable, never sent. */
function UnsentDraft(props: { conversationId: string; text: string }) {
  const { t } = useConsole();
  const id = 'unsent-draft-' + props.conversationId;
  return (
    <div class="unsent-draft">
      <label for={id}>{t('unsentDraft')}</label>
      <textarea id={id} rows={3} readOnly value={props.text} />
    </div>
  );
}

function Transcript(props: { conversation: Conversation; scrolledUp: boolean; actions: Actions; notices: ComponentChildren }) {
  const { t } = useConsole();
  const now = useNow(1000);
  const c = props.conversation;
  const ref = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  const mounted = useRef(false);
  const count = c.messages.length + c.pending.length;
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (!mounted.current) {
      // built anew (a switch of tabs): back where the agent left it, not at the bottom
      mounted.current = true;
      stick.current = positions.restore(c.id, el);
    } else if (stick.current) el.scrollTop = el.scrollHeight;
  }, [count, c.id]);
  // notices that open above the log take their room from it: at the bottom, it stays at the bottom
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const watch = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    watch.observe(el);
    return () => watch.disconnect();
  }, []);
  const name = residentLabel(c, t);
  const typing = residentTyping(c, now);
  const unread = unreadCount(c);
  const toBottom = () => {
    const el = ref.current;
    if (!el) return;
    el.scrollTop = el.scrollHeight;
    stick.current = true;
    positions.remember(c.id, el);
    props.actions.scrolled(c.id, true);
    // the button goes once they are read: the focus stays in this conversation, on its transcript
    el.focus();
  };
  return (
    <div class="transcript-wrap">
      {/* a fixed height: the notices above the log take their room from it, nothing below moves */}
      <div class="transcript-box">
      {props.notices}
      {/* like a notice, it takes its room from the log: when it goes, nothing below moves */}
      {c.loading && !c.ended && (
        <p class="loading-line" role="status">
          {t('conversationLoading')}
        </p>
      )}
      {/* no live region: the console's announcement says each message once, and not the agent's own (announce.ts) */}
      <div
        ref={ref}
        id={'log-' + c.id}
        class="transcript"
        role="log"
        aria-live="off"
        aria-label={conversationTitle(c, t)}
        tabIndex={0}
        onScroll={(e) => {
          const el = e.currentTarget as HTMLElement;
          const bottom = isAtBottom(el);
          stick.current = bottom;
          positions.remember(c.id, el);
          if (bottom === props.scrolledUp) props.actions.scrolled(c.id, bottom);
        }}
      >
        <ol class="transcript-list">
        {c.messages.map((m) => (
          <MessageItem key={m.seq} m={m} residentName={name} />
        ))}
        {c.pending.map((p) => (
          <PendingItem key={p.clientMsgId} p={p} conversationId={c.id} ended={!!c.ended} actions={props.actions} />
        ))}
        </ol>
      </div>
      </div>
      {props.scrolledUp && unread > 0 && (
        <button type="button" class="small new-below" aria-controls={'log-' + c.id} onClick={toBottom}>
          {t('newMessagesBelow', { count: unread })} <span aria-hidden="true">↓</span>
        </button>
      )}
      <p class="typing" aria-hidden={!typing}>
        {typing ? t('typing', { name }) : ''}
      </p>
    </div>
  );
}

function MessageItem(props: { m: Message; residentName: string }) {
  const { t } = useConsole();
  const { m } = props;
  const who =
    m.from === 'resident'
      ? props.residentName
      : m.from === 'system'
        ? t('fromSystem')
        : m.from === 'note'
          ? t('noteLabel') + (m.agentName ? ' · ' + m.agentName : '')
          : (m.agentName ?? '');
  // text is rendered as a text node: never interpreted as HTML
  return (
    <li class={'msg msg-' + m.from} data-seq={m.seq}>
      <div class="msg-meta">
        <span class="msg-who">{who}</span>
        {m.from === 'note' && <span class="note-hint"> ({t('noteHint')})</span>}
        <time dateTime={m.sentAt}>{formatTime(m.sentAt)}</time>
      </div>
      <p class="msg-text">{m.text}</p>
    </li>
  );
}

function pendingState(t: ReturnType<typeof useConsole>['t'], p: Pending, ended: boolean): string {
  if (p.error) return t('sendFailed', { error: p.error });
  if (ended) return t('notSent');
  // the chat could not store it just now: it goes again by itself, nothing for the agent to do
  return p.retries ? t('sendingAgain') : t('sending');
}

function PendingItem(props: { p: Pending; conversationId: string; ended: boolean; actions: Actions }) {
  const { t } = useConsole();
  const { p } = props;
  // in a conversation that left the agent nothing can be sent again: the text is there to copy
  const failed = !!p.error || props.ended;
  return (
    <li class={'msg msg-pending ' + (p.kind === 'note' ? 'msg-note' : 'msg-agent') + (failed ? ' msg-failed' : '')}>
      <div class="msg-meta">
        <span class="msg-who">{p.kind === 'note' ? t('noteLabel') : ''}</span>
        <span>{pendingState(t, p, props.ended)}</span>
      </div>
      <p class="msg-text">{p.text}</p>
      {p.error && !props.ended && (
        <div class="msg-actions">
          <button type="button" class="small" onClick={() => props.actions.retry(props.conversationId, p.clientMsgId)}>
            {t('retry')}
          </button>
          <button type="button" class="small secondary" onClick={() => props.actions.discard(props.conversationId, p.clientMsgId)}>
            {t('discard')}
          </button>
        </div>
      )}
    </li>
  );
}

function Composer(props: {
  conversation: Conversation;
  agentName: string | null;
  actions: Actions;
  draft: string;
  canned: CannedReply[] | 'error' | null;
  disabled: boolean;
}) {
  const { t, lang } = useConsole();
  const c = props.conversation;
  const text = props.draft;
  // a note for colleagues or a reply to the resident: Enter and the main button do what the mode says
  const noteMode = c.mode === 'note';
  const enterKind = noteMode ? 'note' : 'message';
  const area = useRef<HTMLTextAreaElement>(null);
  const [caret, setCaret] = useState(text.length);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [problem, setProblem] = useState<string | null>(null);
  const replies = Array.isArray(props.canned) ? props.canned : [];
  const slash = slashQuery(text, caret);
  const showList = pickerOpen || (!!slash && replies.length > 0);
  const query = slash ? slash.query : '';
  const matches = showList ? matchCanned(replies, query, c.topic, lang) : [];
  const listId = 'canned-list-' + c.id;
  const hintId = 'reply-hint-' + c.id;
  const problemId = 'reply-problem-' + c.id;

  useEffect(() => setActive(0), [query, pickerOpen]);

  const setText = (value: string) => props.actions.setDraft(c.id, value);

  const send = (kind: 'message' | 'note') => {
    const p = messageProblem(text);
    if (p === 'too_long') {
      setProblem(t('tooLong'));
      return;
    }
    if (p) return;
    setProblem(null);
    props.actions.sendText(c.id, kind, text.trim()).catch(() => undefined);
    setText('');
    setPickerOpen(false);
    area.current?.focus();
  };

  const choose = (r: CannedReply) => {
    // the name of one still loading after a reload is not known yet: {naam} stays as typed
    const filled = fillCanned(r.text, knownResidentName(c), props.agentName);
    const next = insertCanned(text, caret, filled, pickerOpen && !slash ? null : slash);
    setText(next.text);
    setPickerOpen(false);
    setCaret(next.caret);
    requestAnimationFrame(() => {
      const el = area.current;
      if (!el) return;
      el.focus();
      el.setSelectionRange(next.caret, next.caret);
    });
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (showList && matches.length) {
      if (e.key === 'ArrowDown') {
        e.preventDefault();
        setActive((active + 1) % matches.length);
        return;
      }
      if (e.key === 'ArrowUp') {
        e.preventDefault();
        setActive((active - 1 + matches.length) % matches.length);
        return;
      }
      if (e.key === 'Enter' || e.key === 'Tab') {
        e.preventDefault();
        choose(matches[active]);
        return;
      }
    }
    if (showList && e.key === 'Escape') {
      e.preventDefault();
      setPickerOpen(false);
      // leave the "/" typed, but stop suggesting
      if (slash) {
        setText(text.slice(0, slash.start) + text.slice(slash.start + 1));
      }
      return;
    }
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      send('note');
      return;
    }
    if (e.key === 'Enter' && !e.shiftKey && !e.altKey) {
      e.preventDefault();
      send(enterKind);
    }
  };

  const length = text.trim().length;
  return (
    <form
      class={'composer' + (noteMode ? ' is-note' : '')}
      onSubmit={(e) => {
        e.preventDefault();
        send(enterKind);
      }}
    >
      <div class="composer-modes" role="group" aria-label={t('composerMode')}>
        {(['reply', 'note'] as const).map((m) => (
          <button
            type="button"
            class={'mode-button mode-' + m}
            aria-pressed={c.mode === m}
            aria-keyshortcuts="Alt+I"
            disabled={props.disabled}
            onClick={() => (c.mode === m ? area.current?.focus() : props.actions.setMode(c.id, m))}
          >
            {t(m === 'note' ? 'modeNote' : 'modeReply')}
          </button>
        ))}
      </div>
      <label for={'reply-' + c.id}>{noteMode ? t('noteBoxLabel') : t('replyLabel')}</label>
      <div class="composer-box">
        <textarea
          ref={area}
          id={'reply-' + c.id}
          rows={3}
          maxLength={MAX_MESSAGE + 200}
          value={text}
          disabled={props.disabled}
          aria-describedby={hintId + (problem ? ' ' + problemId : '')}
          aria-invalid={problem ? true : undefined}
          aria-keyshortcuts="Alt+R"
          aria-controls={showList ? listId : undefined}
          aria-autocomplete={showList ? 'list' : undefined}
          aria-activedescendant={showList && matches.length ? `${listId}-${active}` : undefined}
          onInput={(e) => {
            const el = e.currentTarget as HTMLTextAreaElement;
            setText(el.value);
            setCaret(el.selectionStart ?? el.value.length);
            if (problem && el.value.trim().length <= MAX_MESSAGE) setProblem(null);
            // the console decides whether the resident may see "typt…": never in note mode
            props.actions.typing(c.id, el.value, el.selectionStart ?? el.value.length);
          }}
          onKeyDown={onKeyDown}
          onKeyUp={(e) => setCaret((e.currentTarget as HTMLTextAreaElement).selectionStart ?? 0)}
          onClick={(e) => setCaret((e.currentTarget as HTMLTextAreaElement).selectionStart ?? 0)}
        />
        {showList && (
          <div class="canned-popup">
            {props.canned === 'error' ? (
              <p class="hint">{t('cannedUnavailable')}</p>
            ) : matches.length === 0 ? (
              <p class="hint">{t('cannedNone')}</p>
            ) : (
              <ul id={listId} role="listbox" aria-label={t('canned')}>
                {matches.map((r, i) => (
                  <li
                    id={`${listId}-${i}`}
                    role="option"
                    aria-selected={i === active}
                    class={i === active ? 'active' : ''}
                    onMouseDown={(e) => {
                      e.preventDefault();
                      choose(r);
                    }}
                  >
                    <strong>{r.title}</strong>
                    <span class="canned-text">{r.text}</span>
                  </li>
                ))}
              </ul>
            )}
            <p class="sr-only" aria-live="polite">
              {matches.length ? t('cannedCount', { count: matches.length }) : ''}
            </p>
          </div>
        )}
      </div>
      <p id={hintId} class="hint small-text">
        {noteMode ? t('noteModeHint') : t('replyHint')} <span aria-hidden="true">{t('chars', { count: length })}</span>
      </p>
      {problem && (
        <p id={problemId} class="error" role="alert">
          {problem}
        </p>
      )}
      <div class="composer-actions">
        <button type="submit" class={noteMode ? 'save-note' : 'primary'} disabled={props.disabled}>
          {noteMode ? t('saveNote') : t('send')}
        </button>
        {!noteMode && (
          <button type="button" class="note-button" disabled={props.disabled} title={t('noteButtonHint')} aria-keyshortcuts="Control+Enter" onClick={() => send('note')}>
            {t('note')}
          </button>
        )}
        <button
          type="button"
          class="secondary"
          id={'canned-' + c.id}
          aria-keyshortcuts="Alt+K"
          aria-expanded={pickerOpen}
          disabled={props.disabled}
          onClick={() => {
            setPickerOpen(!pickerOpen);
            area.current?.focus();
          }}
        >
          {t('canned')}
        </button>
      </div>
    </form>
  );
}
