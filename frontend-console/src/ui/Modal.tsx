import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useConsole, useId } from './context';

/**
 * A native modal <dialog>: the browser makes the rest of the page inert, traps focus and closes
 * on Escape. Focus goes back to whatever opened it, if it is still on the page (after a
 * conversation left, the console moves it: see focusAfterLeaving).
 */
export function Modal(props: { title: string; onClose: () => void; children: ComponentChildren; wide?: boolean; role?: 'alertdialog' }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId('dialog-title');
  const { t } = useConsole();
  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    const dialog = ref.current!;
    if (!dialog.open) dialog.showModal();
    // a dialog may name its safest first stop (Cancel, in a confirmation); else the first field
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('form input:not([type=hidden]), form select, form textarea') ??
      dialog.querySelector<HTMLElement>('input:not([type=hidden]), select, textarea, button');
    first?.focus();
    return () => {
      if (dialog.open) dialog.close();
      if (opener && document.contains(opener)) opener.focus();
    };
  }, []);
  return (
    <dialog
      ref={ref}
      class={props.wide ? 'modal modal-wide' : 'modal'}
      role={props.role}
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
    >
      <div class="modal-head">
        <h2 id={titleId}>{props.title}</h2>
        <button type="button" class="icon-button" aria-label={t('closeDialog')} onClick={props.onClose}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      {props.children}
    </dialog>
  );
}

/** "Are you sure?" before something that cannot be undone; Cancel has the focus first. */
export function ConfirmDialog(props: {
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy?: boolean;
  onConfirm: () => void;
  onClose: () => void;
}) {
  const { t } = useConsole();
  return (
    <Modal title={props.title} onClose={props.onClose} role="alertdialog">
      <div class="confirm-body">{props.children}</div>
      <div class="dialog-actions">
        <button type="button" class="secondary" data-autofocus onClick={props.onClose}>
          {t('cancel')}
        </button>
        <button type="button" class="danger" disabled={props.busy} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
