import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { createApi } from '../api';
import { type Announcement, assignedAnnouncement, leftAnnouncement, messageAnnouncement, nextAnnouncement, noAnnouncement, sendFailedAnnouncement } from '../announce';
import { AgentConnection, agentSocketUrl } from '../connection';
import { Refresher } from '../refresher';
import { Resender } from '../resend';
import { type FocusAtClaim, MAIN_ID, focusAfterClaim, focusAfterLeaving } from '../focus';
import type { Key, Lang, T } from '../i18n';
import { type ShortcutAction, shortcutFor } from '../keys';
import type { CannedReply, ClientFrame, Department, ServerFrame, Status, Topic } from '../protocol';
import { type View, initialView, usesAgentSocket, viewsFor } from '../roles';
import { localiseFailure } from '../forms';
import { loadJson, saveJson } from '../session';
import { CLAIM_REF_PREFIX, type Remembered, assignedCause, awaitsLoad, claimInFlight, keptDrafts, panelActions, toRemember, totalUnread, typingMayGoOut, typingStoppedFrame, unsent } from '../state';
import { DEPARTMENTS_FALLBACK_POLL_MS, DEPARTMENTS_POLL_MS, DepartmentsReader } from '../departments';
import { NOTICES_SHOWN, type Notice, NoticeTimers, noticesOnScreen } from '../notices';
import { Store } from '../store';
import { type WaitFailure, Waiters, storedIds } from '../waiters';
import { TypingThrottle, decodeJwt, newClientMsgId, topicLabel } from '../util';
import type { Actions, DialogState } from './actions';
import { AdminView } from './Admin';
import { CallbacksView } from './Callbacks';
import { ConsoleContext, type ConsoleContextValue, useConsole, useNow } from './context';
import { ConversationsArea } from './Conversations';
import { DepartmentsView } from './Departments';
import { CallbackDialog, CloseDialog, HelpDialog, TransferDialog } from './Dialogs';
import { QueueSide } from './Queues';
import { SupervisorView } from './Supervisor';

function useStore(store: Store) {
  const [, force] = useState(0);
  useEffect(() => store.subscribe(() => force((n) => n + 1)), [store]);
  return store.state;
}

