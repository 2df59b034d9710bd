// The release list a section opens on when it works on one release at a time (go/no-go,
// metrics): loaded from the core, reloaded when releases change, the ones that matter now first.
import { useEffect, useState, type ReactNode } from 'react';
import type { SectionId } from '../../shared/api/bridge.ts';
import type { ReleaseStatus } from '../../shared/domain/releases.ts';
import type { ReleaseSummary } from '../../shared/api/releases.ts';
import { useClient } from '../state/context.tsx';
import { SectionPage } from './SectionPage.tsx';
import './release-picker.css';

export interface ReleasePickerProps {
  section: SectionId;
  summary: ReactNode;
  /** Only releases in these states (all when omitted). */
  statuses?: ReleaseStatus[];
  /** Releases listed first and marked. */
  first(release: ReleaseSummary): boolean;
  onChoose(release: ReleaseSummary): void;
  /** The whole page shown when there is no release at all. */
  empty: ReactNode;
}

export function ReleasePicker({ section, summary, statuses, first, onChoose, empty }: ReleasePickerProps) {
  const client = useClient();
  const [releases, setReleases] = useState<ReleaseSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const statusKey = statuses?.join(',') ?? '';

  useEffect(() => {
    let live = true;
    const load = () =>
      client
        .call('release.list', statusKey ? { status: statusKey.split(',') as ReleaseStatus[] } : {})
        .then((list) => live && setReleases([...list].sort((a, b) => Number(first(b)) - Number(first(a)))))
        .catch((error: unknown) => live && setProblem(error instanceof Error ? error.message : String(error)));
    void load();
    const stop = client.subscribe((notice) => {
      if (notice.topic === 'events' && notice.entities.some((e) => e.kind === 'release')) void load();
    });
    return () => {
      live = false;
      stop();
    };
    // `first` is a pure ordering the caller defines once; re-listing on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, statusKey]);

  if (releases !== null && releases.length === 0) return <>{empty}</>;

  return (
    <SectionPage id={section} summary={summary}>
      {problem && (
        <p className="release-picker__error" role="alert">
          {problem}
        </p>
      )}
      {releases === null && !problem && <p className="release-picker__muted">Loading releases…</p>}
      {releases && (
        <ul className="release-picker" aria-label="Releases">
          {releases.map((r) => (
            <li key={r.id}>
              <button type="button" className="release-picker__item" onClick={() => onChoose(r)}>
                <span className="release-picker__name">
                  {r.name} <span className="release-picker__muted">{r.version}</span>
                </span>
                <span className={`badge ${first(r) ? 'badge--accent' : 'badge--neutral'}`}>{r.statusLabel}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </SectionPage>
  );
}
