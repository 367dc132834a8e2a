// Form fields with a visible label, an optional hint, and the field's own errors right under it
// (tied to the control with aria-describedby and aria-invalid).

import type { ComponentChildren } from 'preact';
import { ApiError } from '../api';
import { localise, unclaimed, withChoice } from '../forms';
import type { FieldError } from '../protocol';
import { useConsole } from './context';

export function describedBy(...ids: (string | false | null | undefined)[]): string | undefined {
  const list = ids.filter(Boolean) as string[];
  return list.length ? list.join(' ') : undefined;
}

export function FieldErrors(props: { id: string; messages: string[] }) {
  if (!props.messages.length) return null;
  return (
    <p id={props.id} class="field-error">
      {props.messages.join(' ')}
    </p>
  );
}

interface BaseProps {
  id: string;
  label: string;
  errors?: string[];
  hint?: string;
  class?: string;
}

export function TextField(
  props: BaseProps & {
    value: string;
    onInput(value: string): void;
    type?: 'text' | 'date' | 'datetime-local' | 'time' | 'number' | 'password' | 'tel' | 'url' | 'email';
    required?: boolean;
    autocomplete?: string;
    multiline?: boolean;
    rows?: number;
    maxLength?: number;
    min?: number;
    max?: number;
    disabled?: boolean;
    lang?: string;
    inputMode?: 'numeric' | 'text' | 'tel' | 'email' | 'url';
  },
) {
  const errors = props.errors ?? [];
  const hintId = props.hint ? props.id + '-hint' : null;
  const errorId = errors.length ? props.id + '-error' : null;
  const common = {
    id: props.id,
    value: props.value,
    required: props.required,
    disabled: props.disabled,
    maxLength: props.maxLength,
    lang: props.lang,
    'aria-invalid': errors.length ? true : undefined,
    'aria-describedby': describedBy(hintId, errorId),
  };
  return (
    <div class={'field' + (props.class ? ' ' + props.class : '')}>
      <label for={props.id}>{props.label}</label>
      {props.multiline ? (
        <textarea {...common} rows={props.rows ?? 3} onInput={(e) => props.onInput((e.target as HTMLTextAreaElement).value)} />
      ) : (
        <input
          {...common}
          // preact types each input type separately; the union of ours is still an input type
          type={(props.type ?? 'text') as 'text'}
          autocomplete={props.autocomplete ?? 'off'}
          inputMode={props.inputMode}
          min={props.min}
          max={props.max}
          onInput={(e) => props.onInput((e.target as HTMLInputElement).value)}
        />
      )}
      {props.hint && (
        <p id={hintId!} class="hint small-text">
          {props.hint}
        </p>
      )}
      <FieldErrors id={props.id + '-error'} messages={errors} />
    </div>
  );
}

export function SelectField(props: BaseProps & { value: string; onChange(value: string): void; children: ComponentChildren; disabled?: boolean }) {
  const errors = props.errors ?? [];
  const hintId = props.hint ? props.id + '-hint' : null;
  const errorId = errors.length ? props.id + '-error' : null;
  return (
    <div class={'field' + (props.class ? ' ' + props.class : '')}>
      <label for={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        disabled={props.disabled}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={describedBy(hintId, errorId)}
        onChange={(e) => props.onChange((e.target as HTMLSelectElement).value)}
      >
        {props.children}
      </select>
      {props.hint && (
        <p id={hintId!} class="hint small-text">
          {props.hint}
        </p>
      )}
      <FieldErrors id={props.id + '-error'} messages={errors} />
    </div>
  );
}

export function CheckboxField(props: { id: string; label: string; checked: boolean; onChange(checked: boolean): void; errors?: string[]; hint?: string }) {
  const errors = props.errors ?? [];
  const hintId = props.hint ? props.id + '-hint' : null;
  const errorId = errors.length ? props.id + '-error' : null;
  return (
    <div class="field">
      <label class="choice" for={props.id}>
        <input
          id={props.id}
          type="checkbox"
          checked={props.checked}
          aria-invalid={errors.length ? true : undefined}
          aria-describedby={describedBy(hintId, errorId)}
          onChange={(e) => props.onChange((e.target as HTMLInputElement).checked)}
        />
        {props.label}
      </label>
      {props.hint && (
        <p id={hintId!} class="hint small-text">
          {props.hint}
        </p>
      )}
      <FieldErrors id={props.id + '-error'} messages={errors} />
    </div>
  );
}

/** A checkbox per topic, for the topics a user, a canned reply or a department is linked to; the legend is the caller's. */
export function TopicChoices(props: { chosen: string[]; onChange(chosen: string[]): void }) {
  const { topics } = useConsole();
  return (
    <div class="checkbox-grid">
      {topics.map((x) => (
        <label class="choice">
          <input type="checkbox" checked={props.chosen.includes(x.id)} onChange={(e) => props.onChange(withChoice(props.chosen, x.id, (e.target as HTMLInputElement).checked))} />
          {x.name}
        </label>
      ))}
    </div>
  );
}

/** A request that failed: its message, and any field errors that no field of the form shows. */
export interface Failure {
  message: string;
  errors?: FieldError[];
}

export function FormFailure(props: { failure: Failure | null; id?: string }) {
  const { t } = useConsole();
  if (!props.failure) return null;
  const rest = props.failure.errors ?? [];
  return (
    <div class="error form-failure" role="alert" id={props.id}>
      <p>{props.failure.message}</p>
      {rest.length > 0 && (
        <ul>
          {rest.map((e) => (
            <li>
              {e.field === 'body' ? t('errorPrefix') : e.field}: {e.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/** After a failed submit the first field marked invalid gets the focus, so keyboard users land on it. */
export function focusFirstInvalid(form: HTMLElement | null): void {
  setTimeout(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus(), 0);
}

/** A read that failed, said at once: the list or page below it is missing or out of date. */
export function LoadFailed(props: { error: string | null }) {
  const { t } = useConsole();
  if (!props.error) return null;
  return (
    <p class="error" role="alert">
      {t('loadFailed', { error: props.error })}
    </p>
  );
}

/** A short confirmation that a save worked, read out politely. */
export function SavedNote(props: { text: string | null }) {
  return (
    <p class="saved-note" role="status">
      {props.text ?? ''}
    </p>
  );
}

/**
 * A failed save, split for the form: every field error (localised) for the fields to show, and
 * a summary with the message and the errors no shown field claims.
 */
export function failureOf(err: unknown, lang: 'nl' | 'en', fields: readonly string[]): { errors: FieldError[]; failure: Failure } {
  const errors = localise(err instanceof ApiError ? err.errors : [], lang);
  return { errors, failure: { message: err instanceof Error ? err.message : String(err), errors: unclaimed(errors, fields) } };
}
