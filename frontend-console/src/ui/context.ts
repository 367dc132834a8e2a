import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { Lang, T } from '../i18n';
import type { TokenClaims } from '../util';

export interface ConsoleContextValue {
  t: T;
  lang: Lang;
  api: Api;
  claims: TokenClaims;
  topicName(id: string): string;
}

export const ConsoleContext = createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const v = useContext(ConsoleContext);
  if (!v) throw new Error('ConsoleContext missing');
  return v;
}

/** Re-renders the caller every `intervalMs` (clocks, typing indicators). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(id);
  }, [intervalMs]);
  return now;
}

let counter = 0;
/** A stable id for label/aria relations. */
export function useId(prefix: string): string {
  const [id] = useState(() => `${prefix}-${++counter}`);
  return id;
}
