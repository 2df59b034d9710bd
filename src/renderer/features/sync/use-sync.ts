// The sync status (sync.status), loaded from the core and reloaded on every sync or events
// notice: a pass finishing, a device appearing, an admission arriving from another laptop.
// Kept in the feature, like the go/no-go board: only the Sync screen reads the full status
// (the status bar reads the summary in app.info).
import { useCallback, useEffect, useRef, useState } from 'react';
import type { SyncStatus } from '../../../shared/sync/status.ts';
import { toProblem, type Problem } from '../../state/session.ts';
import { useClient } from '../../state/context.tsx';

export interface SyncStatusState {
  status: SyncStatus | null;
  /** Why the status could not load (the core unreachable). */
  problem: Problem | null;
  reload(): Promise<void>;
  /** Runs a write; resolves to the refusal when refused, null when done. */
  act(run: () => Promise<SyncStatus>): Promise<Problem | null>;
}

export function useSyncStatus(): SyncStatusState {
  const client = useClient();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const latest = useRef(0);

  const reload = useCallback(async () => {
    const ticket = ++latest.current;
    try {
      const next = await client.call('sync.status', {});
      if (ticket === latest.current) {
        setStatus(next);
        setProblem(null);
      }
    } catch (error) {
      if (ticket === latest.current) setProblem(toProblem(error));
    }
  }, [client]);

  useEffect(() => {
    // After the effect, not inside it: the first load sets state when the answer arrives.
    void Promise.resolve().then(reload);
    return client.subscribe((notice) => {
      if (notice.topic === 'sync' || notice.topic === 'events' || notice.topic === 'profile') void reload();
    });
  }, [client, reload]);

  const act = useCallback(async (run: () => Promise<SyncStatus>) => {
    try {
      const next = await run();
      // Newer than any load still in flight.
      latest.current += 1;
      setStatus(next);
      return null;
    } catch (error) {
      return toProblem(error);
    }
  }, []);

  return { status, problem, reload, act };
}
