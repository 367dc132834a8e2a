import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Api } from '../api';
import type { Lang, T } from '../i18n';
import type { Department, Topic } from '../protocol';
import type { TokenClaims } from '../util';

export interface ConsoleContextValue {
  t: T;
  lang: Lang;
  api: Api;
  claims: TokenClaims;
  topicName(id: string): string;
  /** Every topic (public list, in the page language). */
  topics: Topic[];
  /** Departments with their current notices, read on load and every 30 s. */
  departments: Department[];
  /** Read the departments again now (after writing a notice). */
  refreshDepartments(): void;
  /** Read the topics again now (after an admin created or renamed one). */
  refreshTopics(): void;
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
