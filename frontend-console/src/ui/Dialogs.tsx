import { useEffect, useState } from 'preact/hooks';
import { failureOnForm } from '../forms';
import { SHORTCUTS } from '../keys';
import type { AgentOverview, CallbackWindow, FieldError, Outcome, Topic } from '../protocol';
import type { Conversation } from '../state';
import { normaliseAgents, transferCandidates } from '../supervision';
import { checkTransferTopic, transferTopicChoices } from '../transfer';
import type { Actions } from './actions';
import { useConsole } from './context';
import { Modal } from './Modal';
import { focusFirstInvalid } from './fields';
import type { Key } from '../i18n';

interface Failure {
  message: string;
  errors?: FieldError[];
}

/** The fields of these dialogs by the names the server gives them, with the labels the agent sees. */
function fieldLabels(t: ReturnType<typeof useConsole>['t']): Record<string, string> {
  return {
    topic: t('chooseTopic'),
    agentId: t('chooseAgent'),
    outcome: t('outcome'),
    summary: t('summary'),
    phone: t('phone'),
    window: t('window'),
    note: t('callbackNote'),
  };
}

/** The form's error summary: the message, and the field errors no field of the form (`shown`) displays itself. */
function FormError(props: { failure: Failure | null; shown?: string[] }) {
  const { t } = useConsole();
  const { summary } = failureOnForm(props.failure, props.shown ?? [], fieldLabels(t));
  if (!summary) return null;
  const lines = summary.lines;
  return (
    <div class="error" role="alert">
      <p>{summary.message}</p>
      {lines.length > 0 && (
        <ul>
          {lines.map((line) => (
            <li>{line}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function TransferDialog(props: { conversation: Conversation; topics: Topic[]; agentId: string; actions: Actions; onClose(): void }) {
  const { t, api } = useConsole();
  const c = props.conversation;
  const [mode, setMode] = useState<'topic' | 'agent'>('topic');
  // no topic at the start: the agent chooses one (transferTopicChoices)
  const [topic, setTopic] = useState('');
  const [agents, setAgents] = useState<AgentOverview[] | 'unavailable' | null>(null);
  const [agentId, setAgentId] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const topicErrors = failureOnForm(failure, ['topic'], {}).fields.topic;
  const topicError = topicErrors.length ? topicErrors.join(' ') : null;
  // "Kies een onderwerp." belongs to the topic field alone: gone with it
  const choose = (m: 'topic' | 'agent') => {
    setMode(m);
    setFailure(null);
  };

  useEffect(() => {
    api
      .get<unknown>('/api/v1/agents')
      .then((json) => {
        const list = transferCandidates(normaliseAgents(json), props.agentId);
        setAgents(list);
        if (list[0]) setAgentId(list[0].id);
      })
      .catch(() => setAgents('unavailable'));
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const unchosen = mode === 'topic' ? checkTransferTopic(topic, t) : [];
    if (unchosen.length) {
      setFailure({ message: unchosen[0].message, errors: unchosen });
      focusFirstInvalid(form);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      if (note.trim()) await props.actions.sendText(c.id, 'note', note.trim());
      const to =
        mode === 'topic'
          ? (topics.find((x) => x.id === topic)?.name ?? topic)
          : ((Array.isArray(agents) ? agents.find((a) => a.id === agentId)?.name : undefined) ?? agentId);
      await props.actions.leave(
        c.id,
        mode === 'topic' ? { type: 'transfer', conversationId: c.id, topic } : { type: 'transfer', conversationId: c.id, agentId },
        to,
      );
      props.onClose();
    } catch (err) {
      setFailure(err as Failure);
      setBusy(false);
    }
  };

  // the topics not read yet: the conversation's own, if known (one loading after a reload is known by its id alone)
  const topics = props.topics.length ? props.topics : c.topic ? [{ id: c.topic, name: c.topic } as Topic] : [];
  return (
    <Modal title={t('transferTitle')} onClose={props.onClose}>
      <form class="dialog-form" onSubmit={submit} aria-busy={busy}>
        <fieldset>
          <legend>{t('transferTo')}</legend>
          <label class="choice">
            <input type="radio" name="transfer-mode" checked={mode === 'topic'} onChange={() => choose('topic')} />
            {t('transferToTopic')}
          </label>
          <label class="choice">
            <input
              type="radio"
              name="transfer-mode"
              checked={mode === 'agent'}
              disabled={agents === 'unavailable'}
              onChange={() => choose('agent')}
            />
            {t('transferToAgent')}
          </label>
        </fieldset>
        {mode === 'topic' ? (
          <>
            <label for="transfer-topic">{t('chooseTopic')}</label>
            <select
              id="transfer-topic"
              value={topic}
              aria-invalid={topicError ? true : undefined}
              aria-describedby={topicError ? 'transfer-topic-error' : undefined}
              onChange={(e) => {
                setTopic((e.target as HTMLSelectElement).value);
                setFailure(null);
              }}
            >
              {transferTopicChoices(topics, c.topic, t).map((x) => (
                <option value={x.value}>{x.label}</option>
              ))}
            </select>
            {topicError && (
              <p id="transfer-topic-error" class="error">
                {topicError}
              </p>
            )}
            <p class="hint">{t('transferHint')}</p>
          </>
        ) : Array.isArray(agents) && agents.length ? (
          <>
            <label for="transfer-agent">{t('chooseAgent')}</label>
            <select id="transfer-agent" value={agentId} onChange={(e) => setAgentId((e.target as HTMLSelectElement).value)}>
              {agents.map((a) => (
                <option value={a.id}>
                  {a.name} ({a.openConversations}
                  {a.maxConcurrent ? '/' + a.maxConcurrent : ''})
                </option>
              ))}
            </select>
          </>
        ) : (
          <p class="hint">{t('noColleagues')}</p>
        )}
        {agents === 'unavailable' && <p class="hint">{t('colleaguesUnavailable')}</p>}
        <label for="transfer-note">{t('transferNote')}</label>
        <textarea id="transfer-note" rows={3} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        <FormError failure={failure} shown={['topic']} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy || (mode === 'agent' && !agentId)}>
            {t('transfer')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

const OUTCOMES: Outcome[] = ['answered', 'referred', 'no_response', 'other'];

export function CloseDialog(props: { conversation: Conversation; actions: Actions; onClose(): void }) {
  const { t } = useConsole();
  const c = props.conversation;
  const [outcome, setOutcome] = useState<Outcome>('answered');
  const [summary, setSummary] = useState('');
  const [confidential, setConfidential] = useState(c.confidential);
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setFailure(null);
    try {
      await props.actions.leave(c.id, {
        type: 'close',
        conversationId: c.id,
        outcome,
        summary: summary.trim() || undefined,
        confidential,
      });
      props.onClose();
    } catch (err) {
      setFailure(err as Failure);
      setBusy(false);
    }
  };
  return (
    <Modal title={t('closeTitle')} onClose={props.onClose}>
      <form class="dialog-form" onSubmit={submit} aria-busy={busy}>
        <fieldset>
          <legend>{t('outcome')}</legend>
          {OUTCOMES.map((o) => (
            <label class="choice">
              <input type="radio" name="outcome" value={o} checked={outcome === o} onChange={() => setOutcome(o)} />
              {t(('outcome_' + o) as Key)}
            </label>
          ))}
        </fieldset>
        <label for="close-summary">{t('summary')}</label>
        <textarea id="close-summary" rows={4} maxLength={4000} value={summary} onInput={(e) => setSummary((e.target as HTMLTextAreaElement).value)} />
        <label class="choice">
          <input type="checkbox" checked={confidential} onChange={(e) => setConfidential((e.target as HTMLInputElement).checked)} />
          {t('confidential')}
        </label>
        <FormError failure={failure} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="danger" disabled={busy}>
            {t('close')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

const WINDOWS: CallbackWindow[] = ['asap', 'morning', 'afternoon'];

export function CallbackDialog(props: { conversation: Conversation; actions: Actions; onClose(): void }) {
  const { t } = useConsole();
  const c = props.conversation;
  const [phone, setPhone] = useState('');
  const [window, setWindow] = useState<CallbackWindow>('asap');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<Failure | null>(null);
  // the phone number's errors show by its field, all others in the summary (FormError)
  const phoneErrors = failureOnForm(failure, ['phone'], {}).fields.phone;
  const phoneError = phoneErrors.length ? phoneErrors.join(' ') : null;
  const submit = async (e: Event) => {
    e.preventDefault();
    // the phone number's error shows only by its field: the field takes the focus, so it is heard
    // (the submit button, disabled while the request was on its way, has lost the focus)
    const form = e.currentTarget as HTMLFormElement;
    if (!phone.trim()) {
      setFailure({ message: t('required'), errors: [{ field: 'phone', message: t('required') }] });
      focusFirstInvalid(form);
      return;
    }
    setBusy(true);
    setFailure(null);
    try {
      await props.actions.leave(c.id, {
        type: 'callback',
        conversationId: c.id,
        phone: phone.trim(),
        window,
        note: note.trim() || undefined,
      });
      props.onClose();
    } catch (err) {
      setFailure(err as Failure);
      setBusy(false);
      focusFirstInvalid(form);
    }
  };
  return (
    <Modal title={t('callbackTitle')} onClose={props.onClose}>
      <form class="dialog-form" onSubmit={submit} aria-busy={busy} noValidate>
        <label for="callback-phone">{t('phone')}</label>
        <input
          id="callback-phone"
          type="tel"
          autocomplete="off"
          required
          value={phone}
          aria-invalid={phoneError ? true : undefined}
          aria-describedby={phoneError ? 'callback-phone-error' : undefined}
          onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
        />
        {phoneError && (
          <p id="callback-phone-error" class="error">
            {phoneError}
          </p>
        )}
        <label for="callback-window">{t('window')}</label>
        <select id="callback-window" value={window} onChange={(e) => setWindow((e.target as HTMLSelectElement).value as CallbackWindow)}>
          {WINDOWS.map((w) => (
            <option value={w}>{t(('window_' + w) as Key)}</option>
          ))}
        </select>
        <label for="callback-note">{t('callbackNote')}</label>
        <textarea id="callback-note" rows={3} maxLength={1000} value={note} onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)} />
        <FormError failure={failure} shown={['phone']} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            {t('cancel')}
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {t('makeCallback')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function HelpDialog(props: { onClose(): void }) {
  const { t } = useConsole();
  return (
    <Modal title={t('helpTitle')} onClose={props.onClose}>
      <dl class="shortcut-list">
        {SHORTCUTS.map((s) => (
          <div>
            <dt>
              <kbd>{s.keys}</kbd>
            </dt>
            <dd>{t(('key_' + s.action) as Key)}</dd>
          </div>
        ))}
        <div>
          <dt>
            <kbd>Ctrl+Enter</kbd>
          </dt>
          <dd>{t('key_note')}</dd>
        </div>
        <div>
          <dt>
            <kbd>/</kbd>
          </dt>
          <dd>{t('canned')}</dd>
        </div>
      </dl>
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={props.onClose}>
          {t('closeDialog')}
        </button>
      </div>
    </Modal>
  );
}
