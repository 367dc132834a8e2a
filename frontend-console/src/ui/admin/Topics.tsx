import { useEffect, useReducer, useState } from 'preact/hooks';
import { errorsFor, groupErrors } from '../../forms';
import type { Key } from '../../i18n';
import type { AdminTopic, FieldError, Weekday } from '../../protocol';
import { formatDay, formatInstant } from '../../time';
import { type TopicEdit, type TopicForm, WEEKDAYS, byConfiguredOrder, checkTopic, closedDaysAround, editTopic, emptyTopicForm, formToTopic, openingHoursSummary, topicToForm, withPendingClosedDay } from '../../topicForm';
import { amsterdamDate } from '../../util';
import { useConsole } from '../context';
import { DialogForm, useDialogForm } from '../dialogForm';
import { FieldErrors, LoadFailed, SavedNote, TextField, describedBy } from '../fields';
import { Modal } from '../Modal';
import { ColumnHeads, rowButton, useFocusAfterReload } from '../table';
import { useResource } from '../useResource';

const FIELDS = ['id', 'nameNl', 'nameEn', 'sortOrder', 'openingHours', 'closedDates', 'callbackThresholdSeconds', 'digitalAlternatives', 'notice', 'noticeEn'];

export function Topics() {
  const { t, api, lang, refreshTopics } = useConsole();
  const list = useResource(() => api.get<AdminTopic[]>('/api/v1/admin/topics'), [], 60_000);
  const [editing, setEditing] = useState<AdminTopic | 'new' | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const topics = [...(list.data ?? [])].sort(byConfiguredOrder);
  const focusAfterReload = useFocusAfterReload(list.data, list.error);
  const days = (list: string[]) => list.slice(0, 3).map((d) => formatDay(d, lang)).join(', ') + (list.length > 3 ? ' …' : '');
  return (
    <section class="card" aria-labelledby="topics-title">
      <div class="section-head">
        <h3 id="topics-title">{t('adminTopics')}</h3>
        <button type="button" class="primary" onClick={() => setEditing('new')}>
          {t('newTopic')}
        </button>
      </div>
      <SavedNote text={saved} />
      <LoadFailed error={list.error} />
      {list.data && (
        <div class="table-scroll">
          <table class="table topics-table">
            <ColumnHeads columns={[t('sortOrder'), t('topic'), t('openingHours'), t('nowOpen'), t('closedDates'), t('noticeColumn'), t('callbackThreshold')]} actions={t('edit')} />
            <tbody>
              {topics.map((x) => {
                const name = lang === 'en' ? x.nameEn : x.nameNl;
                const { upcoming, recentPast } = closedDaysAround(x.closedDates, amsterdamDate());
                return (
                  <tr key={x.id} data-topic={x.id}>
                    <td>{x.sortOrder}</td>
                    <th scope="row">
                      {name}
                      <div class="muted small-text">
                        {lang === 'en' ? x.nameNl : x.nameEn} · {x.id}
                      </div>
                    </th>
                    <td class="opening-hours">
                      {openingHoursSummary(x.openingHours ?? {}, lang).map((line) => (
                        <div>{line}</div>
                      ))}
                    </td>
                    <td>
                      {x.openNow === undefined ? '–' : x.openNow ? t('open') : t('closedTopic')}
                      {x.openNow === false && x.nextOpenAt && <div class="muted small-text">{t('opensAt', { time: formatInstant(x.nextOpenAt, lang) })}</div>}
                    </td>
                    <td>
                      {upcoming.length ? <span class="closed-upcoming">{days(upcoming)}</span> : '–'}
                      {recentPast.length > 0 && <div class="closed-past muted small-text">{t('closedPastList', { days: days(recentPast) })}</div>}
                    </td>
                    <td class="clip">{(lang === 'en' ? x.noticeEn || x.notice : x.notice) || '–'}</td>
                    <td>{x.callbackThresholdSeconds} s</td>
                    <td>
                      <button type="button" class="small" data-action="edit" aria-label={t('editNamed', { name })} onClick={() => setEditing(x)}>
                        {t('edit')}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {editing && (
        <TopicDialog
          topic={editing === 'new' ? null : editing}
          onClose={() => setEditing(null)}
          onSaved={(name) => {
            // a new order moves the row: the focus goes with it
            if (editing !== 'new') focusAfterReload(rowButton('data-topic', editing.id, 'edit'));
            setEditing(null);
            setSaved(t('topicSaved', { name }));
            list.reload();
            // the users' and canned replies' topic choices, and topic names everywhere, come from the console's list
            refreshTopics();
          }}
        />
      )}
    </section>
  );
}

const DAY_KEYS: Record<Weekday, Key> = { mon: 'mon', tue: 'tue', wed: 'wed', thu: 'thu', fri: 'fri', sat: 'sat', sun: 'sun' };

function TopicDialog(props: { topic: AdminTopic | null; onClose(): void; onSaved(name: string): void }) {
  const { t, api, lang } = useConsole();
  const creating = !props.topic;
  const [form, dispatch] = useReducer<TopicForm, TopicEdit>(editTopic, props.topic ? topicToForm(props.topic) : emptyTopicForm());
  // `form` holds the topic as edited; this is the save's state
  const dialogForm = useDialogForm(FIELDS);
  const { errors } = dialogForm;
  const [newDate, setNewDate] = useState('');
  const set = (field: Extract<TopicEdit, { type: 'set' }>['field']) => (value: string) => dispatch({ type: 'set', field, value });
  // where the keyboard focus goes once an edit has been drawn: the new period's or alternative's
  // first field after adding one, the list's add control after removing one (the removed button
  // took the focus with it to the page's body, and a keyboard user had to start at the top)
  const [focusNext, setFocusNext] = useState<string | null>(null);
  useEffect(() => {
    if (!focusNext) return;
    document.getElementById(focusNext)?.focus();
    setFocusNext(null);
  }, [focusNext]);
  const edit = (e: TopicEdit, focusId: string) => {
    dispatch(e);
    setFocusNext(focusId);
  };

  // a day picked but not added yet is saved too (and shown in the list, should the save fail)
  const saved = withPendingClosedDay(form, newDate);
  const submit = dialogForm.submit({
    check: () => {
      if (saved !== form) {
        dispatch({ type: 'add-closed', date: newDate });
        setNewDate('');
      }
      return checkTopic(saved, creating, t);
    },
    checkSummary: t('checkFields'),
    send: async () => {
      const body = formToTopic(saved);
      if (creating) await api.post('/api/v1/admin/topics', body);
      else await api.put('/api/v1/admin/topics/' + encodeURIComponent(form.id), body);
      props.onSaved(lang === 'en' ? body.nameEn : body.nameNl);
    },
  });

  const addDate = () => {
    if (!newDate) return;
    dispatch({ type: 'add-closed', date: newDate });
    setNewDate('');
  };

  const title = creating ? t('newTopic') : t('editTopic', { name: lang === 'en' ? props.topic!.nameEn : props.topic!.nameNl });
  const closedErrors = groupErrors(errors, 'closedDates');
  // days that have passed close nothing any more, but stay in sight (and removable) under Verleden
  const around = closedDaysAround(form.closedDates, amsterdamDate());
  const chip = (d: string) => (
    <li class={errorsFor(errors, `closedDates[${form.closedDates.indexOf(d)}]`).length ? 'invalid' : ''}>
      <span>{formatDay(d, lang)}</span>
      <button type="button" class="small secondary" aria-label={t('removeNamed', { name: formatDay(d, lang) })} onClick={() => edit({ type: 'remove-closed', date: d }, 'closed-new')}>
        {t('remove')}
      </button>
    </li>
  );
  return (
    <Modal title={title} onClose={props.onClose} wide>
      <DialogForm form={dialogForm} onSubmit={submit} onCancel={props.onClose} submitLabel={t('save')} class="topic-form">
        {creating ? (
          <TextField id="topic-id" label={t('topicId')} hint={t('topicIdHint')} value={form.id} errors={errorsFor(errors, 'id')} onInput={set('id')} />
        ) : (
          <p class="muted">
            {t('topicId')}: <code>{form.id}</code>
          </p>
        )}
        <div class="two-col">
          <TextField id="topic-name-nl" label={t('nameNl')} value={form.nameNl} maxLength={100} errors={errorsFor(errors, 'nameNl')} onInput={set('nameNl')} />
          <TextField id="topic-name-en" label={t('nameEn')} lang="en" value={form.nameEn} maxLength={100} errors={errorsFor(errors, 'nameEn')} onInput={set('nameEn')} />
        </div>
        <TextField id="topic-order" type="number" inputMode="numeric" label={t('sortOrder')} hint={t('sortOrderHint')} value={form.sortOrder} errors={errorsFor(errors, 'sortOrder')} onInput={set('sortOrder')} class="narrow" />

        <fieldset class="hours">
          <legend>{t('openingHours')}</legend>
          <p class="hint small-text">{t('openingHoursHint')}</p>
          <FieldErrors id="hours-error" messages={errors.filter((e) => e.field === 'openingHours').map((e) => e.message)} />
          {WEEKDAYS.map((day) => (
            <DayHours key={day} day={day} periods={form.hours[day]} errors={errors} dispatch={dispatch} edit={edit} />
          ))}
          <button type="button" class="small secondary" onClick={() => dispatch({ type: 'copy-day', from: 'mon', to: ['tue', 'wed', 'thu', 'fri'] })}>
            {t('copyMonday')}
          </button>
        </fieldset>

        <fieldset class="closed-dates" aria-describedby={describedBy('closed-hint', closedErrors.length > 0 && 'closed-error')}>
          <legend>{t('closedDates')}</legend>
          <p id="closed-hint" class="hint small-text">
            {t('closedDatesHint')}
          </p>
          {around.upcoming.length === 0 ? (
            <p class="muted">{t(around.past.length ? 'noUpcomingClosedDates' : 'noClosedDates')}</p>
          ) : (
            <ul class="chip-list" aria-label={t('closedUpcoming')}>
              {around.upcoming.map(chip)}
            </ul>
          )}
          {around.past.length > 0 && (
            <>
              <p id="closed-past-title" class="muted small-text closed-past-title">
                {t('closedPast')}
              </p>
              <ul class="chip-list chip-list-past" aria-labelledby="closed-past-title">
                {around.past.map(chip)}
              </ul>
            </>
          )}
          <div class="add-row">
            <div class="field">
              <label for="closed-new">{t('dateToClose')}</label>
              <input
                id="closed-new"
                type="date"
                value={newDate}
                onInput={(e) => setNewDate((e.target as HTMLInputElement).value)}
                onKeyDown={(e) => {
                  // Enter adds the day instead of saving the whole form
                  if (e.key === 'Enter') {
                    e.preventDefault();
                    addDate();
                  }
                }}
              />
            </div>
            <button type="button" class="secondary" onClick={addDate}>
              {t('addDay')}
            </button>
            <button type="button" class="secondary" onClick={() => dispatch({ type: 'add-closed', date: amsterdamDate() })}>
              {t('closeToday')}
            </button>
          </div>
          <FieldErrors id="closed-error" messages={closedErrors} />
        </fieldset>

        <fieldset>
          <legend>{t('noticeGroup')}</legend>
          <TextField id="topic-notice" multiline rows={2} label={t('notice')} hint={t('noticeHint')} value={form.notice} maxLength={500} errors={errorsFor(errors, 'notice')} onInput={set('notice')} />
          <TextField id="topic-notice-en" multiline rows={2} lang="en" label={t('noticeEn')} value={form.noticeEn} maxLength={500} errors={errorsFor(errors, 'noticeEn')} onInput={set('noticeEn')} />
        </fieldset>

        <fieldset>
          <legend>{t('alternatives')}</legend>
          <p class="hint small-text">{t('alternativesHint')}</p>
          <FieldErrors id="alternatives-error" messages={groupErrors(errors, 'digitalAlternatives')} />
          {form.alternatives.map((a, i) => (
            <div class="row-fields">
              <TextField
                id={`alt-title-${i}`}
                label={t('altTitle', { n: i + 1 })}
                value={a.title}
                maxLength={200}
                errors={errorsFor(errors, `digitalAlternatives[${i}].title`)}
                onInput={(v) => dispatch({ type: 'set-alternative', index: i, part: 'title', value: v })}
              />
              <TextField
                id={`alt-title-en-${i}`}
                lang="en"
                label={t('altTitleEn', { n: i + 1 })}
                value={a.titleEn}
                maxLength={200}
                errors={errorsFor(errors, `digitalAlternatives[${i}].titleEn`)}
                onInput={(v) => dispatch({ type: 'set-alternative', index: i, part: 'titleEn', value: v })}
              />
              <TextField
                id={`alt-url-${i}`}
                type="url"
                label={t('altUrl', { n: i + 1 })}
                value={a.url}
                maxLength={500}
                errors={errorsFor(errors, `digitalAlternatives[${i}].url`)}
                onInput={(v) => dispatch({ type: 'set-alternative', index: i, part: 'url', value: v })}
              />
              <button type="button" class="small secondary" aria-label={t('removeAlternative', { n: i + 1 })} onClick={() => edit({ type: 'remove-alternative', index: i }, 'alt-add')}>
                {t('remove')}
              </button>
            </div>
          ))}
          <button id="alt-add" type="button" class="small secondary" onClick={() => edit({ type: 'add-alternative' }, `alt-title-${form.alternatives.length}`)}>
            {t('addAlternative')}
          </button>
        </fieldset>

        <TextField
          id="topic-threshold"
          type="number"
          inputMode="numeric"
          label={t('callbackThreshold')}
          hint={t('callbackThresholdHint')}
          value={form.callbackThresholdSeconds}
          min={0}
          max={86400}
          errors={errorsFor(errors, 'callbackThresholdSeconds')}
          onInput={set('callbackThresholdSeconds')}
          class="narrow"
        />
      </DialogForm>
    </Modal>
  );
}

function DayHours(props: { day: Weekday; periods: { from: string; to: string }[]; errors: FieldError[]; dispatch(e: TopicEdit): void; edit(e: TopicEdit, focusId: string): void }) {
  const { t } = useConsole();
  const { day } = props;
  const dayName = t(DAY_KEYS[day]);
  const field = 'openingHours.' + day;
  const messages = errorsFor(props.errors, field);
  const errorId = `hours-${day}-error`;
  return (
    <fieldset class="day" data-day={day}>
      <legend>{dayName}</legend>
      {props.periods.length === 0 && <p class="muted small-text">{t('closedAllDay')}</p>}
      {props.periods.map((p, i) => {
        const invalid = errorsFor(props.errors, `${field}[${i}]`).length > 0;
        const ctx = t('periodOf', { day: dayName, n: i + 1 });
        return (
          <div class="period">
            <div class="field">
              <label for={`h-${day}-${i}-from`}>
                {t('opensFrom')}
                <span class="sr-only"> ({ctx})</span>
              </label>
              <input
                id={`h-${day}-${i}-from`}
                type="time"
                value={p.from}
                aria-invalid={invalid ? true : undefined}
                aria-describedby={invalid ? errorId : undefined}
                onInput={(e) => props.dispatch({ type: 'set-period', day, index: i, part: 'from', value: (e.target as HTMLInputElement).value })}
              />
            </div>
            <div class="field">
              <label for={`h-${day}-${i}-to`}>
                {t('closesAt')}
                <span class="sr-only"> ({ctx})</span>
              </label>
              <input
                id={`h-${day}-${i}-to`}
                type="time"
                value={p.to}
                aria-invalid={invalid ? true : undefined}
                aria-describedby={invalid ? errorId : undefined}
                onInput={(e) => props.dispatch({ type: 'set-period', day, index: i, part: 'to', value: (e.target as HTMLInputElement).value })}
              />
            </div>
            <button type="button" class="small secondary" aria-label={t('removeNamed', { name: ctx })} onClick={() => props.edit({ type: 'remove-period', day, index: i }, `add-period-${day}`)}>
              {t('remove')}
            </button>
          </div>
        );
      })}
      <button
        id={`add-period-${day}`}
        type="button"
        class="small secondary"
        aria-label={t('addPeriodOn', { day: dayName })}
        onClick={() => props.edit({ type: 'add-period', day }, `h-${day}-${props.periods.length}-${props.periods.length ? 'to' : 'from'}`)}
      >
        {t('addPeriod')}
      </button>
      <FieldErrors id={errorId} messages={messages} />
    </fieldset>
  );
}
