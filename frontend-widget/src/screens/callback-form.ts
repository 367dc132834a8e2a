// The callback request form: phone, name, preferred window and note, with the API's field
// errors beside the fields. Used from the topic list and over a chat (a callback offer). Whether a
// number can be called back is the service's to say (libphonenumber): the form sends what was
// typed, trimmed, and shows the service's short reason beside the field.

import { h, uid } from '../dom';
import type { CallbackWindow } from '../format';
import type { FieldError } from '../protocol';
import { serverText, type Lang, type Strings } from '../strings';

export interface CallbackData {
  phone: string;
  name?: string;
  window: CallbackWindow;
  note?: string;
}

export class CallbackFormView {
  readonly el: HTMLFormElement;
  private readonly inputs: Record<string, HTMLInputElement | HTMLTextAreaElement> = {};
  private readonly fieldErrors: Record<string, HTMLElement> = {};
  private readonly summary: HTMLElement;
  /** News that does not concern the form's fields, said politely (the offer's reason went meanwhile). */
  private readonly news: HTMLElement;
  private readonly actions: HTMLElement;
  private readonly submitBtn: HTMLButtonElement;

  constructor(
    private readonly s: Strings,
    private readonly lang: Lang,
    intro: string,
    retentionDays: Promise<number | null>,
    onSubmit: (data: CallbackData) => void | Promise<void>,
  ) {
    const phone = this.field('phone', s.phoneLabel, h('input', { type: 'tel', autocomplete: 'tel', required: true, 'aria-required': 'true' }), s.phoneHint);
    const name = this.field('name', s.cbNameLabel, h('input', { type: 'text', autocomplete: 'name', maxlength: 100 }));
    const note = this.field('note', s.noteLabel, h('textarea', { rows: 2, maxlength: 1000 }));
    const group = uid('window');
    const windows = h('fieldset', { class: 'windows' }, h('legend', {}, s.windowLegend));
    for (const [value, label] of [['asap', s.windowAsap], ['morning', s.windowMorning], ['afternoon', s.windowAfternoon]] as const) {
      const id = uid('w');
      windows.append(h('div', { class: 'radio' },
        h('input', { type: 'radio', id, name: group, value, checked: value === 'asap' }),
        h('label', { for: id }, label)));
    }
    this.fieldErrors.window = h('p', { class: 'error', id: uid('err') });
    windows.append(this.fieldErrors.window);
    this.summary = h('p', { class: 'error', role: 'alert' });
    // in the page from the start, empty, so that what is put in it later is announced
    this.news = h('p', { class: 'news', role: 'status' });
    const privacy = h('p', { class: 'muted' }, s.callbackPrivacy(null));
    retentionDays.then((days) => (privacy.textContent = s.callbackPrivacy(days)), () => {});
    this.submitBtn = h('button', { type: 'submit', class: 'primary' }, s.callbackSubmit);
    this.actions = h('div', { class: 'actions' }, this.submitBtn);
    this.el = h(
      'form',
      { class: 'view callback', novalidate: true },
      h('h3', { tabindex: -1 }, s.callbackHeading),
      h('p', {}, intro),
      this.news,
      privacy,
      phone, name, windows, note,
      this.summary,
      this.actions,
    ) as HTMLFormElement;
    this.el.addEventListener('submit', async (e) => {
      e.preventDefault();
      if (this.submitBtn.disabled) return;
      this.clearErrors();
      const data: CallbackData = {
        phone: this.inputs.phone.value.trim(),
        name: this.inputs.name.value.trim() || undefined,
        window: ((this.el.querySelector('input[type=radio]:checked') as HTMLInputElement | null)?.value ?? 'asap') as CallbackWindow,
        note: this.inputs.note.value.trim() || undefined,
      };
      if (!data.phone) {
        this.errors([{ field: 'phone', message: s.phoneRequired }]);
        return;
      }
      this.submitBtn.disabled = true;
      this.summary.textContent = s.callbackSending;
      try {
        await onSubmit(data);
      } finally {
        // over the socket the answer comes later; let the resident try again if it never does
        setTimeout(() => (this.submitBtn.disabled = false), 3000);
      }
    });
  }

  private field(key: string, label: string, input: HTMLInputElement | HTMLTextAreaElement, hint?: string): HTMLElement {
    const id = uid(key);
    const errId = uid('err');
    const hintId = hint ? uid('hint') : null;
    input.id = id;
    input.name = key;
    input.setAttribute('aria-describedby', [hintId, errId].filter(Boolean).join(' '));
    this.inputs[key] = input;
    this.fieldErrors[key] = h('p', { class: 'error', id: errId });
    return h('div', { class: 'field' }, h('label', { for: id }, label), hint ? h('p', { class: 'hint', id: hintId }, hint) : null, this.fieldErrors[key], input);
  }

  addSecondary(label: string, action: () => void): void {
    this.actions.append(h('button', { type: 'button', class: 'secondary', onclick: action }, label));
  }

  /** What the resident wrote about the question, trimmed; empty when nothing. */
  get noteText(): string {
    return this.inputs.note.value.trim();
  }

  focus(): void {
    (this.el.querySelector('h3') as HTMLElement).focus();
  }

  private clearErrors(): void {
    this.summary.textContent = '';
    for (const [k, el] of Object.entries(this.fieldErrors)) {
      el.textContent = '';
      this.inputs[k]?.removeAttribute('aria-invalid');
    }
  }

  /** A polite line under the intro; empty to take it away. Neither the focus nor what was typed moves. */
  note(text: string): void {
    if (this.news.textContent !== text) this.news.textContent = text;
  }

  fail(message: string): void {
    this.submitBtn.disabled = false;
    this.summary.textContent = message;
  }

  /** Field errors from the API, each beside its field; focus goes to the first. */
  errors(errors: FieldError[]): void {
    this.clearErrors();
    this.submitBtn.disabled = false;
    const other: string[] = [];
    let first: HTMLElement | null = null;
    let firstError: HTMLElement | null = null;
    for (const e of errors) {
      const text = serverText(e.message, this.lang);
      const target = this.fieldErrors[e.field];
      if (!target) {
        other.push(text);
        continue;
      }
      target.textContent = (target.textContent ? target.textContent + ' ' : '') + text;
      const input = this.inputs[e.field] ?? (e.field === 'window' ? this.el.querySelector<HTMLElement>('input[type=radio]') : null);
      input?.setAttribute('aria-invalid', 'true');
      first ??= input as HTMLElement;
      firstError ??= target;
    }
    this.summary.textContent = [this.s.formErrors, ...other].join(' ');
    first?.focus();
    // the focus brings the field into view, its label, hint and error above it may stay under the
    // panel's header (a phone: "Telefoonnummer" went out of sight): the whole field is scrolled in
    // where it fits, and then its error, as far as it goes (200 % zoom with the keyboard up)
    (firstError?.closest('.field, fieldset') as HTMLElement | null)?.scrollIntoView?.({ block: 'nearest' });
    firstError?.scrollIntoView?.({ block: 'nearest' });
  }
}
