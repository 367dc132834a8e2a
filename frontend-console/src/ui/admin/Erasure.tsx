import { useEffect, useRef, useState } from 'preact/hooks';
import { erasePhoneConfirmation, forgetCallbacks, refusal } from '../../erasure';
import { checkConversationId, checkPhone, errorsFor } from '../../forms';
import type { FieldError } from '../../protocol';
import { useConsole } from '../context';
import { SavedNote, TextField, focusFirstInvalid } from '../fields';
import { ConfirmDialog } from '../Modal';

type Pending = { kind: 'conversation'; id: string } | { kind: 'phone'; phone: string } | null;

/** Requests to be forgotten: a conversation's personal data, or every callback request of a phone number. Both audited. */
export function Erasure() {
  const { t, api, lang } = useConsole();
  const [conversationId, setConversationId] = useState('');
  const [phone, setPhone] = useState('');
  const [errors, setErrors] = useState<FieldError[]>([]);
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const convForm = useRef<HTMLFormElement>(null);
  const phoneForm = useRef<HTMLFormElement>(null);
  // the form whose field a refusal names, focused once the confirmation is gone: closing it gives
  // the focus back to the button that opened it, and that came after the field's, now and then
  const [refused, setRefused] = useState<'conversation' | 'phone' | null>(null);
  useEffect(() => {
    if (pending || !refused) return;
    focusFirstInvalid(refused === 'conversation' ? convForm.current : phoneForm.current);
    setRefused(null);
  }, [pending, refused]);

  const ask = (e: Event, kind: 'conversation' | 'phone') => {
    e.preventDefault();
    setDone(null);
    const found = kind === 'conversation' ? checkConversationId(conversationId, t) : checkPhone(phone, t);
    setErrors(found);
    if (found.length) {
      focusFirstInvalid(kind === 'conversation' ? convForm.current : phoneForm.current);
      return;
    }
    setPending(kind === 'conversation' ? { kind, id: conversationId.trim() } : { kind, phone: phone.trim() });
  };

  const confirm = async () => {
    if (!pending) return;
    setBusy(true);
    try {
      if (pending.kind === 'conversation') {
        await api.del(`/api/v1/admin/conversations/${encodeURIComponent(pending.id)}/personal-data`);
        setDone(t('erasedConversation', { id: pending.id }));
        setConversationId('');
      } else {
        const r = await forgetCallbacks(api, pending.phone);
        setDone(t('erasedCallbacks', { count: r?.removed ?? 0 }));
        setPhone('');
      }
      setErrors([]);
    } catch (err) {
      // the service's reason (a number that is none), a 404 or any other failure belongs next to the field the admin typed
      setErrors(refusal(err, pending.kind === 'conversation' ? 'conversationId' : 'phone', lang, t('erasureNotFound')));
      setRefused(pending.kind);
    } finally {
      setBusy(false);
      setPending(null);
    }
  };

  return (
    <section class="card" aria-labelledby="erasure-title">
      <h3 id="erasure-title">{t('adminErasure')}</h3>
      <p class="hint">{t('erasureIntro')}</p>
      <SavedNote text={done} />
      <div class="two-col">
        <form ref={convForm} class="erasure-form" onSubmit={(e) => ask(e, 'conversation')} aria-labelledby="erase-conv-title" noValidate>
          <h4 id="erase-conv-title">{t('eraseConversationTitle')}</h4>
          <TextField
            id="erase-conversation"
            label={t('conversationId')}
            hint={t('conversationIdHint')}
            value={conversationId}
            errors={errorsFor(errors, 'conversationId')}
            onInput={setConversationId}
          />
          <button type="submit" class="danger">
            {t('eraseEllipsis')}
          </button>
        </form>
        <form ref={phoneForm} class="erasure-form" onSubmit={(e) => ask(e, 'phone')} aria-labelledby="erase-phone-title" noValidate>
          <h4 id="erase-phone-title">{t('erasePhoneTitle')}</h4>
          <TextField id="erase-phone" type="tel" label={t('phone')} hint={t('erasePhoneHint')} value={phone} errors={errorsFor(errors, 'phone')} onInput={setPhone} />
          <button type="submit" class="danger">
            {t('eraseEllipsis')}
          </button>
        </form>
      </div>
      {pending && (
        <ConfirmDialog title={t('eraseConfirmTitle')} confirmLabel={t('eraseConfirm')} busy={busy} onConfirm={confirm} onClose={() => setPending(null)}>
          {(pending.kind === 'conversation' ? [t('eraseConversationText', { id: pending.id })] : erasePhoneConfirmation(pending.phone, t)).map((line) => (
            <p>{line}</p>
          ))}
          <p>
            <strong>{t('cannotUndo')}</strong>
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
