// Releases slice: the filtered list, the releases opened so far (detail by id), the people a
// release can name, and the commands that change a release. Each command answers with the
// release as the core now sees it, which replaces the cached detail.
import type { StateCreator } from 'zustand/vanilla';
import type { InputOf } from '../../../shared/api/contract.ts';
import type { PersonSummary, ReleaseDetail, ReleaseSummary } from '../../../shared/api/releases.ts';
import type { ReleaseStatus, ReleaseType } from '../../../shared/domain/releases.ts';
import { toProblem, type Problem } from '../../state/session.ts';
import type { AppState, StoreDeps } from '../../state/store.ts';
import { parseReleasesView } from './routes.ts';

export type ReleaseSort = 'window' | '-window' | 'created' | '-created';

export interface ReleaseFilters {
  status: ReleaseStatus | '';
  type: ReleaseType | '';
  text: string;
  sort: ReleaseSort;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; problem: Problem };

export interface ReleasesSlice {
  releases: {
    list: ReleaseSummary[] | null;
    /** Whether any release exists at all (an empty filtered list is not an empty room). */
    anyExist: boolean;
    listProblem: Problem | null;
    filters: ReleaseFilters;
    details: Record<string, ReleaseDetail>;
    detailProblems: Record<string, Problem>;
    people: PersonSummary[];
  };
  loadReleases(): Promise<void>;
  setReleaseFilters(patch: Partial<ReleaseFilters>): void;
  loadRelease(id: string): Promise<void>;
  loadPeople(): Promise<void>;
  createRelease(input: InputOf<'release.create'>): Promise<Outcome<ReleaseDetail>>;
  updateRelease(input: InputOf<'release.update'>): Promise<Outcome<ReleaseDetail>>;
  transitionRelease(input: InputOf<'release.transition'>): Promise<Outcome<ReleaseDetail>>;
  noteRelease(input: InputOf<'release.note'>): Promise<Outcome<ReleaseDetail>>;
  /** The core reports changed entities: refresh what is on screen. */
  releasesChanged(kinds: ReadonlySet<string>): void;
}

export const DEFAULT_FILTERS: ReleaseFilters = { status: '', type: '', text: '', sort: 'window' };

export function createReleasesSlice(deps: StoreDeps): StateCreator<AppState, [], [], ReleasesSlice> {
  let listRequest = 0;
  const detailRequests = new Map<string, number>();

  return (set, get) => {
    const patch = (value: Partial<ReleasesSlice['releases']>) => set({ releases: { ...get().releases, ...value } });

    const remember = (detail: ReleaseDetail) => {
      const { details, detailProblems } = get().releases;
      const { [detail.id]: _gone, ...otherProblems } = detailProblems;
      patch({ details: { ...details, [detail.id]: detail }, detailProblems: otherProblems });
    };

    /** Runs a command that answers with the release, caching it and refreshing the list. */
    const command = async <M extends 'release.create' | 'release.update' | 'release.transition' | 'release.note'>(
      method: M,
      input: InputOf<M>,
    ): Promise<Outcome<ReleaseDetail>> => {
      try {
        const detail = (await deps.client.call(method, input)) as ReleaseDetail;
        remember(detail);
        void get().loadReleases();
        return { ok: true, value: detail };
      } catch (error) {
        return { ok: false, problem: toProblem(error) };
      }
    };

    return {
      releases: {
        list: null,
        anyExist: false,
        listProblem: null,
        filters: DEFAULT_FILTERS,
        details: {},
        detailProblems: {},
        people: [],
      },

      async loadReleases() {
        const request = ++listRequest;
        const { status, type, text, sort } = get().releases.filters;
        try {
          const list = await deps.client.call('release.list', {
            sort,
            ...(status ? { status } : {}),
            ...(type ? { type } : {}),
            ...(text.trim() ? { text: text.trim() } : {}),
          });
          if (request !== listRequest) return;
          const filtered = Boolean(status || type || text.trim());
          // Only an unfiltered answer can say the room has no releases at all.
          const anyExist = list.length > 0 || (filtered && get().releases.anyExist);
          patch({ list, anyExist, listProblem: null });
        } catch (error) {
          if (request !== listRequest) return;
          patch({ listProblem: toProblem(error) });
        }
      },

      setReleaseFilters(change) {
        patch({ filters: { ...get().releases.filters, ...change } });
        void get().loadReleases();
      },

      async loadRelease(id) {
        const request = (detailRequests.get(id) ?? 0) + 1;
        detailRequests.set(id, request);
        try {
          const detail = await deps.client.call('release.get', { id });
          if (detailRequests.get(id) !== request) return;
          remember(detail);
        } catch (error) {
          if (detailRequests.get(id) !== request) return;
          patch({ detailProblems: { ...get().releases.detailProblems, [id]: toProblem(error) } });
        }
      },

      async loadPeople() {
        try {
          patch({ people: await deps.client.call('people.list', {}) });
        } catch {
          // The pickers fall back to free text; nothing else depends on the list.
        }
      },

      createRelease: (input) => command('release.create', input),
      updateRelease: (input) => command('release.update', input),
      transitionRelease: (input) => command('release.transition', input),
      noteRelease: (input) => command('release.note', input),

      releasesChanged(kinds) {
        if (kinds.has('release') || kinds.has('run')) {
          if (get().releases.list) void get().loadReleases();
          // The release on screen shows its runs' progress, so a step refreshes it too; others
          // are fetched again when they are opened.
          const { section, view } = get();
          const route = section === 'releases' ? parseReleasesView(view) : null;
          if (route && 'id' in route) void get().loadRelease(route.id);
        }
        if (kinds.has('person')) void get().loadPeople();
      },
    };
  };
}
