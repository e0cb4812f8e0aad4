import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  /** When the data was last fetched: the "live" indicator shows it. */
  updatedAt?: Date;
  reload: () => void;
}

/**
 * Loads `load()` and, with `pollMs`, loads it again that long after each answer (never two at once)
 * until `done(data)` says the data will not change any more. A failed poll keeps the last data and
 * shows the error; the next poll may clear it.
 */
export function useResource<T>(
  load: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  options: { pollMs?: number; done?: (data: T) => boolean } = {},
): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; updatedAt?: Date }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const options$ = useRef(options);
  options$.current = options;

  useEffect(() => {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    setState((previous) => ({ ...previous, loading: true }));
    const tick = async () => {
      let again = options$.current.pollMs !== undefined;
      try {
        const data = await load(controller.signal);
        if (controller.signal.aborted) return;
        setState({ data, loading: false, updatedAt: new Date() });
        if (options$.current.done?.(data)) again = false;
      } catch (error) {
        if (controller.signal.aborted) return;
        setState((previous) => ({ ...previous, error: error as Error, loading: false }));
      }
      if (again) timer = setTimeout(tick, options$.current.pollMs);
    };
    void tick();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [...deps, generation]); // `deps` are the caller's, for `load`

  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  return { ...state, reload };
}