export function Console(props: { token: string; t: T; lang: Lang; onToggleLang: () => void; onLogout: (reason?: Key) => void }) {
  const { token, t, lang } = props;
  const claims = useMemo(() => decodeJwt(token)!, [token]);
  const store = useMemo(() => new Store(), []);
  const state = useStore(store);
  const views = useMemo(() => viewsFor(claims.groups), [claims]);
  const isAgent = usesAgentSocket(claims.groups);
  const [view, setViewRaw] = useState<View>(() => initialView(claims.groups, loadJson<unknown>('view', null)) ?? 'conversations');
  // the socket's handlers outlive renders: they read the view shown now from here
  const viewRef = useRef(view);
  viewRef.current = view;
  const [departments, setDepartments] = useState<Department[]>([]);
  const [drafts, setDrafts] = useState<Record<string, string>>(() => loadJson('drafts', {}));
  const [topics, setTopics] = useState<Topic[]>([]);
  /** Whether /topics answered (or failed) once: before it the names are not known yet. */
  const [topicsRead, setTopicsRead] = useState(false);
  const [canned, setCanned] = useState<CannedReply[] | 'error' | null>(null);
  const [dialog, setDialog] = useState<DialogState>(null);
  const [announcement, setAnnouncement] = useState<Announcement>(noAnnouncement);
  const announce = (text: string) => setAnnouncement((previous) => nextAnnouncement(previous, text));
  // a conversation the agent closed, transferred or turned into a callback request: once it has left
  // the screen, say so and move the focus (its panel held the dialog's opener)
  const [left, setLeft] = useState<{ id: string; text: string } | null>(null);
  // a conversation the agent claimed themselves: once it is on screen, its message box may take the focus
  const [claimed, setClaimed] = useState<string | null>(null);
  const [retryAt, setRetryAt] = useState<number | null>(null);
  const [restored, setRestored] = useState(false);
  // what the last page kept, handed to the first hello: read markers, replies not yet stored, note modes
  const remembered = useRef<Remembered>({ seen: loadJson('seen', {}), pending: loadJson('pending', {}), modes: loadJson('modes', {}) });
  // a wait that got no answer fails in the page's language of that moment
  const tRef = useRef(t);
  tRef.current = t;
  const waiters = useMemo(() => new Waiters(() => ({ message: tRef.current('offline') }), (id) => awaitsLoad(store.state, id)), []);
  const throttle = useRef(new TypingThrottle());
  const langRef = useRef(lang);
  langRef.current = lang;
  const api = useMemo(() => createApi('', () => token, () => props.onLogout('sessionExpired'), () => langRef.current), [token]);

  const setView = (v: View) => {
    if (!views.includes(v)) return;
    setViewRaw(v);
    saveJson('view', v);
  };

  // departments and their current notices: for agents beside every conversation, for the rest on their
  // board; with the agent socket read again on its push, without it polled
  const departmentsReader = useMemo(
    () =>
      new DepartmentsReader(
        () => api.get<Department[]>('/api/v1/departments'),
        (list) => setDepartments(Array.isArray(list) ? list : []),
        isAgent ? DEPARTMENTS_FALLBACK_POLL_MS : DEPARTMENTS_POLL_MS,
      ),
    [],
  );
  const loadDepartments = () => departmentsReader.load();
  useEffect(() => {
    departmentsReader.start();
    return () => departmentsReader.stop();
  }, []);

  // until the first answer of /topics, a placeholder: never the id (topicLabel)
  const topicName = (id: string) => topicLabel(topicsRead ? topics : null, id, t('topicNamePending'));
  const topicNameRef = useRef(topicName);
  topicNameRef.current = topicName;

  // topics (names for the board, the choices of the admin forms) in the page language; read again
  // when the language changes and when an admin saved a topic, the newest read winning
  const topicsReader = useMemo(
    () =>
      new Refresher<Topic[]>({
        load: () => api.get<Topic[]>('/api/v1/topics?lang=' + langRef.current),
        show: (list) => {
          setTopics(list);
          setTopicsRead(true);
        },
        fail: () => setTopicsRead(true),
      }),
    [api],
  );
  const loadTopics = () => topicsReader.load();
  useEffect(() => loadTopics(), [lang, topicsReader]);
  useEffect(() => () => topicsReader.stop(), [topicsReader]);

  // canned replies, refreshed now and then (admins may change them during the day)
  useEffect(() => {
    if (!isAgent) return;
    const load = () =>
      api
        .get<CannedReply[] | { items: CannedReply[] }>('/api/v1/canned-replies')
        .then((r) => setCanned(Array.isArray(r) ? r : (r.items ?? [])))
        .catch(() => setCanned((c) => (Array.isArray(c) ? c : 'error')));
    load();
    const id = setInterval(load, 5 * 60_000);
    return () => clearInterval(id);
  }, []);

  // persist what a reload should keep (the same tab's sessionStorage as the drafts, cleared at logout);
  // a reload resends the unsent replies after its hello with their own clientMsgId: stored once
  useEffect(
    () =>
      store.subscribe(() => {
        const keep = toRemember(store.state);
        if (!keep) return;
        remembered.current = keep;
        saveJson('seen', keep.seen);
        saveJson('pending', keep.pending);
        saveJson('modes', keep.modes);
      }),
    [],
  );

  const socket = useMemo(() => {
    if (!isAgent) return null;
    const settle = (key: string, error?: WaitFailure) => waiters.settle(key, error);
    // replies the chat could not store just now (`unavailable`) go again by themselves
    const resender = new Resender(() => store.state, (frame) => conn.send(frame));
    const conn = new AgentConnection(agentSocketUrl(location), () => token, {
      onFrame(frame: ServerFrame) {
        const before = store.state;
        departmentsReader.frame(frame);
        let quiet = false;
        for (const id of storedIds(frame)) settle(id);
        if (frame.type === 'ended') settle('leave:' + frame.conversationId);
        if (frame.type === 'error') {
          const ref = frame.ref;
          // the server writes "Nederlands / English", its field errors too: keep the page language's half
          const { message, errors } = localiseFailure(frame, langRef.current);
          if (ref) {
            const pendingRef = before.conversations.some((c) => c.pending.some((p) => p.clientMsgId === ref));
            quiet = settle(ref, { message, errors, code: frame.code }) || pendingRef;
          }
          frame = { ...frame, message };
        }
        store.dispatch({
          type: 'frame',
          frame,
          now: Date.now(),
          visible: document.visibilityState === 'visible',
          view: viewRef.current,
          seen: remembered.current.seen,
          pending: remembered.current.pending,
          modes: remembered.current.modes,
          quiet,
        });
        const after = store.state;
        resender.after(frame);
        if (frame.type === 'hello') {
          // what was typed but not stored before the connection dropped goes out again (same clientMsgId: stored once)
          for (const { conversationId, pending } of unsent(after)) {
            conn.send({ type: pending.kind, conversationId, clientMsgId: pending.clientMsgId, text: pending.text, ref: pending.clientMsgId });
          }
          setRestored(true);
        } else if (frame.type === 'assigned') {
          const c = frame.conversation;
          announce(assignedAnnouncement(before, frame, topicNameRef.current(c.topic), t));
          // only this console's own claim may take the focus; a colleague's transfer that crossed it, or a claim in another window, must not
          if (assignedCause(before, frame) === 'claim') setClaimed(c.id);
        } else {
          const text =
            messageAnnouncement(after, frame, document.visibilityState === 'visible', viewRef.current, t) ?? sendFailedAnnouncement(before, frame, t);
          if (text) announce(text);
        }
      },
      onState(s, retryInMs) {
        store.dispatch({ type: 'connection', state: s });
        setRetryAt(s === 'reconnecting' && retryInMs ? Date.now() + retryInMs : null);
      },
      onSessionEnded(reason) {
        props.onLogout(
          reason === 'disabled'
            ? 'accountDisabled'
            : reason === 'expired'
              ? 'sessionExpired'
              : reason === 'logged-out'
                ? 'loggedOutElsewhere'
                : 'sessionRevoked',
        );
      },
      onRefused() {
        // the upgrade failed: find out whether the token is still good
        const c = decodeJwt(token);
        if (!c || (c.exp && c.exp * 1000 < Date.now())) {
          props.onLogout('sessionExpired');
          return;
        }
        api.get('/api/v1/queue').catch((e) => {
          if (e?.status === 403) props.onLogout('notAgent');
        });
      },
    });
    return { conn, resender };
  }, []);
  const connection = socket?.conn ?? null;

  useEffect(() => {
    if (!socket) return;
    socket.conn.start();
    // the browser knows before the socket does: say "Verbinding verbroken" at once, and come back at once
    const offline = () => socket.conn.networkLost();
    const online = () => socket.conn.retryNow();
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      socket.resender.stop();
      socket.conn.stop();
    };
  }, []);

  // sends a frame when this console has a socket; admins and departments have none
  const sendFrame = (frame: ClientFrame): boolean => connection?.send(frame) ?? false;

  // unread in the tab title; read markers when the agent comes back to the tab
  const unread = totalUnread(state);
  useEffect(() => {
    document.title = (unread ? `(${unread}) ` : '') + t('appTitle');
  }, [unread, lang]);
  // read markers when the agent comes back to the conversations view (the reducer decides, see seesConversation)
  useEffect(() => {
    store.dispatch({ type: 'sight', visible: document.visibilityState === 'visible', view });
  }, [view]);
  useEffect(() => {
    const onVisible = () => store.dispatch({ type: 'sight', visible: document.visibilityState === 'visible', view: viewRef.current });
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, []);

  useEffect(() => saveJson('drafts', drafts), [drafts]);
  // drafts of conversations no longer on screen are dropped once the server has told us what we hold;
  // an ended conversation keeps its draft until the agent dismisses it
  useEffect(() => {
    if (!state.helloAt) return;
    setDrafts((d) => keptDrafts(d, store.state));
  }, [state.helloAt, state.conversations.length]);

  useEffect(() => {
    if (!left) return;
    const kept = store.state.conversations.find((c) => c.id === left.id);
    if (kept?.lateWords) {
      // it ended, but stays on screen: the resident wrote while it was closing. Say so, and put the
      // focus on those words (the dialog's opener in its panel is disabled now)
      setLeft(null);
      announce(left.text + ' ' + t('endedLateWords'));
      if (viewRef.current === 'conversations') {
        store.dispatch({ type: 'select', id: kept.id });
        setTimeout(() => document.getElementById('log-' + kept.id)?.focus(), 0);
      }
      return;
    }
    if (kept) return;
    setLeft(null);
    announce(left.text);
    const active = document.activeElement;
    const lost = !active || active === document.body || !active.isConnected;
    const ids = focusAfterLeaving(store.state, left.id, viewRef.current, lost);
    if (ids) focusFirst(ids);
  }, [left, state.conversations]);

  useEffect(() => {
    if (!claimed) return;
    setClaimed(null);
    const active = document.activeElement;
    const where: FocusAtClaim =
      !active || active === document.body || !active.isConnected ? 'lost' : active.closest('.waiting') ? 'waiting-list' : 'kept';
    const ids = focusAfterClaim(store.state, claimed, viewRef.current, where);
    if (ids) focusFirst(ids);
  }, [claimed, state.conversations]);

  const wait = (key: string, ms: number, conversationId: string) => waiters.wait(key, ms, conversationId);

  const actions: Actions = {
    claim(target) {
      // one claim at a time: a double click or a held Alt+N would otherwise take several conversations
      if (claimInFlight(store.state, Date.now())) return;
      const ref = newClientMsgId(CLAIM_REF_PREFIX);
      if (!sendFrame({ type: 'claim', ...target, ref })) return;
      store.dispatch({ type: 'claim-sent', now: Date.now(), target, ref });
    },
    setStatus(status) {
      if (sendFrame({ type: 'status', status, ref: 'status' })) store.dispatch({ type: 'status', status });
    },
    select(id) {
      store.dispatch({ type: 'select', id });
    },
    scrolled(id, atBottom) {
      store.dispatch({ type: 'scrolled', id, atBottom });
    },
    sendText(conversationId, kind, text) {
      const clientMsgId = newClientMsgId(kind === 'note' ? 'n' : 'a');
      store.dispatch({ type: 'pending', conversationId, pending: { clientMsgId, kind, text, queuedAt: Date.now() } });
      // a reply takes the resident's "… typt" away itself; a note typed in reply mode (Ctrl+Enter) must say so
      if (kind === 'note' && throttle.current.stop(conversationId)) sendFrame(typingStoppedFrame(conversationId));
      throttle.current.reset(conversationId);
      const acked = wait(clientMsgId, 15_000, conversationId);
      acked.catch(() => undefined);
      // offline: it stays pending and goes out after the next hello
      sendFrame({ type: kind, conversationId, clientMsgId, text, ref: clientMsgId });
      return acked;
    },
    retry(conversationId, clientMsgId) {
      const c = store.state.conversations.find((x) => x.id === conversationId);
      const p = c?.pending.find((x) => x.clientMsgId === clientMsgId);
      if (!c || !p) return;
      store.dispatch({ type: 'pending-drop', conversationId, clientMsgId });
      store.dispatch({ type: 'pending', conversationId, pending: { ...p, error: undefined, queuedAt: Date.now() } });
      sendFrame({ type: p.kind, conversationId, clientMsgId, text: p.text, ref: clientMsgId });
    },
    discard(conversationId, clientMsgId) {
      store.dispatch({ type: 'pending-drop', conversationId, clientMsgId });
    },
    typing(conversationId, text, caret) {
      // decided on the store's state, not on what the box last rendered: a keystroke right after
      // a switch to note mode already finds the note mode here
      if (!typingMayGoOut(store.state, conversationId, text, caret)) return;
      if (throttle.current.take(conversationId)) sendFrame({ type: 'typing', conversationId });
    },
    setMode(conversationId, mode) {
      const c = store.state.conversations.find((x) => x.id === conversationId);
      if (!c || c.ended) return;
      store.dispatch({ type: 'mode', id: conversationId, mode });
      // typed as a reply, now a note: the resident must not go on seeing "… typt" for words they will not get
      if (mode === 'note' && throttle.current.stop(conversationId)) sendFrame(typingStoppedFrame(conversationId));
      announce(t(mode === 'note' ? 'modeNoteAnnounced' : 'modeReplyAnnounced'));
      setTimeout(() => document.getElementById('reply-' + conversationId)?.focus(), 0);
    },
    leave(conversationId, frame, transferTo) {
      const key = 'leave:' + conversationId;
      const done = wait(key, 10_000, conversationId);
      store.dispatch({ type: 'leaving', id: conversationId });
      if (!sendFrame({ ...frame, ref: key } as ClientFrame)) {
        waiters.drop(key);
        store.dispatch({ type: 'leaving-failed', id: conversationId });
        return Promise.reject({ message: t('offline') });
      }
      const kind = frame.type === 'transfer' || frame.type === 'callback' ? frame.type : 'close';
      const to = frame.type === 'transfer' ? (transferTo ?? (frame.topic ? topicName(frame.topic) : frame.agentId)) : undefined;
      return done.then(
        () => setLeft({ id: conversationId, text: leftAnnouncement(kind, t, to) }),
        (e) => {
          store.dispatch({ type: 'leaving-failed', id: conversationId });
          throw e;
        },
      );
    },
    dismiss(conversationId) {
      store.dispatch({ type: 'dismiss', id: conversationId });
    },
    openDialog(d) {
      setDialog(d);
    },
    setDraft(conversationId, text) {
      setDrafts((d) => {
        const next = { ...d, [conversationId]: text };
        // saved at once as well: the effect below runs after the next paint, and a reload right after
        // typing could come first (a browser test lost its draft that way once in six runs)
        saveJson('drafts', next);
        return next;
      });
    },
  };

  const runShortcut = (a: ShortcutAction) => {
    const s = store.state;
    const current = s.selected ? s.conversations.find((c) => c.id === s.selected && !c.ended) : undefined;
    switch (a.kind) {
      case 'next':
        setView('conversations');
        actions.claim();
        break;
      case 'status':
        actions.setStatus(s.agent?.status === 'away' ? 'available' : 'away');
        break;
      case 'conversation': {
        const c = s.conversations[a.index];
        if (c) {
          setView('conversations');
          actions.select(c.id);
          setTimeout(() => (document.getElementById('tab-' + c.id) ?? document.getElementById('reply-' + c.id))?.focus(), 0);
        }
        break;
      }
      case 'cycle': {
        if (!s.conversations.length) break;
        const i = s.conversations.findIndex((c) => c.id === s.selected);
        const c = s.conversations[(i + a.delta + s.conversations.length) % s.conversations.length];
        setView('conversations');
        actions.select(c.id);
        setTimeout(() => (document.getElementById('tab-' + c.id) ?? document.getElementById('reply-' + c.id))?.focus(), 0);
        break;
      }
      case 'reply':
        setView('conversations');
        setTimeout(() => document.getElementById('reply-' + s.selected)?.focus(), 0);
        break;
      case 'mode':
        if (current) {
          setView('conversations');
          actions.setMode(current.id, current.mode === 'note' ? 'reply' : 'note');
        }
        break;
      case 'canned':
        setView('conversations');
        setTimeout(() => document.getElementById('canned-' + s.selected)?.click(), 0);
        break;
      case 'transfer':
      case 'close':
      case 'callback':
        // as its buttons: one still loading (`later`) may be closed or transferred, its callback waits
        if (current && panelActions(current, s.leaving.includes(current.id), s.connection === 'open')[a.kind]) setDialog({ kind: a.kind, id: current.id });
        break;
      case 'view':
        // the view that had the focus goes away: left alone the focus falls to <body>, and a screen
        // reader says nothing about where the agent landed
        if (a.view !== viewRef.current && views.includes(a.view)) {
          setView(a.view);
          setTimeout(() => focusFirst([MAIN_ID]), 0);
        }
        break;
      case 'help':
        setDialog({ kind: 'help' });
        break;
    }
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      // the shortcuts are the agent's; an administrator's Alt keys stay the browser's
      if (!isAgent) return;
      const a = shortcutFor(e);
      if (!a) return;
      // inside a modal dialog only Escape (handled by the dialog) applies
      if (document.querySelector('dialog[open]') && a.kind !== 'help') return;
      e.preventDefault();
      runShortcut(a);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const ctx: ConsoleContextValue = { t, lang, api, claims, topicName, topics, departments, refreshDepartments: loadDepartments, refreshTopics: loadTopics };
  const notices = useNotices(t, state.notices, (id) => store.dispatch({ type: 'notice-dismiss', id }));
  const dialogConversation =
    dialog && dialog.kind !== 'help' ? state.conversations.find((c) => c.id === dialog.id) : undefined;

  return (
    <ConsoleContext.Provider value={ctx}>
      <a class="skip-link" href="#main">
        {t('skipToMain')}
      </a>
      <Header
        name={state.agent?.name ?? claims.name ?? claims.upn ?? ''}
        status={state.agent?.status === 'away' ? 'away' : 'available'}
        online={state.connection === 'open'}
        view={view}
        setView={setView}
        views={views}
        isAgent={isAgent}
        unread={unread}
        callbacksOpen={Object.values(state.callbacksOpen).reduce((a, b) => a + b, 0)}
        onStatus={actions.setStatus}
        onHelp={() => setDialog({ kind: 'help' })}
        onToggleLang={props.onToggleLang}
        onLogout={() => props.onLogout()}
      />
      {connection && <ConnectionBanner state={state.connection} retryAt={retryAt} restored={restored} onRetry={() => connection.retryNow()} />}
      {notices.live}
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {announcement.text && <p key={announcement.id}>{announcement.text}</p>}
      </div>
      <main id="main" tabIndex={-1} class={'view-' + view}>
        {/* on the other views (no reply box, no waiting list) the notices open above the view's content */}
        {view !== 'conversations' && notices.list}
        {view === 'conversations' && (
          <div class="work">
            <QueueSide state={state} actions={actions} />
            <ConversationsArea state={state} actions={actions} drafts={drafts} canned={canned} notices={notices.list} />
          </div>
        )}
        {view === 'callbacks' && <CallbacksView version={state.callbacksVersion} agentTopics={state.agent?.topics ?? []} />}
        {view === 'supervisor' && <SupervisorView state={state} />}
        {view === 'admin' && <AdminView />}
        {view === 'departments' && <DepartmentsView />}
      </main>
      {dialog?.kind === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {dialog && dialog.kind !== 'help' && dialogConversation && !dialogConversation.ended && (
        <>
          {dialog.kind === 'transfer' && (
            <TransferDialog conversation={dialogConversation} topics={topics} agentId={state.agent?.id ?? claims.sub} actions={actions} onClose={() => setDialog(null)} />
          )}
          {dialog.kind === 'close' && <CloseDialog conversation={dialogConversation} actions={actions} onClose={() => setDialog(null)} />}
          {dialog.kind === 'callback' && <CallbackDialog conversation={dialogConversation} actions={actions} onClose={() => setDialog(null)} />}
        </>
      )}
    </ConsoleContext.Provider>
  );
}

/** Focuses the first of these elements that is there and takes the focus (not disabled, not hidden). */
function focusFirst(ids: string[]) {
  for (const id of ids) {
    const el = document.getElementById(id) as (HTMLElement & { disabled?: boolean }) | null;
    if (!el || el.disabled) continue;
    el.focus();
    if (document.activeElement === el) return;
  }
}

function Header(props: {
  name: string;
  status: Status;
  online: boolean;
  view: View;
  setView(v: View): void;
  views: View[];
  isAgent: boolean;
  unread: number;
  callbacksOpen: number;
  onStatus(s: Status): void;
  onHelp(): void;
  onToggleLang(): void;
  onLogout(): void;
}) {
  const { t, lang } = useConsole();
  const all: Record<View, { label: string; badge?: number; key?: string }> = {
    conversations: { label: t('viewConversations'), badge: props.unread, key: 'Alt+G' },
    callbacks: { label: t('viewCallbacks'), badge: props.callbacksOpen, key: 'Alt+L' },
    supervisor: { label: t('viewSupervisor'), key: 'Alt+S' },
    admin: { label: t('viewAdmin') },
    departments: { label: t('viewDepartments') },
  };
  const tabs = props.views.map((id) => ({ id, ...all[id] }));
  return (
    <header class="top">
      <div class="top-row">
        <h1 class="brand">{t('appTitle')}</h1>
        <p class="who">{t('loggedInAs', { name: props.name })}</p>
        {props.isAgent && (
          <fieldset class="status-toggle" disabled={!props.online}>
            <legend>{t('statusLabel')}</legend>
            {(['available', 'away'] as Status[]).map((s) => (
              <label class={'status-option status-' + s + (props.status === s ? ' checked' : '')}>
                <input
                  type="radio"
                  name="agent-status"
                  value={s}
                  checked={props.status === s}
                  aria-keyshortcuts="Alt+B"
                  onChange={() => props.onStatus(s)}
                />
                {t(s)}
              </label>
            ))}
          </fieldset>
        )}
        <div class="top-actions">
          {props.isAgent && (
            <button type="button" class="link-button" aria-keyshortcuts="Alt+H" onClick={props.onHelp}>
              {t('shortcuts')}
            </button>
          )}
          <button type="button" class="link-button" lang={lang === 'nl' ? 'en' : 'nl'} aria-label={t('languageLabel')} onClick={props.onToggleLang}>
            {t('language')}
          </button>
          <button type="button" class="link-button" onClick={props.onLogout}>
            {t('logout')}
          </button>
        </div>
      </div>
      <nav aria-label={t('nav')}>
        <ul class="views">
          {tabs.map((v) => (
            <li>
              <button
                type="button"
                class={'view-button' + (props.view === v.id ? ' current' : '')}
                aria-current={props.view === v.id ? 'page' : undefined}
                aria-keyshortcuts={v.key}
                onClick={() => props.setView(v.id)}
              >
                {v.label}
                {v.badge ? (
                  <span class="badge">
                    <span class="sr-only">: </span>
                    {v.badge}
                  </span>
                ) : null}
              </button>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

/**
 * The socket's state, in words: "Verbinden met Loket…", "Verbinding verbroken…" (with a button to
 * try at once), "Verbinding hersteld." for 4 s after a reconnect. A live region that stays in one
 * place, read out as its text changes. It floats at the screen's top edge (style.css, .banner-slot,
 * says why there): coming and going, it moves nothing under the agent's pointer.
 */
function ConnectionBanner(props: { state: string; retryAt: number | null; restored: boolean; onRetry(): void }) {
  const { t } = useConsole();
  const now = useNow(1000);
  const [showRestored, setShowRestored] = useState(false);
  const prev = useRef(props.state);
  useEffect(() => {
    if (prev.current === 'reconnecting' && props.state === 'open') {
      setShowRestored(true);
      const id = setTimeout(() => setShowRestored(false), 4000);
      prev.current = props.state;
      return () => clearTimeout(id);
    }
    prev.current = props.state;
  }, [props.state]);
  let text: string | null = null;
  if (props.state === 'connecting' && !props.restored) text = t('connecting');
  else if (props.state === 'reconnecting' || (props.state === 'connecting' && props.restored)) {
    const seconds = props.retryAt ? Math.max(0, Math.ceil((props.retryAt - now) / 1000)) : 0;
    text = seconds > 0 ? t('reconnectingIn', { seconds }) : t('reconnecting');
  } else if (props.state === 'offline') text = t('offline');
  return (
    <div class="banner-slot" role="status" aria-live="polite">
      {text && (
        <div class={'banner ' + (props.state === 'connecting' && !props.restored ? 'banner-info' : 'banner-warn')}>
          <span>{text}</span>
          {props.state === 'reconnecting' && (
            <button type="button" class="small" onClick={props.onRetry}>
              {t('retryNow')}
            </button>
          )}
        </div>
      )}
      {!text && showRestored && <div class="banner banner-ok">{t('reconnected')}</div>}
    </div>
  );
}

/**
 * The notices. They take no place of their own while there are none (a band kept for them cost
 * 6rem of every screen's height and pushed the open conversation's header out of a 1024×700
 * view). With a conversation on screen they open inside it, above its log, and take their room
 * from the log alone (style.css, .transcript-box): a notice that comes or goes neither covers the
 * reply box, Verstuur or Kies nor moves any of them, or the conversation's own buttons, from
 * under the agent's pointer; the log keeps its newest message in view. Without a conversation
 * they open in the conversations' column under "no open conversations", beside the waiting list,
 * which they do not move; on the other views (no reply box, no waiting list) above the content.
 * Each that goes by itself goes its own time after it came (see noticeLifetime: a refused claim
 * 10 s, information 6 s), whatever comes and goes around it; it waits while the pointer is on it
 * (also when it appeared under a pointer that has not moved: its place is looked up from where the
 * pointer last was) or the focus in it, and goes after the time it had left once both have left.
 * An error the agent must act on stays until they close it and is never dropped; with more than
 * fit, the place says how many more wait (noticesOnScreen). The list itself is no live region —
 * it re-renders as notices come and go, and a screen reader would read the old ones again — so
 * each new notice (or repeat) is put alone in a live region (`live`, which stays in one place):
 * errors assertive, information polite. The timers and what was said live here, in the console,
 * so the list (`list`) may be rendered where the view puts it, and move, without losing them.
 */
function useNotices(t: T, notices: Notice[], onDismiss: (id: number) => void): { live: ComponentChildren; list: ComponentChildren } {
  const listEl = useRef<HTMLElement>(null);
  /** Before a notice goes, a focus on its close button moves to a neighbour's, else to the main area. */
  const dismiss = (id: number) => {
    const el = listEl.current?.querySelector<HTMLElement>(`[data-notice="${id}"]`);
    if (el && el.contains(document.activeElement)) {
      const next = (el.nextElementSibling ?? el.previousElementSibling)?.querySelector<HTMLElement>('button');
      (next ?? document.getElementById(MAIN_ID))?.focus();
    }
    onDismiss(id);
  };
  const dismissRef = useRef(dismiss);
  dismissRef.current = dismiss;
  const timers = useRef<NoticeTimers | null>(null);
  if (!timers.current) timers.current = new NoticeTimers((id) => dismissRef.current(id));
  /** Where the pointer last was, in the viewport: a notice that appears there is under it. */
  const pointer = useRef<{ x: number; y: number } | null>(null);
  const noticeAt = (el: Element | null): number | null => {
    const n = el?.closest('.notice[data-notice]');
    return n && listEl.current?.contains(n) ? Number(n.getAttribute('data-notice')) : null;
  };
  useEffect(() => {
    timers.current?.sync(notices);
    const p = pointer.current;
    if (p) timers.current?.pointerAt(noticeAt(document.elementFromPoint(p.x, p.y)));
  }, [notices]);
  useEffect(() => {
    const moved = (e: PointerEvent) => {
      pointer.current = { x: e.clientX, y: e.clientY };
      timers.current?.pointerAt(noticeAt(e.target instanceof Element ? e.target : null));
    };
    const gone = () => {
      pointer.current = null;
      timers.current?.pointerAt(null);
    };
    window.addEventListener('pointermove', moved, { passive: true });
    window.addEventListener('pointerdown', moved, { passive: true });
    document.documentElement.addEventListener('pointerleave', gone);
    return () => {
      window.removeEventListener('pointermove', moved);
      window.removeEventListener('pointerdown', moved);
      document.documentElement.removeEventListener('pointerleave', gone);
      timers.current?.stop();
    };
  }, []);

  const said = useRef(new Set<string>());
  const [spoken, setSpoken] = useState<{ n: number; noticeId: number; text: string; assertive: boolean } | null>(null);
  useEffect(() => {
    const key = (n: Notice) => n.id + ':' + n.at;
    const fresh = notices.filter((n) => !said.current.has(key(n)));
    // only what is on screen is remembered: ids never come back, so the set stays small all day
    said.current = new Set(notices.map(key));
    const newest = fresh[fresh.length - 1];
    if (newest) {
      const text = newest.count > 1 ? `${newest.text} (${t('noticeTimes', { count: newest.count })})` : newest.text;
      setSpoken((prev) => ({ n: (prev?.n ?? 0) + 1, noticeId: newest.id, text, assertive: newest.kind === 'error' }));
    } else if (spoken && !notices.some((n) => n.id === spoken.noticeId)) {
      setSpoken(null);
    }
  }, [notices]);

  const onScreen = noticesOnScreen(notices);
  const live = (
    <>
      <div class="sr-only" aria-live="assertive" aria-atomic="true">
        {spoken?.assertive && <p key={spoken.n}>{spoken.text}</p>}
      </div>
      <div class="sr-only" aria-live="polite" aria-atomic="true">
        {spoken && !spoken.assertive && <p key={spoken.n}>{spoken.text}</p>}
      </div>
    </>
  );
  // a named region: axe wants all content in landmarks, and a screen reader user can go to it
  const list =
    notices.length === 0 ? null : (
      <section class={'notices notices-' + Math.min(notices.length, NOTICES_SHOWN)} ref={listEl} aria-label={t('noticesLabel')}>
        {onScreen.shown.map((n) => (
          <div
            key={n.id}
            data-notice={n.id}
            class={'notice notice-' + n.kind}
            // while the agent is on its close button it does not go (the pointer: see pointerAt above)
            onFocusCapture={() => timers.current?.hold(n.id, 'focus')}
            onBlurCapture={() => timers.current?.release(n.id, 'focus')}
          >
            <span class="notice-text">{n.text}</span>
            {n.count > 1 && (
              <span class="notice-count">
                <span aria-hidden="true">({n.count}×)</span>
                <span class="sr-only">{t('noticeTimes', { count: n.count })}</span>
              </span>
            )}
            <button type="button" class="icon-button" aria-label={t('dismiss')} onClick={() => dismiss(n.id)}>
              <span aria-hidden="true">×</span>
            </button>
          </div>
        ))}
        {onScreen.more > 0 && <p class="notices-more">{t('noticesMore', { count: onScreen.more })}</p>}
      </section>
    );
  return { live, list };
}
