import { useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data: T | null;
  error: string | null;
  loading: boolean;
  reload(): void;
}

/**
 * Reads something on mount, whenever `deps` change, and every `intervalMs` if given. Only the
 * newest answer counts (a slow earlier one never overwrites it); the last good data stays on
 * screen while a refresh fails.
 */
export function useResource<T>(load: () => Promise<T>, deps: unknown[], intervalMs?: number): Resource<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const seq = useRef(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const run = () => {
    const n = ++seq.current;
    setLoading(true);
    loadRef
      .current()
      .then((v) => {
        if (n !== seq.current) return;
        setData(v);
        setError(null);
      })
      .catch((e: unknown) => {
        if (n === seq.current) setError(e instanceof Error ? e.message : String(e));
      })
      .finally(() => {
        if (n === seq.current) setLoading(false);
      });
  };
  useEffect(() => {
    run();
    if (!intervalMs) return;
    const id = setInterval(run, intervalMs);
    return () => clearInterval(id);
  }, deps);
  useEffect(
    () => () => {
      seq.current++;
    },
    [],
  );
  return { data, error, loading, reload: run };
}
