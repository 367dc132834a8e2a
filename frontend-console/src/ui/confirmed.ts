// What a screen does once a confirmation dialog ("Verwijderen?", "Uitschakelen?", "Beëindigen?")
// is confirmed: the confirm button is busy meanwhile, the screen's note says what came of it,
// and the confirmation closes either way, so a failure is read out in the note, not in a dialog.

import { useState } from 'preact/hooks';
import type { T } from '../i18n';
import { useConsole } from './context';

export interface ConfirmedSink {
  setBusy(busy: boolean): void;
  /** The screen's note (its SavedNote). */
  setNote(text: string): void;
  /** Closes the confirmation. */
  close(): void;
}

/** Runs `action`, which does the request and what follows it, and resolves to the note for success. */
export async function runConfirmed(action: () => Promise<string>, t: T, sink: ConfirmedSink): Promise<void> {
  sink.setBusy(true);
  try {
    sink.setNote(await action());
  } catch (e) {
    sink.setNote(t('loadFailed', { error: (e as Error).message }));
  } finally {
    sink.setBusy(false);
    sink.close();
  }
}

/** The busy flag for a screen's confirmation dialog, and the function that runs what it confirms. */
export function useConfirmed(setNote: (text: string) => void, close: () => void): { busy: boolean; run(action: () => Promise<string>): Promise<void> } {
  const { t } = useConsole();
  const [busy, setBusy] = useState(false);
  return { busy, run: (action) => runConfirmed(action, t, { setBusy, setNote, close }) };
}
