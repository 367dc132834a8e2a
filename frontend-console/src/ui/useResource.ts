import { useEffect, useRef, useState } from 'preact/hooks';
import { Refresher } from '../refresher';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  reload(): void;
}

/**
 * Reads something on mount, whenever `deps` change, and every `intervalMs` if given. Only the
 * newest answer counts (a slow earlier one never overwrites it: the Refresher sees to that, as
 * for the waiting list); the last good data stays on screen while a refresh fails.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], intervalMs?: number): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  // one Refresher for the component's life, so that a read started before a change of deps no longer counts after it
  const [refresher] = useState(
    () =>
      new Refresher<T>({
        load: () => loadRef.current(),
        show: (v) => {
          setData(v);
          setError(null);
        },
        fail: setError,
      }),
  );
  useEffect(() => {
    refresher.load();
    if (!intervalMs) return;
    const id = setInterval(() => refresher.load(), intervalMs);
    return () => clearInterval(id);
  }, deps);
  useEffect(() => () => refresher.stop(), []);
  return { data, error, reload: () => refresher.load() };
}
