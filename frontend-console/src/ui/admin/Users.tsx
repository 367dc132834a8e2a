import { useState } from 'preact/hooks';
import { checkResetPassword, checkUserBasics, errorsFor, temporaryPassword, withChoice } from '../../forms';
import type { Key } from '../../i18n';
import type { AdminUser, Department, StaffRole } from '../../protocol';
import { useConfirmed } from '../confirmed';
import { useConsole } from '../context';
import { DialogForm, useDialogForm } from '../dialogForm';
import { CheckboxField, FieldErrors, LoadFailed, SavedNote, SelectField, TextField, TopicChoices, describedBy } from '../fields';
import { ConfirmDialog, Modal } from '../Modal';
import { ColumnHeads, rowButton, useFocusAfterReload } from '../table';
import { useResource } from '../useResource';

export const ROLES: StaffRole[] = ['agent', 'supervisor', 'admin', 'department', 'integrator'];
const FIELDS = ['username', 'displayName', 'password', 'roles', 'topics', 'maxConcurrent', 'active', 'department'];

type Dialog = { kind: 'edit'; user: AdminUser | null } | { kind: 'reset'; user: AdminUser } | { kind: 'toggle'; user: AdminUser } | null;

export function Users() {
  const { t, api, topicName, departments } = useConsole();
  const list = useResource(() => api.get<AdminUser[]>('/api/v1/admin/users'), []);
  const [dialog, setDialog] = useState<Dialog>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const confirmed = useConfirmed(setSaved, () => setDialog(null));
  const users = [...(list.data ?? [])].sort((a, b) => Number(b.active) - Number(a.active) || a.displayName.localeCompare(b.displayName, 'nl'));
  const focusAfterReload = useFocusAfterReload(list.data, list.error);
  const deptName = (id: string | null | undefined) => (id ? (departments.find((d) => d.id === id)?.name ?? id) : '');

  const toggle = (u: AdminUser) =>
    confirmed.run(async () => {
      await api.put('/api/v1/admin/users/' + u.id, userBody(u, { active: !u.active }));
      // the row moves (active users first): the focus goes with it
      focusAfterReload(rowButton('data-user', u.username, 'toggle'));
      list.reload();
      return u.active ? t('userDisabled', { name: u.displayName }) : t('userEnabled', { name: u.displayName });
    });

  return (
    <section class="card" aria-labelledby="users-title">
      <div class="section-head">
        <h3 id="users-title">{t('adminUsers')}</h3>
        <button type="button" class="primary" onClick={() => setDialog({ kind: 'edit', user: null })}>
          {t('newUser')}
        </button>
      </div>
      <SavedNote text={saved} />
      <LoadFailed error={list.error} />
      {list.data && (
        <div class="table-scroll">
          <table class="table users-table">
            <ColumnHeads columns={[t('name'), t('username'), t('roles'), t('topics'), t('maxConcurrentShort'), t('department'), t('active')]} actions={t('actions')} />
            <tbody>
              {users.map((u) => (
                <tr key={u.id} data-user={u.username} class={u.active ? '' : 'inactive'}>
                  <th scope="row">{u.displayName}</th>
                  <td>{u.username}</td>
                  <td>{u.roles.map((r) => t(('role_' + r) as Key)).join(', ')}</td>
                  <td>{u.topics.length ? u.topics.map(topicName).join(', ') : '–'}</td>
                  <td>{u.maxConcurrent}</td>
                  <td>{deptName(u.department) || '–'}</td>
                  <td>{u.active ? t('yes') : t('no')}</td>
                  <td class="row-actions">
                    <button type="button" class="small" data-action="edit" aria-label={t('editNamed', { name: u.displayName })} onClick={() => setDialog({ kind: 'edit', user: u })}>
                      {t('edit')}
                    </button>
                    <button type="button" class="small secondary" data-action="reset" aria-label={t('resetPasswordNamed', { name: u.displayName })} onClick={() => setDialog({ kind: 'reset', user: u })}>
                      {t('resetPassword')}
                    </button>
                    <button
                      type="button"
                      data-action="toggle"
                      class={'small ' + (u.active ? 'danger' : 'secondary')}
                      aria-label={(u.active ? t('disable') : t('enable')) + ': ' + u.displayName}
                      onClick={() => setDialog({ kind: 'toggle', user: u })}
                    >
                      {u.active ? t('disable') : t('enable')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {dialog?.kind === 'edit' && (
        <UserDialog
          user={dialog.user}
          departments={departments}
          onClose={() => setDialog(null)}
          onSaved={(name) => {
            // a new name may move the row: the focus goes with it (a new user's goes back to Nieuwe gebruiker)
            if (dialog.user) focusAfterReload(rowButton('data-user', dialog.user.username, 'edit'));
            setDialog(null);
            setSaved(t('userSaved', { name }));
            list.reload();
          }}
        />
      )}
      {dialog?.kind === 'reset' && (
        <ResetDialog
          user={dialog.user}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setSaved(t('passwordResetDone', { name: dialog.user.displayName }));
            setDialog(null);
          }}
        />
      )}
      {dialog?.kind === 'toggle' && (
        <ConfirmDialog
          title={dialog.user.active ? t('disableTitle', { name: dialog.user.displayName }) : t('enableTitle', { name: dialog.user.displayName })}
          confirmLabel={dialog.user.active ? t('disable') : t('enable')}
          busy={confirmed.busy}
          onConfirm={() => toggle(dialog.user)}
          onClose={() => setDialog(null)}
        >
          <p>{dialog.user.active ? t('disableText') : t('enableText')}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function userBody(u: AdminUser, change: Partial<AdminUser>): Record<string, unknown> {
  const v = { ...u, ...change };
  const body: Record<string, unknown> = {
    username: v.username,
    displayName: v.displayName,
    roles: v.roles,
    topics: v.topics,
    maxConcurrent: v.maxConcurrent,
    active: v.active,
  };
  if (v.roles.includes('department')) body.department = v.department;
  return body;
}

function UserDialog(props: { user: AdminUser | null; departments: Department[]; onClose(): void; onSaved(name: string): void }) {
  const { t, api } = useConsole();
  const creating = !props.user;
  const u = props.user;
  const [username, setUsername] = useState(u?.username ?? '');
  const [displayName, setDisplayName] = useState(u?.displayName ?? '');
  const [password, setPassword] = useState('');
  const [roles, setRoles] = useState<StaffRole[]>(u?.roles ?? ['agent']);
  const [chosenTopics, setTopics] = useState<string[]>(u?.topics ?? []);
  const [maxConcurrent, setMax] = useState(String(u?.maxConcurrent ?? 3));
  const [active, setActive] = useState(u?.active ?? true);
  const [department, setDepartment] = useState(u?.department ?? '');
  const form = useDialogForm(FIELDS);
  const { errors } = form;

  const submit = form.submit({
    check: () => checkUserBasics({ username, displayName, password, roles, department, maxConcurrent }, creating, t),
    checkSummary: t('checkFields'),
    send: async () => {
      const body: Record<string, unknown> = {
        username: username.trim(),
        displayName: displayName.trim(),
        roles: ROLES.filter((r) => roles.includes(r)),
        topics: chosenTopics,
        maxConcurrent: Number(maxConcurrent),
        active,
      };
      if (roles.includes('department')) body.department = department;
      if (creating) body.password = password;
      if (creating) await api.post('/api/v1/admin/users', body);
      else await api.put('/api/v1/admin/users/' + u!.id, body);
      props.onSaved(displayName.trim());
    },
  });

  const roleErrors = errorsFor(errors, 'roles');
  const topicErrors = errorsFor(errors, 'topics');
  return (
    <Modal title={creating ? t('newUser') : t('editUser', { name: u!.displayName })} onClose={props.onClose} wide>
      <DialogForm form={form} onSubmit={submit} onCancel={props.onClose} submitLabel={t('save')}>
        <div class="two-col">
          {creating ? (
            <TextField id="user-username" label={t('username')} value={username} maxLength={64} errors={errorsFor(errors, 'username')} onInput={setUsername} />
          ) : (
            <p class="muted">
              {t('username')}: <strong>{u!.username}</strong>
            </p>
          )}
          <TextField id="user-display" label={t('displayName')} value={displayName} maxLength={100} errors={errorsFor(errors, 'displayName')} onInput={setDisplayName} />
        </div>
        {creating && (
          <TextField
            id="user-password"
            type="password"
            autocomplete="new-password"
            label={t('initialPassword')}
            hint={t('initialPasswordHint')}
            value={password}
            errors={errorsFor(errors, 'password')}
            onInput={setPassword}
          />
        )}
        <fieldset aria-describedby={describedBy(roleErrors.length > 0 && 'user-roles-error')}>
          <legend>{t('roles')}</legend>
          {ROLES.map((r) => (
            <label class="choice">
              <input
                type="checkbox"
                checked={roles.includes(r)}
                aria-invalid={roleErrors.length ? true : undefined}
                onChange={(e) => setRoles(withChoice(roles, r, (e.target as HTMLInputElement).checked))}
              />
              {t(('role_' + r) as Key)} <span class="muted small-text">— {t(('roleHint_' + r) as Key)}</span>
            </label>
          ))}
          <FieldErrors id="user-roles-error" messages={roleErrors} />
        </fieldset>
        {roles.includes('department') && (
          <SelectField id="user-department" label={t('department')} value={department} errors={errorsFor(errors, 'department')} onChange={setDepartment}>
            <option value="">{t('chooseOne')}</option>
            {props.departments.map((d) => (
              <option value={d.id}>{d.name}</option>
            ))}
          </SelectField>
        )}
        <fieldset aria-describedby={describedBy('user-topics-hint', topicErrors.length > 0 && 'user-topics-error')}>
          <legend>{t('topics')}</legend>
          <p id="user-topics-hint" class="hint small-text">
            {t('userTopicsHint')}
          </p>
          <TopicChoices chosen={chosenTopics} onChange={setTopics} />
          <FieldErrors id="user-topics-error" messages={topicErrors} />
        </fieldset>
        <TextField
          id="user-max"
          type="number"
          inputMode="numeric"
          label={t('maxConcurrent')}
          value={maxConcurrent}
          min={1}
          max={20}
          errors={errorsFor(errors, 'maxConcurrent')}
          onInput={setMax}
          class="narrow"
        />
        <CheckboxField id="user-active" label={t('activeAccount')} hint={t('activeHint')} checked={active} errors={errorsFor(errors, 'active')} onChange={setActive} />
      </DialogForm>
    </Modal>
  );
}

function ResetDialog(props: { user: AdminUser; onClose(): void; onSaved(): void }) {
  const { t, api } = useConsole();
  const [value, setValue] = useState('');
  const form = useDialogForm(['temporaryPassword']);
  const submit = form.submit({
    check: () => checkResetPassword(value, t),
    send: async () => {
      await api.post(`/api/v1/admin/users/${props.user.id}/reset-password`, { temporaryPassword: value });
      props.onSaved();
    },
  });
  return (
    <Modal title={t('resetPasswordTitle', { name: props.user.displayName })} onClose={props.onClose}>
      <DialogForm form={form} onSubmit={submit} onCancel={props.onClose} submitLabel={t('resetPassword')}>
        <p>{t('resetPasswordText')}</p>
        <TextField
          id="reset-password"
          label={t('temporaryPassword')}
          hint={t('temporaryPasswordHint')}
          value={value}
          autocomplete="off"
          errors={errorsFor(form.errors, 'temporaryPassword')}
          onInput={setValue}
        />
        <button type="button" class="small secondary" onClick={() => setValue(temporaryPassword())}>
          {t('generate')}
        </button>
      </DialogForm>
    </Modal>
  );
}
