// The board of one release, loaded from the core and reloaded when the release's events change
// (an answer or sign-off on another laptop arrives through sync). Kept in the feature: the
// board is only ever read on this page.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { GoNoGoDetail } from '../../../shared/api/gonogo.ts';
import { useClient } from '../../state/context.tsx';

export interface BoardState {
  board: GoNoGoDetail | null;
  /** Why the board could not load (an unknown release, the core unreachable). */
  problem: string | null;
  loading: boolean;
  reload(): Promise<void>;
  /** Runs a write; resolves to the error message when refused, null when done. */
  act(run: () => Promise<GoNoGoDetail>): Promise<string | null>;
}

export function useBoard(release: string): BoardState {
  const client = useClient();
  const [board, setBoard] = useState<GoNoGoDetail | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const next = await client.call('gonogo.get', { release });
      if (ticket === latest.current) {
        setBoard(next);
        setProblem(null);
      }
    } catch (error) {
      if (ticket === latest.current) setProblem(error instanceof Error ? error.message : String(error));
    } finally {
      if (ticket === latest.current) setLoading(false);
    }
  }, [client, release]);

  useEffect(() => {
    // After the effect, not inside it: the first load sets state when the answer arrives.
    void Promise.resolve().then(reload);
    return client.subscribe((notice) => {
      if (notice.topic === 'profile' || (notice.topic === 'events' && notice.entities.some((e) => e.kind === 'release' || e.kind === 'run'))) void reload();
    });
  }, [client, reload]);

  const act = useCallback(async (run: () => Promise<GoNoGoDetail>) => {
    try {
      const next = await run();
      latest.current += 1;
      setBoard(next);
      return null;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }, []);

  return { board, problem, loading, reload, act };
}
