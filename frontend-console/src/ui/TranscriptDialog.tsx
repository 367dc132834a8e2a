import type { Key } from '../i18n';
import type { TranscriptResponse } from '../protocol';
import { formatInstant } from '../time';
import { formatTime } from '../util';
import { useConsole } from './context';
import { LoadFailed } from './fields';
import { Modal } from './Modal';
import { useResource } from './useResource';

/** A past conversation, read-only. Opening it is a staff read, which the server writes to the audit log. */
export function TranscriptDialog(props: { conversationId: string; onClose(): void }) {
  const { t, api, lang, topicName } = useConsole();
  const r = useResource(() => api.get<TranscriptResponse>(`/api/v1/conversations/${encodeURIComponent(props.conversationId)}/transcript`), [
    props.conversationId,
  ]);
  const c = r.data?.conversation;
  const name = c?.residentName || t('anonymous');
  return (
    <Modal title={c ? t('readOnlyTranscript', { name }) : t('transcriptLoading')} onClose={props.onClose} wide>
      <p class="hint small-text">{t('auditedRead')}</p>
      <LoadFailed error={r.error} />
      {c && (
        <dl class="facts">
          <div>
            <dt>{t('topic')}</dt>
            <dd>{topicName(c.topic)}</dd>
          </div>
          <div>
            <dt>{t('queuedAt')}</dt>
            <dd>{formatInstant(c.queuedAt, lang)}</dd>
          </div>
          {c.closedAt && (
            <div>
              <dt>{t('closedAt')}</dt>
              <dd>{formatInstant(c.closedAt, lang)}</dd>
            </div>
          )}
          <div>
            <dt>{t('agent')}</dt>
            <dd>{c.agent?.name ?? '–'}</dd>
          </div>
          <div>
            <dt>{t('outcome')}</dt>
            <dd>{c.outcome ? t(('outcome_' + c.outcome) as Key) : t(('state_' + c.state) as Key)}</dd>
          </div>
          {c.rating !== null && c.rating !== undefined && (
            <div>
              <dt>{t('ratingScore')}</dt>
              <dd>{c.rating} / 5</dd>
            </div>
          )}
          {c.summary && (
            <div>
              <dt>{t('summary')}</dt>
              <dd>{c.summary}</dd>
            </div>
          )}
          {c.confidential && (
            <div>
              <dt>{t('confidentialBadge')}</dt>
              <dd>{t('yes')}</dd>
            </div>
          )}
        </dl>
      )}
      {r.data && (
        <ol class="transcript-list read-only" aria-label={t('transcript', { name })}>
          {r.data.messages.map((m) => {
            const internal = m.internal || m.from === 'note';
            const who =
              m.from === 'resident' ? name : m.from === 'system' ? t('fromSystem') : internal ? t('noteLabel') + (m.agentName ? ' · ' + m.agentName : '') : (m.agentName ?? '');
            return (
              <li class={'msg msg-' + (internal ? 'note' : m.from)}>
                <div class="msg-meta">
                  <span class="msg-who">{who}</span>
                  <time dateTime={m.sentAt}>{formatTime(m.sentAt)}</time>
                </div>
                <p class="msg-text">{m.text}</p>
              </li>
            );
          })}
        </ol>
      )}
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={props.onClose}>
          {t('closeDialog')}
        </button>
      </div>
    </Modal>
  );
}
