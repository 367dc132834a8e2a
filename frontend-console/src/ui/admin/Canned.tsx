import { useState } from 'preact/hooks';
import { checkCanned, errorsFor } from '../../forms';
import type { CannedReply } from '../../protocol';
import { useConfirmed } from '../confirmed';
import { useConsole } from '../context';
import { DialogForm, useDialogForm } from '../dialogForm';
import { FieldErrors, LoadFailed, SavedNote, SelectField, TextField, TopicChoices, describedBy } from '../fields';
import { ConfirmDialog, Modal } from '../Modal';
import { ColumnHeads, rowButton, useFocusAfterReload } from '../table';
import { useResource } from '../useResource';

const FIELDS = ['title', 'text', 'topics', 'locale'];

type Dialog = { kind: 'edit'; reply: CannedReply | null } | { kind: 'delete'; reply: CannedReply } | null;

/** Canned replies for one or more topics, or general ones (no topic) that every agent gets. */
export function CannedReplies() {
  const { t, api, topicName, topics } = useConsole();
  const list = useResource(() => api.get<CannedReply[]>('/api/v1/admin/canned-replies'), []);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const confirmed = useConfirmed(setSaved, () => setDialog(null));
  const focusAfterReload = useFocusAfterReload(list.data, list.error);
  const replies = (list.data ?? [])
    .filter((r) => inFilter(filter, r.topics))
    .sort((a, b) => a.title.localeCompare(b.title, 'nl'));

  const remove = (r: CannedReply) =>
    confirmed.run(async () => {
      await api.del('/api/v1/admin/canned-replies/' + encodeURIComponent(r.id));
      // its row and the button that opened the confirmation are gone
      focusAfterReload('#canned-new');
      list.reload();
      return t('cannedDeleted', { title: r.title });
    });

  return (
    <section class="card" aria-labelledby="canned-title">
      <div class="section-head">
        <h3 id="canned-title">{t('adminCanned')}</h3>
        <SelectField id="canned-filter" label={t('filterTopic')} value={filter} onChange={setFilter} class="inline-field">
          <option value="">{t('allReplies')}</option>
          <option value="general">{t('generalReplies')}</option>
          {topics.map((x) => (
            <option value={x.id}>{x.name}</option>
          ))}
        </SelectField>
        <button id="canned-new" type="button" class="primary" onClick={() => setDialog({ kind: 'edit', reply: null })}>
          {t('newCanned')}
        </button>
      </div>
      <SavedNote text={saved} />
      <LoadFailed error={list.error} />
      {list.data && replies.length === 0 && <p class="hint">{t('cannedNone')}</p>}
      {replies.length > 0 && (
        <div class="table-scroll">
          <table class="table">
            <ColumnHeads columns={[t('title'), t('language2'), t('topics'), t('text')]} actions={t('actions')} />
            <tbody>
              {replies.map((r) => (
                <tr key={r.id} data-reply={r.id}>
                  <th scope="row">{r.title}</th>
                  <td>{r.locale === 'en' ? t('english') : t('dutch')}</td>
                  <td>{r.topics?.length ? r.topics.map(topicName).join(', ') : t('generalReply')}</td>
                  <td class="clip">{r.text}</td>
                  <td class="row-actions">
                    <button type="button" class="small" data-action="edit" aria-label={t('editNamed', { name: r.title })} onClick={() => setDialog({ kind: 'edit', reply: r })}>
                      {t('edit')}
                    </button>
                    <button type="button" class="small danger" aria-label={t('deleteNamed', { name: r.title })} onClick={() => setDialog({ kind: 'delete', reply: r })}>
                      {t('delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === 'edit' && (
        <CannedDialog
          reply={dialog.reply}
          // a new reply made while the list shows one topic's is for that topic, unless the administrator unticks it
          topics={dialog.reply ? undefined : filter && filter !== 'general' ? [filter] : []}
          onClose={() => setDialog(null)}
          onSaved={(title, topics) => {
            // a new title moves the row: the focus goes with it
            if (dialog.reply) focusAfterReload(rowButton('data-reply', dialog.reply.id, 'edit'));
            setDialog(null);
            // a reply saved outside the filter would be "saved" and nowhere to be seen: show them all
            if (!inFilter(filter, topics)) setFilter('');
            setSaved(t('cannedSaved', { title }));
            list.reload();
          }}
        />
      )}
      {dialog?.kind === 'delete' && (
        <ConfirmDialog
          title={t('deleteCannedTitle', { title: dialog.reply.title })}
          confirmLabel={t('delete')}
          busy={confirmed.busy}
          onConfirm={() => remove(dialog.reply)}
          onClose={() => setDialog(null)}
        >
          <p>{t('deleteCannedText')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

/** Whether a reply for `topics` (none: a general reply) is in the list filtered by `filter` ('' all, 'general', or a topic). */
function inFilter(filter: string, topics: string[] | null | undefined): boolean {
  return !filter || (filter === 'general' ? !topics?.length : !!topics?.includes(filter));
}

function CannedDialog(props: { reply: CannedReply | null; topics?: string[]; onClose(): void; onSaved(title: string, topics: string[]): void }) {
  const { t, api } = useConsole();
  const r = props.reply;
  const [title, setTitle] = useState(r?.title ?? '');
  const [text, setText] = useState(r?.text ?? '');
  const [locale, setLocale] = useState(r?.locale === 'en' ? 'en' : 'nl');
  const [chosen, setChosen] = useState<string[]>(r?.topics ?? props.topics ?? []);
  const form = useDialogForm(FIELDS);
  const { errors } = form;
  const submit = form.submit({
    check: () => checkCanned({ title, text }, t),
    send: async () => {
      const body = { title: title.trim(), text: text.trim(), topics: chosen, locale };
      if (r) await api.put('/api/v1/admin/canned-replies/' + encodeURIComponent(r.id), body);
      else await api.post('/api/v1/admin/canned-replies', body);
      props.onSaved(body.title, body.topics);
    },
  });
  const topicErrors = errorsFor(errors, 'topics');
  return (
    <Modal title={r ? t('editCanned', { title: r.title }) : t('newCanned')} onClose={props.onClose} wide>
      <DialogForm form={form} onSubmit={submit} onCancel={props.onClose} submitLabel={t('save')}>
        <TextField id="canned-title-input" label={t('title')} hint={t('cannedTitleHint')} value={title} maxLength={100} errors={errorsFor(errors, 'title')} onInput={setTitle} />
        <TextField id="canned-text" multiline rows={5} label={t('text')} hint={t('cannedTextHint')} value={text} maxLength={2000} errors={errorsFor(errors, 'text')} onInput={setText} />
        <SelectField id="canned-locale" label={t('language2')} value={locale} errors={errorsFor(errors, 'locale')} onChange={setLocale}>
          <option value="nl">{t('dutch')}</option>
          <option value="en">{t('english')}</option>
        </SelectField>
        <fieldset aria-describedby={describedBy('canned-topics-hint', topicErrors.length > 0 && 'canned-topics-error')}>
          <legend>{t('topics')}</legend>
          <p id="canned-topics-hint" class="hint small-text">
            {t('cannedTopicsHint')}
          </p>
          <TopicChoices chosen={chosen} onChange={setChosen} />
          <FieldErrors id="canned-topics-error" messages={topicErrors} />
        </fieldset>
      </DialogForm>
    </Modal>
  );
}
