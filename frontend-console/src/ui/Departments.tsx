import { useState } from 'preact/hooks';
import { noticeStatus, sharedNameNote } from '../departments';
import { NOTICE_KINDS, type NoticeForm, checkDepartment, checkNotice, errorsFor, groupErrors, noticeBody } from '../forms';
import type { Key } from '../i18n';
import type { ContactKind, ContactRoute, Department, DepartmentNotice, NoticeKind } from '../protocol';
import { mayWriteNotices } from '../roles';
import { formatInstant } from '../time';
import { useConfirmed } from './confirmed';
import { useConsole, useNow } from './context';
import { DialogForm, useDialogForm } from './dialogForm';
import { FieldErrors, LoadFailed, SavedNote, SelectField, TextField, TopicChoices, describedBy } from './fields';
import { ConfirmDialog, Modal } from './Modal';
import { useResource } from './useResource';

type Dialog =
  | { kind: 'notice'; department: Department }
  | { kind: 'end'; department: Department; notice: DepartmentNotice }
  | { kind: 'edit'; department: Department | null }
  | null;

/** The departments' reachability board: who can be reached how, and what is different now. */
export function DepartmentsView() {
  const { t, api, claims, departments, refreshDepartments } = useConsole();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const confirmed = useConfirmed(setSaved, () => setDialog(null));
  const [historyVersion, setHistoryVersion] = useState(0);
  const isAdmin = claims.groups.includes('admin');
  const own = claims.department ?? null;
  // a department's own people find their department first
  const list = [...departments].sort((a, b) => Number(b.id === own) - Number(a.id === own) || a.name.localeCompare(b.name, 'nl'));

  const end = (d: Department, n: DepartmentNotice) =>
    confirmed.run(async () => {
      await api.del(`/api/v1/departments/${encodeURIComponent(d.id)}/notices/${encodeURIComponent(n.id)}`);
      refreshDepartments();
      setHistoryVersion((v) => v + 1);
      return t('noticeEnded', { department: d.name });
    });

  return (
    <div class="departments-view wide-view">
      <div class="section-head">
        <h2>{t('departmentsTitle')}</h2>
        {isAdmin && (
          <button type="button" class="primary" onClick={() => setDialog({ kind: 'edit', department: null })}>
            {t('newDepartment')}
          </button>
        )}
      </div>
      <p class="hint">{t('departmentsIntro')}</p>
      <SavedNote text={saved} />
      {list.length === 0 && <p class="hint">{t('noDepartments')}</p>}
      {list.map((d) => (
        <DepartmentCard
          key={d.id}
          department={d}
          mayWrite={mayWriteNotices(claims.groups, own, d.id)}
          isAdmin={isAdmin}
          historyVersion={historyVersion}
          onNotice={() => setDialog({ kind: 'notice', department: d })}
          onEnd={(n) => setDialog({ kind: 'end', department: d, notice: n })}
          onEdit={() => setDialog({ kind: 'edit', department: d })}
        />
      ))}
      {dialog?.kind === 'notice' && (
        <NoticeDialog
          department={dialog.department}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setSaved(t('noticeSaved', { department: dialog.department.name }));
            setDialog(null);
            refreshDepartments();
            setHistoryVersion((v) => v + 1);
          }}
        />
      )}
      {dialog?.kind === 'end' && (
        <ConfirmDialog
          title={t('endNoticeTitle', { department: dialog.department.name })}
          confirmLabel={t('endNotice')}
          busy={confirmed.busy}
          onConfirm={() => end(dialog.department, dialog.notice)}
          onClose={() => setDialog(null)}
        >
          <p>{t('endNoticeText', { kind: t(('kind_' + dialog.notice.kind) as Key) })}</p>
          <p class="quote">{dialog.notice.agentText}</p>
        </ConfirmDialog>
      )}
      {dialog?.kind === 'edit' && (
        <DepartmentDialog
          department={dialog.department}
          onClose={() => setDialog(null)}
          onSaved={(name) => {
            setSaved(t('departmentSaved', { name }));
            setDialog(null);
            refreshDepartments();
          }}
        />
      )}
    </div>
  );
}

