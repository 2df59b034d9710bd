// Timeline slice: the releases the Timeline section can show, newest window first. Which one is
// shown is the section's address (`#timeline/<release id>`), so a wall display can be pointed
// at one release.
import type { StateCreator } from 'zustand/vanilla';
import type { ReleaseSummary } from '../../../shared/api/releases.ts';
import { toProblem, type Problem } from '../../state/session.ts';
import type { AppState, StoreDeps } from '../../state/store.ts';

export interface TimelineSlice {
  timeline: { releases: ReleaseSummary[] | null; problem: Problem | null };
  loadTimelineReleases(): Promise<void>;
}

export function createTimelineSlice(deps: StoreDeps): StateCreator<AppState, [], [], TimelineSlice> {
  return (set) => ({
    timeline: { releases: null, problem: null },
    async loadTimelineReleases() {
      try {
        const releases = await deps.client.call('release.list', { sort: '-window', includeArchived: true });
        set({ timeline: { releases, problem: null } });
      } catch (error) {
        set({ timeline: { releases: null, problem: toProblem(error) } });
      }
    },
  });
}
