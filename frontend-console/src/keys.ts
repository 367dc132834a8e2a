// Keyboard shortcuts. Alt+letter keeps clear of the screen reader's own keys and of typing.

export type ShortcutAction =
  | { kind: 'next' }
  | { kind: 'status' }
  | { kind: 'conversation'; index: number }
  | { kind: 'cycle'; delta: 1 | -1 }
  | { kind: 'reply' }
  | { kind: 'mode' }
  | { kind: 'canned' }
  | { kind: 'transfer' }
  | { kind: 'close' }
  | { kind: 'callback' }
  | { kind: 'view'; view: 'conversations' | 'callbacks' | 'supervisor' }
  | { kind: 'help' };

export interface KeyLike {
  key: string;
  code?: string;
  altKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  /** Set by the browser while a key is held down. */
  repeat?: boolean;
}

export const SHORTCUTS: { keys: string; action: ShortcutAction['kind'] | string }[] = [
  { keys: 'Alt+N', action: 'next' },
  { keys: 'Alt+B', action: 'status' },
  { keys: 'Alt+1 … Alt+9', action: 'conversation' },
  { keys: 'Alt+PageDown / Alt+PageUp', action: 'cycle' },
  { keys: 'Alt+R', action: 'reply' },
  { keys: 'Alt+I', action: 'mode' },
  { keys: 'Alt+K', action: 'canned' },
  { keys: 'Alt+O', action: 'transfer' },
  { keys: 'Alt+A', action: 'close' },
  { keys: 'Alt+T', action: 'callback' },
  { keys: 'Alt+G', action: 'view-conversations' },
  { keys: 'Alt+L', action: 'view-callbacks' },
  { keys: 'Alt+S', action: 'view-supervisor' },
  { keys: 'Alt+H', action: 'help' },
];

/** The letter of a key press regardless of keyboard layout quirks (Alt+N on a Mac yields "˜"). */
function letter(e: KeyLike): string {
  if (e.code && /^Key[A-Z]$/.test(e.code)) return e.code.slice(3).toLowerCase();
  if (e.code && /^Digit[0-9]$/.test(e.code)) return e.code.slice(5);
  return e.key.length === 1 ? e.key.toLowerCase() : e.key;
}

export function shortcutFor(e: KeyLike): ShortcutAction | null {
  if (!e.altKey || e.ctrlKey || e.metaKey) return null;
  if (e.key === 'PageDown') return { kind: 'cycle', delta: 1 };
  if (e.key === 'PageUp') return { kind: 'cycle', delta: -1 };
  // a held key repeats: only walking through the tabs may; a claim or a status change happens once
  if (e.shiftKey || e.repeat) return null;
  const k = letter(e);
  if (/^[1-9]$/.test(k)) return { kind: 'conversation', index: Number(k) - 1 };
  switch (k) {
    case 'n':
      return { kind: 'next' };
    case 'b':
      return { kind: 'status' };
    case 'r':
      return { kind: 'reply' };
    case 'i':
      return { kind: 'mode' };
    case 'k':
      return { kind: 'canned' };
    case 'o':
      return { kind: 'transfer' };
    case 'a':
      return { kind: 'close' };
    case 't':
      return { kind: 'callback' };
    case 'g':
      return { kind: 'view', view: 'conversations' };
    case 'l':
      return { kind: 'view', view: 'callbacks' };
    case 's':
      return { kind: 'view', view: 'supervisor' };
    case 'h':
      return { kind: 'help' };
    default:
      return null;
  }
}
