// The form inside an edit dialog (a topic, a user, a canned reply, a department, a notice): the
// checks before a save, the save itself, and what a refusal leaves on the form. Every such dialog
// behaves alike so that keyboard and screen-reader users meet the same thing everywhere: the
// errors under their fields, a summary for the rest, the focus on the first invalid field.

import type { ComponentChildren, RefObject } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { FieldError } from '../protocol';
import { useConsole } from './context';
import { type Failure, FormFailure, failureOf, focusFirstInvalid } from './fields';

/** What one dialog does on submit. */
export interface FormSubmission {
  /** The checks before anything is sent; any error stops the save. */
  check(): FieldError[];
  /** Sends the form and tells the dialog's owner; the owner closes it, so `busy` stays on. */
  send(): Promise<void>;
  /** Said in the summary when the checks fail; without it only the fields show their errors. */
  checkSummary?: string;
}

/** Where submitForm leaves what happened: the dialog's state, and the focus. */
export interface FormSink {
  setErrors(errors: FieldError[]): void;
  setFailure(failure: Failure | null): void;
  setBusy(busy: boolean): void;
  focusFirstInvalid(): void;
}

/**
 * Checks, then sends. A refusal puts the server's field errors (in the page language) on the
 * fields in `fields`, the message and the errors no field claims in the summary, and lets the
 * user try again.
 */
export async function submitForm(submission: FormSubmission, fields: readonly string[], lang: 'nl' | 'en', sink: FormSink): Promise<void> {
  sink.setFailure(null);
  const found = submission.check();
  sink.setErrors(found);
  if (found.length) {
    if (submission.checkSummary) sink.setFailure({ message: submission.checkSummary });
    sink.focusFirstInvalid();
    return;
  }
  sink.setBusy(true);
  try {
    await submission.send();
  } catch (err) {
    const f = failureOf(err, lang, fields);
    sink.setErrors(f.errors);
    sink.setFailure(f.failure);
    sink.setBusy(false);
    sink.focusFirstInvalid();
  }
}

export interface DialogFormState {
  errors: FieldError[];
  failure: Failure | null;
  busy: boolean;
  formRef: RefObject<HTMLFormElement | null>;
  /** The form's submit handler for this render's values. */
  submit(submission: FormSubmission): (e: Event) => void;
}

/** The state of a dialog's form; `fields` are the ones it shows, named like the API's. */
export function useDialogForm(fields: readonly string[]): DialogFormState {
  const { lang } = useConsole();
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [failure, setFailure] = useState<Failure | null>(null);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  const submit = (submission: FormSubmission) => (e: Event) => {
    e.preventDefault();
    void submitForm(submission, fields, lang, { setErrors, setFailure, setBusy, focusFirstInvalid: () => focusFirstInvalid(formRef.current) });
  };
  return { errors, failure, busy, formRef, submit };
}

/** The dialog's form: its fields, then the summary of a refusal, then Cancel and the save button. */
export function DialogForm(props: {
  form: DialogFormState;
  onSubmit(e: Event): void;
  onCancel(): void;
  submitLabel: string;
  class?: string;
  children: ComponentChildren;
}) {
  const { t } = useConsole();
  return (
    <form ref={props.form.formRef} class={'dialog-form' + (props.class ? ' ' + props.class : '')} onSubmit={props.onSubmit} aria-busy={props.form.busy} noValidate>
      {props.children}
      <FormFailure failure={props.form.failure} />
      <div class="dialog-actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          {t('cancel')}
        </button>
        <button type="submit" class="primary" disabled={props.form.busy}>
          {props.submitLabel}
        </button>
      </div>
    </form>
  );
}
