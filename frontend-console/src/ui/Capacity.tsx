import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api';
import { type CapacityForm as Form, checkCapacity, errorsFor, localise, unclaimed } from '../forms';
import type { CapacityFlag, FieldError } from '../protocol';
import { amsterdamLocalToIso, formatInstant, isoToAmsterdamLocal } from '../time';
import { useConsole } from './context';
import { CheckboxField, type Failure, FormFailure, SavedNote, SelectField, TextField, focusFirstInvalid } from './fields';
import { ColumnHeads } from './table';

const FIELDS = ['short', 'until', 'reason'];

function formOf(flag: CapacityFlag | undefined): Form {
  return { short: !!flag?.short, until: flag?.short ? isoToAmsterdamLocal(flag.until) : '', reason: flag?.short ? (flag.reason ?? '') : '' };
}

/**
 * The capacity flag per topic: read back in a table, set in a form. While a topic is short,
 * everybody waiting on it is offered a callback.
 */
export function CapacityForm(props: { flags: CapacityFlag[] | null; error: string | null; onSaved(): void }) {
  const { t, api, lang, topics, topicName } = useConsole();
  const flags = props.flags ?? [];
  const ids = topics.length ? topics.map((x) => x.id) : flags.map((f) => f.topic);
  const [topic, setTopic] = useState('');
  const [form, setForm] = useState<Form>(formOf(undefined));
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);
  const chosen = topic || ids[0] || '';
  const loadedFor = useRef('');

  // the form starts from what is set now for the chosen topic
  useEffect(() => {
    if (!chosen || !props.flags || loadedFor.current === chosen) return;
    loadedFor.current = chosen;
    setForm(formOf(flags.find((f) => f.topic === chosen)));
    setErrors([]);
  }, [chosen, props.flags]);

  const submit = async (e: Event) => {
    e.preventDefault();
    setSaved(null);
    setFailure(null);
    const found = checkCapacity(form, t);
    setErrors(found);
    if (found.length) {
      focusFirstInvalid(formRef.current);
      return;
    }
    const body: Record<string, unknown> = { short: form.short };
    if (form.short && form.until) body.until = amsterdamLocalToIso(form.until);
    if (form.short && form.reason.trim()) body.reason = form.reason.trim();
    setBusy(true);
    try {
      const flag = await api.put<CapacityFlag>('/api/v1/capacity/' + encodeURIComponent(chosen), body);
      setSaved(
        flag?.short ?? form.short
          ? t('capacitySavedShort', { topic: topicName(chosen) })
          : t('capacitySavedNormal', { topic: topicName(chosen) }),
      );
      props.onSaved();
    } catch (err) {
      const list = localise(err instanceof ApiError ? err.errors : [], lang);
      setErrors(list);
      setFailure({ message: (err as Error).message, errors: unclaimed(list, FIELDS) });
      focusFirstInvalid(formRef.current);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="capacity-title">
      <h3 id="capacity-title">{t('capacityTitle')}</h3>
      <p class="hint">{t('capacityIntro')}</p>
      {props.error && <p class="hint">{t('loadFailed', { error: props.error })}</p>}
      {props.flags && (
        <div class="table-scroll">
          <table class="table capacity-table">
            <ColumnHeads columns={[t('topic'), t('capacity'), t('until'), t('reason'), t('setBy')]} />
            <tbody>
              {ids.map((id) => {
                const f = flags.find((x) => x.topic === id);
                return (
                  <tr data-topic={id}>
                    <th scope="row">{topicName(id)}</th>
                    <td>{f?.short ? <span class="tag tag-warn">{t('capacityShort')}</span> : t('capacityNormal')}</td>
                    <td>{f?.short && f.until ? formatInstant(f.until, lang) : '–'}</td>
                    <td>{f?.short ? (f.reason ?? '–') : '–'}</td>
                    <td>{f?.setBy ? `${f.setBy}${f.updatedAt ? ', ' + formatInstant(f.updatedAt, lang) : ''}` : '–'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <form ref={formRef} class="inline-form" onSubmit={submit} aria-busy={busy} aria-labelledby="capacity-form-title" noValidate>
        <h4 id="capacity-form-title">{t('capacitySet')}</h4>
        <SelectField id="capacity-topic" label={t('topic')} value={chosen} onChange={(v) => setTopic(v)}>
          {ids.map((id) => (
            <option value={id}>{topicName(id)}</option>
          ))}
        </SelectField>
        <CheckboxField
          id="capacity-short"
          label={t('capacityShortLabel')}
          checked={form.short}
          hint={t('capacityShortHint')}
          errors={errorsFor(errors, 'short')}
          onChange={(v) => setForm({ ...form, short: v })}
        />
        <TextField
          id="capacity-until"
          type="datetime-local"
          label={t('untilOptional')}
          hint={t('untilHint')}
          value={form.until}
          disabled={!form.short}
          errors={errorsFor(errors, 'until')}
          onInput={(v) => setForm({ ...form, until: v })}
        />
        <TextField
          id="capacity-reason"
          label={t('reasonOptional')}
          value={form.reason}
          maxLength={500}
          disabled={!form.short}
          errors={errorsFor(errors, 'reason')}
          onInput={(v) => setForm({ ...form, reason: v })}
        />
        <FormFailure failure={failure} />
        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy || !chosen}>
            {t('save')}
          </button>
        </div>
        <SavedNote text={saved} />
      </form>
    </section>
  );
}