function routeHref(r: ContactRoute): string | null {
  if (r.kind === 'phone') return 'tel:' + r.value.replace(/[^\d+]/g, '');
  if (r.kind === 'email') return 'mailto:' + r.value;
  if (r.kind === 'web' && /^https?:\/\//.test(r.value)) return r.value;
  return null;
}

function DepartmentCard(props: {
  department: Department;
  mayWrite: boolean;
  isAdmin: boolean;
  historyVersion: number;
  onNotice(): void;
  onEnd(n: DepartmentNotice): void;
  onEdit(): void;
}) {
  const { t, lang, topicName } = useConsole();
  const d = props.department;
  const [showHistory, setShowHistory] = useState(false);
  const titleId = 'dept-' + d.id;
  const shared = sharedNameNote(d, props.isAdmin, t);
  return (
    <section class="card dept-card" aria-labelledby={titleId} data-department={d.id}>
      <div class="section-head">
        <h3 id={titleId}>{d.name}</h3>
        <div class="row-actions">
          {props.mayWrite && (
            <button type="button" class="primary small" aria-label={t('placeNoticeFor', { department: d.name })} onClick={props.onNotice}>
              {t('placeNotice')}
            </button>
          )}
          {props.isAdmin && (
            <button type="button" class="small secondary" aria-label={t('editNamed', { name: d.name })} onClick={props.onEdit}>
              {t('edit')}
            </button>
          )}
        </div>
      </div>
      {shared && (
        <p class="name-shared" data-name-shared={d.nameSharedWith?.join(' ')}>
          {shared}
        </p>
      )}
      <h4>{t('reachabilityNow')}</h4>
      {d.notices.length === 0 ? (
        <p class="muted">{t('noNotice')}</p>
      ) : (
        <ul class="notice-list">
          {d.notices.map((n) => (
            <li class={'dept-notice kind-' + n.kind} data-notice={n.id}>
              <NoticeBody notice={n} />
              {props.mayWrite && (
                <button type="button" class="small secondary" aria-label={t('endNoticeFor', { kind: t(('kind_' + n.kind) as Key), department: d.name })} onClick={() => props.onEnd(n)}>
                  {t('endNotice')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      <div class="two-col">
        <div>
          <h4>{t('contactRoutes')}</h4>
          {d.contactRoutes.length === 0 ? (
            <p class="muted">–</p>
          ) : (
            <dl class="facts">
              {d.contactRoutes.map((r) => {
                const href = routeHref(r);
                return (
                  <div>
                    <dt>
                      {r.label} <span class="muted small-text">({t(('route_' + r.kind) as Key)})</span>
                    </dt>
                    <dd>{href ? <a href={href}>{r.value}</a> : r.value}</dd>
                  </div>
                );
              })}
            </dl>
          )}
        </div>
        <div>
          <h4>{t('linkedTopics')}</h4>
          <p>{d.topics.length ? d.topics.map(topicName).join(', ') : '–'}</p>
        </div>
      </div>
      <button
        type="button"
        class="small secondary"
        aria-expanded={showHistory}
        aria-controls={titleId + '-history'}
        aria-label={(showHistory ? t('hideHistory') : t('showHistory')) + ': ' + d.name}
        onClick={() => setShowHistory(!showHistory)}
      >
        {showHistory ? t('hideHistory') : t('showHistory')}
      </button>
      <div id={titleId + '-history'}>{showHistory && <NoticeHistory departmentId={d.id} version={props.historyVersion} lang={lang} />}</div>
    </section>
  );
}

function NoticeBody(props: { notice: DepartmentNotice }) {
  const { t, lang } = useConsole();
  const n = props.notice;
  return (
    <div class="notice-body">
      <p>
        <strong class={'kind-tag kind-' + n.kind}>{t(('kind_' + n.kind) as Key)}</strong>{' '}
        <span class="muted">
          {n.until
            ? t('periodFromUntil', { from: formatInstant(n.from, lang), until: formatInstant(n.until, lang) })
            : t('periodFrom', { from: formatInstant(n.from, lang) })}
        </span>
      </p>
      <p>
        <span class="muted">{t('forAgents')}: </span>
        {n.agentText}
      </p>
      {n.residentText && (
        <p>
          <span class="muted">{t('forResidents')}: </span>
          {n.residentText}
        </p>
      )}
      <p class="muted small-text">{t('setByAt', { who: n.setBy, time: formatInstant(n.setAt, lang) })}</p>
    </div>
  );
}

function NoticeHistory(props: { departmentId: string; version: number; lang: 'nl' | 'en' }) {
  const { t, api } = useConsole();
  useNow(60_000);
  const now = Date.now();
  const r = useResource(
    () => api.get<DepartmentNotice[]>(`/api/v1/departments/${encodeURIComponent(props.departmentId)}/notices?all=true`),
    [props.departmentId, props.version],
  );
  if (r.error) return <LoadFailed error={r.error} />;
  if (!r.data) return <p class="muted">{t('loading')}</p>;
  if (r.data.length === 0) return <p class="muted">{t('noHistory')}</p>;
  return (
    <ol class="notice-history">
      {r.data.map((n) => {
        const status = noticeStatus(n, now);
        return (
          <li class={'status-' + status}>
            <span class="tag-status">{t(('noticeStatus_' + status) as Key)}</span>
            <NoticeBody notice={n} />
            {n.endedAt && <p class="muted small-text">{t('endedAtTime', { time: formatInstant(n.endedAt, props.lang) })}</p>}
          </li>
        );
      })}
    </ol>
  );
}

const NOTICE_FIELDS = ['kind', 'from', 'until', 'agentText', 'residentText'];

function NoticeDialog(props: { department: Department; onClose(): void; onSaved(): void }) {
  const { t, api } = useConsole();
  const [form, setForm] = useState<NoticeForm>({ kind: '', from: '', until: '', agentText: '', residentText: '' });
  // `form` holds the notice as typed; this is the save's state
  const dialogForm = useDialogForm(NOTICE_FIELDS);
  const { errors } = dialogForm;
  const set = (key: keyof NoticeForm) => (value: string) => setForm({ ...form, [key]: value });
  const submit = dialogForm.submit({
    check: () => checkNotice(form, t),
    send: async () => {
      await api.post(`/api/v1/departments/${encodeURIComponent(props.department.id)}/notices`, noticeBody(form));
      props.onSaved();
    },
  });
  const kindErrors = errorsFor(errors, 'kind');
  return (
    <Modal title={t('placeNoticeFor', { department: props.department.name })} onClose={props.onClose} wide>
      <DialogForm form={dialogForm} onSubmit={submit} onCancel={props.onClose} submitLabel={t('placeNotice')}>
        <fieldset aria-describedby={describedBy(kindErrors.length > 0 && 'notice-kind-error')}>
          <legend>{t('noticeKind')}</legend>
          {NOTICE_KINDS.map((k: NoticeKind) => (
            <label class="choice">
              <input
                type="radio"
                name="notice-kind"
                value={k}
                checked={form.kind === k}
                aria-invalid={kindErrors.length ? true : undefined}
                onChange={() => setForm({ ...form, kind: k })}
              />
              {t(('kind_' + k) as Key)}
            </label>
          ))}
          <FieldErrors id="notice-kind-error" messages={kindErrors} />
        </fieldset>
        <div class="two-col">
          <TextField id="notice-from" type="datetime-local" label={t('validFrom')} hint={t('validFromHint')} value={form.from} errors={errorsFor(errors, 'from')} onInput={set('from')} />
          <TextField id="notice-until" type="datetime-local" label={t('validUntil')} hint={t('validUntilHint')} value={form.until} errors={errorsFor(errors, 'until')} onInput={set('until')} />
        </div>
        <TextField
          id="notice-agent-text"
          multiline
          rows={3}
          label={t('agentText')}
          hint={t('agentTextHint')}
          value={form.agentText}
          maxLength={1000}
          errors={errorsFor(errors, 'agentText')}
          onInput={set('agentText')}
        />
        <TextField
          id="notice-resident-text"
          multiline
          rows={2}
          label={t('residentText')}
          hint={t('residentTextHint')}
          value={form.residentText}
          maxLength={500}
          errors={errorsFor(errors, 'residentText')}
          onInput={set('residentText')}
        />
      </DialogForm>
    </Modal>
  );
}

const ROUTE_KINDS: ContactKind[] = ['phone', 'email', 'web', 'desk', 'other'];
const DEPT_FIELDS = ['id', 'name', 'contactRoutes', 'topics'];

function DepartmentDialog(props: { department: Department | null; onClose(): void; onSaved(name: string): void }) {
  const { t, api } = useConsole();
  const d = props.department;
  const creating = !d;
  const [id, setId] = useState('');
  const [name, setName] = useState(d?.name ?? '');
  const [routes, setRoutes] = useState<ContactRoute[]>(d?.contactRoutes.map((r) => ({ ...r })) ?? []);
  const [chosen, setChosen] = useState<string[]>(d?.topics ?? []);
  const form = useDialogForm(DEPT_FIELDS);
  const { errors } = form;
  const setRoute = (i: number, change: Partial<ContactRoute>) => setRoutes(routes.map((r, k) => (k === i ? { ...r, ...change } : r)));

  const submit = form.submit({
    check: () => checkDepartment({ id, name, routes }, creating, t),
    send: async () => {
      const body: Record<string, unknown> = {
        name: name.trim(),
        contactRoutes: routes.map((r) => ({ kind: r.kind, label: r.label.trim(), value: r.value.trim() })),
        topics: chosen,
      };
      if (creating && id.trim()) body.id = id.trim();
      if (creating) await api.post('/api/v1/departments', body);
      else await api.put('/api/v1/departments/' + encodeURIComponent(d!.id), body);
      props.onSaved(name.trim());
    },
  });
  return (
    <Modal title={creating ? t('newDepartment') : t('editNamed', { name: d!.name })} onClose={props.onClose} wide>
      <DialogForm form={form} onSubmit={submit} onCancel={props.onClose} submitLabel={t('save')}>
        <div class="two-col">
          <TextField id="dept-name" label={t('name')} value={name} maxLength={100} errors={errorsFor(errors, 'name')} onInput={setName} />
          {creating && <TextField id="dept-id" label={t('departmentId')} hint={t('departmentIdHint')} value={id} errors={errorsFor(errors, 'id')} onInput={setId} />}
        </div>
        <fieldset>
          <legend>{t('contactRoutes')}</legend>
          <FieldErrors id="routes-error" messages={groupErrors(errors, 'contactRoutes')} />
          {routes.map((r, i) => {
            const rowErrors = errorsFor(errors, `contactRoutes[${i}]`);
            return (
              <div class="row-fields">
                <SelectField id={`route-kind-${i}`} label={t('routeKind', { n: i + 1 })} value={r.kind} onChange={(v) => setRoute(i, { kind: v as ContactKind })}>
                  {ROUTE_KINDS.map((k) => (
                    <option value={k}>{t(('route_' + k) as Key)}</option>
                  ))}
                </SelectField>
                <TextField id={`route-label-${i}`} label={t('routeLabel', { n: i + 1 })} value={r.label} onInput={(v) => setRoute(i, { label: v })} />
                <TextField id={`route-value-${i}`} label={t('routeValue', { n: i + 1 })} value={r.value} errors={rowErrors} onInput={(v) => setRoute(i, { value: v })} />
                <button type="button" class="small secondary" aria-label={t('removeRoute', { n: i + 1 })} onClick={() => setRoutes(routes.filter((_, k) => k !== i))}>
                  {t('remove')}
                </button>
              </div>
            );
          })}
          <button type="button" class="small secondary" onClick={() => setRoutes([...routes, { kind: 'phone', label: '', value: '' }])}>
            {t('addRoute')}
          </button>
        </fieldset>
        <fieldset>
          <legend>{t('linkedTopics')}</legend>
          <p class="hint small-text">{t('linkedTopicsHint')}</p>
          <TopicChoices chosen={chosen} onChange={setChosen} />
          <FieldErrors id="dept-topics-error" messages={errorsFor(errors, 'topics')} />
        </fieldset>
      </DialogForm>
    </Modal>
  );
}
