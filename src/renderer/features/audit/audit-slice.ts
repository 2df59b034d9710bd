// Audit slice: the last chain check of every device's signed log (audit.verify), and how many
// events were recorded since, so the panel can say when its answer has gone stale.
import type { StateCreator } from 'zustand/vanilla';
import type { VerifyReport } from '../../../shared/api/store.ts';
import { toProblem, type Problem } from '../../state/session.ts';
import type { AppState, StoreDeps } from '../../state/store.ts';

export interface AuditSlice {
  audit: {
    report: VerifyReport | null;
    verifying: boolean;
    problem: Problem | null;
    /** Events recorded (here or synced in) since `report` was taken. */
    eventsSince: number;
  };
  verifyChains(): Promise<void>;
  noteEventsRecorded(count: number): void;
}

export function createAuditSlice(deps: StoreDeps): StateCreator<AppState, [], [], AuditSlice> {
  return (set, get) => ({
    audit: { report: null, verifying: false, problem: null, eventsSince: 0 },

    async verifyChains() {
      // One check at a time: on a long log it walks every signature, and a second click
      // would only queue the same work behind the first.
      if (get().audit.verifying) return;
      set({ audit: { ...get().audit, verifying: true } });
      try {
        const report = await deps.client.call('audit.verify', {});
        set({ audit: { report, verifying: false, problem: null, eventsSince: 0 } });
      } catch (error) {
        set({ audit: { ...get().audit, verifying: false, problem: toProblem(error) } });
      }
    },

    noteEventsRecorded(count) {
      const audit = get().audit;
      if (!audit.report) return;
      set({ audit: { ...audit, eventsSince: audit.eventsSince + count } });
    },
  });
}
